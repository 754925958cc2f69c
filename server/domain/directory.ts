// The group-wide people directory: local employees and the profiles siblings share with us. Search is accent- and
// case-insensitive (ruche_fold = lower(unaccent)), backed by a trigram index on the folded text and a GIN index on
// expertise tags; exact expertise matches rank first ("who knows kubernetes?"). Also the org chart (manager chain
// and direct reports, across instances) and the feed siblings pull our directory from.
import type { Db } from "../db/pool.ts";
import { type Account, accountColumns, toAccount } from "./accounts.ts";
import { escapeLike } from "./account-search.ts";
import { normaliseTag } from "./profile-validation.ts";
import { profileColumns, type StoredProfile, toProfile } from "./profiles.ts";

export interface DirectoryEntry { account: Account; profile: StoredProfile }

export interface DirectoryQuery {
  /** Free text over name, username, job, department, site, expertise and subsidiary. */
  q?: string;
  /** "Who knows X": X as an expertise tag (exact first, then tags and text that contain it). */
  knows?: string;
  /** "local" for this instance, or a sibling's host[:port]. */
  instance?: string;
  department?: string;
  site?: string;
  expertise?: string;
  limit?: number;
  offset?: number;
}

/** In the directory: discoverable, and either a local employee whose account works or a profile from a sibling. */
function listed(db: Db) {
  return db`a.discoverable AND ((a.domain IS NULL AND u.disabled_at IS NULL) OR (a.domain IS NOT NULL AND p.from_sibling))`;
}

function tokens(text: string): string[] {
  return text.trim().split(/\s+/).filter(Boolean).slice(0, 8).map((t) => t.replace(/^#/, "")).filter(Boolean);
}

export async function searchDirectory(db: Db, query: DirectoryQuery): Promise<DirectoryEntry[]> {
  const limit = Math.min(Math.max(query.limit ?? 40, 1), 80);
  const offset = Math.min(Math.max(query.offset ?? 0, 0), 10_000);
  const free = (query.q ?? "").slice(0, 200);
  const knows = (query.knows ?? "").slice(0, 100);
  const words = tokens(`${free} ${knows}`);
  // The tag an exact expertise match is ranked on: the whole "knows" phrase, else the whole free text.
  const tag = normaliseTag(knows || free);
  const filterTag = query.expertise ? normaliseTag(query.expertise) : "";
  // Each word is folded by the database, so "Éloïse" and "eloise" are the same word on both sides.
  // Words of three characters or more match anywhere (trigram index); shorter ones match whole words (GIN on words).
  const foldedMatch = words.length === 0 ? db`true` : words.map((w) => w.length >= 3
    ? db`p.search_text LIKE '%' || ruche_fold(${escapeLike(w)}) || '%'`
    : db`p.search_words @> ARRAY[ruche_fold(${w})]`)
    .reduce((acc, cur) => db`${acc} AND ${cur}`);
  const rows = await db`SELECT ${accountColumns(db)}, ${profileColumns(db)}
    FROM profiles p JOIN accounts a ON a.id = p.account_id LEFT JOIN users u ON u.account_id = a.id
    WHERE ${listed(db)}
      AND (${foldedMatch} ${tag ? db`OR p.expertise @> ${[tag]}::text[]` : db``})
      ${query.instance === "local" ? db`AND a.domain IS NULL` : query.instance ? db`AND a.domain = ${query.instance}` : db``}
      ${query.department ? db`AND ruche_fold(p.department) = ruche_fold(${query.department}) AND p.department <> ''` : db``}
      ${query.site ? db`AND ruche_fold(p.site) = ruche_fold(${query.site}) AND p.site <> ''` : db``}
      ${filterTag ? db`AND p.expertise @> ${[filterTag]}::text[]` : db``}
    ORDER BY ${tag ? db`p.expertise @> ${[tag]}::text[] DESC,` : db``}
      ${words.length > 0 ? db`(ruche_fold(a.display_name) LIKE ruche_fold(${escapeLike(words[0])}) || '%') DESC,` : db``}
      a.display_name, a.id
    LIMIT ${limit} OFFSET ${offset}`;
  return rows.map((r) => ({ account: toAccount(r), profile: toProfile(r) }));
}

export interface Facet { value: string; count: number }
export interface DirectoryFacets { instances: Facet[]; departments: Facet[]; sites: Facet[]; expertise: Facet[] }

/** The values the filters offer, most common first (instances: "local" or the sibling's host). */
export async function directoryFacets(db: Db, max = 50): Promise<DirectoryFacets> {
  const base = db`FROM profiles p JOIN accounts a ON a.id = p.account_id LEFT JOIN users u ON u.account_id = a.id WHERE ${listed(db)}`;
  const [instances, departments, sites, expertise] = await Promise.all([
    db`SELECT coalesce(a.domain, 'local') AS value, count(*)::int AS count ${base} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${max}`,
    db`SELECT min(p.department) AS value, count(*)::int AS count ${base} AND p.department <> '' GROUP BY ruche_fold(p.department) ORDER BY 2 DESC, 1 LIMIT ${max}`,
    db`SELECT min(p.site) AS value, count(*)::int AS count ${base} AND p.site <> '' GROUP BY ruche_fold(p.site) ORDER BY 2 DESC, 1 LIMIT ${max}`,
    db`SELECT t AS value, count(*)::int AS count FROM (SELECT unnest(p.expertise) AS t ${base}) x GROUP BY t ORDER BY 2 DESC, 1 LIMIT ${max}`,
  ]);
  const f = (rows: Record<string, unknown>[]) => rows.map((r) => ({ value: String(r.value), count: Number(r.count) }));
  return { instances: f(instances), departments: f(departments), sites: f(sites), expertise: f(expertise) };
}

export interface OrgChart { chain: DirectoryEntry[]; reports: DirectoryEntry[]; managerIri: string | null }

/**
 * The manager chain (closest first, up to 20 levels, stopping at a loop or at a manager we do not know) and the
 * direct reports of one account. Managers and reports may live on any sibling: links are actor IRIs.
 */
export async function orgChart(db: Db, accountId: string): Promise<OrgChart> {
  const chainRows = await db`WITH RECURSIVE chain(id, manager_iri, depth, path) AS (
      SELECT a.id, p.manager_iri, 0, ARRAY[a.id] FROM accounts a LEFT JOIN profiles p ON p.account_id = a.id WHERE a.id = ${accountId}
      UNION ALL
      SELECT m.id, mp.manager_iri, c.depth + 1, c.path || m.id
      FROM chain c JOIN accounts m ON m.iri = c.manager_iri LEFT JOIN profiles mp ON mp.account_id = m.id
      WHERE c.depth < 20 AND NOT m.id = ANY(c.path))
    SELECT ${accountColumns(db)}, ${profileColumns(db)}, chain.depth FROM chain
      JOIN accounts a ON a.id = chain.id LEFT JOIN profiles p ON p.account_id = a.id
    ORDER BY chain.depth`;
  const self = chainRows[0];
  const reports = self
    ? await db`SELECT ${accountColumns(db)}, ${profileColumns(db)}
        FROM profiles p JOIN accounts a ON a.id = p.account_id LEFT JOIN users u ON u.account_id = a.id
        WHERE p.manager_iri = ${self.iri} AND ${listed(db)} ORDER BY a.display_name, a.username LIMIT 200`
    : [];
  const entry = (r: Record<string, unknown>): DirectoryEntry => ({ account: toAccount(r), profile: withDefaults(r) });
  return {
    chain: chainRows.slice(1).map(entry),
    reports: reports.map(entry),
    managerIri: (self?.manager_iri as string | undefined) ?? null,
  };
}

/** An account without a profile row (a remote manager we know only by name) gets empty fields. */
function withDefaults(r: Record<string, unknown>): StoredProfile {
  if (r.profile_account_id != null) return toProfile(r);
  return toProfile({
    profile_account_id: r.id, pronouns: "", job_title: "", department: "", site: "", work_phone: "", work_email: "",
    manager_iri: null, expertise: [], languages: [], career: [], custom_fields: [], visibility: {}, remote_fields: [],
    instance_name: "", scope: "public", from_sibling: false, profile_updated_at: r.updated_at,
  });
}

export interface FeedItem { account: Account; profile: StoredProfile; listed: boolean; cursor: string }

/**
 * Our local profiles changed after `cursor` (`<ISO time>|<account id>`), oldest change first: what siblings pull
 * (federation/directory-sync.ts). Unlisted people (not discoverable, disabled) come too, so siblings drop them.
 */
export async function directoryFeed(db: Db, cursor: string | null, limit = 50): Promise<{ items: FeedItem[]; next: string | null }> {
  // Microsecond timestamps as text: a JavaScript Date would round to milliseconds and serve a row again and again.
  const m = cursor ? /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z)\|(\d{1,18})$/.exec(cursor) : null;
  const after = m ? { at: m[1], id: m[2] } : { at: "1970-01-01T00:00:00Z", id: "0" };
  const rows = await db`SELECT ${accountColumns(db)}, ${profileColumns(db)},
      (a.discoverable AND u.disabled_at IS NULL) AS listed,
      to_char(p.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS feed_at
    FROM profiles p JOIN accounts a ON a.id = p.account_id JOIN users u ON u.account_id = a.id
    WHERE a.domain IS NULL AND (p.updated_at, p.account_id) > (${after.at}::timestamptz, ${after.id}::bigint)
    ORDER BY p.updated_at, p.account_id LIMIT ${limit}`;
  const items = rows.map((r) => ({
    account: toAccount(r), profile: toProfile(r), listed: r.listed as boolean, cursor: `${r.feed_at}|${r.id}`,
  }));
  return { items, next: items.length === limit ? items[items.length - 1].cursor : null };
}

/** Mastodon's profile directory (GET /api/v1/directory): listed people, newest or most recently updated first. */
export async function listDirectory(db: Db, opts: { order: "active" | "new"; localOnly: boolean; limit: number; offset: number }): Promise<Account[]> {
  const rows = await db`SELECT ${accountColumns(db)}
    FROM profiles p JOIN accounts a ON a.id = p.account_id LEFT JOIN users u ON u.account_id = a.id
    WHERE ${listed(db)} ${opts.localOnly ? db`AND a.domain IS NULL` : db``}
    ORDER BY ${opts.order === "new" ? db`a.created_at DESC` : db`p.updated_at DESC`}, a.id DESC
    LIMIT ${opts.limit} OFFSET ${opts.offset}`;
  return rows.map(toAccount);
}
