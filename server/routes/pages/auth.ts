import type { Hono } from "hono";
import { setCookie, getCookie } from "hono/cookie";
import { authenticate, canonicalTimeZone, setTimeZone } from "../../domain/accounts/accounts.ts";
import { createSession, deleteSession } from "../../domain/accounts/tokens.ts";
import { LoginPage } from "../../../web/components/login.ts";
import { t } from "../../../web/i18n/index.ts";
import type { RouteDeps } from "../deps.ts";
import { page, errorPage } from "./render.ts";
import { islandUrls } from "./islands.ts";
import { checkCsrf, chromeOf, clearSessionCookie, cookieOptions, safeNext, SESSION_COOKIE } from "./session.ts";

export function registerAuthPages(app: Hono, deps: RouteDeps): void {
  app.get("/login", async (c) => {
    if (c.get("page").user) return c.redirect(safeNext(c.req.query("next")));
    return page(c, LoginPage, { ...chromeOf(c, deps), next: safeNext(c.req.query("next")), scripts: await islandUrls("time-zone") });
  });

  app.post("/login", async (c) => {
    const form = await c.req.parseBody();
    if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
    const username = typeof form.username === "string" ? form.username.slice(0, 100) : "";
    const password = typeof form.password === "string" ? form.password.slice(0, 1000) : "";
    const next = safeNext(form.next);
    const user = username && password ? await authenticate(deps.sql, username, password) : null;
    if (!user) {
      const base = chromeOf(c, deps);
      return page(c, LoginPage, { ...base, error: t(base.locale, "login.invalid"), username, next, scripts: await islandUrls("time-zone") }, 401);
    }
    // The browser's time zone (filled in by the island) becomes the account's, unless the person chose one.
    const timeZone = canonicalTimeZone(form.time_zone);
    if (timeZone) await setTimeZone(deps.sql, user.account.id, timeZone, { onlyIfUnset: true });
    const session = await createSession(deps.sql, user.account.id);
    setCookie(c, SESSION_COOKIE, session.cookie, { ...cookieOptions(deps), expires: session.expires });
    return c.redirect(next, 303);
  });

  app.post("/logout", async (c) => {
    const form = await c.req.parseBody();
    if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
    const cookie = getCookie(c, SESSION_COOKIE);
    if (cookie) await deleteSession(deps.sql, cookie);
    clearSessionCookie(c);
    return c.redirect("/", 303);
  });
}
