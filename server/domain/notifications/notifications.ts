// Notifications of local accounts: mentions, replies, follows and follow requests (notifyFollow, from the follows
// domain), likes ('favourite'), boosts ('reblog'), ended polls ('poll', polls/polls.ts); 'update' is reserved.
// Unread = above the account's 'notifications' marker (markers.ts), so "mark read" is one marker write.
//
//   notify(db, {accountId, type, fromAccountId, postId?})          — idempotent; skips self, remote, muted and blocked senders
//   listNotifications(db, accountId, {limit, maxId, minId, types, excludeTypes}) → Page<NotificationRow>
//   unreadCount(db, accountId) → number
//   markNotificationsRead(db, accountId, lastReadId?)  — up to the newest when no id is given
//   dismissNotification(db, accountId, id) / clearNotifications(db, accountId)
// A notification about a post the recipient can no longer read (deleted, or narrowed) is not listed, nor one about a
// post (or boost) matching one of the recipient's muted words (the timelines' matcher, timelines/mutes.ts), nor one
// from someone blocked either way (blocks/blocks.ts), even if it was written before the block.
import { atomically, type Db } from "../../db/pool.ts";
import { type Account, accountColumns, toAccount } from "../accounts/accounts.ts";
import { localViewer, visibleTo } from "../audience/visibility.ts";
import { muteInForce, mutedIn, notWordMuted, type TextMutes } from "../timelines/mutes.ts";
import { publish } from "../../events/bus.ts";
import { blocksBetween } from "../blocks/blocks.ts";
import { keysetCursors } from "../keyset.ts";
import { enqueuePushes } from "../push/subscriptions.ts";
import { conversationSilenced } from "../conversations/conversations.ts";
import { holdFor } from "../quiet/held.ts";
import { currentClock } from "../../clock.ts";

// 'ruche.question': someone asks you to answer their question (issue #14; the question rides on the row).
// 'ruche.event_*': an event's invitation, request to take part, answer, place given, cancellation and reminder (issue #12).
export const NOTIFICATION_TYPES = ["mention", "reply", "follow", "follow_request", "favourite", "reblog", "poll", "update", "ruche.question",
  "ruche.event_invitation", "ruche.event_request", "ruche.event_participation", "ruche.event_place", "ruche.event_changed", "ruche.event_cancelled",
  "ruche.event_reminder"] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

export interface NotificationRow {
  id: string;
  type: NotificationType;
  from: Account;
  postId: string | null;
  questionId: string | null;
  createdAt: Date;
  /** Outside the recipient's working hours: stored, not pushed nor streamed, until then (quiet/held.ts). */
  heldUntil: Date | null;
}

/**
 * The one way a notification is written (no trigger writes any behind it). Idempotent; skips self (but for one's own ended poll), remote
 * recipients, senders the recipient muted with notifications, senders blocked either way and messages of a
 * conversation the recipient muted or left; publishes `notification.created` and queues the recipient's Web Pushes
 * (push/subscriptions.ts) in the caller's transaction. Returns the new notification's id, or null when nothing was written.
 */
export async function notify(db: Db, n: NotificationInput): Promise<string | null> {
  // A poll's author hears that their own poll ended (Mastodon notifies the owner too), an organiser the reminder of
  // their own event; nobody else hears themselves.
  if (n.accountId === n.fromAccountId && n.type !== "poll" && n.type !== "ruche.event_reminder") return null;
  // The notification, its event and its Web Push jobs commit together: a crash cannot lose a push.
  return await atomically(db, async (tx) => await write(tx, n));
}

type NotificationInput = { accountId: string; type: NotificationType; fromAccountId: string; postId?: string | null; questionId?: string | null };

async function write(db: Db, n: NotificationInput): Promise<string | null> {
  // Quiet time (issue #15): the one place every feature's notification is held or delivered.
  const heldUntil = await holdFor(db, n.accountId, n.postId, currentClock().now());
  const [row] = await db`INSERT INTO notifications (account_id, type, from_account_id, post_id, question_id, held_until)
    SELECT ${n.accountId}, ${n.type}, ${n.fromAccountId}, ${n.postId ?? null}, ${n.questionId ?? null}, ${heldUntil}
    WHERE EXISTS (SELECT 1 FROM accounts WHERE id = ${n.accountId} AND domain IS NULL)
      AND NOT EXISTS (SELECT 1 FROM account_mutes m WHERE m.account_id = ${n.accountId} AND m.target_id = ${n.fromAccountId}
        AND m.notifications AND ${muteInForce(db, "m")})
      AND ${n.fromAccountId} NOT IN ${blocksBetween(db, n.accountId)}
      AND NOT ${conversationSilenced(db, n.accountId, n.postId)}
    ON CONFLICT DO NOTHING RETURNING id::text`;
  if (!row) return null;
  if (heldUntil) return row.id as string; // released later as a digest, with its event and push (quiet/held.ts)
  await publish(db, { type: "notification.created", accountId: n.accountId, notificationId: row.id });
  await enqueuePushes(db, { notificationId: row.id, accountId: n.accountId, fromAccountId: n.fromAccountId, type: n.type });
  return row.id as string;
}

/**
 * A follow of a local account: "follow_request" while pending, "follow" once accepted (which replaces the
 * request). Called by every path that writes a follow of a local account.
 */
export async function notifyFollow(db: Db, f: { targetId: string; followerId: string; state: "pending" | "accepted" }): Promise<void> {
  if (f.state === "accepted") {
    await db`DELETE FROM notifications WHERE account_id = ${f.targetId} AND from_account_id = ${f.followerId} AND type = 'follow_request'`;
  }
  await notify(db, { accountId: f.targetId, type: f.state === "accepted" ? "follow" : "follow_request", fromAccountId: f.followerId });
}

/**
 * Which of `n`'s notifications (joined to their post as `p`) the recipient sees: none about a post they can no
 * longer read, none about a post with one of their muted words, none from someone blocked either way. One condition for the list and the count.
 */
function shown(db: Db, accountId: string, mutedWords: TextMutes) {
  return db`AND (n.post_id IS NULL OR (p.id IS NOT NULL AND ${visibleTo(db, localViewer(accountId))}))
    AND n.from_account_id NOT IN ${blocksBetween(db, accountId)}
    ${notWordMuted(db, mutedWords, "p")}`;
}

export interface NotificationPage { items: NotificationRow[]; nextMaxId: string | null; prevMinId: string | null }

export async function listNotifications(db: Db, accountId: string, opts: {
  limit?: number; maxId?: string; minId?: string; sinceId?: string; types?: NotificationType[]; excludeTypes?: NotificationType[];
} = {}): Promise<NotificationPage> {
  const limit = Math.min(Math.max(opts.limit ?? 40, 1), 80);
  const rows = await db`SELECT n.id::text AS notification_id, n.type, n.post_id::text AS post_id, n.question_id::text AS question_id,
      n.created_at AS notified_at, n.held_until,
      ${accountColumns(db)}
    FROM notifications n JOIN accounts a ON a.id = n.from_account_id
    LEFT JOIN posts p ON p.id = n.post_id
    WHERE n.account_id = ${accountId} ${shown(db, accountId, await mutedIn(db, accountId, "notifications"))}
      ${opts.types?.length ? db`AND n.type = ANY(${opts.types})` : db``}
      ${opts.excludeTypes?.length ? db`AND NOT (n.type = ANY(${opts.excludeTypes}))` : db``}
      ${opts.maxId ? db`AND n.id < ${opts.maxId}` : db``}
      ${opts.minId ? db`AND n.id > ${opts.minId}` : db``}
      ${opts.sinceId ? db`AND n.id > ${opts.sinceId}` : db``}
    ORDER BY n.id ${opts.minId ? db`ASC` : db`DESC`} LIMIT ${limit}`;
  if (opts.minId) rows.reverse();
  const items = rows.map((r) => ({
    id: r.notification_id as string, type: r.type as NotificationType, from: toAccount(r),
    postId: (r.post_id as string) ?? null, questionId: (r.question_id as string) ?? null, createdAt: r.notified_at as Date,
    heldUntil: (r.held_until as Date) ?? null,
  }));
  return { items, ...keysetCursors(items, limit, (i) => i.id) };
}

export async function getNotification(db: Db, accountId: string, id: string): Promise<NotificationRow | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const page = await listNotifications(db, accountId, { maxId: String(BigInt(id) + 1n), limit: 1 });
  return page.items[0]?.id === id ? page.items[0] : null;
}

/**
 * Unread notifications, counted with the same conditions as the list shows them (a muted word's are not counted),
 * held ones left out: outside working hours the badge stays quiet (issue #15).
 */
export async function unreadCount(db: Db, accountId: string): Promise<number> {
  const [r] = await db`SELECT count(*)::int AS n FROM (SELECT 1 FROM notifications n LEFT JOIN posts p ON p.id = n.post_id
    WHERE n.account_id = ${accountId} AND n.held_until IS NULL ${shown(db, accountId, await mutedIn(db, accountId, "notifications"))}
      AND n.id > coalesce((SELECT last_read_id FROM markers WHERE account_id = ${accountId} AND timeline = 'notifications'), 0)
    LIMIT 1000) x`;
  return r.n;
}

/** Moves the read marker to `lastReadId` (or to the newest notification). Returns the marker's position. */
export async function markNotificationsRead(db: Db, accountId: string, lastReadId?: string): Promise<string> {
  const [top] = lastReadId
    ? [{ id: lastReadId }]
    : await db`SELECT coalesce(max(id), 0)::text AS id FROM notifications WHERE account_id = ${accountId}`;
  await db`INSERT INTO markers (account_id, timeline, last_read_id) VALUES (${accountId}, 'notifications', ${top.id})
    ON CONFLICT (account_id, timeline) DO UPDATE SET last_read_id = excluded.last_read_id,
      version = markers.version + 1, updated_at = now()`;
  return String(top.id);
}

export async function dismissNotification(db: Db, accountId: string, id: string): Promise<boolean> {
  if (!/^\d{1,18}$/.test(id)) return false;
  return (await db`DELETE FROM notifications WHERE id = ${id} AND account_id = ${accountId} RETURNING id`).length > 0;
}

export async function clearNotifications(db: Db, accountId: string): Promise<void> {
  await db`DELETE FROM notifications WHERE account_id = ${accountId}`;
}
