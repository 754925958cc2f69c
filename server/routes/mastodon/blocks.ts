// Blocks through Mastodon's API (issue #8 point 14): POST /api/v1/accounts/:id/block|unblock answer the
// relationship; GET /api/v1/blocks lists the people the viewer blocked, newest first, with Link headers.
import type { Hono } from "hono";
import { findAccountById } from "../../domain/accounts/accounts.ts";
import { block, listBlockedAccounts, unblock } from "../../domain/blocks/blocks.ts";
import { relationships } from "../../domain/follows/follows.ts";
import type { RouteDeps } from "../deps.ts";
import { type ApiEnv, scopeRequired, tokenRequired, viewerOf } from "./auth.ts";
import { notFound } from "./errors.ts";
import { pageItems, pageSchema, parse, queryParams } from "./params.ts";
import { relationshipEntity, serializeAccounts } from "./serializers.ts";

const BLOCKS_PAGE = pageSchema(40, 80);

export function registerBlocks(api: Hono<ApiEnv>, deps: RouteDeps): void {
  const { sql, config } = deps;

  const actions = {
    block: (viewerId: string, targetId: string) => block(sql, config.origin, viewerId, targetId),
    unblock: (viewerId: string, targetId: string) => unblock(sql, viewerId, targetId),
  };
  for (const [action, apply] of Object.entries(actions)) {
    api.post(`/api/v1/accounts/:id{[0-9]+}/${action}`, tokenRequired(deps), scopeRequired(["write:blocks", "follow"]), async (c) => {
      const viewer = viewerOf(c);
      const target = await findAccountById(sql, c.req.param("id") ?? "");
      if (!target) throw notFound();
      await apply(viewer.accountId, target.id); // 422 for oneself
      const [r] = await relationships(sql, viewer.accountId, [target.id]);
      return c.json(relationshipEntity(r));
    });
  }

  // Blocking whole domains is not in Ruche (the sibling allowlist decides which servers federate): nobody has any.
  api.get("/api/v1/domain_blocks", tokenRequired(deps), scopeRequired(["read:blocks", "follow"]), (c) => c.json([]));

  api.get("/api/v1/blocks", tokenRequired(deps), scopeRequired(["read:blocks", "follow"]), async (c) => {
    const viewer = viewerOf(c);
    const page = parse(BLOCKS_PAGE, queryParams(c));
    const result = await listBlockedAccounts(sql, viewer.accountId, { limit: page.limit, maxId: page.max_id, minId: page.min_id });
    const items = pageItems(c, config.origin, page, result.items, (i) => i.blockId);
    return c.json(await serializeAccounts(sql, config.origin, items));
  });
}
