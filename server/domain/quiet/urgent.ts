// The urgent bypass (issue #15 point 4): people given the per-instance `urgent` role by an administrator may mark
// a message urgent, with a reason; it is then never held (hold.ts), is shown as urgent, and its row is the audit
// record administrators read (who, when, to whom, why). Anyone else asking is refused with `urgent_not_allowed`.
//
//   mayMarkUrgent(db, accountId) / grantUrgent(db, accountId, by) / revokeUrgent(db, accountId) / urgentSenders(db)
//   recordUrgent(db, {postId, senderId, reason, recipients})   — in the post's transaction, before notify()
//   isUrgent(db, postId) / urgentLog(db, {limit, maxId})   — posts carry `urgent` too (post-views.ts)
import type { Db } from "../../db/pool.ts";
import { DomainError } from "../errors.ts";

export async function mayMarkUrgent(db: Db, accountId: string): Promise<boolean> {
  return (await db`SELECT 1 FROM urgent_senders WHERE account_id = ${accountId}`).length > 0;
}

export async function grantUrgent(db: Db, accountId: string, grantedBy: string): Promise<void> {
  const [local] = await db`SELECT 1 FROM users WHERE account_id = ${accountId}`;
  if (!local) throw new DomainError("not_found", 404, "no such local account");
  await db`INSERT INTO urgent_senders (account_id, granted_by) VALUES (${accountId}, ${grantedBy}) ON CONFLICT DO NOTHING`;
}

export async function revokeUrgent(db: Db, accountId: string): Promise<boolean> {
  return (await db`DELETE FROM urgent_senders WHERE account_id = ${accountId} RETURNING account_id`).length > 0;
}

export async function urgentSenders(db: Db): Promise<{ accountId: string; username: string; grantedAt: Date }[]> {
  const rows = await db`SELECT s.account_id::text, a.username, s.granted_at FROM urgent_senders s JOIN accounts a ON a.id = s.account_id ORDER BY a.username`;
  return rows.map((r) => ({ accountId: r.account_id, username: r.username, grantedAt: r.granted_at }));
}

/** A reason is required: the audit says why the right to disconnect was overridden. */
export function checkUrgentReason(reason: unknown): string {
  const text = typeof reason === "string" ? reason.trim() : "";
  if (text.length === 0) throw new DomainError("urgent_reason_required", 422, "ruche_urgent_reason: say why this message cannot wait", "ruche_urgent_reason");
  if ([...text].length > 500) throw new DomainError("validation_failed", 422, "ruche_urgent_reason: at most 500 characters", "ruche_urgent_reason");
  return text;
}

/** Refuses someone without the role, before anything is written. */
export async function assertMayMarkUrgent(db: Db, accountId: string): Promise<void> {
  if (!(await mayMarkUrgent(db, accountId))) {
    throw new DomainError("urgent_not_allowed", 403, "You may not mark messages urgent: an administrator gives this role");
  }
}

/** A sibling's post its instance marked urgent (federation/mappers/note.ts): the audit here names that instance. */
export const siblingReason = (origin: string) => `urgent per ${origin}`;

export async function recordUrgent(db: Db, u: { postId: string; senderId: string; reason: string; recipients: string[] }): Promise<void> {
  await db`INSERT INTO urgent_posts (post_id, sender_id, reason, recipients)
    VALUES (${u.postId}, ${u.senderId}, ${u.reason}, ${u.recipients}::bigint[]) ON CONFLICT (post_id) DO NOTHING`;
}

export async function isUrgent(db: Db, postId: string): Promise<boolean> {
  return (await db`SELECT 1 FROM urgent_posts WHERE post_id = ${postId}`).length > 0;
}

export interface UrgentRecord {
  id: string; postId: string | null; sender: string; reason: string; recipients: string[]; createdAt: Date;
}

/** The audit log, newest first: the sender's and recipients' handles (user@domain for remote ones). */
export async function urgentLog(db: Db, opts: { limit?: number; maxId?: string } = {}): Promise<UrgentRecord[]> {
  const limit = Math.min(Math.max(opts.limit ?? 40, 1), 200);
  const rows = await db`SELECT u.id::text, u.post_id::text, u.reason, u.created_at, s.username AS sender,
      (SELECT coalesce(array_agg(CASE WHEN r.domain IS NULL THEN r.username ELSE r.username || '@' || r.domain END ORDER BY r.username), '{}')
         FROM accounts r WHERE r.id = ANY(u.recipients)) AS recipients
    FROM urgent_posts u JOIN accounts s ON s.id = u.sender_id
    WHERE ${opts.maxId && /^\d{1,18}$/.test(opts.maxId) ? db`u.id < ${opts.maxId}` : db`true`}
    ORDER BY u.id DESC LIMIT ${limit}`;
  return rows.map((r) => ({ id: r.id, postId: r.post_id ?? null, sender: r.sender, reason: r.reason, recipients: r.recipients, createdAt: r.created_at }));
}
