// Blocks (issue #8 point 14). A block works both ways: neither person reads the other's posts (the audience rule,
// audience/visibility.ts, reads blocksBetween() below for every local viewer), neither follows the other (the block
// removes follows and follow requests both ways, and a new follow is refused), neither is notified by the other
// (notify()), and the blocker's deliveries skip the other's inbox (federation/outbox-posts.ts). A local person's
// block of a remote one is sent as Block (Undo(Block) when lifted); a remote person's Block of one of ours is
// recorded the same way from the inbox, so the rule is the same whoever blocked.
//
//   block(sql, origin, accountId, targetId) / unblock(sql, accountId, targetId)
//   receiveBlock(db, {iri, accountId, targetId}) / receiveUndoBlock(db, accountId, iri | null, targetId | null)
//   listBlockedAccounts(db, accountId, page) → Page<Account & {blockId}>
//   blockFlags(db, viewerId, ids) → who the viewer blocks, who blocks the viewer (relationships)
//   blocksBetween(db, accountId) → SQL: the ids of everyone blocked by or blocking `accountId`
//   isBlockedEitherWay(db, a, b) / blockedEitherWayIris(db, accountId)
import { randomUUID } from "node:crypto";
import { atomically, type Db, type Sql } from "../../db/pool.ts";
import { type Account, accountColumns, findAccountById, toAccount } from "../accounts/accounts.ts";
import { DomainError } from "../errors.ts";
import { enqueueOutbox } from "../outbox.ts";
import { keysetCursors } from "../keyset.ts";

/**
 * The one SQL set of "people `accountId` and I keep apart": those it blocked and those who blocked it. An
 * uncorrelated subquery (PostgreSQL hashes it once per query), for `col NOT IN ${blocksBetween(...)}`.
 */
export function blocksBetween(db: Db, accountId: string) {
  return db`(SELECT target_id FROM blocks WHERE account_id = ${accountId}
    UNION ALL SELECT account_id FROM blocks WHERE target_id = ${accountId}
    UNION ALL ${suspendedAccounts(db)})`;
}

/**
 * Accounts a moderator suspended on this instance (moderation/decisions.ts): everyone here is kept apart from them
 * as from someone they blocked — posts, notifications, search, conversations — and so are anonymous and remote
 * readers (audience/visibility.ts). A handful of rows on a partial index.
 */
export function suspendedAccounts(db: Db) {
  return db`SELECT id FROM accounts WHERE suspended_at IS NOT NULL`;
}

export async function isBlockedEitherWay(db: Db, a: string, b: string): Promise<boolean> {
  const rows = await db`SELECT 1 FROM blocks WHERE (account_id = ${a} AND target_id = ${b}) OR (account_id = ${b} AND target_id = ${a}) LIMIT 1`;
  return rows.length > 0;
}

/** The actor IRIs of everyone blocked by or blocking `accountId` (deliveries leave them out). */
export async function blockedEitherWayIris(db: Db, accountId: string): Promise<Set<string>> {
  const rows = await db`SELECT iri FROM accounts WHERE id IN ${blocksBetween(db, accountId)}`;
  return new Set(rows.map((r) => r.iri as string));
}

/** Follows and follow requests between the two, in both directions, end with the block. */
async function separate(db: Db, a: string, b: string): Promise<void> {
  await db`DELETE FROM follows WHERE (follower_id = ${a} AND following_id = ${b}) OR (follower_id = ${b} AND following_id = ${a})`;
}

/**
 * A local account blocks another (local or remote). Idempotent. A remote target's server gets a Block (its
 * side removes the follows too; Mastodon and Ruche both do), sent by the deliver queue after the commit.
 */
export async function block(sql: Sql, origin: string, accountId: string, targetId: string): Promise<void> {
  if (accountId === targetId) throw new DomainError("self_block", 422, "you cannot block yourself");
  await atomically(sql, async (tx) => {
    const target = await findAccountById(tx, targetId);
    if (!target) throw new DomainError("not_found", 404, "no such account");
    const iri = `${origin}/activities/block/${randomUUID()}`;
    const [row] = await tx`INSERT INTO blocks (account_id, target_id, iri) VALUES (${accountId}, ${targetId}, ${iri})
      ON CONFLICT (account_id, target_id) DO NOTHING RETURNING id`;
    await separate(tx, accountId, targetId);
    if (row && target.domain != null) await enqueueOutbox(tx, { kind: "block", blockIri: iri, accountId, targetId });
  });
}

export async function unblock(sql: Sql, accountId: string, targetId: string): Promise<void> {
  await atomically(sql, async (tx) => {
    const [row] = await tx`DELETE FROM blocks WHERE account_id = ${accountId} AND target_id = ${targetId}
      RETURNING iri, (SELECT domain FROM accounts WHERE id = ${targetId}) AS domain`;
    if (row && row.domain != null) await enqueueOutbox(tx, { kind: "undo-block", blockIri: row.iri, accountId, targetId });
  });
}

/** A remote actor's Block of one of ours arrived (the inbox authenticated the actor). Idempotent on the IRI. */
export async function receiveBlock(db: Db, b: { iri: string; accountId: string; targetId: string }): Promise<boolean> {
  if (b.accountId === b.targetId) return false;
  return await atomically(db, async (tx) => {
    const rows = await tx`INSERT INTO blocks (account_id, target_id, iri) VALUES (${b.accountId}, ${b.targetId}, ${b.iri})
      ON CONFLICT DO NOTHING RETURNING id`;
    await separate(tx, b.accountId, b.targetId);
    return rows.length > 0;
  });
}

/** Remote Undo(Block): only the blocker can lift it (by the Block's IRI, else by the pair). */
export async function receiveUndoBlock(db: Db, accountId: string, iri: string | null, targetId: string | null): Promise<boolean> {
  const rows = iri
    ? await db`DELETE FROM blocks WHERE iri = ${iri} AND account_id = ${accountId} RETURNING id`
    : await db`DELETE FROM blocks WHERE account_id = ${accountId} AND target_id = ${targetId} RETURNING id`;
  return rows.length > 0;
}

export interface BlockPage { items: (Account & { blockId: string })[]; nextMaxId: string | null; prevMinId: string | null }

/** The people `accountId` blocked, newest block first, keyset-paginated on the block's id. */
export async function listBlockedAccounts(db: Db, accountId: string, opts: { limit?: number; maxId?: string; minId?: string } = {}): Promise<BlockPage> {
  const limit = Math.min(Math.max(opts.limit ?? 40, 1), 80);
  const rows = await db`SELECT ${accountColumns(db)}, b.id::text AS block_id FROM blocks b JOIN accounts a ON a.id = b.target_id
    WHERE b.account_id = ${accountId}
      ${opts.maxId ? db`AND b.id < ${opts.maxId}` : db``} ${opts.minId ? db`AND b.id > ${opts.minId}` : db``}
    ORDER BY b.id ${opts.minId ? db`ASC` : db`DESC`} LIMIT ${limit}`;
  if (opts.minId) rows.reverse();
  const items = rows.map((r) => ({ ...toAccount(r), blockId: r.block_id as string }));
  return { items, ...keysetCursors(items, limit, (i) => i.blockId) };
}

/** Of `ids`, those the viewer blocks and those who block the viewer. */
export async function blockFlags(db: Db, viewerId: string, ids: string[]): Promise<{ blocking: Set<string>; blockedBy: Set<string> }> {
  const rows = ids.length === 0 ? [] : await db`SELECT account_id::text AS blocker, target_id::text AS target FROM blocks
    WHERE (account_id = ${viewerId} AND target_id = ANY(${ids}::bigint[])) OR (target_id = ${viewerId} AND account_id = ANY(${ids}::bigint[]))`;
  return {
    blocking: new Set(rows.filter((r) => r.blocker === viewerId).map((r) => r.target as string)),
    blockedBy: new Set(rows.filter((r) => r.target === viewerId).map((r) => r.blocker as string)),
  };
}
