// Counts shown by the client API: instance statistics and per-account follow counts for whole pages of accounts
// (one query for a page of 80 accounts instead of 80).
import type { Db } from "../../db/pool.ts";
import { type Account, accountColumns, toAccount } from "./accounts.ts";

/**
 * The instance's figures, one source for every document that shows them (Mastodon's v1 `stats` and v2 `usage`,
 * NodeInfo's `usage`), so they never disagree. `users`: enabled local users. `activeMonth` / `activeHalfyear`:
 * enabled users who used an API token or opened a web session in the last 30 / 180 days. `localPosts`: what
 * Mastodon counts (the sum of local accounts' `statuses_count`: their posts and boosts, direct messages left out);
 * `localComments`: those of them that are replies. `domains`: other servers this one knows accounts of.
 */
export interface InstanceStats {
  users: number; activeMonth: number; activeHalfyear: number; localPosts: number; localComments: number; domains: number;
}

export async function instanceStats(db: Db): Promise<InstanceStats> {
  const [r] = await db`WITH active AS (
      SELECT account_id, max(at) AS last FROM (
        SELECT account_id, last_used_at AS at FROM api_tokens WHERE last_used_at > now() - interval '180 days'
        UNION ALL SELECT account_id, created_at FROM sessions WHERE created_at > now() - interval '180 days') used
      GROUP BY account_id)
    SELECT
      (SELECT count(*)::int FROM users WHERE disabled_at IS NULL) AS users,
      (SELECT count(DISTINCT domain)::int FROM accounts WHERE domain IS NOT NULL) AS domains,
      (SELECT count(*) FILTER (WHERE a.last > now() - interval '30 days')::int FROM active a
        JOIN users u ON u.account_id = a.account_id AND u.disabled_at IS NULL) AS active_month,
      (SELECT count(*)::int FROM active a JOIN users u ON u.account_id = a.account_id AND u.disabled_at IS NULL) AS active_halfyear,
      (SELECT count(*)::int FROM posts WHERE local AND visibility <> 'direct') AS local_posts,
      (SELECT count(*)::int FROM posts WHERE local AND visibility <> 'direct' AND (in_reply_to_id IS NOT NULL OR in_reply_to_iri IS NOT NULL)) AS local_comments`;
  return {
    users: r.users, activeMonth: r.active_month, activeHalfyear: r.active_halfyear, localPosts: r.local_posts,
    localComments: r.local_comments, domains: r.domains,
  };
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
