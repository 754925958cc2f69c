// Likes, boosts, bookmarks and pins by local accounts, and the same events arriving from other servers.
// Everything is idempotent (unique constraints), so a double click or a replayed delivery changes nothing.
//
//   like(sql, origin, accountId, postId) / unlike(sql, accountId, postId)        → PostView
//   boost(sql, origin, accountId, postId) / unboost(sql, accountId, postId)      → PostView (the original)
//   bookmark / unbookmark(db, accountId, postId)                                 → PostView
//   pin / unpin(db, accountId, postId)                                           → PostView (own posts only)
//   receiveLike / receiveUndoLike / receiveAnnounce / receiveUndoAnnounce        (federation inbox)
// Every function first checks that the actor can read the post (visibility.ts): no liking what you cannot see.
import { randomUUID } from "node:crypto";
import { atomically, type Db, type Sql } from "../../db/pool.ts";
import { type Account, accountColumns, toAccount } from "../accounts/accounts.ts";
import { DomainError } from "../errors.ts";
import { notify } from "../notifications/notifications.ts";
import { enqueueOutbox } from "../outbox.ts";
import { loadPost, type PostView } from "./post-views.ts";
import { isBoostable, localViewer, type Viewer, viewerAccountId, visibleTo, type Visibility } from "../audience/visibility.ts";
import { blocksBetween } from "../blocks/blocks.ts";
import { keysetCursors } from "../keyset.ts";

async function readable(db: Db, viewer: Viewer, postId: string): Promise<{ id: string; iri: string; account_id: string; visibility: string; local: boolean; reblog_of_id: string | null }> {
  if (!/^\d{1,18}$/.test(postId)) throw new DomainError("not_found", 404, "no such post");
  const [row] = await db`SELECT p.id::text, p.iri, p.account_id::text, p.visibility, p.local, p.reblog_of_id::text
    FROM posts p WHERE p.id = ${postId} AND ${visibleTo(db, viewer)}`;
  if (!row) throw new DomainError("not_found", 404, "no such post");
  // Acting on a boost acts on the boosted post, as Mastodon does.
  if (row.reblog_of_id) return await readable(db, viewer, row.reblog_of_id);
  return row as never;
}

async function view(db: Db, accountId: string, postId: string): Promise<PostView> {
  const v = await loadPost(db, postId, localViewer(accountId));
  if (!v) throw new DomainError("not_found", 404, "no such post");
  return v;
}

export async function like(sql: Sql, origin: string, accountId: string, postId: string): Promise<PostView> {
  const id = await sql.begin(async (tx) => {
    const post = await readable(tx, localViewer(accountId), postId);
    const iri = `${origin}/ap/like/${randomUUID()}`;
    const rows = await tx`INSERT INTO likes (account_id, post_id, iri) VALUES (${accountId}, ${post.id}, ${iri})
      ON CONFLICT (account_id, post_id) DO NOTHING RETURNING id`;
    if (rows.length > 0) {
      await notify(tx, { accountId: post.account_id, type: "favourite", fromAccountId: accountId, postId: post.id });
      if (!post.local && post.visibility !== "local") await enqueueOutbox(tx, { kind: "like", likeIri: iri, accountId, postId: post.id });
    }
    return post.id;
  });
  return await view(sql, accountId, id);
}

export async function unlike(sql: Sql, accountId: string, postId: string): Promise<PostView> {
  const id = await sql.begin(async (tx) => {
    const post = await readable(tx, localViewer(accountId), postId);
    const [row] = await tx`DELETE FROM likes WHERE account_id = ${accountId} AND post_id = ${post.id} RETURNING iri`;
    if (row && !post.local) {
      await enqueueOutbox(tx, { kind: "undo-like", likeIri: row.iri, accountId, postIri: post.iri, postAuthorId: post.account_id });
    }
    return post.id;
  });
  return await view(sql, accountId, id);
}

/**
 * Boosts a post whose scope may be boosted (public, unlisted, internal, local: audience.ts isBoostable); the boost
 * keeps the original's scope, so it reaches the same readers. Followers-only and direct are refused (corpus case
 * 34: a boost must not widen the audience).
 */
export async function boost(sql: Sql, origin: string, accountId: string, postId: string): Promise<PostView> {
  const id = await sql.begin(async (tx) => {
    const post = await readable(tx, localViewer(accountId), postId);
    if (!isBoostable(post.visibility as never)) throw new DomainError("not_boostable", 422, "followers-only posts and direct messages cannot be boosted");
    const [existing] = await tx`SELECT id::text FROM posts WHERE account_id = ${accountId} AND reblog_of_id = ${post.id}`;
    if (existing) return existing.id as string;
    const [{ id }] = await tx`SELECT nextval('posts_id_seq')::text AS id`;
    await tx`INSERT INTO posts (id, iri, account_id, local, origin, visibility, reblog_of_id)
      VALUES (${id}, ${`${origin}/ap/announce/${id}`}, ${accountId}, true, ${origin}, ${post.visibility}, ${post.id})`;
    await notify(tx, { accountId: post.account_id, type: "reblog", fromAccountId: accountId, postId: post.id });
    await enqueueOutbox(tx, { kind: "announce", boostId: id });
    return id as string;
  });
  return await view(sql, accountId, id);
}

export async function unboost(sql: Sql, accountId: string, postId: string): Promise<PostView> {
  const id = await sql.begin(async (tx) => {
    const post = await readable(tx, localViewer(accountId), postId);
    const [row] = await tx`DELETE FROM posts WHERE account_id = ${accountId} AND reblog_of_id = ${post.id} RETURNING id::text, iri`;
    if (row) {
      await enqueueOutbox(tx, { kind: "undo-announce", boostId: row.id, boostIri: row.iri, accountId, postIri: post.iri, postAuthorId: post.account_id, visibility: post.visibility });
    }
    return post.id;
  });
  return await view(sql, accountId, id);
}

export async function bookmark(db: Db, accountId: string, postId: string): Promise<PostView> {
  const post = await readable(db, localViewer(accountId), postId);
  await db`INSERT INTO bookmarks (account_id, post_id) VALUES (${accountId}, ${post.id}) ON CONFLICT DO NOTHING`;
  return await view(db, accountId, post.id);
}

export async function unbookmark(db: Db, accountId: string, postId: string): Promise<PostView> {
  const post = await readable(db, localViewer(accountId), postId);
  await db`DELETE FROM bookmarks WHERE account_id = ${accountId} AND post_id = ${post.id}`;
  return await view(db, accountId, post.id);
}

export const MAX_PINS = 5;

/** Pins one of your own posts to your profile (not a direct message: the profile is seen by others). */
export async function pin(db: Db, accountId: string, postId: string): Promise<PostView> {
  const post = await readable(db, localViewer(accountId), postId);
  if (post.account_id !== accountId) throw new DomainError("not_yours", 422, "you can only pin your own posts");
  if (post.visibility === "direct") throw new DomainError("not_pinnable", 422, "direct messages cannot be pinned");
  const [{ n }] = await db`SELECT count(*)::int AS n FROM pins WHERE account_id = ${accountId}`;
  if (n >= MAX_PINS) throw new DomainError("too_many_pins", 422, `at most ${MAX_PINS} pinned posts`);
  await db`INSERT INTO pins (account_id, post_id) VALUES (${accountId}, ${post.id}) ON CONFLICT DO NOTHING`;
  return await view(db, accountId, post.id);
}

export async function unpin(db: Db, accountId: string, postId: string): Promise<PostView> {
  const post = await readable(db, localViewer(accountId), postId);
  await db`DELETE FROM pins WHERE account_id = ${accountId} AND post_id = ${post.id}`;
  return await view(db, accountId, post.id);
}

// --- From other servers (the inbox handlers authenticated the actor and checked origins) ---

/** A remote Like of one of our posts: counted only if the liker may read the post. */
export async function receiveLike(db: Db, like: { iri: string; accountId: string; postId: string; viewer: Viewer }): Promise<boolean> {
  return await atomically(db, (tx) => receiveLikeIn(tx, like));
}

async function receiveLikeIn(db: Db, like: { iri: string; accountId: string; postId: string; viewer: Viewer }): Promise<boolean> {
  const [post] = await db`SELECT p.id::text, p.account_id::text FROM posts p
    WHERE p.id = ${like.postId} AND p.reblog_of_id IS NULL AND ${visibleTo(db, like.viewer)}`;
  if (!post) return false;
  const rows = await db`INSERT INTO likes (account_id, post_id, iri) VALUES (${like.accountId}, ${post.id}, ${like.iri})
    ON CONFLICT DO NOTHING RETURNING id`;
  if (rows.length > 0) await notify(db, { accountId: post.account_id, type: "favourite", fromAccountId: like.accountId, postId: post.id });
  return rows.length > 0;
}

export async function receiveUndoLike(db: Db, accountId: string, likeIri: string | null, postId: string | null): Promise<boolean> {
  const rows = likeIri
    ? await db`DELETE FROM likes WHERE iri = ${likeIri} AND account_id = ${accountId} RETURNING id`
    : await db`DELETE FROM likes WHERE post_id = ${postId} AND account_id = ${accountId} RETURNING id`;
  return rows.length > 0;
}

/**
 * A remote boost: stored as a boost row (so it shows in timelines, with its original's scope) only when the scope
 * may be boosted and the booster may read the original — an outsider's Announce of an internal post gains nothing
 * (case 34). visibleTo applies blocks too: no boosting someone who blocked you.
 */
export async function receiveAnnounce(db: Db, a: { iri: string; accountId: string; origin: string; postId: string; createdAt: Date; viewer: Viewer }): Promise<boolean> {
  return await atomically(db, (tx) => receiveAnnounceIn(tx, a));
}

async function receiveAnnounceIn(db: Db, a: { iri: string; accountId: string; origin: string; postId: string; createdAt: Date; viewer: Viewer }): Promise<boolean> {
  const [post] = await db`SELECT p.id::text, p.account_id::text, p.visibility FROM posts p
    WHERE p.id = ${a.postId} AND p.reblog_of_id IS NULL AND ${visibleTo(db, a.viewer)}`;
  if (!post || !isBoostable(post.visibility)) return false;
  const rows = await db`INSERT INTO posts (iri, account_id, local, origin, visibility, reblog_of_id, created_at)
    VALUES (${a.iri}, ${a.accountId}, false, ${a.origin}, ${post.visibility}, ${post.id}, ${a.createdAt})
    ON CONFLICT DO NOTHING RETURNING id`;
  if (rows.length > 0) await notify(db, { accountId: post.account_id, type: "reblog", fromAccountId: a.accountId, postId: post.id });
  return rows.length > 0;
}

export async function receiveUndoAnnounce(db: Db, accountId: string, announceIri: string): Promise<boolean> {
  const rows = await db`DELETE FROM posts WHERE iri = ${announceIri} AND account_id = ${accountId} AND reblog_of_id IS NOT NULL RETURNING id`;
  return rows.length > 0;
}

/** Ids of an account's pinned posts, most recently pinned first (callers load them for a viewer). */
export async function pinnedPostIds(db: Db, accountId: string): Promise<string[]> {
  const rows = await db`SELECT post_id::text AS id FROM pins WHERE account_id = ${accountId} ORDER BY created_at DESC LIMIT 20`;
  return rows.map((r) => r.id as string);
}

/** A local boost and the post it boosts (for the Announce activity, addressed with the original's scope). */
export async function boostDetails(db: Db, boostId: string): Promise<{ iri: string; accountId: string; createdAt: Date; postIri: string; postAuthorId: string; visibility: Visibility } | null> {
  const [row] = await db`SELECT b.iri, b.account_id::text AS actor, b.created_at, o.iri AS post_iri, o.account_id::text AS author, o.visibility
    FROM posts b JOIN posts o ON o.id = b.reblog_of_id WHERE b.id = ${boostId}`;
  return row ? { iri: row.iri, accountId: row.actor, createdAt: row.created_at, postIri: row.post_iri, postAuthorId: row.author, visibility: row.visibility } : null;
}

export interface InteractionPage { items: (Account & { cursor: string })[]; nextMaxId: string | null; prevMinId: string | null }

/**
 * Accounts that liked / boosted a post, newest first, keyset-paginated on the like's (the boost's) id. Callers check
 * that the viewer may read the post first; people blocked by or blocking the viewer are left out, as blocks keep
 * two people apart everywhere (ARCHITECTURE §4).
 */
export async function likedBy(db: Db, postId: string, viewer: Viewer, opts: InteractionPageOpts = {}): Promise<InteractionPage> {
  return await interactionPage(db, viewer, opts, "l.id", db`likes l JOIN accounts a ON a.id = l.account_id WHERE l.post_id = ${postId}`);
}

export async function boostedBy(db: Db, postId: string, viewer: Viewer, opts: InteractionPageOpts = {}): Promise<InteractionPage> {
  return await interactionPage(db, viewer, opts, "b.id", db`posts b JOIN accounts a ON a.id = b.account_id WHERE b.reblog_of_id = ${postId}`);
}

export interface InteractionPageOpts { limit?: number; maxId?: string; minId?: string }

async function interactionPage(db: Db, viewer: Viewer, opts: InteractionPageOpts, cursorColumn: "l.id" | "b.id",
  source: ReturnType<Db["unsafe"]>): Promise<InteractionPage> {
  const limit = Math.min(Math.max(opts.limit ?? 40, 1), 80);
  const viewerId = viewerAccountId(viewer);
  const c = db.unsafe(cursorColumn);
  const rows = await db`SELECT ${accountColumns(db)}, ${c}::text AS cursor FROM ${source}
    ${opts.maxId ? db`AND ${c} < ${opts.maxId}` : db``} ${opts.minId ? db`AND ${c} > ${opts.minId}` : db``}
    ${viewerId ? db`AND a.id NOT IN ${blocksBetween(db, viewerId)}` : db``}
    ORDER BY ${c} ${opts.minId ? db`ASC` : db`DESC`} LIMIT ${limit}`;
  if (opts.minId) rows.reverse();
  const items = rows.map((r) => ({ ...toAccount(r), cursor: r.cursor as string }));
  return { items, ...keysetCursors(items, limit, (i) => i.cursor) };
}

/** The id of `accountId`'s boost of `postId`, if any. */
export async function boostIdOf(db: Db, accountId: string, postId: string): Promise<string | null> {
  const [r] = await db`SELECT id::text FROM posts WHERE account_id = ${accountId} AND reblog_of_id = ${postId}`;
  return r ? (r.id as string) : null;
}
