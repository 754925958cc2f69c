// Searching posts: a post's URL or IRI finds that post; words find posts containing them (newest first). Only
// posts the viewer may read are returned (visibility.ts), boosts excluded. A plain ILIKE scan walking the id
// index backwards: fine for an instance's size today; a full-text index is the next step if it grows.
import type { Db } from "../../db/pool.ts";
import { escapeLike } from "../accounts/account-search.ts";
import { loadPosts, type PostView } from "./post-views.ts";
import { type Viewer, visibleTo } from "../audience/visibility.ts";

export async function searchPosts(db: Db, viewer: Viewer, query: string, opts: { limit: number; offset: number }): Promise<PostView[]> {
  const q = query.trim();
  if (!q) return [];
  if (/^https?:\/\//i.test(q)) {
    const rows = await db`SELECT p.id::text FROM posts p WHERE (p.iri = ${q} OR p.url = ${q}) AND p.reblog_of_id IS NULL
      AND ${visibleTo(db, viewer)} LIMIT 1`;
    return await loadPosts(db, rows.map((r) => r.id as string), viewer);
  }
  const words = q.split(/\s+/).filter(Boolean).slice(0, 8).map((w) => `%${escapeLike(w)}%`);
  const rows = await db`SELECT p.id::text FROM posts p
    WHERE p.reblog_of_id IS NULL AND p.content_text ILIKE ALL(${words}) AND ${visibleTo(db, viewer)}
    ORDER BY p.id DESC LIMIT ${opts.limit} OFFSET ${opts.offset}`;
  return await loadPosts(db, rows.map((r) => r.id as string), viewer);
}
