// /api/v1/follow_requests: pending requests to follow the viewer (a locked account), authorized or rejected by the
// requester's account id, as in Mastodon.
import type { Hono } from "hono";
import { authorizeFollowRequest, listFollowRequests, rejectFollowRequest, relationships } from "../../domain/follows/follows.ts";
import type { RouteDeps } from "../deps.ts";
import { type ApiEnv, scopeRequired, tokenRequired, viewerOf } from "./auth.ts";
import { pageItems, pageSchema, parse, queryParams } from "./params.ts";
import { relationshipEntity, serializeAccounts } from "./serializers.ts";

const REQUESTS_PAGE = pageSchema(40, 80);

export function registerFollowRequests(api: Hono<ApiEnv>, deps: RouteDeps): void {
  const { sql, config } = deps;

  api.get("/api/v1/follow_requests", tokenRequired(deps), scopeRequired(["read:follows", "follow"]), async (c) => {
    const viewer = viewerOf(c);
    const page = parse(REQUESTS_PAGE, queryParams(c));
    const result = await listFollowRequests(sql, viewer.accountId, { limit: page.limit, maxId: page.max_id, minId: page.min_id });
    const items = pageItems(c, config.origin, page, result.items, (i) => i.followId);
    return c.json(await serializeAccounts(sql, config.origin, items));
  });

  for (const [action, apply] of [["authorize", authorizeFollowRequest], ["reject", rejectFollowRequest]] as const) {
    api.post(`/api/v1/follow_requests/:id{[0-9]+}/${action}`, tokenRequired(deps), scopeRequired(["write:follows", "follow"]), async (c) => {
      const viewer = viewerOf(c);
      const requesterId = c.req.param("id") ?? "";
      await apply(sql, viewer.accountId, requesterId); // 404 when there is no pending request from this account
      const [r] = await relationships(sql, viewer.accountId, [requesterId]);
      return c.json(relationshipEntity(r));
    });
  }
}
