// Delayed sending (issue #15 point 3): Mastodon's ScheduledStatus. The status's parameters are stored as given and
// a `scheduled-status` job is queued, delayed to scheduled_at, in the same transaction: pg-boss keeps it across
// restarts. Rescheduling or deleting replaces or drops that job. At its time the status is published through
// createPost like any other (an idempotency key per scheduled status: a job run twice publishes once).
//
//   checkScheduledAt(text, now) → Date       — 422 scheduled_at_invalid / scheduled_in_past / scheduled_too_far
//   scheduleStatus(db, accountId, params, at, now) / listScheduled / getScheduled / reschedule / deleteScheduled
//   takeDue(db, now) → ids due               — what a test clock's advance publishes (the job does it in real time)
import { atomically, type Db } from "../../db/pool.ts";
import { cancelJobById, enqueueJob } from "../../jobs/enqueue.ts";
import { DomainError } from "../errors.ts";

/** Mastodon refuses less than 5 minutes ahead; we keep its rule and bound the far end (a year). */
const MIN_AHEAD_MS = 5 * 60_000;
const MAX_AHEAD_MS = 366 * 86_400_000;

export interface ScheduledStatus { id: string; accountId: string; scheduledAt: Date; params: Record<string, unknown> }

export function checkScheduledAt(text: unknown, now: number): Date {
  const at = typeof text === "string" ? new Date(text) : null;
  if (!at || Number.isNaN(at.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(String(text))) {
    throw new DomainError("scheduled_at_invalid", 422, "scheduled_at: must be an ISO 8601 date and time, such as 2027-01-04T08:30:00Z", "scheduled_at");
  }
  if (at.getTime() < now + MIN_AHEAD_MS) {
    throw new DomainError("scheduled_in_past", 422, "scheduled_at: must be at least 5 minutes in the future", "scheduled_at");
  }
  if (at.getTime() > now + MAX_AHEAD_MS) {
    throw new DomainError("scheduled_too_far", 422, "scheduled_at: must be within one year", "scheduled_at");
  }
  return at;
}

const toScheduled = (r: Record<string, unknown>): ScheduledStatus => ({
  id: r.id as string, accountId: r.account_id as string, scheduledAt: r.scheduled_at as Date, params: r.params as Record<string, unknown>,
});

async function queue(db: Db, id: string, at: Date, now: number): Promise<string | null> {
  return await enqueueJob(db, "scheduled-status", { scheduledStatusId: id }, { delayMs: Math.max(0, at.getTime() - now) });
}

export async function scheduleStatus(db: Db, accountId: string, params: Record<string, unknown>, at: Date, now: number): Promise<ScheduledStatus> {
  return await atomically(db, async (tx) => {
    const [r] = await tx`INSERT INTO scheduled_statuses (account_id, scheduled_at, params) VALUES (${accountId}, ${at}, ${tx.json(params as never)})
      RETURNING id::text, account_id::text, scheduled_at, params`;
    const jobId = await queue(tx, r.id, at, now);
    await tx`UPDATE scheduled_statuses SET job_id = ${jobId} WHERE id = ${r.id}`;
    return toScheduled(r);
  });
}

export async function listScheduled(db: Db, accountId: string, opts: { limit?: number; maxId?: string } = {}): Promise<ScheduledStatus[]> {
  const limit = Math.min(Math.max(opts.limit ?? 20, 1), 40);
  const rows = await db`SELECT id::text, account_id::text, scheduled_at, params FROM scheduled_statuses
    WHERE account_id = ${accountId} ${opts.maxId && /^\d{1,18}$/.test(opts.maxId) ? db`AND id < ${opts.maxId}` : db``}
    ORDER BY id DESC LIMIT ${limit}`;
  return rows.map(toScheduled);
}

export async function getScheduled(db: Db, accountId: string, id: string): Promise<ScheduledStatus | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const [r] = await db`SELECT id::text, account_id::text, scheduled_at, params FROM scheduled_statuses WHERE id = ${id} AND account_id = ${accountId}`;
  return r ? toScheduled(r) : null;
}

export async function reschedule(db: Db, accountId: string, id: string, at: Date, now: number): Promise<ScheduledStatus | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  return await atomically(db, async (tx) => {
    const [old] = await tx`SELECT job_id FROM scheduled_statuses WHERE id = ${id} AND account_id = ${accountId} FOR UPDATE`;
    if (!old) return null;
    if (old.job_id) await cancelJobById(tx, "scheduled-status", old.job_id);
    const jobId = await queue(tx, id, at, now);
    const [r] = await tx`UPDATE scheduled_statuses SET scheduled_at = ${at}, job_id = ${jobId} WHERE id = ${id}
      RETURNING id::text, account_id::text, scheduled_at, params`;
    return toScheduled(r);
  });
}

export async function deleteScheduled(db: Db, accountId: string, id: string): Promise<boolean> {
  if (!/^\d{1,18}$/.test(id)) return false;
  return await atomically(db, async (tx) => {
    const [r] = await tx`DELETE FROM scheduled_statuses WHERE id = ${id} AND account_id = ${accountId} RETURNING job_id`;
    if (!r) return false;
    if (r.job_id) await cancelJobById(tx, "scheduled-status", r.job_id);
    return true;
  });
}

/** The row a job publishes (null: deleted meanwhile, or already published). */
export async function scheduledById(db: Db, id: string): Promise<ScheduledStatus | null> {
  const [r] = await db`SELECT id::text, account_id::text, scheduled_at, params FROM scheduled_statuses WHERE id = ${id}`;
  return r ? toScheduled(r) : null;
}

export async function removePublished(db: Db, id: string): Promise<void> {
  await db`DELETE FROM scheduled_statuses WHERE id = ${id}`;
}

export async function dueScheduled(db: Db, now: number): Promise<string[]> {
  const rows = await db`SELECT id::text FROM scheduled_statuses WHERE scheduled_at <= ${new Date(now)} ORDER BY scheduled_at LIMIT 1000`;
  return rows.map((r) => r.id as string);
}
