// /api/v1/timelines/{home,public,tag/:hashtag}, followed hashtags (/api/v1/tags/*, /api/v1/followed_tags) and
// muted accounts (/api/v1/accounts/:id/mute|unmute, /api/v1/mutes) and muted words (/api/v1/filters).
// `public` maps to our timelines: local=true → this instance; remote=true → public posts from outside the group;
// neither → the group-wide timeline (this instance and its siblings).
import type { Hono } from "hono";
import { z } from "zod";
import { findAccountById } from "../../domain/accounts/accounts.ts";
import { followedTags, followTag, tagInfo, type TagInfo, unfollowTag } from "../../domain/posts/hashtags.ts";
import { listWordMutes, mutedAccountsPage, muteAccount, muteWord, unmuteAccount, unmuteWord, type WordMute } from "../../domain/timelines/mutes.ts";
import { relationships } from "../../domain/follows/follows.ts";
import { groupTimeline, hashtagTimeline, homeTimeline, localTimeline, remotePublicTimeline } from "../../domain/timelines/timelines.ts";
import type { RouteDeps } from "../deps.ts";
import { type ApiEnv, scopeRequired, tokenOptional, tokenRequired, viewerOf } from "./auth.ts";
import { notFound } from "./errors.ts";
import { bodyParams, boolParam, pageItems, pageSchema, parse, queryParams } from "./params.ts";
import { relationshipEntity, serializeAccounts } from "./serializers.ts";
import { serializeStatuses, setPageLinks } from "./status-serializer.ts";
import { viewerFor } from "./statuses.ts";
import { scopeOf } from "./accounts.ts";

const TIMELINE_PAGE = pageSchema(20, 40);
const MUTES_PAGE = pageSchema(40, 80);
const publicSchema = TIMELINE_PAGE.extend({ local: boolParam, remote: boolParam, only_media: boolParam });

export function tagEntity(origin: string, t: TagInfo) {
  return {
    name: t.name, url: `${origin}/tags/${encodeURIComponent(t.name)}`, following: t.following,
    history: t.history.map((h) => ({ day: String(Math.floor(h.day.getTime() / 1000)), uses: String(h.uses), accounts: String(h.accounts) })),
  };
}

export function registerTimelines(api: Hono<ApiEnv>, deps: RouteDeps): void {
  const { sql, config } = deps;
  const origin = config.origin;
  const siblings = () => deps.data.siblings.list();

  api.get("/api/v1/timelines/home", tokenRequired(deps), scopeRequired(["read:statuses"]), async (c) => {
    const p = parse(TIMELINE_PAGE, queryParams(c));
    const page = await homeTimeline(sql, viewerOf(c).accountId, { limit: p.limit, maxId: p.max_id, minId: p.min_id, sinceId: p.since_id });
    setPageLinks(c, origin, page, p.limit);
    return c.json(await serializeStatuses(sql, origin, page.items));
  });

  api.get("/api/v1/timelines/public", tokenOptional(deps), scopeRequired(["read:statuses"]), async (c) => {
    const p = parse(publicSchema, queryParams(c));
    const opts = { limit: p.limit, maxId: p.max_id, minId: p.min_id, sinceId: p.since_id };
    const viewer = viewerFor(c);
    const page = p.local ? await localTimeline(sql, viewer, opts)
      : p.remote ? await remotePublicTimeline(sql, viewer, siblings(), opts)
      : await groupTimeline(sql, viewer, siblings(), opts);
    setPageLinks(c, origin, page, p.limit);
    const items = p.only_media ? page.items.filter((i) => i.media.length > 0) : page.items;
    return c.json(await serializeStatuses(sql, origin, items));
  });

  api.get("/api/v1/timelines/tag/:hashtag", tokenOptional(deps), scopeRequired(["read:statuses"]), async (c) => {
    const p = parse(publicSchema, queryParams(c));
    const page = await hashtagTimeline(sql, viewerFor(c), c.req.param("hashtag"), {
      limit: p.limit, maxId: p.max_id, minId: p.min_id, sinceId: p.since_id, localOnly: p.local,
    });
    setPageLinks(c, origin, page, p.limit);
    return c.json(await serializeStatuses(sql, origin, page.items));
  });

  api.get("/api/v1/tags/:name", tokenOptional(deps), scopeRequired(["read:follows", "read"]), async (c) => {
    return c.json(tagEntity(origin, await tagInfo(sql, c.req.param("name"), viewerFor(c))));
  });
  api.post("/api/v1/tags/:name/follow", tokenRequired(deps), scopeRequired(["write:follows", "follow"]), async (c) => {
    return c.json(tagEntity(origin, await followTag(sql, viewerOf(c).accountId, c.req.param("name"))));
  });
  api.post("/api/v1/tags/:name/unfollow", tokenRequired(deps), scopeRequired(["write:follows", "follow"]), async (c) => {
    return c.json(tagEntity(origin, await unfollowTag(sql, viewerOf(c).accountId, c.req.param("name"))));
  });
  api.get("/api/v1/followed_tags", tokenRequired(deps), scopeRequired(["read:follows", "follow"]), async (c) => {
    return c.json((await followedTags(sql, viewerOf(c).accountId)).map((t) => tagEntity(origin, t)));
  });

  const muteSchema = z.object({ notifications: boolParam, duration: z.coerce.number().int().min(0).max(31_536_000).optional() });
  api.post("/api/v1/accounts/:id{[0-9]+}/mute", tokenRequired(deps), scopeRequired(["write:mutes", "follow"]), async (c) => {
    const viewer = viewerOf(c);
    const target = await findAccountById(sql, c.req.param("id"));
    if (!target) throw notFound();
    const p = parse(muteSchema, await bodyParams(c));
    await muteAccount(sql, viewer.accountId, target.id, { notifications: p.notifications, durationSeconds: p.duration });
    const [r] = await relationships(sql, viewer.accountId, [target.id]);
    return c.json({ ...relationshipEntity(r), muting: true, muting_notifications: p.notifications ?? true });
  });
  api.post("/api/v1/accounts/:id{[0-9]+}/unmute", tokenRequired(deps), scopeRequired(["write:mutes", "follow"]), async (c) => {
    const viewer = viewerOf(c);
    const target = await findAccountById(sql, c.req.param("id"));
    if (!target) throw notFound();
    await unmuteAccount(sql, viewer.accountId, target.id);
    const [r] = await relationships(sql, viewer.accountId, [target.id]);
    return c.json(relationshipEntity(r));
  });
  api.get("/api/v1/mutes", tokenRequired(deps), scopeRequired(["read:mutes", "follow"]), async (c) => {
    const p = parse(MUTES_PAGE, queryParams(c));
    const page = await mutedAccountsPage(sql, viewerOf(c).accountId, { limit: p.limit, maxId: p.max_id, minId: p.min_id });
    return c.json(await serializeAccounts(sql, origin, pageItems(c, origin, p, page.items, (i) => i.muteId), { scope: scopeOf(c) }));
  });

  // Muted words through Mastodon's v1 filters (phrase + whole_word; they apply to every context, and hide rather
  // than warn — what our word mutes do).
  const filterEntity = (w: WordMute) => ({
    id: w.id, phrase: w.phrase, context: ["home", "notifications", "public", "thread", "account"], whole_word: w.wholeWord,
    expires_at: w.expiresAt?.toISOString() ?? null, irreversible: true,
  });
  const filterSchema = z.object({
    phrase: z.string().trim().min(1).max(200), whole_word: boolParam,
    expires_in: z.union([z.literal(""), z.coerce.number().int().positive().max(10 * 365 * 86_400)]).optional(),
  });
  api.get("/api/v1/filters", tokenRequired(deps), scopeRequired(["read:filters"]), async (c) => {
    return c.json((await listWordMutes(sql, viewerOf(c).accountId)).map(filterEntity));
  });
  api.post("/api/v1/filters", tokenRequired(deps), scopeRequired(["write:filters"]), async (c) => {
    const p = parse(filterSchema, await bodyParams(c));
    const durationSeconds = typeof p.expires_in === "number" ? p.expires_in : undefined;
    return c.json(filterEntity(await muteWord(sql, viewerOf(c).accountId, p.phrase, { wholeWord: p.whole_word ?? true, durationSeconds })));
  });
  api.delete("/api/v1/filters/:id{[0-9]+}", tokenRequired(deps), scopeRequired(["write:filters"]), async (c) => {
    await unmuteWord(sql, viewerOf(c).accountId, c.req.param("id"));
    return c.json({});
  });
}
