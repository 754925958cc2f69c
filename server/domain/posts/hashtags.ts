// Hashtags: following topics (their posts join the home timeline, timelines.ts) and looking them up.
//
//   normaliseTag(input) → "tag" | null
//   followTag(db, accountId, tag) / unfollowTag(db, accountId, tag) → TagInfo
//   followedTags(db, accountId) → TagInfo[]
//   tagInfo(db, tag, viewer) → TagInfo (uses of the last 7 days in posts the viewer may read, whether they follow it)
//   searchTags(db, prefix, limit, viewer) → tags used in at least one post the viewer may read
//   popularTags(db, viewer, opts) → the week's most used tags in what the viewer may read
// Counts and search go through the visibility predicate: a hashtag used only in a direct message is no one else's
// business (issue #8 point 30).
import type { Db } from "../../db/pool.ts";
import { localViewer, type Viewer, viewerAccountId, visibleTo } from "../audience/visibility.ts";
import { DomainError } from "../errors.ts";

export interface TagInfo { name: string; following: boolean; history: { day: Date; uses: number; accounts: number }[] }

export function normaliseTag(input: string): string | null {
  const t = input.trim().replace(/^#/, "").toLowerCase();
  return /^[\p{L}\p{N}_]{1,100}$/u.test(t) && /[\p{L}_]/u.test(t) ? t : null;
}

function required(tag: string): string {
  const t = normaliseTag(tag);
  if (!t) throw new DomainError("not_found", 404, "no such hashtag");
  return t;
}

export async function followTag(db: Db, accountId: string, tag: string): Promise<TagInfo> {
  const t = required(tag);
  await db`INSERT INTO tag_follows (account_id, tag) VALUES (${accountId}, ${t}) ON CONFLICT DO NOTHING`;
  return await tagInfo(db, t, localViewer(accountId));
}

export async function unfollowTag(db: Db, accountId: string, tag: string): Promise<TagInfo> {
  const t = required(tag);
  await db`DELETE FROM tag_follows WHERE account_id = ${accountId} AND tag = ${t}`;
  return await tagInfo(db, t, localViewer(accountId));
}

export async function followedTags(db: Db, accountId: string): Promise<TagInfo[]> {
  const rows = await db`SELECT tag FROM tag_follows WHERE account_id = ${accountId} ORDER BY tag`;
  return await Promise.all(rows.map((r) => tagInfo(db, r.tag as string, localViewer(accountId))));
}

/** Daily uses over the last week, counted over the posts `viewer` may read. */
export async function tagInfo(db: Db, tag: string, viewer: Viewer): Promise<TagInfo> {
  const t = required(tag);
  const accountId = viewerAccountId(viewer);
  const rows = await db`SELECT d.day, count(p.id)::int AS uses, count(DISTINCT p.account_id)::int AS accounts
    FROM generate_series(date_trunc('day', now()) - interval '6 days', date_trunc('day', now()), interval '1 day') AS d(day)
    LEFT JOIN post_tags pt ON pt.tag = ${t}
      AND pt.post_id >= coalesce((SELECT min(id) FROM posts WHERE created_at >= now() - interval '8 days'), 0)
    LEFT JOIN posts p ON p.id = pt.post_id AND ${visibleTo(db, viewer)}
      AND p.created_at >= d.day AND p.created_at < d.day + interval '1 day'
    GROUP BY d.day ORDER BY d.day DESC`;
  const following = accountId
    ? (await db`SELECT 1 FROM tag_follows WHERE account_id = ${accountId} AND tag = ${t}`).length > 0
    : false;
  return { name: t, following, history: rows.map((r) => ({ day: r.day, uses: r.uses, accounts: r.accounts })) };
}

export async function searchTags(db: Db, prefix: string, limit: number, viewer: Viewer): Promise<string[]> {
  const t = normaliseTag(prefix);
  if (!t) return [];
  const like = `${t.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await db`SELECT tag FROM (SELECT DISTINCT tag FROM post_tags WHERE tag LIKE ${like} ESCAPE '\\' LIMIT 1000) x
    WHERE EXISTS (SELECT 1 FROM post_tags pt JOIN posts p ON p.id = pt.post_id WHERE pt.tag = x.tag AND ${visibleTo(db, viewer)})
    ORDER BY tag = ${t} DESC, length(tag), tag LIMIT ${limit}`;
  return rows.map((r) => r.tag as string);
}

/**
 * The hashtags most used over the last `days` days in posts `viewer` may read (visibility.ts: a followers-only or
 * direct post's tags count only for its readers), by how many people used them, then how often.
 */
export async function popularTags(db: Db, viewer: Viewer, opts: { days?: number; limit?: number } = {}): Promise<{ name: string; accounts: number; uses: number }[]> {
  const days = Math.min(Math.max(opts.days ?? 7, 1), 30);
  const limit = Math.min(Math.max(opts.limit ?? 8, 1), 40);
  // Walks the week's posts by id (the newest id before the window bounds the scan) rather than every tag ever used.
  const rows = await db`SELECT pt.tag, count(DISTINCT p.account_id)::int AS accounts, count(*)::int AS uses
    FROM posts p JOIN post_tags pt ON pt.post_id = p.id
    WHERE p.id >= coalesce((SELECT min(id) FROM posts WHERE created_at >= now() - make_interval(days => ${days})), 0)
      AND p.created_at >= now() - make_interval(days => ${days}) AND p.reblog_of_id IS NULL AND ${visibleTo(db, viewer)}
    GROUP BY pt.tag ORDER BY accounts DESC, uses DESC, pt.tag LIMIT ${limit}`;
  return rows.map((r) => ({ name: r.tag as string, accounts: r.accounts as number, uses: r.uses as number }));
}
