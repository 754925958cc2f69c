// Account deletion over the API (issue #16 point 3): ask (confirming one's username), see when it is due, cancel.
import type { Hono } from "hono";
import { z } from "zod";
import { cancelDeletion, deletionState, requestDeletion } from "../../domain/accounts/deletion.ts";
import { DomainError } from "../../domain/errors.ts";
import type { RouteDeps } from "../deps.ts";
import { type ApiEnv, scopeRequired, tokenRequired, viewerOf } from "../mastodon/auth.ts";
import { bodyParams, parse } from "../mastodon/params.ts";

const json = (s: { requestedAt: Date; dueAt: Date }) => ({ requested_at: s.requestedAt.toISOString(), due_at: s.dueAt.toISOString() });

export function registerDeletion(api: Hono<ApiEnv>, deps: RouteDeps): void {
  const { sql, config } = deps;
  const path = "/api/ruche/v1/me/deletion";

  api.get(path, tokenRequired(deps), scopeRequired(["read:accounts", "read"]), async (c) => {
    const state = await deletionState(sql, viewerOf(c).accountId);
    return state ? c.json(json(state)) : c.json({ error: "No deletion is planned", error_code: "no_deletion" }, 404);
  });

  api.post(path, tokenRequired(deps), scopeRequired(["write:accounts", "write"]), async (c) => {
    const { confirm } = parse(z.object({ confirm: z.string().max(100).optional() }), await bodyParams(c));
    const viewer = viewerOf(c);
    // A typed confirmation, as on the settings page: no app deletes an account by a stray call.
    if ((confirm ?? "").trim().toLowerCase() !== viewer.user.account.username.toLowerCase()) {
      throw new DomainError("confirmation_required", 422, "confirm with your username", "confirm");
    }
    return c.json(json(await requestDeletion(sql, viewer.accountId, { graceDays: config.deletionGraceDays })));
  });

  api.delete(path, tokenRequired(deps), scopeRequired(["write:accounts", "write"]), async (c) => {
    if (!(await cancelDeletion(sql, viewerOf(c).accountId))) return c.json({ error: "No deletion is planned", error_code: "no_deletion" }, 404);
    return c.json({});
  });
}
