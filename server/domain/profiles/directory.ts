// The group-wide people directory: local employees and the profiles siblings share with us. Search is accent- and
// case-insensitive (ruche_fold = lower(unaccent)), read from name-ordered lists per expertise tag and per word
// (migration 0005) so that a page costs the same at 100 or 100,000 people; exact expertise matches rank first ("who
// knows kubernetes?"). Also the filters' values, the org chart (manager chain and direct reports, across instances)
// and the feed siblings pull our directory from.
import type postgres from "postgres";
import type { Db } from "../../db/pool.ts";
import { type Account, accountColumns, toAccount } from "../accounts/accounts.ts";
import { escapeLike } from "../accounts/account-search.ts";
import { normaliseTag } from "./profile-validation.ts";
import { type ProfileAudience, publicFieldSql, publicSearchText } from "./profile-visibility.ts";
import { profileColumns, type StoredProfile, toProfile } from "./profiles.ts";

export interface DirectoryEntry { account: Account; profile: StoredProfile }
type Row = Record<string, unknown>;

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

/** Words of a search: split on spaces, at most 8, a leading '#' dropped ("#kubernetes" is the word kubernetes). */
function tokens(text: string): string[] {
  return text.trim().split(/\s+/).filter(Boolean).slice(0, 8).map((t) => t.replace(/^#/, "")).filter(Boolean);
}

// How a search runs (migration 0005). Results are ranked in tiers — exact expertise matches first, then the other
// matches — and within a tier, names that start with the first searched word come first, then every name in order
// (profiles.sort_name: the folded display name, else the username; "C" collation). Each tier is read from lists kept
// in that order, so a page costs about one page of index entries however many people match:
//   * exact expertise ("who knows kubernetes"): directory_tags (tag, sort_name);
//   * text: directory_words (word, sort_name) for the words of the vocabulary that contain the searched word
//     ("ingenieur" → ingenieure; a one- or two-letter word must be a whole word, as before), merged;
//   * no text, or a searched word standing for too many words of the vocabulary: the profiles themselves, in name
//     order or through whichever index the planner prefers (trigram, department, site).
// Every tier also applies the filters and checks on the profile each text condition its lists do not already
// guarantee: the lists decide the order of the scan, never what matches. Tiers, and the two halves of a tier, are
// read one after the other and the search stops once the page is full.
// Statements are planned for their actual values (plan_cache_mode = force_custom_plan): how many people a word or a
// filter matches decides the plan, and a generic plan made for "kubernetes" would be wrong for "zoé"; and without
// parallel workers. The first statements are pipelined: a search costs three or four round trips to the database.

type Fragment = postgres.Fragment;

/** A searched word standing for more words of the vocabulary than this is searched through the profiles instead. */
const MAX_WORD_FORMS = 12;

type Drive =
  | { kind: "tag"; tag: string } // directory_tags, in name order
  | { kind: "words"; words: string[] } // directory_words: one list per word, merged
  | { kind: "profiles" }; // the listed profiles, through whichever index the planner prefers

interface Tier {
  drive: Drive;
  /** The first searched word, as typed: names starting with it (folded) come first. */
  firstWord: string | null;
  /** Exact matches of this tag, listed by an earlier tier, are left out. */
  exceptTag: string | null;
  /** Each searched word's condition on the profile row `p`; null where the lists read already guarantee it. */
  text: (Fragment | null)[];
  /** The filters, on `p`. */
  filters: Fragment[];
}

function and(db: Db, conditions: Fragment[]): Fragment {
  return conditions.reduce((acc, cur) => db`${acc} AND ${cur}`);
}

/**
 * A tier in ranking order, as one or two ordered parts (the names starting with the first searched word, then the
 * others), each read in name order from its lists up to n rows. Several lists (one per vocabulary word) are merged:
 * the first n people of the merge are among the first n of each list, so the merge is exact.
 */
function tierParts(db: Db, tier: Tier, n: number): Fragment[] {
  const { drive } = tier;
  const prefix = tier.firstWord === null ? null : db`ruche_fold(${escapeLike(tier.firstWord)}) || '%'`;
  const halves: (boolean | null)[] = prefix ? [true, false] : [null];
  const half = (l: Fragment, inside: boolean | null) =>
    inside === null ? db`` : inside ? db`AND ${l}.sort_name LIKE ${prefix}` : db`AND NOT ${l}.sort_name LIKE ${prefix}`;
  const rank = (inside: boolean | null) => (inside === false ? db`1` : db`0`);
  // A name starting with a word of three characters or more contains it: that word's text condition holds.
  const conditions = (inside: boolean | null) => [
    ...tier.text.filter((c, i): c is Fragment => c !== null && !(inside === true && i === 0 && tier.firstWord!.length >= 3)),
    ...tier.filters,
  ];
  if (drive.kind === "profiles") {
    return halves.map((h) => db`(SELECT p.account_id, p.sort_name, ${rank(h)} AS r FROM profiles p WHERE p.listed ${half(db`p`, h)}
      ${tier.exceptTag ? db`AND NOT p.expertise_keys @> ARRAY[ruche_fold(${tier.exceptTag})]` : db``}
      ${conditions(h).length > 0 ? db`AND ${and(db, conditions(h))}` : db``}
      ORDER BY p.sort_name, p.account_id LIMIT ${n})`);
  }
  const except = tier.exceptTag
    ? db`AND NOT EXISTS (SELECT 1 FROM directory_tags e WHERE e.account_id = l.account_id AND e.tag = ruche_fold(${tier.exceptTag}))`
    : db``;
  const list = (key: string, h: boolean | null, r: Fragment) => {
    const on = conditions(h);
    const profile = on.length > 0 ? db`JOIN profiles p ON p.account_id = l.account_id AND ${and(db, on)}` : db``;
    return db`(SELECT l.account_id, l.sort_name ${r}
      FROM ${drive.kind === "tag" ? db`directory_tags l ${profile} WHERE l.tag = ruche_fold(${key})` : db`directory_words l ${profile} WHERE l.word = ${key}`}
        ${half(db`l`, h)} ${except}
      ORDER BY l.sort_name, l.account_id LIMIT ${n})`;
  };
  const keys = drive.kind === "tag" ? [drive.tag] : drive.words;
  if (keys.length === 1) return halves.map((h) => list(keys[0], h, db`, ${rank(h)} AS r`));
  // UNION, not UNION ALL: someone whose text holds two of the words is in two lists.
  return halves.map((h) => db`(SELECT account_id, sort_name, ${rank(h)} AS r
    FROM (${keys.map((k) => list(k, h, db``)).reduce((acc, cur) => db`${acc} UNION ${cur}`)}) m
    ORDER BY sort_name, account_id LIMIT ${n})`);
}

/**
 * The page of a tier: the people (account and profile) in ranking order. The parts are read one after the other
 * and the scan stops once the page is full (an Append under a Limit, without parallel workers, reads its children
 * in order); `ordered: false` is the plain ORDER BY, which reads every part. Each row carries its rank, so the
 * order is checked (searchDirectory falls back to the ORDER BY should a planner ever interleave the parts).
 */
function readTier(db: Db, tier: Tier, limit: number, offset: number, ordered = true) {
  const parts = tierParts(db, tier, limit + offset).reduce((acc, cur) => db`${acc} UNION ALL ${cur}`);
  return db`SELECT ${accountColumns(db)}, ${profileColumns(db)}, s.r AS rank_part, s.sort_name AS rank_name FROM (
      SELECT account_id, sort_name, r, row_number() OVER () AS rank FROM (
        SELECT account_id, sort_name, r FROM (${parts}) u ${ordered ? db`` : db`ORDER BY r, sort_name, account_id`}
        LIMIT ${limit} OFFSET ${offset}) v) s
    JOIN accounts a ON a.id = s.account_id JOIN profiles p ON p.account_id = s.account_id
    ORDER BY s.rank`;
}

/** Whether rows come in ranking order: part, then name (bytes: the "C" collation), then account id. */
function inRankingOrder(rows: Row[]): boolean {
  return rows.every((r, i) => {
    if (i === 0) return true;
    const q = rows[i - 1];
    if (q.rank_part !== r.rank_part) return Number(q.rank_part) < Number(r.rank_part);
    const byName = Buffer.compare(Buffer.from(String(q.rank_name)), Buffer.from(String(r.rank_name)));
    return byName !== 0 ? byName < 0 : BigInt(String(q.id)) < BigInt(String(r.id));
  });
}

/** How many people a tier holds, counting up to `max` (paging past a tier needs nothing more). */
async function countTier(db: Db, tier: Tier, max: number): Promise<number> {
  const parts = tierParts(db, tier, max).reduce((acc, cur) => db`${acc} UNION ALL ${cur}`);
  const [row] = await db`SELECT count(*)::int AS n FROM (${parts}) u`;
  return Math.min(row.n as number, max);
}

/**
 * `audience` (profile-visibility.ts): the public searches and filters on public fields only — a hidden department,
 * site or expertise must neither find someone nor be confirmed by a filter (issue #8 point 27). The lists
 * (directory_tags, directory_words) hold every field, so for the public they only order the scan and each match is
 * checked on the public text of the profile.
 */
export async function searchDirectory(db: Db, query: DirectoryQuery, audience: ProfileAudience): Promise<DirectoryEntry[]> {
  const open = audience === "public";
  const limit = Math.min(Math.max(query.limit ?? 40, 1), 80);
  const offset = Math.min(Math.max(query.offset ?? 0, 0), 10_000);
  const free = (query.q ?? "").slice(0, 200);
  const knows = (query.knows ?? "").slice(0, 100);
  const words = tokens(`${free} ${knows}`);
  // The tag an exact expertise match is ranked on: the whole "knows" phrase, else the whole free text.
  const tag = normaliseTag(knows || free);
  const filterTag = query.expertise ? normaliseTag(query.expertise) : "";
  const run = async (tx: Db): Promise<DirectoryEntry[]> => {
    // Sent first: the statements below are pipelined behind it and planned under it. No parallel workers either: a
    // search reads a page of rows, and starting workers costs more than that (much more on a busy two-core server).
    const pending: Promise<unknown>[] = [tx`SELECT set_config('plan_cache_mode', 'force_custom_plan', true),
      set_config('max_parallel_workers_per_gather', '0', true)`.execute()];
    // Each word is folded by the database, as the stored text is: "Éloïse" and "eloise" are the same word. Words of
    // three characters or more match anywhere in the text; shorter ones match whole words.
    const publicText = open ? publicSearchText(tx) : null;
    const textMatch = words.map((w) => {
      if (publicText) {
        return w.length >= 3
          ? tx`${publicText} LIKE '%' || ruche_fold(${escapeLike(w)}) || '%'`
          : tx`regexp_split_to_array(${publicText}, ${"[\\s,;/·()-]+"}) @> ARRAY[ruche_fold(${w})]`;
      }
      return w.length >= 3
        ? tx`p.search_text LIKE '%' || ruche_fold(${escapeLike(w)}) || '%'`
        : tx`p.search_words @> ARRAY[ruche_fold(${w})]`;
    });
    const publicOnly = (field: "department" | "site" | "expertise") => (open ? [publicFieldSql(tx, field)] : []);
    const filters: Fragment[] = []; // all but the expertise filter
    // Listed profiles are local or from a sibling: "local" is a column of the profile.
    if (query.instance === "local") filters.push(tx`NOT p.from_sibling`);
    else if (query.instance) filters.push(tx`p.from_sibling AND p.account_domain = ${query.instance}`);
    if (query.department) filters.push(tx`ruche_fold(p.department) = ruche_fold(${query.department}) AND p.department <> ''`, ...publicOnly("department"));
    if (query.site) filters.push(tx`ruche_fold(p.site) = ruche_fold(${query.site}) AND p.site <> ''`, ...publicOnly("site"));
    const withTag = filterTag ? [...filters, tx`p.expertise_keys @> ARRAY[ruche_fold(${filterTag})]`, ...publicOnly("expertise")] : filters;
    const firstWord = words[0] ?? null;

    const tiers: Tier[] = [];
    // Exact expertise matches need no text condition: the tag is the match.
    if (tag) tiers.push({ drive: { kind: "tag", tag }, firstWord, exceptTag: null, text: [], filters: [...withTag, ...publicOnly("expertise")] });
    else if (words.length === 0) {
      // No search: everyone listed, in name order (through the tag's list when filtering on a tag).
      tiers.push(filterTag
        ? { drive: { kind: "tag", tag: filterTag }, firstWord: null, exceptTag: null, text: [], filters: [...filters, ...publicOnly("expertise")] }
        : { drive: { kind: "profiles" }, firstWord: null, exceptTag: null, text: [], filters });
    }
    // The first tier's page and which lists the text tier reads are asked for at once (one round trip).
    const firstPage = tiers.length > 0 ? readTier(tx, tiers[0], limit, offset).execute() : null;
    const text = words.length > 0 ? textDrive(tx, words) : null;
    if (firstPage) pending.push(firstPage);
    if (text) pending.push(text);
    for (const p of pending) p.catch(() => {}); // awaited below; a failure must not go unhandled meanwhile
    try {
      await pending[0];
      const found: DirectoryEntry[] = [];
      let skip = offset;
      const take = async (tier: Tier, page: Row[]) => {
        const want = limit - found.length;
        const rows = inRankingOrder(page) ? page : await readTier(tx, tier, want, skip, false);
        if (rows.length === 0 && skip > 0) {
          skip -= await countTier(tx, tier, skip); // the page starts after this tier
          return;
        }
        skip = 0;
        found.push(...rows.map((r) => ({ account: toAccount(r), profile: toProfile(r) })));
      };
      if (firstPage) await take(tiers[0], await firstPage);
      const drive = text ? await text : null;
      if (drive && found.length < limit) {
        // For the public, the exact matches listed first are those whose expertise is public, and the lists read
        // guarantee no match (they hold internal words too).
        const tier: Tier = open
          ? {
            drive: drive.drive, firstWord, exceptTag: null, text: textMatch,
            filters: tag ? [...withTag, tx`NOT (p.expertise_keys @> ARRAY[ruche_fold(${tag})] AND ${publicFieldSql(tx, "expertise")})`] : withTag,
          }
          : {
            drive: drive.drive, firstWord, exceptTag: tag || null, filters: withTag,
            text: textMatch.map((m, i) => (i === drive.implies ? null : m)),
          };
        await take(tier, await readTier(tx, tier, limit - found.length, skip));
      }
      return found;
    } finally {
      await Promise.allSettled(pending); // every pipelined statement answers before the transaction ends
    }
  };
  // Inside a caller's transaction, the setting lasts until that transaction ends: harmless.
  return "begin" in db ? (await db.begin("read only", run)) as DirectoryEntry[] : await run(db);
}

/** Separators of search_words (migration 0003: [\s,;/·()-]), and every other dash and space, which may fold into one. */
const WORD_SEPARATORS = /[\s,;/·()\-\p{Pd}\p{Zs}]+/u;

/**
 * Which lists the text tier reads: those of the most distinctive searched word — a short word is itself a word of
 * the lists; for a longer one, the vocabulary words containing its longest part without separators (search_words
 * are split on them). The profiles themselves when no word qualifies, or when it stands for too many vocabulary
 * words. null: no word of the vocabulary contains it, so nobody matches.
 * `implies`: the searched word whose condition reading those lists guarantees (the word itself was looked up), or -1.
 */
async function textDrive(db: Db, words: string[]): Promise<{ drive: Drive; implies: number } | null> {
  let best: { part: string; whole: boolean; index: number } | null = null;
  for (const [index, w] of words.entries()) {
    const whole = w.length < 3;
    const part = whole ? w : w.split(WORD_SEPARATORS).reduce((a, b) => (b.length > a.length ? b : a), "");
    if (!whole && [...part].length < 3) continue; // too short to look up in the vocabulary's trigram index
    if (!best || part.length > best.part.length) best = { part, whole, index };
  }
  const profiles = { drive: { kind: "profiles" } as Drive, implies: -1 };
  if (!best) return profiles;
  const implies = best.part === words[best.index] ? best.index : -1;
  // MATERIALIZED: planned to read every match through the trigram index, then only the first ones are read; under a
  // plain LIMIT the planner bets on a sequential scan finding them early, and reads the whole vocabulary when few do.
  const [row] = best.whole
    ? await db`SELECT false AS split, ARRAY[ruche_fold(${best.part})] AS forms`
    : await db`WITH v AS MATERIALIZED (
          SELECT DISTINCT word FROM directory_vocabulary WHERE word LIKE '%' || ruche_fold(${escapeLike(best.part)}) || '%')
        SELECT ruche_fold(${best.part}) ~ ${"[\\s,;/·()-]"} AS split, ARRAY(SELECT word FROM v LIMIT ${MAX_WORD_FORMS + 1}) AS forms`;
  const forms = row.forms as string[];
  // A character that folds into a separator ("½" → " 1/2"): the lists cannot help, the profiles can.
  if (row.split && !best.whole) return profiles;
  if (forms.length === 0) return null;
  if (forms.length > MAX_WORD_FORMS) return profiles;
  return { drive: { kind: "words", words: forms }, implies };
}

export interface Facet { value: string; count: number }
export interface DirectoryFacets { instances: Facet[]; departments: Facet[]; sites: Facet[]; expertise: Facet[] }

/**
 * Counting the filters' values reads every listed profile: about 0.2–0.9 s at 100,000 people, on every directory
 * page. Above this many people the counts are kept for a while (refreshed in the background once older than
 * FACETS_FRESH_MS, dropped after FACETS_MAX_AGE_MS); a smaller directory is counted afresh on every page.
 */
const FACETS_CACHED_ABOVE = 5_000;
const FACETS_FRESH_MS = 15_000, FACETS_MAX_AGE_MS = 120_000;
interface CachedFacets { at: number; value: DirectoryFacets; refreshing: boolean }
const facetCache = new WeakMap<object, Map<string, CachedFacets>>();

/**
 * The values the filters offer, most common first (instances: "local" or the sibling's host). The public is offered
 * and counted only public values (issue #8 point 27).
 */
export async function directoryFacets(db: Db, audience: ProfileAudience, max = 50): Promise<DirectoryFacets> {
  let cache = facetCache.get(db);
  const key = `${audience}:${max}`;
  const hit = cache?.get(key);
  const age = hit ? Date.now() - hit.at : Infinity;
  if (cache && hit && age < FACETS_MAX_AGE_MS) {
    if (age > FACETS_FRESH_MS && !hit.refreshing) {
      hit.refreshing = true;
      const c = cache;
      countFacets(db, audience, max).then((value) => c.set(key, { at: Date.now(), value, refreshing: false }), () => c.delete(key));
    }
    return hit.value;
  }
  const value = await countFacets(db, audience, max);
  if (value.instances.reduce((n, f) => n + f.count, 0) > FACETS_CACHED_ABOVE) {
    if (!cache) facetCache.set(db, (cache = new Map()));
    cache.set(key, { at: Date.now(), value, refreshing: false });
  } else cache?.delete(key);
  return value;
}

async function countFacets(db: Db, audience: ProfileAudience, max: number): Promise<DirectoryFacets> {
  const base = db`FROM profiles p WHERE p.listed`;
  const pub = (field: "department" | "site" | "expertise") => (audience === "public" ? db`AND ${publicFieldSql(db, field)}` : db``);
  const [instances, departments, sites, expertise] = await Promise.all([
    db`SELECT coalesce(p.account_domain, 'local') AS value, count(*)::int AS count ${base} GROUP BY 1 ORDER BY 2 DESC, 1`,
    db`SELECT min(p.department) AS value, count(*)::int AS count ${base} AND p.department <> '' ${pub("department")}
      GROUP BY ruche_fold(p.department) ORDER BY 2 DESC, 1 LIMIT ${max}`,
    db`SELECT min(p.site) AS value, count(*)::int AS count ${base} AND p.site <> '' ${pub("site")}
      GROUP BY ruche_fold(p.site) ORDER BY 2 DESC, 1 LIMIT ${max}`,
    // directory_tags holds the listed people's tags, already grouped by their folded form; shown as written (the
    // accented spelling when people wrote it both ways: it sorts after the folded one).
    audience === "public"
      ? db`SELECT max(d.label) AS value, count(*)::int AS count FROM directory_tags d JOIN profiles p ON p.account_id = d.account_id
          WHERE ${publicFieldSql(db, "expertise")} GROUP BY d.tag ORDER BY 2 DESC, 1 LIMIT ${max}`
      : db`SELECT max(label) AS value, count(*)::int AS count FROM directory_tags GROUP BY tag ORDER BY 2 DESC, 1 LIMIT ${max}`,
  ]);
  const f = (rows: Record<string, unknown>[]) => rows.map((r) => ({ value: String(r.value), count: Number(r.count) }));
  return { instances: f(instances).slice(0, max), departments: f(departments), sites: f(sites), expertise: f(expertise) };
}

export interface OrgChart { chain: DirectoryEntry[]; reports: DirectoryEntry[]; managerIri: string | null }

/**
 * The manager chain (closest first, up to 20 levels, stopping at a loop or at a manager we do not know) and the
 * direct reports of one account. Managers and reports may live on any sibling: links are actor IRIs.
 */
export async function orgChart(db: Db, accountId: string, audience: ProfileAudience): Promise<OrgChart> {
  // The public follows only the links people made public (the manager field, issue #8 point 1).
  const link = (alias: string) => (audience === "public"
    ? db`CASE WHEN ${publicFieldSql(db, "manager", alias)} THEN ${db.unsafe(alias)}.manager_iri END`
    : db`${db.unsafe(alias)}.manager_iri`);
  const chainRows = await db`WITH RECURSIVE chain(id, manager_iri, depth, path) AS (
      SELECT a.id, ${link("p")}, 0, ARRAY[a.id] FROM accounts a LEFT JOIN profiles p ON p.account_id = a.id WHERE a.id = ${accountId}
      UNION ALL
      SELECT m.id, ${link("mp")}, c.depth + 1, c.path || m.id
      FROM chain c JOIN accounts m ON m.iri = c.manager_iri LEFT JOIN profiles mp ON mp.account_id = m.id
      WHERE c.depth < 20 AND NOT m.id = ANY(c.path))
    SELECT ${accountColumns(db)}, ${profileColumns(db)}, chain.depth, chain.manager_iri AS chain_manager_iri FROM chain
      JOIN accounts a ON a.id = chain.id LEFT JOIN profiles p ON p.account_id = a.id
    ORDER BY chain.depth`;
  const self = chainRows[0];
  const reports = self
    ? await db`SELECT ${accountColumns(db)}, ${profileColumns(db)}
        FROM profiles p JOIN accounts a ON a.id = p.account_id
        WHERE p.manager_iri = ${self.iri} AND p.listed ${audience === "public" ? db`AND ${publicFieldSql(db, "manager")}` : db``}
        ORDER BY a.display_name, a.username LIMIT 200`
    : [];
  const entry = (r: Record<string, unknown>): DirectoryEntry => ({ account: toAccount(r), profile: withDefaults(r) });
  return {
    chain: chainRows.slice(1).map(entry),
    reports: reports.map(entry),
    managerIri: (self?.chain_manager_iri as string | undefined) ?? null, // as the audience may see it
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
    FROM profiles p JOIN accounts a ON a.id = p.account_id
    WHERE p.listed ${opts.localOnly ? db`AND NOT p.from_sibling` : db``}
    ORDER BY ${opts.order === "new" ? db`a.created_at DESC, a.id DESC` : db`p.updated_at DESC, p.account_id DESC`}
    LIMIT ${opts.limit} OFFSET ${opts.offset}`;
  return rows.map(toAccount);
}
