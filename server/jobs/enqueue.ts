// Enqueue a job in the caller's transaction: the change and the job it causes commit together, or neither does
// (what ADR 0004's outbox guaranteed, now on the job system). The statement is pg-boss's own insert (its SQL
// builder, pinned version), run on our postgres.js transaction, so the domain needs no pg-boss instance; queue
// defaults (retries, lease, dead letter, policy) come from the queue row created at migration.
import { insertJobs } from "pg-boss/dist/plans.js";
import { v7 as uuidv7 } from "uuid";
import type { Db } from "../db/pool.ts";
import { JOB_SCHEMA, type QueueDefinition, QUEUES, type QueueName } from "./queues.ts";

export interface EnqueueOptions {
  /** Ordering key (key_strict_fifo queues: required) or deduplication key (short queues: one queued per key). */
  key?: string;
  /** Run no earlier than this many milliseconds from now. */
  delayMs?: number;
  priority?: number;
  /** Overrides the queue's attempts (a one-off that should fail fast, a test of the dead-letter path). */
  retryLimit?: number;
  /** Overrides the queue's first retry delay, in seconds. */
  retryDelay?: number;
}

/** All our queues live in pg-boss's shared table (none is partitioned); one statement text per queue. */
const statements = new Map<QueueName, string>();
function statement(queue: QueueName): string {
  let text = statements.get(queue);
  if (!text) {
    text = insertJobs(JOB_SCHEMA, { table: "job_common", name: queue, returnId: true, notify: true });
    statements.set(queue, text);
  }
  return text;
}

/** Returns the job id, or null when a `short` queue already holds a queued job with this key. */
export async function enqueueJob(db: Db, queue: QueueName, data: object, options: EnqueueOptions = {}): Promise<string | null> {
  if (!(queue in QUEUES)) throw new Error(`unknown job queue ${queue}`);
  if (QUEUES[queue].policy === "key_strict_fifo" && !options.key) throw new Error(`queue ${queue} needs a key`);
  const job = {
    // pg-boss orders a key's jobs by created_on, then id; created_on is the transaction's start, the same for
    // every job a transaction queues, so the id (time-ordered, monotonic in this process) keeps their order.
    id: uuidv7(),
    data,
    singletonKey: options.key ?? null,
    priority: options.priority ?? (QUEUES[queue] as QueueDefinition).priority ?? 0,
    startAfter: options.delayMs ? `${Math.ceil(options.delayMs / 1000)} seconds` : null,
    retryLimit: options.retryLimit ?? null,
    retryDelay: options.retryDelay ?? null,
  };
  const rows = await db.unsafe(statement(queue), [JSON.stringify([job])]);
  return (rows[0]?.id as string | undefined) ?? null;
}

/** Drops the queued (not running) jobs of a queue with this key: a sibling removed, a pull replaced by a full one. */
export async function cancelQueuedJobs(db: Db, queue: QueueName, key: string): Promise<number> {
  const rows = await db.unsafe(
    `DELETE FROM ${JOB_SCHEMA}.job_common WHERE name = $1 AND singleton_key = $2 AND state IN ('created', 'retry') RETURNING id`,
    [queue, key],
  );
  return rows.length;
}

/** Is a job of this queue with this key waiting to run (not yet started)? */
export async function hasQueuedJob(db: Db, queue: QueueName, key: string): Promise<boolean> {
  const rows = await db.unsafe(
    `SELECT 1 FROM ${JOB_SCHEMA}.job_common WHERE name = $1 AND singleton_key = $2 AND state = 'created' LIMIT 1`,
    [queue, key],
  );
  return rows.length > 0;
}

/** Drops one queued (not running) job by its id: a scheduled status rescheduled or deleted. */
export async function cancelJobById(db: Db, queue: QueueName, id: string): Promise<boolean> {
  const rows = await db.unsafe(
    `DELETE FROM ${JOB_SCHEMA}.job_common WHERE name = $1 AND id = $2 AND state IN ('created', 'retry') RETURNING id`,
    [queue, id],
  );
  return rows.length > 0;
}
