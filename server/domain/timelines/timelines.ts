// Timelines, computed when read (fan-out-on-read): no per-user feed to maintain, so a follow, a mute or a hashtag
// follow takes effect on the next read. Keyset pagination on post ids (max_id/min_id/since_id, newest first).
// Mutes (people and words) are anti-joins inside each index probe, so they cost per probe, not per mute set
// (mastodon#33765); both conditions come from mutes.ts, the one matcher (threads and notifications use it too).
// bench/timeline.ts measures the home timeline at 1M posts / 10k users.
//
//   homeTimeline(db, viewerId, page)                      people followed + own posts + followed hashtags (home-timeline.ts)
//   localTimeline(db, viewer, page)                       this instance (public, internal, local)
//   groupTimeline(db, viewer, siblingOrigins, page)       this instance + siblings (public, internal)
//   remotePublicTimeline(db, viewer, siblingOrigins, page) public posts from outside the group (open mode)
//   hashtagTimeline(db, viewer, tag, page)
//   accountTimeline(db, viewer, accountId, page & { excludeReplies, excludeReblogs, onlyMedia, pinned })
//   threadContext(db, viewer, postId) → { ancestors, descendants }
//   bookmarksOf(db, accountId, page) / favouritesOf(db, accountId, page)
//   onlyPost(postId) → page options that select that one post: the streaming API asks each subscriber's timeline
//   whether a new post belongs there, so a stream shows exactly what the timeline would (visibility, mutes, scopes)
// Every function returns PostViews the viewer may read (visibility.ts) and cursors for the next/previous page.
import type { Db } from "../../db/pool.ts";
import { homeTimelineIds } from "./home-timeline.ts";
import { notHiddenAccount, notWordMuted, wordMuteRegex } from "./mutes.ts";
import { loadPosts, type PostView } from "../posts/post-views.ts";
import { type Viewer, viewerAccountId, visibleTo } from "../audience/visibility.ts";
import { keysetCursors } from "../keyset.ts";

export interface PageOpts { limit?: number; maxId?: string; minId?: string; sinceId?: string }
export interface TimelinePage { items: PostView[]; nextMaxId: string | null; prevMinId: string | null }

const idRe = /^\d{1,18}$/;

/** A page holding `postId` alone when the timeline has it for the viewer, else empty (no other post can fit). */
export function onlyPost(postId: string): PageOpts {
  const id = BigInt(postId);
  return { limit: 1, maxId: String(id + 1n), sinceId: String(id - 1n) };
}

function normalise(opts: PageOpts) {
  return {
    limit: Math.min(Math.max(opts.limit ?? 20, 1), 40),
    maxId: opts.maxId && idRe.test(opts.maxId) ? opts.maxId : null,
    minId: opts.minId && idRe.test(opts.minId) ? opts.minId : null,
    sinceId: opts.sinceId && idRe.test(opts.sinceId) ? opts.sinceId : null,
  };
}
type Page = ReturnType<typeof normalise>;

function bounds(db: Db, col: string, p: Page) {
  const c = db.unsafe(col);
  const lower = p.minId ?? p.sinceId;
  return db`${p.maxId ? db`AND ${c} < ${p.maxId}` : db``} ${lower ? db`AND ${c} > ${lower}` : db``}`;
}

function order(db: Db, col: string, p: Page) {
  return db`ORDER BY ${db.unsafe(col)} ${p.minId ? db`ASC` : db`DESC`}`;
}

async function finish(db: Db, viewer: Viewer, ids: string[], p: Page): Promise<TimelinePage> {
  if (p.minId) ids.reverse();
  return { items: await loadPosts(db, ids, viewer), ...keysetCursors(ids, p.limit, (id) => id) };
}

const ids = (rows: readonly Record<string, unknown>[]) => rows.map((r) => String(r.id));

export async function homeTimeline(db: Db, viewerId: string, opts: PageOpts = {}): Promise<TimelinePage> {
  const p = normalise(opts);
  const { ids, scannedTo } = await homeTimelineIds(db, viewerId, p);
  const page = await finish(db, { kind: "local", accountId: viewerId }, ids, p);
  // A page cut short by muted words still has a next page (from where the scan stopped).
  if (scannedTo && !p.minId) page.nextMaxId = scannedTo;
  return page;
}

async function wordsOf(db: Db, viewer: Viewer): Promise<string | null> {
  const id = viewerAccountId(viewer);
  return id ? await wordMuteRegex(db, id) : null;
}

/** This instance's own posts: public, internal and local for employees; public only for anonymous readers. */
export async function localTimeline(db: Db, viewer: Viewer, opts: PageOpts = {}): Promise<TimelinePage> {
  const p = normalise(opts);
  const scopes = viewer.kind === "local" ? ["public", "internal", "local"] : ["public"];
  const rows = await db`SELECT p.id::text FROM posts p
    WHERE p.local AND p.reblog_of_id IS NULL AND p.visibility = ANY(${scopes}) ${bounds(db, "p.id", p)}
      ${notHiddenAccount(db, viewerAccountId(viewer))} ${notWordMuted(db, await wordsOf(db, viewer))}
    ${order(db, "p.id", p)} LIMIT ${p.limit}`;
  return await finish(db, viewer, ids(rows), p);
}

/** The group: this instance and its siblings, public and internal posts. */
export async function groupTimeline(db: Db, viewer: Viewer, siblingOrigins: string[], opts: PageOpts = {}): Promise<TimelinePage> {
  const p = normalise(opts);
  const scopes = viewer.kind === "local" ? ["public", "internal"] : ["public"];
  const rows = await db`SELECT p.id::text FROM posts p
    WHERE p.reblog_of_id IS NULL AND p.visibility = ANY(${scopes}) AND (p.local OR p.origin = ANY(${siblingOrigins}))
      ${bounds(db, "p.id", p)} ${notHiddenAccount(db, viewerAccountId(viewer))} ${notWordMuted(db, await wordsOf(db, viewer))}
    ${order(db, "p.id", p)} LIMIT ${p.limit}`;
  return await finish(db, viewer, ids(rows), p);
}

/** Public posts from outside the group that reached this instance (open mode). */
export async function remotePublicTimeline(db: Db, viewer: Viewer, siblingOrigins: string[], opts: PageOpts = {}): Promise<TimelinePage> {
  const p = normalise(opts);
  const rows = await db`SELECT p.id::text FROM posts p
    WHERE p.reblog_of_id IS NULL AND p.visibility = 'public' AND NOT p.local AND NOT (p.origin = ANY(${siblingOrigins}))
      ${bounds(db, "p.id", p)} ${notHiddenAccount(db, viewerAccountId(viewer))} ${notWordMuted(db, await wordsOf(db, viewer))}
    ${order(db, "p.id", p)} LIMIT ${p.limit}`;
  return await finish(db, viewer, ids(rows), p);
}

export async function hashtagTimeline(db: Db, viewer: Viewer, tag: string, opts: PageOpts & { localOnly?: boolean } = {}): Promise<TimelinePage> {
  const p = normalise(opts);
  const t = tag.trim().replace(/^#/, "").toLowerCase();
  const rows = await db`SELECT pt.post_id::text AS id FROM post_tags pt JOIN posts p ON p.id = pt.post_id
    WHERE pt.tag = ${t} ${bounds(db, "pt.post_id", p)} AND p.reblog_of_id IS NULL
      AND p.visibility NOT IN ('direct') AND ${visibleTo(db, viewer)} ${opts.localOnly ? db`AND p.local` : db``}
      ${notHiddenAccount(db, viewerAccountId(viewer))} ${notWordMuted(db, await wordsOf(db, viewer))}
    ${order(db, "pt.post_id", p)} LIMIT ${p.limit}`;
  return await finish(db, viewer, ids(rows), p);
}

export interface AccountTimelineOpts extends PageOpts { excludeReplies?: boolean; excludeReblogs?: boolean; onlyMedia?: boolean; pinned?: boolean; tagged?: string }

export async function accountTimeline(db: Db, viewer: Viewer, accountId: string, opts: AccountTimelineOpts = {}): Promise<TimelinePage> {
  const p = normalise(opts);
  if (!idRe.test(accountId)) return { items: [], nextMaxId: null, prevMinId: null };
  if (opts.pinned) {
    const rows = await db`SELECT n.post_id::text AS id FROM pins n JOIN posts p ON p.id = n.post_id
      WHERE n.account_id = ${accountId} AND ${visibleTo(db, viewer)} ORDER BY n.created_at DESC LIMIT 20`;
    return { items: await loadPosts(db, ids(rows), viewer), nextMaxId: null, prevMinId: null };
  }
  const rows = await db`SELECT p.id::text FROM posts p
    WHERE p.account_id = ${accountId} ${bounds(db, "p.id", p)} AND ${visibleTo(db, viewer)}
      ${opts.excludeReplies ? db`AND (p.in_reply_to_account_id IS NULL OR p.in_reply_to_account_id = p.account_id)` : db``}
      ${opts.excludeReblogs ? db`AND p.reblog_of_id IS NULL` : db``}
      ${opts.onlyMedia ? db`AND EXISTS (SELECT 1 FROM attachments t WHERE t.post_id = p.id)` : db``}
      ${opts.tagged ? db`AND EXISTS (SELECT 1 FROM post_tags pt WHERE pt.post_id = p.id AND pt.tag = ${opts.tagged.toLowerCase()})` : db``}
    ${order(db, "p.id", p)} LIMIT ${p.limit}`;
  return await finish(db, viewer, ids(rows), p);
}

/** The thread around a post: what it answers (oldest first) and the answers below it (in reply order). */
export async function threadContext(db: Db, viewer: Viewer, postId: string): Promise<{ ancestors: PostView[]; descendants: PostView[] } | null> {
  if (!idRe.test(postId)) return null;
  const [root] = await db`SELECT p.id FROM posts p WHERE p.id = ${postId} AND ${visibleTo(db, viewer)}`;
  if (!root) return null;
  const up = await db`WITH RECURSIVE a AS (
      SELECT in_reply_to_id AS id, 1 AS depth FROM posts WHERE id = ${postId} AND in_reply_to_id IS NOT NULL
      UNION ALL SELECT p.in_reply_to_id, a.depth + 1 FROM posts p JOIN a ON p.id = a.id
      WHERE p.in_reply_to_id IS NOT NULL AND a.depth < 40)
    SELECT id::text, depth FROM a ORDER BY depth DESC`;
  // Replies by muted or blocked people or with muted words are left out (their own replies stay), with the timelines' test.
  const down = await db`WITH RECURSIVE d AS (
      SELECT id, 1 AS depth FROM posts WHERE in_reply_to_id = ${postId}
      UNION ALL SELECT p.id, d.depth + 1 FROM posts p JOIN d ON p.in_reply_to_id = d.id WHERE d.depth < 40)
    SELECT p.id::text FROM d JOIN posts p ON p.id = d.id
    WHERE true ${notHiddenAccount(db, viewerAccountId(viewer))} ${notWordMuted(db, await wordsOf(db, viewer))}
    ORDER BY p.id LIMIT 500`;
  const descendants = await loadPosts(db, ids(down), viewer);
  return { ancestors: await loadPosts(db, ids(up), viewer), descendants };
}

async function listBy(db: Db, table: "bookmarks" | "likes", accountId: string, opts: PageOpts): Promise<TimelinePage> {
  const p = normalise(opts);
  const rows = await db`SELECT x.id::text AS cursor, x.post_id::text AS id FROM ${db(table)} x
    WHERE x.account_id = ${accountId} ${bounds(db, "x.id", p)} ${order(db, "x.id", p)} LIMIT ${p.limit}`;
  if (p.minId) rows.reverse();
  const items = await loadPosts(db, ids(rows), { kind: "local", accountId });
  return { items, ...keysetCursors(rows, p.limit, (r) => String(r.cursor)) };
}

export const bookmarksOf = (db: Db, accountId: string, opts: PageOpts = {}) => listBy(db, "bookmarks", accountId, opts);
export const favouritesOf = (db: Db, accountId: string, opts: PageOpts = {}) => listBy(db, "likes", accountId, opts);
