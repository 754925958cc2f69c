// Settings › My data (issue #16 point 3): the page that asks for the archive and offers it for download.
import type { Hono } from "hono";
import { listExports, requestExport } from "../../domain/exports/exports.ts";
import { DomainError } from "../../domain/errors.ts";
import { ExportPage } from "../../../web/components/export.ts";
import type { RouteDeps } from "../deps.ts";
import { exportDownload } from "../ruche-api/exports.ts";
import { errorPage, page } from "./render.ts";
import { checkCsrf, chromeOf, toSignIn } from "./session.ts";

export function registerExportPages(app: Hono, deps: RouteDeps): void {
  app.get("/settings/export", async (c) => {
    const user = c.get("page").user;
    if (!user) return toSignIn(c);
    return page(c, ExportPage, { ...chromeOf(c, deps), exports: await listExports(deps.sql, user.account.id) });
  });

  app.post("/settings/export", async (c) => {
    const user = c.get("page").user;
    if (!user) return toSignIn(c, "/settings/export");
    const form = await c.req.parseBody();
    if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
    await requestExport(deps.sql, user.account.id);
    return c.redirect("/settings/export", 303);
  });

  app.get("/settings/export/:id/download", async (c) => {
    const user = c.get("page").user;
    if (!user) return toSignIn(c);
    try {
      return await exportDownload(c, deps, user.account.id, c.req.param("id"));
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      if (e.code === "export_expired") return errorPage(c, deps, 409, "export.expired");
      if (e.code === "export_not_ready") return errorPage(c, deps, 409, "export.pending");
      return errorPage(c, deps, 404, "page.error.notFound");
    }
  });
}
