// Passwords: set by the person (invitation link, settings) or by an operator (CLI reset). Only Argon2id hashes are
// stored (accounts.ts authenticate() verifies them). Setting a password ends the person's other sessions: whoever
// knew the old one, or held a session opened with it, is signed out.
import { hash, verify } from "@node-rs/argon2";
import { atomically, type Db } from "../../db/pool.ts";
import { DomainError } from "../errors.ts";
import { LIMITS, passwordSchema } from "./accounts.ts";
import { digest } from "./tokens.ts";

export type PasswordProblem = "too_short" | "too_long";

/** Why a chosen password is refused, or null. One rule, used by every form and the CLI (through setPassword). */
export function passwordProblem(password: string): PasswordProblem | null {
  if (passwordSchema.safeParse(password).success) return null;
  return password.length < LIMITS.password.min ? "too_short" : "too_long";
}

export function checkPassword(password: string): void {
  const p = passwordSchema.safeParse(password);
  if (!p.success) throw new DomainError(`password_${passwordProblem(password)}`, 422, p.error.issues[0].message, "password");
}

/**
 * Sets a local account's password and ends its sessions, except `keepSession` (the cookie of the session that made
 * the change, so changing one's password in the settings does not sign one out).
 */
export async function setPassword(db: Db, accountId: string, password: string, opts: { keepSession?: string } = {}): Promise<void> {
  checkPassword(password);
  const passwordHash = await hash(password);
  await atomically(db, async (tx) => {
    const rows = await tx`UPDATE users SET password_hash = ${passwordHash} WHERE account_id = ${accountId} RETURNING account_id`;
    if (rows.length === 0) throw new DomainError("not_found", 404, "no such local account");
    await tx`DELETE FROM sessions WHERE account_id = ${accountId}
      AND id_hash <> ${opts.keepSession ? digest(opts.keepSession) : ""}`;
  });
}

/** The settings form: the current password must be right (someone at an unlocked screen cannot take the account). */
export async function changePassword(db: Db, accountId: string, current: string, next: string, opts: { keepSession?: string } = {}): Promise<void> {
  const [row] = await db`SELECT password_hash FROM users WHERE account_id = ${accountId}`;
  const ok = row?.password_hash ? await verify(row.password_hash as string, current).catch(() => false) : false;
  if (!ok) throw new DomainError("wrong_password", 422, "the current password is not right", "current");
  await setPassword(db, accountId, next, opts);
}
