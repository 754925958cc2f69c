// Held notifications (issue #15 point 2): notify() asks `holdFor` — the one place a notification's delivery is
// decided — and a held notification is stored with `held_until` but neither streamed nor pushed. It is released
// as one digest (one Web Push summarising them, and the streaming events each would have had) when its person's
// next working period starts: a `quiet-release` job queued for that instant (durable across restarts, one per
// instant for everyone), a clock advance in tests, or a schedule change that puts the person at work now.
//
//   holdFor(db, accountId, postId, now) → Date | null        — null: deliver now
//   releaseHeld(db, accountId, now) → ids released           — re-decides; releases all when at work now
//   releaseDue(db, now) → people released                    — what the 9:00 job (or a test clock's advance) runs
import { getLogger } from "@logtape/logtape";
import { atomically, type Db } from "../../db/pool.ts";
import { publish } from "../../events/bus.ts";
import { enqueueJob } from "../../jobs/enqueue.ts";
import { enqueueDigestPushes } from "../push/subscriptions.ts";
import { decide } from "./hold.ts";
import { scheduleInForce } from "./schedules.ts";
import { isUrgent } from "./urgent.ts";
import type { NotificationType } from "../notifications/notifications.ts";

const logger = getLogger(["ruche", "quiet"]);

/** The `quiet-release` job: everything held until `at` is due then (one job per instant, not per person). */
export interface ReleaseJob { at: string }

/**
 * Until when a notification for `accountId` (about `postId`, if any) is held, or null to deliver it now. An urgent
 * message is never held. Queues the release at that instant, in the caller's transaction.
 */
export async function holdFor(db: Db, accountId: string, postId: string | null | undefined, now: number): Promise<Date | null> {
  const found = await scheduleInForce(db, accountId);
  if (!found) return null;
  const d = decide(found.schedule, now, postId ? await isUrgent(db, postId) : false);
  if (d.deliver) return null;
  await queueRelease(db, d.until, now);
  return d.until;
}

/**
 * One release job per instant (a `short` queue keyed by it): a company whose people all start at 9:00 has one job
 * at 9:00, which releases everyone in batches (releaseDue), not ten thousand jobs.
 */
async function queueRelease(db: Db, until: Date, now: number): Promise<void> {
  await enqueueJob(db, "quiet-release", { at: until.toISOString() } satisfies ReleaseJob, {
    key: until.toISOString(), delayMs: Math.max(0, until.getTime() - now),
  });
}

/**
 * Re-decides `accountId`'s held notifications at `now`: at work (or no schedule any more) → all released as one
 * digest; still off → held until the (possibly new) next working period. Returns the released ids.
 */
export async function releaseHeld(db: Db, accountId: string, now: number): Promise<string[]> {
  return await atomically(db, async (tx) => {
    const found = await scheduleInForce(tx, accountId);
    const d = found ? decide(found.schedule, now) : { deliver: true as const };
    if (!d.deliver) {
      const moved = await tx`UPDATE notifications SET held_until = ${d.until} WHERE account_id = ${accountId}
        AND held_until IS NOT NULL AND held_until <> ${d.until} RETURNING id`;
      if (moved.length > 0) await queueRelease(tx, d.until, now);
      return [];
    }
    const rows = await tx`UPDATE notifications SET held_until = NULL
      WHERE id IN (SELECT id FROM notifications WHERE account_id = ${accountId} AND held_until IS NOT NULL FOR UPDATE)
      RETURNING id::text, account_id::text, type, from_account_id::text`;
    await digest(tx, rows);
    return rows.map((r) => r.id as string);
  });
}

/** People released per transaction by releaseDue: one commit for many, since commits, not CPU, set the pace. */
const RELEASE_BATCH = 500;

/**
 * Everyone whose held notifications are due at `now` (9:00 for a whole company), released in batches of people:
 * their rows, their streaming events, one digest push per subscription. A row still due was held until a working
 * start that has come (a schedule or leave change since re-decided it, releaseHeld), so it is not re-decided here.
 * Returns how many people were released.
 */
export async function releaseDue(db: Db, now: number): Promise<number> {
  let people = 0;
  for (;;) {
    const batch = await atomically(db, async (tx) => {
      const rows = await tx`UPDATE notifications SET held_until = NULL WHERE id IN (
          SELECT id FROM notifications WHERE held_until <= ${new Date(now)} AND account_id IN (
            SELECT DISTINCT account_id FROM notifications WHERE held_until <= ${new Date(now)} LIMIT ${RELEASE_BATCH})
          FOR UPDATE SKIP LOCKED)
        RETURNING id::text, account_id::text, type, from_account_id::text`;
      await digest(tx, rows);
      return new Set(rows.map((r) => r.account_id)).size;
    });
    people += batch;
    if (batch === 0) return people;
  }
}

/** Released rows → their events (oldest first) and one digest push per person's subscription. */
async function digest(db: Db, rows: readonly Record<string, unknown>[]): Promise<void> {
  const byAccount = new Map<string, { id: string; type: string; from: string }[]>();
  for (const r of [...rows].sort((a, b) => Number(BigInt(a.id as string) - BigInt(b.id as string)))) {
    const list = byAccount.get(r.account_id as string) ?? [];
    list.push({ id: r.id as string, type: r.type as string, from: r.from_account_id as string });
    byAccount.set(r.account_id as string, list);
  }
  for (const [accountId, list] of byAccount) {
    for (const n of list) await publish(db, { type: "notification.created", accountId, notificationId: n.id });
    await enqueueDigestPushes(db, accountId, list.map((n) => ({ notificationId: n.id, fromAccountId: n.from, type: n.type as NotificationType })));
  }
  if (byAccount.size > 0) logger.info("Released the held notifications of {count} people as digests", { count: byAccount.size });
}

/**
 * An administrator changed a preset: everyone with held notifications is decided again (released if now at work,
 * or held until their new next start), one person at a time.
 */
export async function redecideAllHeld(db: Db, now: number): Promise<number> {
  const people = await db`SELECT DISTINCT account_id::text FROM notifications WHERE held_until IS NOT NULL LIMIT 100000`;
  for (const p of people) await releaseHeld(db, p.account_id, now);
  return people.length;
}

/** Held notifications of one person (the settings page says how many wait). */
export async function heldCount(db: Db, accountId: string): Promise<number> {
  const [r] = await db`SELECT count(*)::int AS n FROM notifications WHERE account_id = ${accountId} AND held_until IS NOT NULL`;
  return r.n;
}
