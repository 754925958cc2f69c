// Choosing a password (issue #8 point 5): the settings page, and the page an invitation link opens
// (`npm run ruche -- user invite <username>`, or the CSV import), which then signs the person in.
import type { Context, Hono } from "hono";
import { getCookie } from "hono/cookie";
import { LIMITS } from "../../domain/accounts/accounts.ts";
import { acceptInvitation, findInvitation } from "../../domain/accounts/invitations.ts";
import { changePassword, passwordProblem } from "../../domain/accounts/passwords.ts";
import { DomainError } from "../../domain/errors.ts";
import { InvitationPage } from "../../../web/components/invitation.ts";
import { PasswordPage, type PasswordErrors } from "../../../web/components/password.ts";
import { t, type Locale } from "../../../web/i18n/index.ts";
import type { RouteDeps } from "../deps.ts";
import { errorPage, page } from "./render.ts";
import { checkCsrf, chromeOf, SESSION_COOKIE, startSession, toSignIn } from "./session.ts";

const str = (v: unknown) => (typeof v === "string" ? v.slice(0, 1000) : "");

/** The new password and its confirmation, checked with the one password rule; errors translated by field. */
function checkNewPassword(locale: Locale, password: string, confirm: string): PasswordErrors {
  const problem = passwordProblem(password);
  if (problem === "too_short") return { password: t(locale, "password.error.tooShort", { min: LIMITS.password.min }) };
  if (problem === "too_long") return { password: t(locale, "password.error.tooLong", { max: LIMITS.password.max }) };
  return password === confirm ? {} : { confirm: t(locale, "password.error.mismatch") };
}

/** The link is a credential: it must not leak to other sites, nor stay in a shared cache. */
function secretPage(c: Context): void {
  c.header("Referrer-Policy", "no-referrer");
  c.header("Cache-Control", "no-store");
}

export function registerPasswordPages(app: Hono, deps: RouteDeps): void {
  const minLength = LIMITS.password.min;

  app.get("/settings/password", (c) => {
    if (!c.get("page").user) return toSignIn(c, "/settings/password");
    return page(c, PasswordPage, { ...chromeOf(c, deps), minLength, saved: c.req.query("saved") === "1" });
  });

  app.post("/settings/password", async (c) => {
    const user = c.get("page").user;
    if (!user) return toSignIn(c, "/settings/password");
    const form = await c.req.parseBody();
    if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
    const base = chromeOf(c, deps);
    const errors = checkNewPassword(base.locale, str(form.password), str(form.confirm));
    if (Object.keys(errors).length === 0) {
      try {
        await changePassword(deps.sql, user.account.id, str(form.current), str(form.password), { keepSession: getCookie(c, SESSION_COOKIE) });
        return c.redirect("/settings/password?saved=1", 303);
      } catch (e) {
        if (!(e instanceof DomainError && e.code === "wrong_password")) throw e;
        errors.current = t(base.locale, "password.error.wrongCurrent");
      }
    }
    return page(c, PasswordPage, { ...base, minLength, errors }, 422);
  });

  app.get("/invitation/:token", async (c) => {
    secretPage(c);
    const invitation = await findInvitation(deps.sql, c.req.param("token"));
    if (!invitation) return errorPage(c, deps, 404, "invitation.invalid");
    return page(c, InvitationPage, { ...chromeOf(c, deps), ...invitation, action: c.req.path, minLength });
  });

  app.post("/invitation/:token", async (c) => {
    secretPage(c);
    const form = await c.req.parseBody();
    if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
    const token = c.req.param("token");
    const invitation = await findInvitation(deps.sql, token);
    if (!invitation) return errorPage(c, deps, 404, "invitation.invalid");
    const base = chromeOf(c, deps);
    const errors = checkNewPassword(base.locale, str(form.password), str(form.confirm));
    if (Object.keys(errors).length > 0) {
      return page(c, InvitationPage, { ...base, ...invitation, action: c.req.path, minLength, errors }, 422);
    }
    try {
      const { accountId } = await acceptInvitation(deps.sql, token, str(form.password));
      await startSession(c, deps, accountId);
    } catch (e) {
      // Used at the same moment from another tab: the other one won.
      if (e instanceof DomainError && e.code === "invitation_invalid") return errorPage(c, deps, 404, "invitation.invalid");
      throw e;
    }
    return c.redirect("/", 303);
  });
}
