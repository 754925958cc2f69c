// Transactional outbox: call enqueueOutbox inside the transaction that makes the change, so the change and the
// activity it causes commit together. The worker (federation/outbox-worker.ts) turns rows into deliveries.
import type { Db } from "../db/pool.ts";

export type OutboxItem =
  | { kind: "follow"; followIri: string; followerId: string; targetId: string }
  | { kind: "undo-follow"; followIri: string; followerId: string; targetId: string }
  | { kind: "accept-follow"; followIri: string; followerId: string; targetId: string }
  | { kind: "reject-follow"; followIri: string; followerId: string; targetId: string }
  | { kind: "update-actor"; accountId: string };

export async function enqueueOutbox(db: Db, item: OutboxItem): Promise<void> {
  await db`INSERT INTO outbox (kind, payload) VALUES (${item.kind}, ${db.json(item as never)})`;
  await db`SELECT pg_notify('ruche_outbox', '')`;
}
