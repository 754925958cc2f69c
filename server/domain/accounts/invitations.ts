// Invitations (issue #8 point 5): a one-time link to choose one's password, for people who have none yet (CSV import)
// or who lost theirs. The token is 32 random bytes shown once; only its SHA-256 is stored. A link works once, for
// INVITATION_DAYS days, and a new link for the same person replaces the previous one.
import { randomBytes } from "node:crypto";
import { atomically, type Db } from "../../db/pool.ts";
import { DomainError } from "../errors.ts";
import { findLocalUser } from "./accounts.ts";
import { checkPassword, setPassword } from "./passwords.ts";
import { digest } from "./tokens.ts";

export const INVITATION_DAYS = 7;

export interface Invitation { url: string; token: string; expiresAt: Date }

export function invitationUrl(origin: string, token: string): string {
  return `${origin}/invitation/${token}`;
}

/** A new link for an account; earlier unused links of that account stop working. */
export async function createInvitation(db: Db, origin: string, accountId: string, opts: { days?: number } = {}): Promise<Invitation> {
  const token = randomBytes(32).toString("base64url");
  const days = opts.days ?? INVITATION_DAYS;
  return await atomically(db, async (tx) => {
    await tx`DELETE FROM invitations WHERE account_id = ${accountId} AND used_at IS NULL`;
    const [row] = await tx`INSERT INTO invitations (token_hash, account_id, expires_at)
      VALUES (${digest(token)}, ${accountId}, now() + make_interval(days => ${days})) RETURNING expires_at`;
    return { url: invitationUrl(origin, token), token, expiresAt: row.expires_at as Date };
  });
}

/** The CLI's `user invite <username>`. */
export async function inviteUser(db: Db, origin: string, username: string): Promise<Invitation> {
  const user = await findLocalUser(db, username);
  if (!user) throw new DomainError("not_found", 404, `no local user named ${username}`);
  if (user.disabled) throw new DomainError("disabled", 422, `@${user.account.username} is disabled`);
  return await createInvitation(db, origin, user.account.id);
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Whom a link invites, while it is usable (unused, unexpired, account not disabled); null otherwise. */
export async function findInvitation(db: Db, token: string): Promise<{ accountId: string; username: string; expiresAt: Date } | null> {
  if (!TOKEN.test(token)) return null;
  const [row] = await db`SELECT i.account_id::text AS account_id, a.username, i.expires_at
    FROM invitations i JOIN users u ON u.account_id = i.account_id JOIN accounts a ON a.id = i.account_id
    WHERE i.token_hash = ${digest(token)} AND i.used_at IS NULL AND i.expires_at > now() AND u.disabled_at IS NULL`;
  return row ? { accountId: row.account_id, username: row.username, expiresAt: row.expires_at } : null;
}

/**
 * Uses a link: sets the password and marks the link used, in one transaction. The password is checked first, so a
 * refused password does not use the link up. Two submissions at once: the row lock lets only one through.
 */
export async function acceptInvitation(db: Db, token: string, password: string): Promise<{ accountId: string }> {
  checkPassword(password);
  if (!TOKEN.test(token)) throw invalid();
  return await atomically(db, async (tx) => {
    const [row] = await tx`UPDATE invitations i SET used_at = now() FROM users u
      WHERE i.token_hash = ${digest(token)} AND i.used_at IS NULL AND i.expires_at > now()
        AND u.account_id = i.account_id AND u.disabled_at IS NULL
      RETURNING i.account_id::text AS account_id`;
    if (!row) throw invalid();
    await setPassword(tx, row.account_id, password);
    return { accountId: row.account_id as string };
  });
}

function invalid(): DomainError {
  return new DomainError("invitation_invalid", 404, "this invitation link is unknown, already used or expired");
}
