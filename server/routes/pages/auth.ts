import type { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { authenticate, canonicalTimeZone, setTimeZone } from "../../domain/accounts/accounts.ts";
import { beginLoginAttempt, loginSucceeded } from "../../domain/accounts/login-limits.ts";
import { deleteSession } from "../../domain/accounts/tokens.ts";
import { LoginPage } from "../../../web/components/login.ts";
import { t } from "../../../web/i18n/index.ts";
import { clientAddress } from "../client-address.ts";
import type { RouteDeps } from "../deps.ts";
import { page, errorPage } from "./render.ts";
import { islandUrls } from "./islands.ts";
import { checkCsrf, chromeOf, clearSessionCookie, safeNext, SESSION_COOKIE, startSession } from "./session.ts";

export function registerAuthPages(app: Hono, deps: RouteDeps): void {
  app.get("/login", async (c) => {
    if (c.get("page").user) return c.redirect(safeNext(c.req.query("next")));
    return page(c, LoginPage, { ...chromeOf(c, deps), ...loginOptions(deps), next: safeNext(c.req.query("next")), scripts: await islandUrls("time-zone") });
  });

  app.post("/login", async (c) => {
    const form = await c.req.parseBody();
    if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
    const username = typeof form.username === "string" ? form.username.slice(0, 100) : "";
    const password = typeof form.password === "string" ? form.password.slice(0, 1000) : "";
    const next = safeNext(form.next);
    const base = chromeOf(c, deps);
    const scripts = await islandUrls("time-zone");
    const refuse = (error: string, status: 401 | 403 | 429) =>
      page(c, LoginPage, { ...base, ...loginOptions(deps), error, username, next, scripts }, status);
    if (!deps.config.passwordLogin) return refuse(t(base.locale, "login.passwordsOff"), 403);
    if (!username || !password) return refuse(t(base.locale, "login.invalid"), 401);
    // Counted across every web process (login-limits.ts), before the password is checked.
    const attempt = await beginLoginAttempt(deps.sql, { username, address: clientAddress(c, deps.config) });
    if (!attempt.allowed) {
      c.header("Retry-After", String(attempt.retryAfterSeconds));
      return refuse(t(base.locale, "login.tooMany", { minutes: Math.ceil(attempt.retryAfterSeconds / 60) }), 429);
    }
    const user = await authenticate(deps.sql, username, password);
    if (!user) return refuse(t(base.locale, "login.invalid"), 401);
    await loginSucceeded(deps.sql, attempt);
    // The browser's time zone (filled in by the island) becomes the account's, unless the person chose one.
    const timeZone = canonicalTimeZone(form.time_zone);
    if (timeZone) await setTimeZone(deps.sql, user.account.id, timeZone, { onlyIfUnset: true });
    await startSession(c, deps, user.account.id);
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

/** What the sign-in page offers: the company button (OpenID Connect) and/or the password form. */
export function loginOptions(deps: RouteDeps): { oidcName?: string; passwordLogin: boolean } {
  return { oidcName: deps.config.oidc?.name, passwordLogin: deps.config.passwordLogin };
}
