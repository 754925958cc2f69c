// Sign-in rate limits (issue #8 point 5): at most LOGIN_LIMITS.perAccount failed attempts per account and
// LOGIN_LIMITS.perAddress per client address in a sliding window, so a password cannot be guessed by trying many
// (per account) nor many accounts tried from one place (per address). Counted in PostgreSQL with the database's
// clock, so every web process sharing the database applies the same limit — an in-memory counter would give each
// process its own allowance.
//
// An attempt is recorded *before* the password is checked and forgotten if it succeeds: parallel attempts each see
// the others, so a burst cannot slip past the count while Argon2 runs. Refused attempts are not recorded (they did not
// try a password), so the window ends on time even while someone keeps knocking.
import type { Db } from "../../db/pool.ts";

export const LOGIN_LIMITS = { windowSeconds: 15 * 60, perAccount: 10, perAddress: 50 } as const;

export type LoginAttempt =
  | { allowed: true; ids: string[]; account: string }
  | { allowed: false; retryAfterSeconds: number };

/** The account key: the username as sign-in reads it (known or not, so the answer does not reveal which exist). */
export function accountKey(username: string): string {
  return username.trim().replace(/^@/, "").toLowerCase().slice(0, 100);
}

export async function beginLoginAttempt(db: Db, who: { username: string; address: string }): Promise<LoginAttempt> {
  const w = LOGIN_LIMITS.windowSeconds;
  const account = accountKey(who.username);
  // Old rows go a few at a time, so the table stays the size of one window without a separate job.
  await db`DELETE FROM login_failures WHERE id IN (
    SELECT id FROM login_failures WHERE failed_at < now() - make_interval(secs => ${w}) LIMIT 100)`;
  const rows = await db`INSERT INTO login_failures (scope, key)
    VALUES ('account', ${account}), ('address', ${who.address}) RETURNING id::text AS id`;
  const ids = rows.map((r) => r.id as string);
  const [over] = await db`SELECT max(retry)::int AS retry FROM (
      SELECT ceil(extract(epoch FROM f.failed_at + make_interval(secs => ${w}) - now())) AS retry
      FROM (VALUES ('account', ${account}, ${LOGIN_LIMITS.perAccount}::int), ('address', ${who.address}, ${LOGIN_LIMITS.perAddress}::int))
        AS l(scope, key, lim)
      CROSS JOIN LATERAL (
        SELECT failed_at FROM login_failures x
        WHERE x.scope = l.scope AND x.key = l.key AND x.failed_at > now() - make_interval(secs => ${w})
          AND x.id <> ALL(${ids}::bigint[])
        ORDER BY failed_at DESC OFFSET l.lim - 1 LIMIT 1) f
    ) r`;
  if (over?.retry != null) {
    await db`DELETE FROM login_failures WHERE id = ANY(${ids}::bigint[])`;
    return { allowed: false, retryAfterSeconds: Math.max(1, over.retry as number) };
  }
  return { allowed: true, ids, account };
}

/** A successful sign-in clears the account's failures (its owner knows the password) and this attempt's address row. */
export async function loginSucceeded(db: Db, attempt: Extract<LoginAttempt, { allowed: true }>): Promise<void> {
  await db`DELETE FROM login_failures WHERE (scope = 'account' AND key = ${attempt.account}) OR id = ANY(${attempt.ids}::bigint[])`;
}
