// GET /api/v1/directory: Mastodon's profile directory, here the group's people (local employees and the profiles
// siblings share). `order=active` sorts by the latest profile change (Ruche has no last-status time yet).
import type { Hono } from "hono";
import { z } from "zod";
import { listDirectory } from "../../domain/profiles/directory.ts";
import type { RouteDeps } from "../deps.ts";
import { scopeOf } from "./accounts.ts";
import { type ApiEnv, scopeRequired, tokenOptional } from "./auth.ts";
import { boolParam, limitParam, parse, queryParams } from "./params.ts";
import { serializeAccounts } from "./serializers.ts";

const directorySchema = z.object({
  offset: z.preprocess((v) => (v === "" || v == null ? undefined : v), z.coerce.number().int().min(0).max(10_000).optional()),
  limit: limitParam(40, 80),
  order: z.enum(["active", "new"]).optional(),
  local: boolParam,
});

export function registerDirectory(api: Hono<ApiEnv>, deps: RouteDeps): void {
  api.get("/api/v1/directory", tokenOptional(deps), scopeRequired(["read:accounts"]), async (c) => {
    const p = parse(directorySchema, queryParams(c));
    const accounts = await listDirectory(deps.sql, { order: p.order ?? "active", localOnly: p.local ?? false, limit: p.limit, offset: p.offset ?? 0 });
    return c.json(await serializeAccounts(deps.sql, deps.config.origin, accounts, { scope: scopeOf(c) }));
  });
}
