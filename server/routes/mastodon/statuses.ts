// /api/v1/statuses/*: create (with Idempotency-Key), read, context, edit, history, source, delete, favourite,
// reblog, bookmark, pin; /api/v1/accounts/:id/statuses; /api/v1/favourites and /api/v1/bookmarks.
// Every read goes through the visibility predicate (a post the viewer may not read is a 404, as in Mastodon).
import type { Hono } from "hono";
import { z } from "zod";
import { findAccountById } from "../../domain/accounts/accounts.ts";
import { DomainError } from "../../domain/errors.ts";
import {
  bookmark, boost, boostedBy, boostIdOf, like, likedBy, pin, unbookmark, unboost, unlike, unpin,
} from "../../domain/posts/interactions.ts";
import { loadPost, loadPosts, type PostView } from "../../domain/posts/post-views.ts";
import { createPost, deletePost, editPost, type PostPorts, postHistory } from "../../domain/posts/posts.ts";
import { accountTimeline, bookmarksOf, favouritesOf, threadContext } from "../../domain/timelines/timelines.ts";
import { ANONYMOUS, localViewer, VISIBILITIES, type Viewer } from "../../domain/audience/visibility.ts";
import { resolveHandle } from "../../../federation/remote-actors.ts";
import type { RouteDeps } from "../deps.ts";
import { type ApiContext, type ApiEnv, scopeRequired, tokenOptional, tokenRequired, viewerOf } from "./auth.ts";
import { notFound } from "./errors.ts";
import { bodyParams, boolParam, idParam, pageItems, pageSchema, parse, queryParams } from "./params.ts";
import { fromApiVisibility, mediaEntity, serializeStatus, serializeStatuses, setPageLinks } from "./status-serializer.ts";
import { serializeAccounts } from "./serializers.ts";
import { scopeOf } from "./accounts.ts";
import { coded } from "../ruche-api/schedule.ts";
import { createScheduled } from "./scheduled-statuses.ts";
import { assertMayMarkUrgent, checkUrgentReason } from "../../domain/quiet/urgent.ts";

const visibilityParam = z.enum(["public", "unlisted", "private", "direct", ...VISIBILITIES]).optional();
const idList = z.union([idParam, z.array(idParam).max(40)]).optional().transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

/**
 * Mastodon's poll parameters, from a form (`poll[options][]=…&poll[expires_in]=3600`) or JSON alike; the limits
 * themselves are the domain's (polls/polls.ts).
 */
const pollParams = z.object({
  options: z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v])),
  expires_in: z.union([z.number(), z.string().regex(/^\d{1,10}$/, "must be a number of seconds").transform(Number)]),
  multiple: boolParam,
  hide_totals: boolParam,
});

const createSchema = z.object({
  status: z.string().optional(),
  media_ids: idList,
  in_reply_to_id: idParam.optional().nullable(),
  sensitive: boolParam,
  spoiler_text: z.string().optional(),
  visibility: visibilityParam,
  language: z.string().optional().nullable(),
  content_type: z.enum(["text/plain", "text/markdown"]).optional(),
  poll: pollParams.optional().nullable(),
  scheduled_at: z.string().optional().nullable(),
  // Ruche: the group (its account id here) the post is made in (docs/groups.md).
  ruche_group_id: idParam.optional().nullable(),
  // Ruche: urgent, bypassing the recipients' quiet time — for holders of the instance's urgent role, with a reason (issue #15).
  ruche_urgent: boolParam,
  ruche_urgent_reason: z.string().max(2000).optional().nullable(),
});

const editSchema = createSchema.pick({ status: true, media_ids: true, sensitive: true, spoiler_text: true, language: true, content_type: true })
  .extend({ media_attributes: z.unknown().optional(), poll: z.unknown().optional() });

/**
 * What Mastodon accepts and Ruche cannot honour yet is refused (422), never dropped: a client told 200 would believe
 * its scheduled post or its edited poll was saved. Form and JSON bodies reach this alike (bodyParams nests
 * `poll[options][]`). `null` means "none", as some clients send it.
 */
function refuseUnsupported(p: { editedPoll?: unknown; media_attributes?: unknown }): void {
  if (p.editedPoll != null) throw new DomainError("unsupported", 422, "editing a poll is not supported yet");
  if (p.media_attributes != null) throw new DomainError("unsupported", 422, "editing media attributes with a post is not supported yet; use PUT /api/v1/media/:id");
}

const INTERACTIONS_PAGE = pageSchema(40, 80);

const accountStatusesSchema = pageSchema(20, 40).extend({
  exclude_replies: boolParam, exclude_reblogs: boolParam, only_media: boolParam, pinned: boolParam, tagged: z.string().max(100).optional(),
});

export function viewerFor(c: ApiContext): Viewer {
  const v = c.get("viewer");
  return v ? localViewer(v.accountId) : ANONYMOUS;
}

export function registerStatuses(api: Hono<ApiEnv>, deps: RouteDeps): void {
  const { sql, config } = deps;
  const origin = config.origin;
  const readStatuses = [tokenOptional(deps), scopeRequired(["read:statuses"])] as const;
  const writeStatuses = [tokenRequired(deps), scopeRequired(["write:statuses"])] as const;
  const ports: PostPorts = { resolveMention: (handle) => resolveHandle(deps.context(), handle) };

  async function visiblePost(c: ApiContext): Promise<PostView> {
    const post = await loadPost(sql, c.req.param("id") ?? "", viewerFor(c));
    if (!post) throw notFound();
    return post;
  }
  const json = async (c: ApiContext, post: PostView) => c.json(await serializeStatus(sql, origin, post));

  api.post("/api/v1/statuses", ...writeStatuses, coded(async (c) => {
    const viewer = viewerOf(c);
    const p = parse(createSchema, await bodyParams(c));
    const poll = p.poll
      ? { options: p.poll.options, expiresIn: p.poll.expires_in, multiple: p.poll.multiple ?? false, hideTotals: p.poll.hide_totals ?? false }
      : null;
    // The role is checked before anything is stored (403 urgent_not_allowed), the reason required (the audit says why).
    let urgentReason: string | null = null;
    if (p.ruche_urgent) {
      await assertMayMarkUrgent(sql, viewer.accountId);
      urgentReason = checkUrgentReason(p.ruche_urgent_reason);
    }
    const input = {
      // Without visibility or language, the person's posting defaults (update_credentials' source), as in Mastodon.
      text: p.status ?? "", sourceType: p.content_type, visibility: fromApiVisibility(p.visibility) ?? viewer.user.defaultVisibility,
      summary: p.spoiler_text, sensitive: p.sensitive, language: p.language || viewer.user.defaultLanguage || null, inReplyToId: p.in_reply_to_id ?? null, mediaIds: p.media_ids, poll,
      groupId: p.ruche_group_id ?? null, urgentReason,
    };
    if (p.scheduled_at) return c.json(await createScheduled(deps, viewer.accountId, input, p.scheduled_at));
    const post = await createPost(sql, origin, viewer.accountId, { ...input, idempotencyKey: c.req.header("Idempotency-Key") || undefined }, ports);
    return json(c, post);
  }));

  api.get("/api/v1/statuses", ...readStatuses, async (c) => {
    const { id } = parse(z.object({ id: idList }), queryParams(c));
    return c.json(await serializeStatuses(sql, origin, await loadPosts(sql, id, viewerFor(c))));
  });

  api.get("/api/v1/statuses/:id{[0-9]+}", ...readStatuses, async (c) => json(c, await visiblePost(c)));

  api.get("/api/v1/statuses/:id{[0-9]+}/context", ...readStatuses, async (c) => {
    const viewer = viewerFor(c);
    const ctx = await threadContext(sql, viewer, c.req.param("id"));
    if (!ctx) throw notFound();
    const as = { viewer, context: "thread" } as const;
    const [ancestors, descendants] = await Promise.all([serializeStatuses(sql, origin, ctx.ancestors, as), serializeStatuses(sql, origin, ctx.descendants, as)]);
    return c.json({ ancestors, descendants });
  });

  api.put("/api/v1/statuses/:id{[0-9]+}", ...writeStatuses, async (c) => {
    const viewer = viewerOf(c);
    const p = parse(editSchema, await bodyParams(c));
    refuseUnsupported({ ...p, editedPoll: p.poll });
    const post = await editPost(sql, origin, c.req.param("id"), viewer.accountId, {
      text: p.status, summary: p.spoiler_text, sensitive: p.sensitive, language: p.language === undefined ? undefined : p.language || null,
      mediaIds: p.media_ids.length > 0 ? p.media_ids : undefined, sourceType: p.content_type,
    }, ports);
    return json(c, post);
  });

  api.get("/api/v1/statuses/:id{[0-9]+}/history", ...readStatuses, async (c) => {
    const post = await visiblePost(c);
    const versions = await postHistory(sql, post.id, viewerFor(c));
    if (!versions) throw notFound();
    const [account] = await serializeAccounts(sql, origin, [post.account]);
    return c.json(versions.map((v) => ({
      content: v.contentHtml, spoiler_text: v.summary, sensitive: v.sensitive, created_at: v.createdAt.toISOString(), account,
      media_attachments: v.media.map((m, i) => mediaEntity(origin, {
        id: `${post.id}-${i}`, url: m.url, remote: !post.local, contentType: m.content_type, description: m.description, width: null, height: null,
      })),
      emojis: [],
    })));
  });

  api.get("/api/v1/statuses/:id{[0-9]+}/source", tokenRequired(deps), scopeRequired(["read:statuses"]), async (c) => {
    const post = await visiblePost(c);
    if (post.account.id !== viewerOf(c).accountId) throw notFound();
    return c.json({ id: post.id, text: post.source, spoiler_text: post.summary });
  });

  api.delete("/api/v1/statuses/:id{[0-9]+}", ...writeStatuses, async (c) => {
    const viewer = viewerOf(c);
    const post = await visiblePost(c);
    if (post.account.id !== viewer.accountId || post.reblog) throw notFound();
    const entity = await serializeStatus(sql, origin, post);
    await deletePost(sql, post.id, viewer.accountId, config.dataDir);
    // Mastodon returns the deleted status with its source text, for "delete and redraft".
    return c.json({ ...entity, text: post.source });
  });

  const actions = [
    ["favourite", like, "write:favourites"], ["unfavourite", (s: typeof sql, _o: string, a: string, p: string) => unlike(s, a, p), "write:favourites"],
    ["reblog", boost, "write:statuses"], ["unreblog", (s: typeof sql, _o: string, a: string, p: string) => unboost(s, a, p), "write:statuses"],
    ["bookmark", (s: typeof sql, _o: string, a: string, p: string) => bookmark(s, a, p), "write:bookmarks"],
    ["unbookmark", (s: typeof sql, _o: string, a: string, p: string) => unbookmark(s, a, p), "write:bookmarks"],
    ["pin", (s: typeof sql, _o: string, a: string, p: string) => pin(s, a, p), "write:accounts"],
    ["unpin", (s: typeof sql, _o: string, a: string, p: string) => unpin(s, a, p), "write:accounts"],
  ] as const;
  for (const [name, action, scope] of actions) {
    api.post(`/api/v1/statuses/:id{[0-9]+}/${name}`, tokenRequired(deps), scopeRequired([scope]), async (c) => {
      const viewer = viewerOf(c);
      const result = await action(sql, origin, viewer.accountId, c.req.param("id"));
      // reblog answers with the boost (wrapping the original); the others with the post itself.
      if (name === "reblog") {
        const boostId = await boostIdOf(sql, viewer.accountId, result.id);
        const b = boostId ? await loadPost(sql, boostId, localViewer(viewer.accountId)) : null;
        if (b) return json(c, b);
      }
      return json(c, result);
    });
  }

  for (const [path, list] of [["favourited_by", likedBy], ["reblogged_by", boostedBy]] as const) {
    // Mastodon asks read:accounts here (the answer is a list of accounts), like the followers lists.
    api.get(`/api/v1/statuses/:id{[0-9]+}/${path}`, tokenOptional(deps), scopeRequired(["read:accounts"]), async (c) => {
      const post = await visiblePost(c); // a post the viewer may not read: 404
      const p = parse(INTERACTIONS_PAGE, queryParams(c));
      const page = await list(sql, post.id, viewerFor(c), { limit: p.limit, maxId: p.max_id, minId: p.min_id });
      const items = pageItems(c, origin, p, page.items, (i) => i.cursor);
      return c.json(await serializeAccounts(sql, origin, items, { scope: scopeOf(c) }));
    });
  }

  api.get("/api/v1/accounts/:id{[0-9]+}/statuses", ...readStatuses, async (c) => {
    const account = await findAccountById(sql, c.req.param("id"));
    if (!account) throw notFound();
    const p = parse(accountStatusesSchema, queryParams(c));
    const viewer = viewerFor(c);
    const page = await accountTimeline(sql, viewer, account.id, {
      limit: p.limit, maxId: p.max_id, minId: p.min_id, sinceId: p.since_id, excludeReplies: p.exclude_replies,
      excludeReblogs: p.exclude_reblogs, onlyMedia: p.only_media, pinned: p.pinned, tagged: p.tagged,
    });
    setPageLinks(c, origin, page, p.limit);
    return c.json(await serializeStatuses(sql, origin, page.items, { viewer, context: "account" }));
  });

  for (const [path, list, scope] of [["favourites", favouritesOf, "read:favourites"], ["bookmarks", bookmarksOf, "read:bookmarks"]] as const) {
    api.get(`/api/v1/${path}`, tokenRequired(deps), scopeRequired([scope]), async (c) => {
      const p = parse(pageSchema(20, 40), queryParams(c));
      const page = await list(sql, viewerOf(c).accountId, { limit: p.limit, maxId: p.max_id, minId: p.min_id, sinceId: p.since_id });
      setPageLinks(c, origin, page, p.limit);
      return c.json(await serializeStatuses(sql, origin, page.items));
    });
  }
}
