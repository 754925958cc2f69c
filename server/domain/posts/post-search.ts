// Searching posts (GET /api/v2/search type=statuses): a post's URL or IRI finds that post; words find posts by
// full-text search (migration 0034: French and English stems, accents ignored; search/text-query.ts), newest first
// so that min_id/max_id pages are stable. Only posts the viewer may read are returned — the audience rule's
// predicate is inside the query (visibility.ts), so a page never holds, nor skips for, an unreadable post — boosts
// excluded. Replaces the ILIKE scan.
import type { Db } from "../../db/pool.ts";
import { loadPosts, type PostView } from "./post-views.ts";
import { type Viewer, visibleTo } from "../audience/visibility.ts";
import { planned, type TextQuery, textQuery } from "../search/text-query.ts";

const SPARSE = 500;

/**
 * Runs a posts query by text so that it reads the right index. For a common word, walking the newest posts finds a
 * page of matches at once; for a rare one (or none) that walk reads every post (2 s at 300,000, bench/search.ts),
 * and the planner cannot tell them apart when the word is missing from its statistics (it guessed 2,696 matches
 * for a word in none). So the matches are counted first, up to SPARSE, from the GIN index alone; under SPARSE the
 * query is planned with the GIN index as its only way in (bitmap scans, then a sort of those few rows). The
 * settings are local to the caller's transaction (search/text-query.ts planned) and put back before returning, so
 * run nothing else on that transaction meanwhile.
 */
export async function byTextIndex<T>(db: Db, tq: TextQuery, fn: () => Promise<T>): Promise<T> {
  const ginOnly = async <R>(run: () => Promise<R>): Promise<R> => {
    await db`SELECT set_config('enable_indexscan', 'off', true), set_config('enable_seqscan', 'off', true)`;
    try {
      return await run();
    } finally {
      await db`SELECT set_config('enable_indexscan', 'on', true), set_config('enable_seqscan', 'on', true)`;
    }
  };
  const [{ n }] = await ginOnly(() => db`SELECT count(*)::int AS n FROM (SELECT 1 FROM posts p
    WHERE p.reblog_of_id IS NULL AND p.search @@ ${tq.sql} LIMIT ${SPARSE}) x`);
  return n < SPARSE ? await ginOnly(fn) : await fn();
}

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
  const rows = await byTextIndex(db, tq, () => db`SELECT p.id::text FROM posts p
    WHERE p.reblog_of_id IS NULL AND p.search @@ ${tq.sql} AND ${visibleTo(db, viewer)}
      ${opts.accountId ? db`AND p.account_id = ${opts.accountId}` : db``}
      ${opts.maxId ? db`AND p.id < ${opts.maxId}` : db``}
      ${opts.minId ? db`AND p.id > ${opts.minId}` : db``}
    ORDER BY p.id ${upwards ? db`ASC` : db`DESC`} LIMIT ${opts.limit} OFFSET ${opts.offset}`.execute());
  const ids = rows.map((r) => r.id as string);
  return await loadPosts(db, upwards ? ids.reverse() : ids, viewer);
}
