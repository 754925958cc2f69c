// Settings › Delete my account (issue #16 point 3): ask with a typed confirmation, then keep the account if one
// changes one's mind before the due date. Open before the charter is accepted (session.ts).
import type { Hono } from "hono";
import { cancelDeletion, requestDeletion } from "../../domain/accounts/deletion.ts";
import { DomainError } from "../../domain/errors.ts";
import { DeletionPage } from "../../../web/components/deletion.ts";
import { t } from "../../../web/i18n/index.ts";
import type { RouteDeps } from "../deps.ts";
import { errorPage, page } from "./render.ts";
import { checkCsrf, chromeOf, toSignIn } from "./session.ts";

export function registerDeletionPages(app: Hono, deps: RouteDeps): void {
  const { sql, config } = deps;

  app.get("/settings/delete", (c) => {
    const user = c.get("page").user;
    if (!user) return toSignIn(c, "/settings/delete");
    return page(c, DeletionPage, {
      ...chromeOf(c, deps), username: user.account.username, graceDays: config.deletionGraceDays,
      dueAt: user.deletionDueAt ?? null, cancelled: c.req.query("cancelled") === "1",
    });
  });

  app.post("/settings/delete", async (c) => {
    const user = c.get("page").user;
    if (!user) return toSignIn(c, "/settings/delete");
    const form = await c.req.parseBody();
    if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
    const locale = c.get("page").locale;
    const show = (error: string) => page(c, DeletionPage, {
      ...chromeOf(c, deps), username: user.account.username, graceDays: config.deletionGraceDays, dueAt: null, error,
    }, 422);
    if (typeof form.confirm !== "string" || form.confirm.trim().toLowerCase() !== user.account.username.toLowerCase()) {
      return show(t(locale, "deletion.mismatch"));
    }
    try {
      await requestDeletion(sql, user.account.id, { graceDays: config.deletionGraceDays });
    } catch (e) {
      if (e instanceof DomainError && e.code === "last_admin") return show(t(locale, "deletion.lastAdmin"));
      throw e;
    }
    return c.redirect("/settings/delete", 303);
  });

  app.post("/settings/delete/cancel", async (c) => {
    const user = c.get("page").user;
    if (!user) return toSignIn(c, "/settings/delete");
    const form = await c.req.parseBody();
    if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
    await cancelDeletion(sql, user.account.id);
    return c.redirect("/settings/delete?cancelled=1", 303);
  });
}
