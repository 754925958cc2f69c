// Transactional outbox: call enqueueOutbox inside the transaction that makes the change, so the change and the
// activity it causes commit together. The worker (federation/outbox-worker.ts) turns rows into deliveries.
import type { Db } from "../db/pool.ts";

export type OutboxItem =
  | { kind: "follow"; followIri: string; followerId: string; targetId: string }
  | { kind: "undo-follow"; followIri: string; followerId: string; targetId: string }
  | { kind: "accept-follow"; followIri: string; followerId: string; targetId: string }
  | { kind: "reject-follow"; followIri: string; followerId: string; targetId: string }
  | { kind: "update-actor"; accountId: string }
  // Profiles (issue #3): fetch a sibling's actor with a signed request (internal fields, structured extension), and
  // pull one page of a sibling's directory feed (federation/directory-sync.ts). Not activities: nothing is sent.
  | { kind: "refresh-profile"; iri: string; origin: string }
  | { kind: "pull-directory"; origin: string; full?: boolean; url?: string; startedAt?: string }
  // Posts (issue #4). A deleted post's row is gone when the worker runs, so Delete carries what addressing needs.
  | { kind: "create-note"; postId: string }
  | { kind: "update-note"; postId: string }
  | { kind: "delete-note"; iri: string; accountId: string; visibility: string; mentionIds: string[] }
  | { kind: "like"; likeIri: string; accountId: string; postId: string }
  | { kind: "undo-like"; likeIri: string; accountId: string; postIri: string; postAuthorId: string }
  | { kind: "announce"; boostId: string }
  | { kind: "undo-announce"; boostIri: string; accountId: string; postIri: string; postAuthorId: string };

export async function enqueueOutbox(db: Db, item: OutboxItem): Promise<void> {
  if (item.kind === "update-actor" && await actorUpdateQueued(db, item.accountId)) return;
  await db`INSERT INTO outbox (kind, payload) VALUES (${item.kind}, ${db.json(item as never)})`;
  await db`SELECT pg_notify('ruche_outbox', '')`;
}

/**
 * One Update(Person) per transaction, however many parts of the profile it changed (the settings form saves the
 * account and the work profile together): the worker builds the activity from the state at delivery. The mark is a
 * transaction-local setting, so it covers savepoints and a rolled-back savepoint forgets it.
 */
async function actorUpdateQueued(db: Db, accountId: string): Promise<boolean> {
  const [{ queued }] = await db`SELECT coalesce(current_setting('ruche.actor_updates', true), '') LIKE ${`%,${accountId},%`} AS queued`;
  if (queued) return true;
  await db`SELECT set_config('ruche.actor_updates',
    coalesce(nullif(current_setting('ruche.actor_updates', true), ''), ',') || ${accountId} || ',', true)`;
  return false;
}
