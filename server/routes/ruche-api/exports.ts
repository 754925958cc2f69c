// A person's archive over the API (issue #16 point 3): ask for it, follow its progress, download it. Only its owner
// ever sees it: another person's archive id answers 404.
import type { Context, Hono } from "hono";
import { findAccountById } from "../../domain/accounts/accounts.ts";
import { downloadableExport, exportStorage, findExport, requestExport, type AccountExport } from "../../domain/exports/exports.ts";
import type { RouteDeps } from "../deps.ts";
import { type ApiEnv, scopeRequired, tokenRequired, viewerOf } from "../mastodon/auth.ts";
import { notFound } from "../mastodon/errors.ts";
import { serveFile } from "../static.ts";

export function exportJson(e: AccountExport, origin: string) {
  return {
    id: e.id, state: e.state, progress: e.progress, created_at: e.createdAt.toISOString(),
    url: e.state === "ready" ? `${origin}/api/ruche/v1/me/export/${e.id}/download` : null,
    size_bytes: e.sizeBytes, expires_at: e.expiresAt?.toISOString() ?? null,
  };
}

/** The archive's zip, streamed from storage, to its owner (the API with a token, the settings page with a session). */
export async function exportDownload(c: Context, deps: RouteDeps, accountId: string, id: string): Promise<Response> {
  const e = await downloadableExport(deps.sql, accountId, id);
  const account = await findAccountById(deps.sql, accountId);
  const res = await serveFile(c, exportStorage(deps.config.dataDir), e.fileKey, false, "private, no-store");
  if (!res) throw notFound();
  const day = (e.readyAt ?? e.createdAt).toISOString().slice(0, 10);
  res.headers.set("Content-Disposition", `attachment; filename="ruche-${account?.username ?? "archive"}-${day}.zip"`);
  return res;
}

export function registerExports(api: Hono<ApiEnv>, deps: RouteDeps): void {
  const { sql, config } = deps;
  api.post("/api/ruche/v1/me/export", tokenRequired(deps), scopeRequired(["read"]), async (c) => {
    return c.json(exportJson(await requestExport(sql, viewerOf(c).accountId), config.origin));
  });
  api.get("/api/ruche/v1/me/export/:id", tokenRequired(deps), scopeRequired(["read"]), async (c) => {
    const e = await findExport(sql, viewerOf(c).accountId, c.req.param("id"));
    if (!e) throw notFound();
    return c.json(exportJson(e, config.origin));
  });
  api.get("/api/ruche/v1/me/export/:id/download", tokenRequired(deps), scopeRequired(["read"]), (c) =>
    exportDownload(c, deps, viewerOf(c).accountId, c.req.param("id")));
}
