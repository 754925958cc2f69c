// /admin/urgent (issue #15 point 4): the urgent role and its audit log, for administrators.
import type { Context, Hono } from "hono";
import { findAccountByHandle } from "../../domain/accounts/accounts.ts";
import { DomainError } from "../../domain/errors.ts";
import { grantUrgent, revokeUrgent, urgentLog, urgentSenders } from "../../domain/quiet/urgent.ts";
import { UrgentAdminPage } from "../../../web/components/urgent-admin.ts";
import { t } from "../../../web/i18n/index.ts";
import type { RouteDeps } from "../deps.ts";
import { errorPage, page } from "./render.ts";
import { checkCsrf, chromeOf, toSignIn } from "./session.ts";

export function registerUrgentAdminPages(app: Hono, deps: RouteDeps): void {
  const { sql } = deps;
  const adminOf = (c: Context) => {
    const user = c.get("page").user;
    if (!user) return { response: toSignIn(c) };
    if (user.role !== "admin") return { response: errorPage(c, deps, 403, "charter.admin.only") };
    return { user };
  };
  const show = async (c: Context, error: string | null = null, status = 200) => page(c, UrgentAdminPage, {
    ...chromeOf(c, deps), senders: await urgentSenders(sql), log: await urgentLog(sql, { limit: 100 }), error,
  }, status);

  app.get("/admin/urgent", async (c) => {
    const a = adminOf(c);
    return a.response ?? await show(c);
  });

  app.post("/admin/urgent", async (c) => {
    const a = adminOf(c);
    if (a.response) return a.response;
    const form = await c.req.parseBody();
    if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
    const username = String(form.username ?? "").trim().replace(/^@/, "");
    const account = username ? await findAccountByHandle(sql, username, null) : null;
    try {
      if (!account) throw new DomainError("not_found", 404, "no such local account");
      await grantUrgent(sql, account.id, a.user.account.id);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      return await show(c, t(chromeOf(c, deps).locale, "quiet.admin.unknown", { who: username }), 422);
    }
    return c.redirect("/admin/urgent", 303);
  });

  app.post("/admin/urgent/:id{[0-9]{1,18}}/revoke", async (c) => {
    const a = adminOf(c);
    if (a.response) return a.response;
    if (!(await checkCsrf(c, await c.req.parseBody()))) return errorPage(c, deps, 403, "page.error.csrf");
    await revokeUrgent(sql, c.req.param("id"));
    return c.redirect("/admin/urgent", 303);
  });
}
