// Reading posts: one hydrated shape (PostView) for the API serialisers, the pages and the ActivityPub mappers,
// loaded for a whole page at once (a handful of queries whatever the page size — no per-post N+1).
//
//   loadPosts(db, ids, viewer)  → PostView[] in the order of `ids`, leaving out what the viewer may not read
//   loadPost(db, id, viewer)    → PostView | null
import type { Db } from "../../db/pool.ts";
import { type Account, accountColumns, toAccount } from "../accounts/accounts.ts";
import { type Viewer, type Visibility, viewerAccountId, visibleTo } from "../audience/visibility.ts";
import { loadPolls, type PollView } from "../polls/poll-views.ts";
import { type EventView, loadEvents } from "../events/event-views.ts";

export interface Attachment {
  id: string;
  url: string;
  remote: boolean;
  contentType: string;
  description: string;
  width: number | null;
  height: number | null;
}

export interface MentionRef { id: string; username: string; domain: string | null; url: string | null; iri: string }

export interface PostView {
  id: string;
  iri: string;
  url: string | null;
  account: Account;
  local: boolean;
  visibility: Visibility;
  /** The group the post is made in (its account id and actor IRI), if any. */
  group: { id: string; iri: string } | null;
  inReplyToId: string | null;
  inReplyToIri: string | null;
  inReplyToAccountId: string | null;
  source: string;
  sourceType: "text/plain" | "text/markdown";
  contentHtml: string;
  contentText: string;
  summary: string;
  sensitive: boolean;
  language: string | null;
  createdAt: Date;
  editedAt: Date | null;
  media: Attachment[];
  mentions: MentionRef[];
  tags: string[];
  counts: { replies: number; likes: number; boosts: number };
  /** The post's poll (issue #11), with the viewer's own votes. */
  poll: PollView | null;
  /** The event the post carries (issue #12). */
  event?: EventView | null;
  /** The viewer's own relation to the post (null for anonymous and remote viewers). */
  viewer: { liked: boolean; boosted: boolean; bookmarked: boolean; pinned: boolean } | null;
  /** For a boost: the boosted post (this row then has no content of its own). */
  reblog: PostView | null;
  /** Sent as urgent by someone with the role: it bypassed its recipients' quiet time (issue #15, quiet/urgent.ts). */
  urgent?: boolean;
}

type Row = Record<string, unknown>;

function postColumns(db: Db) {
  return db.unsafe(`p.id::text AS post_id, p.iri AS post_iri, p.url AS post_url, p.local AS post_local, p.visibility,
    p.in_reply_to_id::text AS in_reply_to_id, p.in_reply_to_iri, p.in_reply_to_account_id::text AS in_reply_to_account_id,
    p.reblog_of_id::text AS reblog_of_id, p.source, p.source_type, p.content_html, p.content_text, p.summary, p.sensitive,
    p.language, p.created_at AS post_created_at, p.edited_at, p.group_id::text AS group_id,
    (SELECT g.iri FROM accounts g WHERE g.id = p.group_id) AS group_iri,
    EXISTS (SELECT 1 FROM urgent_posts u WHERE u.post_id = p.id) AS post_urgent`);
}

/** The posts and, in the same query, the posts they boost. */
async function loadRows(db: Db, ids: string[], viewer: Viewer): Promise<Row[]> {
  if (ids.length === 0) return [];
  return await db`WITH wanted AS (
      SELECT unnest(${ids}::bigint[]) AS id
      UNION SELECT b.reblog_of_id FROM posts b WHERE b.id = ANY(${ids}::bigint[]) AND b.reblog_of_id IS NOT NULL)
    SELECT ${postColumns(db)}, ${accountColumns(db)} FROM wanted JOIN posts p ON p.id = wanted.id
    JOIN accounts a ON a.id = p.account_id WHERE ${visibleTo(db, viewer)}`;
}

/** Hydrates posts (and the posts they boost) for `viewer`; ids the viewer may not read are left out. */
export async function loadPosts(db: Db, ids: string[], viewer: Viewer): Promise<PostView[]> {
  const valid = [...new Set(ids.filter((id) => /^\d{1,18}$/.test(id)))];
  // A boost is shown only if its original is readable too (the original is checked like any post).
  const all = await loadRows(db, valid, viewer);
  const rows = all.filter((r) => valid.includes(r.post_id as string));
  const allIds = all.map((r) => r.post_id as string);
  const viewerId = viewerAccountId(viewer);
  // Counts and the viewer's own flags come from one pass over the page's ids.
  const [media, mentions, tags, counts, polls, events] = await Promise.all([
    db`SELECT id::text, post_id::text, url, remote, content_type, description, width, height FROM attachments
       WHERE post_id = ANY(${allIds}::bigint[]) ORDER BY post_id, position, id`,
    db`SELECT m.post_id::text, a.id::text AS id, a.username, a.domain, a.url, a.iri FROM mentions m
       JOIN accounts a ON a.id = m.account_id WHERE m.post_id = ANY(${allIds}::bigint[]) ORDER BY m.post_id, a.id`,
    db`SELECT post_id::text, tag FROM post_tags WHERE post_id = ANY(${allIds}::bigint[]) ORDER BY tag`,
    db`SELECT x.id::text AS id,
         (SELECT count(*)::int FROM posts r WHERE r.in_reply_to_id = x.id) AS replies,
         (SELECT count(*)::int FROM likes l WHERE l.post_id = x.id) AS likes,
         (SELECT count(*)::int FROM posts b WHERE b.reblog_of_id = x.id) AS boosts
         ${viewerId == null ? db`` : db`,
         EXISTS (SELECT 1 FROM likes l WHERE l.post_id = x.id AND l.account_id = ${viewerId}) AS liked,
         EXISTS (SELECT 1 FROM posts b WHERE b.reblog_of_id = x.id AND b.account_id = ${viewerId}) AS boosted,
         EXISTS (SELECT 1 FROM bookmarks k WHERE k.post_id = x.id AND k.account_id = ${viewerId}) AS bookmarked,
         EXISTS (SELECT 1 FROM pins n WHERE n.post_id = x.id AND n.account_id = ${viewerId}) AS pinned`}
       FROM unnest(${allIds}::bigint[]) AS x(id)`,
    loadPolls(db, allIds, viewerId),
    loadEvents(db, allIds),
  ]);
  const flags = viewerId == null ? [] : counts;
  const group = <T extends Row>(list: readonly T[], key: string) => {
    const m = new Map<string, T[]>();
    for (const r of list) {
      const k = r[key] as string;
      if (!m.has(k)) m.set(k, []);
      m.get(k)!.push(r);
    }
    return m;
  };
  const mediaBy = group(media, "post_id"), mentionsBy = group(mentions, "post_id"), tagsBy = group(tags, "post_id");
  const countsBy = new Map(counts.map((c) => [c.id as string, c]));
  const flagsBy = new Map((flags as Row[]).map((f) => [f.id as string, f]));

  const build = (r: Row): PostView => {
    const id = r.post_id as string;
    const c = countsBy.get(id);
    const f = flagsBy.get(id);
    return {
      id, iri: r.post_iri as string, url: (r.post_url as string) ?? null, account: toAccount(r), local: r.post_local as boolean,
      visibility: r.visibility as Visibility, group: r.group_id ? { id: r.group_id as string, iri: r.group_iri as string } : null,
      inReplyToId: (r.in_reply_to_id as string) ?? null,
      inReplyToIri: (r.in_reply_to_iri as string) ?? null, inReplyToAccountId: (r.in_reply_to_account_id as string) ?? null,
      source: r.source as string, sourceType: r.source_type as PostView["sourceType"], contentHtml: r.content_html as string,
      contentText: r.content_text as string, summary: r.summary as string, sensitive: r.sensitive as boolean,
      language: (r.language as string) ?? null, createdAt: r.post_created_at as Date, editedAt: (r.edited_at as Date) ?? null,
      media: (mediaBy.get(id) ?? []).map((m) => ({
        id: m.id as string, url: m.url as string, remote: m.remote as boolean, contentType: m.content_type as string,
        description: m.description as string, width: (m.width as number) ?? null, height: (m.height as number) ?? null,
      })),
      mentions: (mentionsBy.get(id) ?? []).map((m) => ({
        id: m.id as string, username: m.username as string, domain: (m.domain as string) ?? null, url: (m.url as string) ?? null, iri: m.iri as string,
      })),
      tags: (tagsBy.get(id) ?? []).map((t) => t.tag as string),
      urgent: Boolean(r.post_urgent),
      counts: { replies: (c?.replies as number) ?? 0, likes: (c?.likes as number) ?? 0, boosts: (c?.boosts as number) ?? 0 },
      poll: polls.get(id) ?? null,
      event: events.get(id) ?? null,
      viewer: viewerId == null ? null : {
        liked: Boolean(f?.liked), boosted: Boolean(f?.boosted), bookmarked: Boolean(f?.bookmarked), pinned: Boolean(f?.pinned),
      },
      reblog: null,
    };
  };
  const byId = new Map(all.map((r) => [r.post_id as string, build(r)]));
  const out: PostView[] = [];
  for (const id of ids) {
    const view = byId.get(id);
    if (!view) continue;
    const row = rows.find((r) => r.post_id === id)!;
    const of = row.reblog_of_id as string | null;
    if (of != null) {
      const original = byId.get(of);
      if (!original) continue;
      out.push({ ...view, reblog: original });
    } else out.push(view);
  }
  return out;
}

export async function loadPost(db: Db, id: string, viewer: Viewer): Promise<PostView | null> {
  return (await loadPosts(db, [id], viewer))[0] ?? null;
}

/** Internal: the raw row of a post, whoever asks (callers enforce visibility themselves). */
export async function postRow(db: Db, id: string): Promise<{ id: string; iri: string; accountId: string; visibility: Visibility; local: boolean; reblogOfId: string | null } | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const [r] = await db`SELECT id::text, iri, account_id::text AS account_id, visibility, local, reblog_of_id::text AS reblog_of_id FROM posts WHERE id = ${id}`;
  return r ? { id: r.id, iri: r.iri, accountId: r.account_id, visibility: r.visibility, local: r.local, reblogOfId: r.reblog_of_id ?? null } : null;
}

export async function postIdByIri(db: Db, iri: string): Promise<string | null> {
  const [r] = await db`SELECT id::text FROM posts WHERE iri = ${iri}`;
  return r ? (r.id as string) : null;
}

/** Posts (boosts included, direct messages not) and the date of the latest, per account (Mastodon's statuses_count). */
export async function postCountsFor(db: Db, accountIds: string[]): Promise<Map<string, { posts: number; lastPostAt: Date | null }>> {
  const out = new Map(accountIds.map((id) => [id, { posts: 0, lastPostAt: null as Date | null }]));
  if (accountIds.length === 0) return out;
  const rows = await db`SELECT x.id::text AS id,
      (SELECT count(*)::int FROM posts p WHERE p.account_id = x.id AND p.visibility <> 'direct') AS posts,
      (SELECT max(p.created_at) FROM posts p WHERE p.account_id = x.id AND p.visibility <> 'direct') AS last
    FROM unnest(${accountIds}::bigint[]) AS x(id)`;
  for (const r of rows) out.set(r.id, { posts: r.posts, lastPostAt: r.last ?? null });
  return out;
}
