// Counts shown by the client API: instance statistics and per-account follow counts for whole pages of accounts
// (one query for a page of 80 accounts instead of 80).
import type { Db } from "../../db/pool.ts";
import { type Account, accountColumns, toAccount } from "./accounts.ts";

export interface InstanceStats { users: number; activeMonth: number; domains: number }

/** Active users have used a token or opened a session in the last 30 days. */
export async function instanceStats(db: Db): Promise<InstanceStats> {
  const [r] = await db`SELECT
    (SELECT count(*)::int FROM users WHERE disabled_at IS NULL) AS users,
    (SELECT count(DISTINCT domain)::int FROM accounts WHERE domain IS NOT NULL) AS domains,
    (SELECT count(*)::int FROM (
      SELECT account_id FROM api_tokens WHERE last_used_at > now() - interval '30 days'
      UNION SELECT account_id FROM sessions WHERE created_at > now() - interval '30 days') active) AS active_month`;
  return { users: r.users, activeMonth: r.active_month, domains: r.domains };
}

/** The oldest enabled administrator, shown as the instance's contact. */
export async function contactAccount(db: Db): Promise<Account | null> {
  const rows = await db`SELECT ${accountColumns(db)} FROM accounts a JOIN users u ON u.account_id = a.id
    WHERE u.role = 'admin' AND u.disabled_at IS NULL ORDER BY a.id LIMIT 1`;
  return rows[0] ? toAccount(rows[0]) : null;
}

/** Accepted followers and followings of each account, by account id (accounts without any get zeros). */
export async function followCountsFor(db: Db, ids: string[]): Promise<Map<string, { followers: number; following: number }>> {
  const out = new Map(ids.map((id) => [id, { followers: 0, following: 0 }]));
  if (ids.length === 0) return out;
  const rows = await db`SELECT id::text AS id,
      (SELECT count(*)::int FROM follows WHERE following_id = x.id AND state = 'accepted') AS followers,
      (SELECT count(*)::int FROM follows WHERE follower_id = x.id AND state = 'accepted') AS following
    FROM unnest(${ids}::bigint[]) AS x(id)`;
  for (const r of rows) out.set(r.id, { followers: r.followers, following: r.following });
  return out;
}

export async function pendingFollowRequestCount(db: Db, accountId: string): Promise<number> {
  const [r] = await db`SELECT count(*)::int AS n FROM follows WHERE following_id = ${accountId} AND state = 'pending'`;
  return r.n;
}
