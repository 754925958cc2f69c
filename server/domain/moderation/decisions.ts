// What moderators decide (issue #15 point 5), each decision written to the moderation log with its reason:
// dismiss a report, delete reported posts (ours only: a sibling's posts are its own moderators' to remove — the
// report went there as a Flag), silence or suspend an account on this instance, and lift either. A local person
// is told the decision and its reason (notices). Suspension keeps everyone here apart from the account through the
// audience rule (blocks/blocks.ts blocksBetween), and a local one can no longer sign in.
//
//   decide(sql, ctx, moderatorId, {action, accountId?, reportId?, postIds?, reason}) → ModerationAction
//   moderationLog(db, {limit, maxId}) / noticesOf(db, accountId) / markNoticesRead(db, accountId)
import { z } from "zod";
import { atomically, type Db, type Sql } from "../../db/pool.ts";
import { type Account, accountColumns, accountsByIds, disableAccount, findAccountById, findLocalUserById, isStaff, toAccount } from "../accounts/accounts.ts";
import { DomainError } from "../errors.ts";
import { deletePost } from "../posts/posts.ts";
import { publish } from "../../events/bus.ts";

export const MODERATION_ACTIONS = ["dismiss", "delete", "silence", "suspend", "unsilence", "unsuspend"] as const;
export type ModerationActionKind = (typeof MODERATION_ACTIONS)[number];

export const decisionSchema = z.object({
  action: z.enum(MODERATION_ACTIONS),
  account_id: z.string().regex(/^\d{1,18}$/).optional(),
  report_id: z.string().regex(/^\d{1,18}$/).optional(),
  status_ids: z.array(z.string().regex(/^\d{1,18}$/)).max(20).optional(),
  // The reason the person is shown (and the log keeps). Required for anything but a dismissal.
  reason: z.string().trim().max(2000, "a reason has at most 2000 characters").default(""),
}).refine((d) => d.account_id || d.report_id, { message: "name a report or an account", path: ["report_id"] })
  .refine((d) => d.action === "dismiss" || d.reason.length > 0, { message: "a decision needs a reason the person will read", path: ["reason"] });

export interface ModerationAction {
  id: string;
  moderator: Account | null;
  reportId: string | null;
  target: Account;
  action: ModerationActionKind;
  reason: string;
  postIris: string[];
  noticeReadAt: Date | null;
  createdAt: Date;
}

/**
 * One moderator decision. `dataDir`: where deleted posts' media are removed from. Refused with a clear error: a
 * moderator acting on themselves or on staff, deleting posts of another instance, a report already resolved.
 */
export async function decide(sql: Sql, dataDir: string, moderatorId: string, raw: unknown): Promise<ModerationAction> {
  const parsed = decisionSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DomainError("invalid_decision", 422, issue.message, issue.path.join("."));
  }
  const d = parsed.data;
  let targetId = d.account_id ?? null;
  let postIris: string[] = [];
  if (d.report_id) {
    const [r] = await sql`SELECT target_account_id::text, post_iris, state FROM reports WHERE id = ${d.report_id}`;
    if (!r) throw new DomainError("not_found", 404, "no such report", "report_id");
    if (r.state !== "open") throw new DomainError("report_resolved", 409, "this report has been resolved already", "report_id");
    if (targetId && targetId !== r.target_account_id) throw new DomainError("invalid_decision", 422, "the account is not the report's", "account_id");
    targetId = r.target_account_id as string;
    postIris = r.post_iris as string[];
  }
  const target = await findAccountById(sql, targetId!);
  if (!target) throw new DomainError("not_found", 404, "no such account", "account_id");
  if (target.id === moderatorId) throw new DomainError("forbidden", 403, "a moderator does not decide on their own account");
  if (target.domain == null) {
    const user = await findLocalUserById(sql, target.id);
    if (user && isStaff(user) && d.action !== "dismiss") throw new DomainError("forbidden", 403, "moderators and administrators are not moderated here", "account_id");
  }
  if (d.action === "delete") {
    if (d.status_ids?.length) {
      const rows = await sql`SELECT iri FROM posts WHERE id IN ${sql(d.status_ids)} AND account_id = ${target.id}`;
      if (rows.length !== new Set(d.status_ids).size) throw new DomainError("invalid_decision", 422, "a post to delete is not this account's", "status_ids");
      postIris = rows.map((r) => r.iri as string);
    }
    if (postIris.length === 0) throw new DomainError("invalid_decision", 422, "no post to delete", "status_ids");
    // Only the posts' own instance deletes them (its Delete then reaches every server that has them).
    if (target.domain != null) {
      throw new DomainError("remote_content", 422, "these posts belong to another instance: its moderators decide (the report was sent to them)");
    }
  }
  const deleted: string[] = [];
  if (d.action === "delete") {
    const rows = await sql`SELECT id::text FROM posts WHERE iri IN ${sql(postIris)} AND account_id = ${target.id} AND local`;
    for (const r of rows) {
      await deletePost(sql, r.id as string, target.id, dataDir);
      deleted.push(r.id as string);
    }
  }
  return await atomically(sql, async (tx) => {
    if (d.action === "silence") await tx`UPDATE accounts SET silenced_at = coalesce(silenced_at, now()) WHERE id = ${target.id}`;
    if (d.action === "unsilence") await tx`UPDATE accounts SET silenced_at = NULL WHERE id = ${target.id}`;
    if (d.action === "suspend") {
      await tx`UPDATE accounts SET suspended_at = coalesce(suspended_at, now()) WHERE id = ${target.id}`;
      if (target.domain == null) await disableAccount(tx, target.id);
    }
    if (d.action === "unsuspend") {
      await tx`UPDATE accounts SET suspended_at = NULL WHERE id = ${target.id}`;
      if (target.domain == null) await tx`UPDATE users SET disabled_at = NULL WHERE account_id = ${target.id}`;
    }
    if (d.action === "silence" || d.action === "suspend" || d.action === "unsilence" || d.action === "unsuspend") {
      await publish(tx, { type: "account.changed", accountId: target.id });
    }
    // Every process reloads its federation policy, which refuses a suspended remote account's activities.
    if (target.domain != null && (d.action === "suspend" || d.action === "unsuspend")) {
      await publish(tx, { type: "siblings.changed", origin: new URL(target.iri).origin });
    }
    const [row] = await tx`INSERT INTO moderation_actions (moderator_id, report_id, target_account_id, action, reason, post_iris, notice_read_at)
      VALUES (${moderatorId}, ${d.report_id ?? null}, ${target.id}, ${d.action}, ${d.reason}, ${postIris},
        ${d.action === "dismiss" || target.domain != null ? new Date() : null})
      RETURNING id::text`;
    if (d.report_id) {
      await tx`UPDATE reports SET state = 'resolved', action_taken = ${d.action === "dismiss" || d.action === "delete" || d.action === "silence" || d.action === "suspend" ? d.action : null},
        resolved_by = ${moderatorId}, resolved_at = now() WHERE id = ${d.report_id}`;
    }
    return (await loadActions(tx, { id: row.id as string }))[0];
  });
}

/** Reopens a resolved report (Mastodon's reopen); the decision taken stays in the log. */
export async function reopenReport(db: Db, reportId: string): Promise<boolean> {
  const rows = await db`UPDATE reports SET state = 'open', resolved_at = NULL WHERE id = ${reportId} AND state = 'resolved' RETURNING id`;
  return rows.length > 0;
}

export async function moderationLog(db: Db, opts: { limit?: number; maxId?: string } = {}): Promise<ModerationAction[]> {
  const limit = Math.min(Math.max(opts.limit ?? 40, 1), 200);
  return await loadActions(db, { maxId: opts.maxId && /^\d{1,18}$/.test(opts.maxId) ? opts.maxId : undefined }, limit);
}

/** The decisions about a local person, newest first (what they are shown, with the reason). */
export async function noticesOf(db: Db, accountId: string): Promise<ModerationAction[]> {
  return await loadActions(db, { targetId: accountId }, 50);
}

export async function unreadNotices(db: Db, accountId: string): Promise<number> {
  const [r] = await db`SELECT count(*)::int AS n FROM moderation_actions WHERE target_account_id = ${accountId} AND notice_read_at IS NULL`;
  return r.n as number;
}

export async function markNoticesRead(db: Db, accountId: string): Promise<void> {
  await db`UPDATE moderation_actions SET notice_read_at = now() WHERE target_account_id = ${accountId} AND notice_read_at IS NULL`;
}

async function loadActions(db: Db, f: { id?: string; maxId?: string; targetId?: string }, limit = 1): Promise<ModerationAction[]> {
  const rows = await db`SELECT m.id::text AS action_id, m.moderator_id::text, m.report_id::text, m.action, m.reason, m.post_iris,
      m.notice_read_at, m.created_at AS action_at, ${accountColumns(db, "a")}
    FROM moderation_actions m JOIN accounts a ON a.id = m.target_account_id
    WHERE true ${f.id ? db`AND m.id = ${f.id}` : db``} ${f.maxId ? db`AND m.id < ${f.maxId}` : db``}
      ${f.targetId ? db`AND m.target_account_id = ${f.targetId} AND m.action <> 'dismiss'` : db``}
    ORDER BY m.id DESC LIMIT ${limit}`;
  const mods = await accountsByIds(db, rows.map((r) => r.moderator_id as string | null));
  return rows.map((r) => ({
    id: r.action_id as string,
    moderator: r.moderator_id ? mods.get(r.moderator_id as string) ?? null : null,
    reportId: (r.report_id as string | null) ?? null,
    target: toAccount(r),
    action: r.action as ModerationActionKind,
    reason: r.reason as string,
    postIris: r.post_iris as string[],
    noticeReadAt: (r.notice_read_at as Date | null) ?? null,
    createdAt: r.action_at as Date,
  }));
}
