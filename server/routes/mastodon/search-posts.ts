// The statuses and hashtags halves of GET /api/v2/search (search.ts does accounts). Statuses need a signed-in
// viewer, as on Mastodon; every result passes the visibility predicate.
import type { Db } from "../../db/pool.ts";
import { searchTags, tagInfo } from "../../domain/posts/hashtags.ts";
import { searchPosts } from "../../domain/posts/post-search.ts";
import { ANONYMOUS, localViewer } from "../../domain/audience/visibility.ts";
import { serializeStatuses } from "./status-serializer.ts";
import { tagEntity } from "./timelines.ts";

export async function searchStatusesAndHashtags(db: Db, origin: string, viewerId: string | null,
  p: { q: string; type?: string; limit: number; offset?: number; account_id?: string; min_id?: string; max_id?: string }): Promise<{ statuses: unknown[]; hashtags: unknown[] }> {
  const offset = p.offset ?? 0;
  const viewer = viewerId ? localViewer(viewerId) : ANONYMOUS;
  const statuses = viewerId && (!p.type || p.type === "statuses")
    ? await serializeStatuses(db, origin, await searchPosts(db, viewer, p.q, {
      limit: p.limit, offset, accountId: p.account_id, minId: p.min_id, maxId: p.max_id,
    }))
    : [];
  // Only hashtags of posts the viewer may read, counted over those posts (issue #8 point 30).
  const hashtags = (!p.type || p.type === "hashtags") && !/^https?:\/\//i.test(p.q)
    ? await Promise.all((await searchTags(db, p.q, p.limit, viewer)).map(async (t) => tagEntity(origin, await tagInfo(db, t, viewer))))
    : [];
  return { statuses, hashtags };
}
