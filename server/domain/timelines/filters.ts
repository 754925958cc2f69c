// Mastodon 4 filters (issue #9 point 5): a title, the contexts it applies in (home — lists too —, notifications,
// public timelines, threads, profiles), an action and an optional expiry; it matches posts by keywords or by naming
// them. `hide` filters are applied where muted words are, by the same SQL condition and the same matcher
// (mutes.ts hiddenPhrases/hiddenPosts); `warn` filters leave the post in and say which filter caught it
// (warningsFor, the Status entity's `filtered`), testing keywords with wordMuteMatcher — the one matcher.
// Every change publishes `filters.changed` (streaming clients get `filters_changed`).
//
//   createFilter(db, accountId, input) / updateFilter(db, accountId, id, input) / deleteFilter / getFilter / listFilters
//   addKeyword / updateKeyword / deleteKeyword / getKeyword / listKeywords
//   addFilterStatus / deleteFilterStatus / getFilterStatus / listFilterStatuses
//   warningsFor(db, accountId, context, posts) → Map<post id, FilterResult[]>
import { atomically, type Db } from "../../db/pool.ts";
import { publish } from "../../events/bus.ts";
import { canRead, localViewer } from "../audience/visibility.ts";
import { DomainError } from "../errors.ts";
import type { PostView } from "../posts/post-views.ts";
import { FILTER_CONTEXTS, type FilterContext, muteInForce, wordMuteMatcher } from "./mutes.ts";

export const FILTER_ACTIONS = ["warn", "hide"] as const;
export type FilterAction = (typeof FILTER_ACTIONS)[number];

export interface FilterKeyword { id: string; keyword: string; wholeWord: boolean }
export interface FilterStatus { id: string; postId: string }
export interface Filter {
  id: string; title: string; context: FilterContext[]; action: FilterAction; expiresAt: Date | null;
  keywords: FilterKeyword[]; statuses: FilterStatus[];
}

/** A keyword to add (no id), change (id) or remove (id + destroy), as Mastodon's `keywords_attributes`. */
export interface KeywordChange { id?: string; keyword?: string; wholeWord?: boolean; destroy?: boolean }
export interface FilterInput {
  title?: string; context?: FilterContext[]; action?: FilterAction;
  /** Seconds from now; null: never expires; undefined: unchanged (on update). */
  expiresIn?: number | null;
  keywords?: KeywordChange[];
}

const idRe = /^\d{1,18}$/;
const TEN_YEARS = 10 * 365 * 86_400;
const notFound = () => new DomainError("not_found", 404, "no such filter");
const invalid = (field: string, message: string) => new DomainError("validation_failed", 422, `${field}: ${message}`, field);

function checkTitle(title: string): string {
  const t = title.trim();
  if (t.length < 1 || t.length > 200) throw invalid("title", "1 to 200 characters");
  return t;
}

function checkKeyword(keyword: string): string {
  const k = keyword.trim();
  if (k.length < 1 || k.length > 200) throw invalid("keyword", "1 to 200 characters");
  return k;
}

function checkContext(context: readonly string[]): FilterContext[] {
  const c = [...new Set(context)];
  if (c.length === 0 || !c.every((x) => (FILTER_CONTEXTS as readonly string[]).includes(x))) {
    throw invalid("context", `one or more of ${FILTER_CONTEXTS.join(", ")}`);
  }
  return c as FilterContext[];
}

function expiry(db: Db, expiresIn: number | null) {
  if (expiresIn === null) return null;
  if (!(Number.isInteger(expiresIn) && expiresIn > 0 && expiresIn <= TEN_YEARS)) {
    throw invalid("expires_in", "a whole number of seconds, up to ten years");
  }
  return db`now() + ${expiresIn} * interval '1 second'`;
}

function filterRows(db: Db, accountId: string, where: ReturnType<Db>) {
  return db`SELECT f.id::text, f.title, f.context, f.action, f.expires_at,
      coalesce((SELECT json_agg(json_build_object('id', k.id::text, 'keyword', k.keyword, 'wholeWord', k.whole_word) ORDER BY k.id)
        FROM filter_keywords k WHERE k.filter_id = f.id), '[]') AS keywords,
      coalesce((SELECT json_agg(json_build_object('id', s.id::text, 'postId', s.post_id::text) ORDER BY s.id)
        FROM filter_statuses s WHERE s.filter_id = f.id), '[]') AS statuses
    FROM filters f WHERE f.account_id = ${accountId} ${where} ORDER BY f.id`;
}

const toFilter = (r: Record<string, any>): Filter => ({
  id: r.id, title: r.title, context: r.context, action: r.action, expiresAt: r.expires_at ?? null,
  keywords: typeof r.keywords === "string" ? JSON.parse(r.keywords) : r.keywords,
  statuses: typeof r.statuses === "string" ? JSON.parse(r.statuses) : r.statuses,
});

/** All the account's filters, expired ones too (Mastodon lists them, with their expires_at). */
export async function listFilters(db: Db, accountId: string): Promise<Filter[]> {
  return (await filterRows(db, accountId, db``)).map(toFilter);
}

export async function getFilter(db: Db, accountId: string, id: string): Promise<Filter> {
  if (!idRe.test(id)) throw notFound();
  const [r] = await filterRows(db, accountId, db`AND f.id = ${id}`);
  if (!r) throw notFound();
  return toFilter(r);
}

async function applyKeywords(tx: Db, filterId: string, changes: KeywordChange[]): Promise<void> {
  for (const k of changes) {
    if (k.id !== undefined) {
      if (!idRe.test(k.id)) throw invalid("keywords_attributes", "unknown keyword id");
      if (k.destroy) {
        await tx`DELETE FROM filter_keywords WHERE id = ${k.id} AND filter_id = ${filterId}`;
        continue;
      }
      const keyword = k.keyword === undefined ? null : checkKeyword(k.keyword);
      const done = await tx`UPDATE filter_keywords SET keyword = coalesce(${keyword}, keyword),
          whole_word = coalesce(${k.wholeWord ?? null}, whole_word)
        WHERE id = ${k.id} AND filter_id = ${filterId} RETURNING id`;
      if (done.length === 0) throw invalid("keywords_attributes", "unknown keyword id");
    } else if (!k.destroy) {
      await tx`INSERT INTO filter_keywords (filter_id, keyword, whole_word)
        VALUES (${filterId}, ${checkKeyword(k.keyword ?? "")}, ${k.wholeWord ?? true})`;
    }
  }
}

export async function createFilter(db: Db, accountId: string, input: FilterInput): Promise<Filter> {
  const title = checkTitle(input.title ?? "");
  const context = checkContext(input.context ?? []);
  return await atomically(db, async (tx) => {
    const [r] = await tx`INSERT INTO filters (account_id, title, context, action, expires_at)
      VALUES (${accountId}, ${title}, ${context}, ${input.action ?? "warn"}, ${expiry(tx, input.expiresIn ?? null)}) RETURNING id::text`;
    await applyKeywords(tx, r.id, input.keywords ?? []);
    await publish(tx, { type: "filters.changed", accountId });
    return await getFilter(tx, accountId, r.id);
  });
}

export async function updateFilter(db: Db, accountId: string, id: string, input: FilterInput): Promise<Filter> {
  await getFilter(db, accountId, id);
  const title = input.title === undefined ? null : checkTitle(input.title);
  const context = input.context === undefined ? null : checkContext(input.context);
  return await atomically(db, async (tx) => {
    await tx`UPDATE filters SET title = coalesce(${title}, title), context = coalesce(${context}::text[], context),
        action = coalesce(${input.action ?? null}, action)
        ${input.expiresIn === undefined ? tx`` : tx`, expires_at = ${expiry(tx, input.expiresIn)}`}
      WHERE id = ${id} AND account_id = ${accountId}`;
    await applyKeywords(tx, id, input.keywords ?? []);
    await publish(tx, { type: "filters.changed", accountId });
    return await getFilter(tx, accountId, id);
  });
}

export async function deleteFilter(db: Db, accountId: string, id: string): Promise<void> {
  if (!idRe.test(id)) throw notFound();
  await atomically(db, async (tx) => {
    const gone = await tx`DELETE FROM filters WHERE id = ${id} AND account_id = ${accountId} RETURNING id`;
    if (gone.length === 0) throw notFound();
    await publish(tx, { type: "filters.changed", accountId });
  });
}

export interface OwnedKeyword extends FilterKeyword { filterId: string }

export async function listKeywords(db: Db, accountId: string, filterId: string): Promise<OwnedKeyword[]> {
  const f = await getFilter(db, accountId, filterId);
  return f.keywords.map((k) => ({ ...k, filterId: f.id }));
}

export async function getKeyword(db: Db, accountId: string, id: string): Promise<OwnedKeyword> {
  if (!idRe.test(id)) throw notFound();
  const [r] = await db`SELECT k.id::text, k.filter_id::text, k.keyword, k.whole_word FROM filter_keywords k
    JOIN filters f ON f.id = k.filter_id WHERE k.id = ${id} AND f.account_id = ${accountId}`;
  if (!r) throw notFound();
  return { id: r.id, filterId: r.filter_id, keyword: r.keyword, wholeWord: r.whole_word };
}

export async function addKeyword(db: Db, accountId: string, filterId: string, k: { keyword: string; wholeWord?: boolean }): Promise<OwnedKeyword> {
  await getFilter(db, accountId, filterId);
  const keyword = checkKeyword(k.keyword);
  return await atomically(db, async (tx) => {
    const [r] = await tx`INSERT INTO filter_keywords (filter_id, keyword, whole_word) VALUES (${filterId}, ${keyword}, ${k.wholeWord ?? true})
      RETURNING id::text`;
    await publish(tx, { type: "filters.changed", accountId });
    return await getKeyword(tx, accountId, r.id);
  });
}

export async function updateKeyword(db: Db, accountId: string, id: string, k: { keyword?: string; wholeWord?: boolean }): Promise<OwnedKeyword> {
  const kw = await getKeyword(db, accountId, id);
  return await atomically(db, async (tx) => {
    await applyKeywords(tx, kw.filterId, [{ id, keyword: k.keyword, wholeWord: k.wholeWord }]);
    await publish(tx, { type: "filters.changed", accountId });
    return await getKeyword(tx, accountId, id);
  });
}

export async function deleteKeyword(db: Db, accountId: string, id: string): Promise<void> {
  const kw = await getKeyword(db, accountId, id);
  await atomically(db, async (tx) => {
    await tx`DELETE FROM filter_keywords WHERE id = ${kw.id}`;
    await publish(tx, { type: "filters.changed", accountId });
  });
}

export interface OwnedFilterStatus extends FilterStatus { filterId: string }

export async function listFilterStatuses(db: Db, accountId: string, filterId: string): Promise<OwnedFilterStatus[]> {
  const f = await getFilter(db, accountId, filterId);
  return f.statuses.map((s) => ({ ...s, filterId: f.id }));
}

export async function getFilterStatus(db: Db, accountId: string, id: string): Promise<OwnedFilterStatus> {
  if (!idRe.test(id)) throw notFound();
  const [r] = await db`SELECT s.id::text, s.filter_id::text, s.post_id::text FROM filter_statuses s
    JOIN filters f ON f.id = s.filter_id WHERE s.id = ${id} AND f.account_id = ${accountId}`;
  if (!r) throw notFound();
  return { id: r.id, filterId: r.filter_id, postId: r.post_id };
}

/** Names a post the account can read in the filter; naming it twice is refused (Mastodon: 422). */
export async function addFilterStatus(db: Db, accountId: string, filterId: string, postId: string): Promise<OwnedFilterStatus> {
  await getFilter(db, accountId, filterId);
  if (!idRe.test(postId) || !(await canRead(db, localViewer(accountId), postId))) throw new DomainError("not_found", 404, "no such post");
  return await atomically(db, async (tx) => {
    const [r] = await tx`INSERT INTO filter_statuses (filter_id, post_id) VALUES (${filterId}, ${postId})
      ON CONFLICT DO NOTHING RETURNING id::text`;
    if (!r) throw invalid("status_id", "this post is already in the filter");
    await publish(tx, { type: "filters.changed", accountId });
    return await getFilterStatus(tx, accountId, r.id);
  });
}

export async function deleteFilterStatus(db: Db, accountId: string, id: string): Promise<void> {
  const s = await getFilterStatus(db, accountId, id);
  await atomically(db, async (tx) => {
    await tx`DELETE FROM filter_statuses WHERE id = ${s.id}`;
    await publish(tx, { type: "filters.changed", accountId });
  });
}

/**
 * Which of these people have `warn` filters in force for `context`: a post reaching many streams at once is
 * serialized once for everyone else, and per person only for them (their `filtered` may differ).
 */
export async function accountsWithWarnFilters(db: Db, accountIds: string[], context: FilterContext): Promise<Set<string>> {
  if (accountIds.length === 0) return new Set();
  const rows = await db`SELECT DISTINCT f.account_id::text AS id FROM filters f
    WHERE f.account_id = ANY(${accountIds}::bigint[]) AND f.action = 'warn' AND ${context} = ANY(f.context) AND ${muteInForce(db, "f")}`;
  return new Set(rows.map((r) => r.id as string));
}

/** Why a post is shown collapsed: the `warn` filter, the keywords it matched, the posts it names. */
export interface FilterResult { filter: Filter; keywordMatches: string[] | null; statusMatches: string[] | null }

/**
 * The `warn` filters in force for `context` that each post (or the post it boosts) matches — keywords tested on its
 * summary and text with the muted words' matcher (mutes.ts), or the post named. Posts without a match are absent.
 */
export async function warningsFor(db: Db, accountId: string, context: FilterContext, posts: PostView[]): Promise<Map<string, FilterResult[]>> {
  const out = new Map<string, FilterResult[]>();
  if (posts.length === 0) return out;
  const filters = (await filterRows(db, accountId, db`AND f.action = 'warn' AND ${context} = ANY(f.context) AND ${muteInForce(db, "f")}`))
    .map(toFilter);
  if (filters.length === 0) return out;
  const tests = filters.map((f) => ({
    filter: f,
    keywords: f.keywords.map((k) => ({ keyword: k.keyword, matches: wordMuteMatcher([{ phrase: k.keyword, wholeWord: k.wholeWord }])! })),
    posts: new Set(f.statuses.map((s) => s.postId)),
  }));
  for (const post of posts) {
    const target = post.reblog ?? post;
    const text = `${target.summary} ${target.contentText}`;
    const results: FilterResult[] = [];
    for (const t of tests) {
      const keywordMatches = t.keywords.filter((k) => k.matches(text)).map((k) => k.keyword);
      const statusMatches = [...new Set([post.id, target.id])].filter((id) => t.posts.has(id));
      if (keywordMatches.length > 0 || statusMatches.length > 0) {
        results.push({ filter: t.filter, keywordMatches: keywordMatches.length > 0 ? keywordMatches : null, statusMatches: statusMatches.length > 0 ? statusMatches : null });
      }
    }
    if (results.length > 0) out.set(post.id, results);
  }
  return out;
}
