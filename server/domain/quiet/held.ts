// Held notifications (issue #15 point 2): notify() asks `holdFor` — the one place a notification's delivery is
// decided — and a held notification is stored with `held_until` but neither streamed nor pushed. It is released
// as one digest (one Web Push summarising them, and the streaming events each would have had) when its person's
// next working period starts: a `quiet-release` job queued for that instant (durable across restarts), a clock
// advance in tests, or a schedule change that puts the person at work now.
//
//   holdFor(db, accountId, postId, now) → Date | null        — null: deliver now
//   releaseHeld(db, accountId, now) → ids released           — re-decides; releases all when at work now
//   releaseDue(db, now) → people released                    — what a clock advance triggers
import { getLogger } from "@logtape/logtape";
import { atomically, type Db } from "../../db/pool.ts";
import { publish } from "../../events/bus.ts";
import { enqueueJob } from "../../jobs/enqueue.ts";
import { enqueueDigestPushes } from "../push/subscriptions.ts";
import { decide } from "./hold.ts";
import { scheduleInForce } from "./schedules.ts";
import { isUrgent } from "./urgent.ts";

const logger = getLogger(["ruche", "quiet"]);

export interface ReleaseJob { accountId: string }

/**
 * Until when a notification for `accountId` (about `postId`, if any) is held, or null to deliver it now. An urgent
 * message is never held. Queues the release at that instant, in the caller's transaction.
 */
export async function holdFor(db: Db, accountId: string, postId: string | null | undefined, now: number): Promise<Date | null> {
  const found = await scheduleInForce(db, accountId);
  if (!found) return null;
  const d = decide(found.schedule, now, postId ? await isUrgent(db, postId) : false);
  if (d.deliver) return null;
  await queueRelease(db, accountId, d.until, now);
  return d.until;
}

/** One release job per person and instant (a `short` queue keyed so): a hundred held notifications, one job. */
async function queueRelease(db: Db, accountId: string, until: Date, now: number): Promise<void> {
  await enqueueJob(db, "quiet-release", { accountId } satisfies ReleaseJob, {
    key: `${accountId}@${until.toISOString()}`, delayMs: Math.max(0, until.getTime() - now),
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
      if (moved.length > 0) await queueRelease(tx, accountId, d.until, now);
      return [];
    }
    // Oldest first: streaming clients insert them in the order they happened.
    const rows = await tx`UPDATE notifications SET held_until = NULL
      WHERE id IN (SELECT id FROM notifications WHERE account_id = ${accountId} AND held_until IS NOT NULL FOR UPDATE)
      RETURNING id::text, type, from_account_id::text`;
    if (rows.length === 0) return [];
    rows.sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
    for (const r of rows) await publish(tx, { type: "notification.created", accountId, notificationId: r.id });
    await enqueueDigestPushes(tx, accountId, rows.map((r) => ({ notificationId: r.id, fromAccountId: r.from_account_id, type: r.type })));
    logger.info("Released {count} held notifications of account {account} as one digest", { count: rows.length, account: accountId });
    return rows.map((r) => r.id as string);
  });
}

/** People released at once by releaseDue: each is a few short statements, so round trips, not CPU, set the pace. */
const RELEASE_CONCURRENCY = 4;

/**
 * Everyone whose held notifications are due at `now` (9:00 for a whole company): each released (or re-held) by
 * releaseHeld, in its own transaction, a few at a time. `db` is the pool (a transaction would serialise them).
 */
export async function releaseDue(db: Db, now: number): Promise<number> {
  const due = (await db`SELECT DISTINCT account_id::text FROM notifications WHERE held_until IS NOT NULL AND held_until <= ${new Date(now)}
    LIMIT 100000`).map((r) => r.account_id as string);
  let next = 0;
  const worker = async () => {
    while (next < due.length) await releaseHeld(db, due[next++], now);
  };
  await Promise.all(Array.from({ length: Math.min(RELEASE_CONCURRENCY, due.length) }, worker));
  return due.length;
}

/** Held notifications of one person (the settings page says how many wait). */
export async function heldCount(db: Db, accountId: string): Promise<number> {
  const [r] = await db`SELECT count(*)::int AS n FROM notifications WHERE account_id = ${accountId} AND held_until IS NOT NULL`;
  return r.n;
}
