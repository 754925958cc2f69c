// Account search for the client API: prefix match on the username (optionally `user@domain-prefix`) or on any
// word of the display name, over local and already known remote accounts. Disabled local users are left out, and so
// are the people the searcher blocked or who blocked them (as Mastodon does).
import type { Db } from "../../db/pool.ts";
import { blocksBetween } from "../blocks/blocks.ts";
import { type Account, accountColumns, toAccount } from "./accounts.ts";

/** Escapes LIKE wildcards so a query such as `a_b%` matches those characters literally. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

export async function searchAccounts(db: Db, query: string, opts: { localHost: string; limit: number; offset: number; viewerId?: string | null }): Promise<Account[]> {
  const q = query.trim().replace(/^@/, "").toLowerCase();
  if (!q) return [];
  const at = q.indexOf("@");
  const user = at >= 0 ? q.slice(0, at) : q;
  let domain = at >= 0 ? q.slice(at + 1) : null;
  if (!user) return [];
  const local = domain != null && domain === opts.localHost.toLowerCase();
  if (local) domain = null;
  const prefix = `${escapeLike(user)}%`;
  const wordPrefix = `% ${escapeLike(user)}%`;
  const domainFilter = local
    ? db`AND a.domain IS NULL`
    : domain != null
      ? db`AND lower(a.domain) LIKE ${`${escapeLike(domain)}%`} ESCAPE '\\'`
      : db``;
  // A display name is matched only when the query has no domain part: "bob@paris" means a handle.
  const nameMatch = domain == null && !local
    ? db`OR lower(a.display_name) LIKE ${prefix} ESCAPE '\\' OR lower(a.display_name) LIKE ${wordPrefix} ESCAPE '\\'`
    : db``;
  const rows = await db`SELECT ${accountColumns(db)} FROM accounts a LEFT JOIN users u ON u.account_id = a.id
    WHERE (a.domain IS NOT NULL OR u.disabled_at IS NULL)
      ${opts.viewerId ? db`AND a.id NOT IN ${blocksBetween(db, opts.viewerId)}` : db``}
      AND ((lower(a.username) LIKE ${prefix} ESCAPE '\\' ${domainFilter}) ${nameMatch})
    ORDER BY lower(a.username) = ${user} DESC, a.domain IS NULL DESC, lower(a.username), a.id
    LIMIT ${opts.limit} OFFSET ${opts.offset}`;
  return rows.map(toAccount);
}
