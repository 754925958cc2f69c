// Searching posts (GET /api/v2/search type=statuses): a post's URL or IRI finds that post; words find posts by
// full-text search (migration 0034: French and English stems, accents ignored; search/text-query.ts), newest first
// so that min_id/max_id pages are stable. Only posts the viewer may read are returned — the audience rule's
// predicate is inside the query (visibility.ts), so a page never holds, nor skips for, an unreadable post — boosts
// excluded. Replaces the ILIKE scan.
import type { Db } from "../../db/pool.ts";
import { loadPosts, type PostView } from "./post-views.ts";
import { type Viewer, visibleTo } from "../audience/visibility.ts";
import { planned, type TextQuery, textQuery } from "../search/text-query.ts";

export interface PostSearchOptions { limit: number; offset: number; accountId?: string; minId?: string; maxId?: string }

export async function searchPosts(db: Db, viewer: Viewer, query: string, opts: PostSearchOptions): Promise<PostView[]> {
  const q = query.trim();
  if (!q) return [];
  if (/^https?:\/\//i.test(q)) {
    const rows = await db`SELECT p.id::text FROM posts p WHERE (p.iri = ${q} OR p.url = ${q}) AND p.reblog_of_id IS NULL
      AND ${visibleTo(db, viewer)} LIMIT 1`;
    return await loadPosts(db, rows.map((r) => r.id as string), viewer);
  }
  return await planned(db, async (tx) => {
    const tq = await textQuery(tx, q);
    if (!tq) return [];
    return await byText(tx, viewer, tq, opts);
  });
}

async function byText(db: Db, viewer: Viewer, tq: TextQuery, opts: PostSearchOptions): Promise<PostView[]> {
  // min_id alone: the page just above it (Mastodon's meaning), read upwards and shown newest first.
  const upwards = opts.minId != null && opts.maxId == null;
  const rows = await db`SELECT p.id::text FROM posts p
    WHERE p.reblog_of_id IS NULL AND p.search @@ ${tq.sql} AND ${visibleTo(db, viewer)}
      ${opts.accountId ? db`AND p.account_id = ${opts.accountId}` : db``}
      ${opts.maxId ? db`AND p.id < ${opts.maxId}` : db``}
      ${opts.minId ? db`AND p.id > ${opts.minId}` : db``}
    ORDER BY p.id ${upwards ? db`ASC` : db`DESC`} LIMIT ${opts.limit} OFFSET ${opts.offset}`;
  const ids = rows.map((r) => r.id as string);
  return await loadPosts(db, upwards ? ids.reverse() : ids, viewer);
}
