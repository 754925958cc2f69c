// /api/v1/conversations (issue #9 point 2): the direct conversations of the token's account, as Mastodon serves
// them — list (newest message first, max_id / min_id / since_id on the last message's id, Link headers), mark read,
// remove (hide until the next message). Reading needs `read:statuses`, changing `write:conversations`, as on
// Mastodon. What a conversation shows is the domain's (conversations/): only messages the viewer may read.
import type { Hono } from "hono";
import type { Db } from "../../db/pool.ts";
import {
  type ConversationRow, getConversation, listConversations, markConversationRead, removeConversation,
} from "../../domain/conversations/conversations.ts";
import { localViewer } from "../../domain/audience/visibility.ts";
import { loadPosts } from "../../domain/posts/post-views.ts";
import type { RouteDeps } from "../deps.ts";
import { type ApiEnv, scopeRequired, tokenRequired, viewerOf } from "./auth.ts";
import { notFound } from "./errors.ts";
import { pageSchema, parse, queryParams } from "./params.ts";
import { serializeAccounts } from "./serializers.ts";
import { serializeStatuses, setPageLinks } from "./status-serializer.ts";

/** Conversation rows → Mastodon Conversation entities `{id, unread, accounts, last_status}` (REST and streaming). */
export async function serializeConversations(db: Db, origin: string, viewerId: string, rows: ConversationRow[]) {
  const posts = await loadPosts(db, rows.map((r) => r.lastPostId), localViewer(viewerId));
  const statuses = await serializeStatuses(db, origin, posts);
  const statusById = new Map(posts.map((p, i) => [p.id, statuses[i]]));
  const accounts = await serializeAccounts(db, origin, rows.flatMap((r) => r.accounts));
  let at = 0;
  return rows.map((r) => ({
    id: r.id,
    unread: r.unread,
    accounts: accounts.slice(at, (at += r.accounts.length)),
    last_status: statusById.get(r.lastPostId) ?? null,
  }));
}

export function registerConversations(api: Hono<ApiEnv>, deps: RouteDeps): void {
  const { sql, config } = deps;
  const origin = config.origin;
  const read = [tokenRequired(deps), scopeRequired(["read:statuses"])] as const;
  const write = [tokenRequired(deps), scopeRequired(["write:conversations"])] as const;

  api.get("/api/v1/conversations", ...read, async (c) => {
    const viewer = viewerOf(c);
    const p = parse(pageSchema(20, 40), queryParams(c));
    const page = await listConversations(sql, viewer.accountId, { limit: p.limit, maxId: p.max_id, minId: p.min_id, sinceId: p.since_id });
    setPageLinks(c, origin, page, p.limit);
    return c.json(await serializeConversations(sql, origin, viewer.accountId, page.items));
  });

  api.post("/api/v1/conversations/:id{[0-9]+}/read", ...write, async (c) => {
    const viewer = viewerOf(c);
    const row = await markConversationRead(sql, viewer.accountId, c.req.param("id"));
    if (!row) throw notFound();
    return c.json((await serializeConversations(sql, origin, viewer.accountId, [row]))[0]);
  });

  api.delete("/api/v1/conversations/:id{[0-9]+}", ...write, async (c) => {
    if (!(await removeConversation(sql, viewerOf(c).accountId, c.req.param("id")))) throw notFound();
    return c.json({});
  });

  // Unknown to Mastodon's clients but handy for ours: one conversation, as the list shows it.
  api.get("/api/v1/conversations/:id{[0-9]+}", ...read, async (c) => {
    const viewer = viewerOf(c);
    const row = await getConversation(sql, viewer.accountId, c.req.param("id"));
    if (!row) throw notFound();
    return c.json((await serializeConversations(sql, origin, viewer.accountId, [row]))[0]);
  });
}
