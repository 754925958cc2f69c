// Account deletion (issue #16 point 3), in three steps:
//   1. requestDeletion: the person asks; the erasure is due after the grace period (RUCHE_DELETION_GRACE_DAYS), and
//      they may cancelDeletion until then (a banner on every page says when). The last active administrator may not.
//   2. eraseAccount (the `account-delete` job, at the due date): their posts, messages, media, profile and follows go
//      in one transaction; every post IRI and the actor IRI are tombstoned (they outlive the account); sessions and
//      tokens stop; Delete(Person) is queued to every server that had their content (siblings, followers' and
//      followees' servers, people they wrote to). The account row stays an empty shell for a week, so the actor
//      document still shows the key receivers check the Delete's signature with.
//   3. purgeAccount (the `account-purge` job, a week later): the row goes, and with it (ON DELETE CASCADE) whatever
//      else still named it: likes, votes, lists, mutes, notifications, moderation records.
import { atomically, type Db, type Sql } from "../../db/pool.ts";
import { enqueueJob } from "../../jobs/enqueue.ts";
import { publish } from "../../events/bus.ts";
import { DomainError } from "../errors.ts";
import { enqueueOutbox } from "../outbox.ts";
import { removeAttachmentFiles } from "../posts/post-media.ts";
import { disableAccount } from "./accounts.ts";

export const PURGE_AFTER_MS = 7 * 86_400_000;

export interface DeletionState { requestedAt: Date; dueAt: Date }

export async function deletionState(db: Db, accountId: string): Promise<DeletionState | null> {
  const [r] = await db`SELECT deletion_requested_at, deletion_due_at FROM users WHERE account_id = ${accountId} AND deletion_due_at IS NOT NULL`;
  return r ? { requestedAt: r.deletion_requested_at as Date, dueAt: r.deletion_due_at as Date } : null;
}

/** The person asks for their account to be deleted after `graceDays` (0: at once). */
export async function requestDeletion(sql: Sql, accountId: string, opts: { graceDays: number; now?: Date }): Promise<DeletionState> {
  const now = opts.now ?? new Date();
  const dueAt = new Date(now.getTime() + opts.graceDays * 86_400_000);
  return await atomically(sql, async (tx) => {
    const [user] = await tx`SELECT u.role, u.disabled_at, a.deleted_at FROM users u JOIN accounts a ON a.id = u.account_id
      WHERE u.account_id = ${accountId} FOR UPDATE OF u`;
    if (!user || user.deleted_at) throw new DomainError("not_found", 404, "no such account");
    if (user.role === "admin") {
      // Serialised with any other administrator's request: two last admins cannot both leave.
      await tx`SELECT pg_advisory_xact_lock(4242016)`;
      const [{ n }] = await tx`SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND disabled_at IS NULL
        AND deletion_due_at IS NULL AND account_id <> ${accountId}`;
      if (n === 0) throw new DomainError("last_admin", 422, "the last administrator cannot delete their account: make someone else administrator first");
    }
    await tx`UPDATE users SET deletion_requested_at = ${now}, deletion_due_at = ${dueAt} WHERE account_id = ${accountId}`;
    await enqueueJob(tx, "account-delete", { accountId, dueAt: dueAt.toISOString() }, { delayMs: Math.max(0, dueAt.getTime() - now.getTime()) });
    return { requestedAt: now, dueAt };
  });
}

/** The person changed their mind before the due date; the queued job then finds nothing due. */
export async function cancelDeletion(db: Db, accountId: string): Promise<boolean> {
  const rows = await db`UPDATE users SET deletion_requested_at = NULL, deletion_due_at = NULL
    WHERE account_id = ${accountId} AND deletion_due_at IS NOT NULL RETURNING account_id`;
  return rows.length > 0;
}

/**
 * Erases a person whose deletion is due (`dueAt`: the date the job was queued for; a cancelled or re-requested
 * deletion does not match and nothing happens). Returns whether it erased.
 */
export async function eraseAccount(sql: Sql, dataDir: string, accountId: string, dueAt: string, now = new Date()): Promise<boolean> {
  const files = await atomically(sql, async (tx) => {
    const [u] = await tx`SELECT u.deletion_due_at, a.iri, a.username FROM users u JOIN accounts a ON a.id = u.account_id
      WHERE u.account_id = ${accountId} AND a.deleted_at IS NULL FOR UPDATE OF u, a`;
    if (!u || !u.deletion_due_at || (u.deletion_due_at as Date).toISOString() !== dueAt || (u.deletion_due_at as Date) > now) return null;
    // Who had their content: computed before the follows go. Siblings are addressed by the delivery itself.
    const recipients = await tx`SELECT DISTINCT a.iri, a.inbox_url, a.shared_inbox_url FROM accounts a WHERE a.domain IS NOT NULL AND a.id IN (
        SELECT follower_id FROM follows WHERE following_id = ${accountId}
        UNION SELECT following_id FROM follows WHERE follower_id = ${accountId}
        UNION SELECT m.account_id FROM mentions m JOIN posts p ON p.id = m.post_id WHERE p.account_id = ${accountId})`;
    const media = await tx`SELECT path AS url FROM media WHERE account_id = ${accountId}
      UNION SELECT url FROM attachments WHERE account_id = ${accountId} AND NOT remote`;
    await tx`INSERT INTO tombstones (iri, account_id) SELECT iri, NULL FROM posts WHERE account_id = ${accountId} AND local
      ON CONFLICT (iri) DO UPDATE SET account_id = NULL`;
    await tx`INSERT INTO tombstones (iri, account_id) VALUES (${u.iri}, NULL) ON CONFLICT (iri) DO UPDATE SET account_id = NULL`;
    await tx`UPDATE tombstones SET account_id = NULL WHERE account_id = ${accountId}`;
    await tx`DELETE FROM posts WHERE account_id = ${accountId}`;
    await tx`DELETE FROM attachments WHERE account_id = ${accountId}`;
    await tx`DELETE FROM media WHERE account_id = ${accountId}`;
    await tx`DELETE FROM follows WHERE follower_id = ${accountId} OR following_id = ${accountId}`;
    await tx`DELETE FROM profiles WHERE account_id = ${accountId}`;
    await tx`DELETE FROM oidc_identities WHERE account_id = ${accountId}`;
    await tx`UPDATE accounts SET display_name = '', bio = '', bio_html = '', avatar_url = NULL, header_url = NULL,
      discoverable = false, deleted_at = ${now} WHERE id = ${accountId}`;
    await tx`UPDATE users SET email = NULL, password_hash = NULL WHERE account_id = ${accountId}`;
    await disableAccount(tx, accountId);
    await enqueueOutbox(tx, {
      kind: "delete-actor", accountId, iri: u.iri as string, username: u.username as string,
      recipients: recipients.map((r) => ({ iri: r.iri as string, inboxUrl: (r.inbox_url as string) ?? null, sharedInboxUrl: (r.shared_inbox_url as string) ?? null })),
    });
    await enqueueJob(tx, "account-purge", { accountId }, { delayMs: PURGE_AFTER_MS });
    await publish(tx, { type: "account.changed", accountId });
    return media.map((m) => m.url as string);
  });
  if (files === null) return false;
  await removeAttachmentFiles(dataDir, files);
  return true;
}

/** The week after erasure: the shell goes, and everything that still named it. */
export async function purgeAccount(db: Db, accountId: string): Promise<boolean> {
  return await atomically(db, async (tx) => {
    const rows = await tx`DELETE FROM accounts WHERE id = ${accountId} AND deleted_at IS NOT NULL AND domain IS NULL RETURNING id`;
    if (rows.length > 0) await tx`DELETE FROM key_pairs WHERE owner = ${`account:${accountId}`}`;
    return rows.length > 0;
  });
}

/**
 * A remote person's server deleted them (Delete whose object is its actor, checked by the inbox handler): their
 * account goes here with everything stored of them, and its IRI is tombstoned.
 */
export async function removeRemoteAccount(db: Db, iri: string): Promise<boolean> {
  return await atomically(db, async (tx) => {
    const rows = await tx`DELETE FROM accounts WHERE iri = ${iri} AND domain IS NOT NULL RETURNING id`;
    await tx`INSERT INTO tombstones (iri, account_id) VALUES (${iri}, NULL) ON CONFLICT (iri) DO UPDATE SET account_id = NULL`;
    for (const r of rows) await publish(tx, { type: "account.changed", accountId: String(r.id) });
    return rows.length > 0;
  });
}
