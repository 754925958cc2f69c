// Follow relationships. A follow of a locked account stays 'pending' — it grants nothing (no followers-only
// content, no place in the followers collection) until the target authorizes it (corpus case 33).
import { randomUUID } from "node:crypto";
import type { Db, Sql } from "../../db/pool.ts";
import { type Account, accountColumns, findAccountById, toAccount } from "../accounts/accounts.ts";
import { DomainError } from "../errors.ts";
import { enqueueOutbox } from "../outbox.ts";
import { notifyFollow } from "../notifications/notifications.ts";
import { blockFlags, isBlockedEitherWay } from "../blocks/blocks.ts";
import { keysetCursors } from "../keyset.ts";

export type FollowState = "pending" | "accepted";

export interface Relationship {
  id: string;
  following: boolean;
  requested: boolean;
  followedBy: boolean;
  requestedBy: boolean;
  blocking: boolean;
  blockedBy: boolean;
}

function newFollowIri(origin: string): string {
  return `${origin}/activities/follow/${randomUUID()}`;
}

/** A local account follows another account (local or remote). Idempotent. */
export async function follow(sql: Sql, origin: string, followerId: string, targetId: string): Promise<FollowState> {
  if (followerId === targetId) throw new DomainError("self_follow", 422, "you cannot follow yourself");
  return await sql.begin(async (tx) => {
    const target = await findAccountById(tx, targetId);
    if (!target) throw new DomainError("not_found", 404, "no such account");
    const existing = await tx`SELECT state FROM follows WHERE follower_id = ${followerId} AND following_id = ${targetId}`;
    if (existing[0]) return existing[0].state as FollowState;
    if (await isBlockedEitherWay(tx, followerId, targetId)) throw new DomainError("blocked", 403, "you cannot follow this account");
    const iri = newFollowIri(origin);
    // Local targets answer at once; remote ones stay pending until their Accept arrives.
    const state: FollowState = target.domain == null && !target.locked ? "accepted" : "pending";
    await tx`INSERT INTO follows (follower_id, following_id, state, iri) VALUES (${followerId}, ${targetId}, ${state}, ${iri})`;
    if (target.domain != null) await enqueueOutbox(tx, { kind: "follow", followIri: iri, followerId, targetId });
    else await notifyFollow(tx, { targetId, followerId, state });
    return state;
  });
}

export async function unfollow(sql: Sql, followerId: string, targetId: string): Promise<void> {
  await sql.begin(async (tx) => {
    const [row] = await tx`DELETE FROM follows WHERE follower_id = ${followerId} AND following_id = ${targetId}
      RETURNING iri, (SELECT domain FROM accounts WHERE id = ${targetId}) AS domain`;
    if (row && row.domain != null) {
      await enqueueOutbox(tx, { kind: "undo-follow", followIri: row.iri, followerId, targetId });
    }
  });
}

/**
 * A remote Follow of a local account arrived (already authenticated). Idempotent on the Follow's IRI. A Follow
 * between people blocked either way is answered with Reject and stores nothing ("rejected").
 */
export async function receiveFollow(sql: Sql, input: { followIri: string; followerId: string; targetId: string }): Promise<FollowState | "rejected"> {
  return await sql.begin(async (tx) => {
    const [target] = await tx`SELECT locked FROM accounts WHERE id = ${input.targetId} AND domain IS NULL`;
    if (!target) throw new DomainError("not_found", 404, "no such local account");
    if (await isBlockedEitherWay(tx, input.followerId, input.targetId)) {
      await enqueueOutbox(tx, { kind: "reject-follow", followIri: input.followIri, followerId: input.followerId, targetId: input.targetId });
      return "rejected";
    }
    const state: FollowState = target.locked ? "pending" : "accepted";
    const [row] = await tx`INSERT INTO follows (follower_id, following_id, state, iri)
      VALUES (${input.followerId}, ${input.targetId}, ${state}, ${input.followIri})
      ON CONFLICT (follower_id, following_id) DO UPDATE SET iri = excluded.iri, updated_at = now()
      RETURNING state, (xmax = 0) AS inserted`;
    if (row.inserted) await notifyFollow(tx, { targetId: input.targetId, followerId: input.followerId, state: row.state });
    // A repeated Follow of an already accepted relationship is answered again (the remote side may have lost it).
    if (row.state === "accepted") {
      await enqueueOutbox(tx, { kind: "accept-follow", followIri: input.followIri, followerId: input.followerId, targetId: input.targetId });
    }
    return row.state as FollowState;
  });
}

/** The target authorizes a pending request (local target; the follower is usually remote). */
export async function authorizeFollowRequest(sql: Sql, targetId: string, followerId: string): Promise<void> {
  await sql.begin(async (tx) => {
    const [row] = await tx`UPDATE follows SET state = 'accepted', updated_at = now()
      WHERE follower_id = ${followerId} AND following_id = ${targetId} AND state = 'pending'
      RETURNING iri, (SELECT domain FROM accounts WHERE id = ${followerId}) AS domain`;
    if (!row) throw new DomainError("not_found", 404, "no pending follow request from this account");
    await notifyFollow(tx, { targetId, followerId, state: "accepted" });
    if (row.domain != null) await enqueueOutbox(tx, { kind: "accept-follow", followIri: row.iri, followerId, targetId });
  });
}

export async function rejectFollowRequest(sql: Sql, targetId: string, followerId: string): Promise<void> {
  await sql.begin(async (tx) => {
    const [row] = await tx`DELETE FROM follows WHERE follower_id = ${followerId} AND following_id = ${targetId} AND state = 'pending'
      RETURNING iri, (SELECT domain FROM accounts WHERE id = ${followerId}) AS domain`;
    if (!row) throw new DomainError("not_found", 404, "no pending follow request from this account");
    if (row.domain != null) await enqueueOutbox(tx, { kind: "reject-follow", followIri: row.iri, followerId, targetId });
  });
}

/**
 * A remote Accept arrived. Only a pending follow by one of ours, with this exact Follow IRI, addressed to the
 * accepting actor, changes: an unsolicited Accept is ignored (corpus case 33).
 */
export async function acceptedByRemote(db: Db, followIri: string, accepterId: string): Promise<boolean> {
  const rows = await db`UPDATE follows SET state = 'accepted', updated_at = now()
    WHERE iri = ${followIri} AND following_id = ${accepterId} AND state = 'pending'
      AND follower_id IN (SELECT id FROM accounts WHERE domain IS NULL)
    RETURNING id`;
  return rows.length > 0;
}

/** Remote Reject (or a later Reject of an accepted follow, Mastodon's "remove follower"). */
export async function rejectedByRemote(db: Db, followIri: string | null, followerId: string | null, rejecterId: string): Promise<boolean> {
  const rows = followIri
    ? await db`DELETE FROM follows WHERE iri = ${followIri} AND following_id = ${rejecterId} RETURNING id`
    : await db`DELETE FROM follows WHERE follower_id = ${followerId} AND following_id = ${rejecterId} RETURNING id`;
  return rows.length > 0;
}

/** Remote Undo(Follow): only the follower who sent it can undo it. */
export async function undoneByRemote(db: Db, followIri: string | null, followerId: string, targetId: string | null): Promise<boolean> {
  const rows = followIri
    ? await db`DELETE FROM follows WHERE iri = ${followIri} AND follower_id = ${followerId} RETURNING id`
    : await db`DELETE FROM follows WHERE follower_id = ${followerId} AND following_id = ${targetId} RETURNING id`;
  return rows.length > 0;
}

export interface Page<T> { items: T[]; nextMaxId: string | null; prevMinId: string | null }

async function listFollowAccounts(db: Db, where: "followers" | "following" | "requests", accountId: string,
  opts: { limit?: number; maxId?: string; minId?: string }): Promise<Page<Account & { followId: string }>> {
  const limit = Math.min(Math.max(opts.limit ?? 40, 1), 80);
  const joinCol = where === "following" ? "following_id" : "follower_id";
  const filterCol = where === "following" ? "follower_id" : "following_id";
  const state = where === "requests" ? "pending" : "accepted";
  const rows = await db`SELECT ${accountColumns(db)}, f.id::text AS follow_id FROM follows f
    JOIN accounts a ON a.id = f.${db(joinCol)}
    WHERE f.${db(filterCol)} = ${accountId} AND f.state = ${state}
      ${opts.maxId ? db`AND f.id < ${opts.maxId}` : db``}
      ${opts.minId ? db`AND f.id > ${opts.minId}` : db``}
    ORDER BY f.id ${opts.minId ? db`ASC` : db`DESC`} LIMIT ${limit}`;
  if (opts.minId) rows.reverse();
  const items = rows.map((r) => ({ ...toAccount(r), followId: r.follow_id as string }));
  return { items, ...keysetCursors(items, limit, (i) => i.followId) };
}

export const listFollowers = (db: Db, id: string, o: { limit?: number; maxId?: string; minId?: string } = {}) => listFollowAccounts(db, "followers", id, o);
export const listFollowing = (db: Db, id: string, o: { limit?: number; maxId?: string; minId?: string } = {}) => listFollowAccounts(db, "following", id, o);
export const listFollowRequests = (db: Db, id: string, o: { limit?: number; maxId?: string; minId?: string } = {}) => listFollowAccounts(db, "requests", id, o);

/** Follow requests waiting for the account's answer, capped at 100 (a badge in the navigation). */
export async function pendingFollowRequestCount(db: Db, accountId: string): Promise<number> {
  const [r] = await db`SELECT count(*)::int AS n FROM (SELECT 1 FROM follows WHERE following_id = ${accountId} AND state = 'pending' LIMIT 100) x`;
  return r.n;
}

/** All accepted followers' actor IRIs and inboxes (for the followers collection and delivery). */
export async function followerIris(db: Db, accountId: string): Promise<{ iri: string; inboxUrl: string | null; sharedInboxUrl: string | null; isLocal: boolean }[]> {
  const rows = await db`SELECT a.iri, a.inbox_url, a.shared_inbox_url, a.domain IS NULL AS local FROM follows f
    JOIN accounts a ON a.id = f.follower_id WHERE f.following_id = ${accountId} AND f.state = 'accepted' ORDER BY f.id`;
  return rows.map((r) => ({ iri: r.iri, inboxUrl: r.inbox_url, sharedInboxUrl: r.shared_inbox_url, isLocal: r.local }));
}

export async function followingIris(db: Db, accountId: string): Promise<string[]> {
  const rows = await db`SELECT a.iri FROM follows f JOIN accounts a ON a.id = f.following_id
    WHERE f.follower_id = ${accountId} AND f.state = 'accepted' ORDER BY f.id`;
  return rows.map((r) => r.iri as string);
}

export async function followCounts(db: Db, accountId: string): Promise<{ followers: number; following: number }> {
  const [r] = await db`SELECT
    (SELECT count(*)::int FROM follows WHERE following_id = ${accountId} AND state = 'accepted') AS followers,
    (SELECT count(*)::int FROM follows WHERE follower_id = ${accountId} AND state = 'accepted') AS following`;
  return { followers: r.followers, following: r.following };
}

export async function relationships(db: Db, viewerId: string, ids: string[]): Promise<Relationship[]> {
  const valid = ids.filter((id) => /^\d{1,18}$/.test(id));
  if (valid.length === 0) return [];
  const rows = await db`SELECT follower_id::text AS follower, following_id::text AS following, state FROM follows
    WHERE (follower_id = ${viewerId} AND following_id = ANY(${valid}::bigint[]))
       OR (following_id = ${viewerId} AND follower_id = ANY(${valid}::bigint[]))`;
  const blocks = await blockFlags(db, viewerId, valid);
  return valid.map((id) => {
    const out = rows.find((r) => r.follower === viewerId && r.following === id);
    const inc = rows.find((r) => r.following === viewerId && r.follower === id);
    return {
      id,
      following: out?.state === "accepted",
      requested: out?.state === "pending",
      followedBy: inc?.state === "accepted",
      requestedBy: inc?.state === "pending",
      blocking: blocks.blocking.has(id),
      blockedBy: blocks.blockedBy.has(id),
    };
  });
}
