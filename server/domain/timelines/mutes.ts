// Muting people and words. Mutes are applied when reading (timelines.ts, notifications.ts) as anti-joins on the
// viewer's small mute sets, never by rewriting stored data — Mastodon's timelines collapsed from milliseconds to
// seconds with a few mutes (mastodon#33765), so the timeline queries apply them inside their index probes.
//
//   muteAccount(db, accountId, targetId, { notifications?, durationSeconds? }) / unmuteAccount(db, accountId, targetId)
//   listMutedAccounts(db, accountId) → Account[] (all) / mutedAccountsPage(db, accountId, page) → one API page
//   muteWord(db, accountId, phrase, { wholeWord?, durationSeconds? }) → WordMute / unmuteWord / listWordMutes (unexpired)
//   hiddenPhrases(db, accountId, context) / hiddenPosts(…) → SQL: what is hidden in a context — muted words and the
//     keywords of the viewer's `hide` filters (filters.ts), and the posts those filters name
//   mutedIn(db, accountId, context) → TextMutes: that set, read once (a regular expression and post ids)
//   wordMutesToRegex(mutes) / wordMuteMatcher(mutes) → the test for PostgreSQL / JavaScript (home timeline, warnings)
//   notWordMuted(db, mutes, alias) → the one SQL condition every SQL path uses (timelines, threads, notifications)
//   hiddenAccounts(db, viewerId) → SQL: the people whose posts the viewer's timelines leave out: muted (unexpired)
//     and blocked either way (blocks/blocks.ts; the audience rule hides those too, this keeps pages full)
//   notHiddenAccount(db, viewerId, alias) → posts (and boosts of posts) of those people left out, and of accounts a
//     moderator silenced that the viewer does not follow
//
// The one word-mute matcher. Every path (home, local, group, hashtag timelines, thread context, notifications)
// builds its test with wordMutePattern() below (the home timeline with wordMuteMatcher(), the same rules without a
// regular expression; mutes.test.ts holds both to the same cases), so they cannot disagree:
//   - case-insensitive (Unicode case folding: "Café" matches "café", "CAFÉ" too);
//   - a whole-word phrase matches where it is neither preceded nor followed by a word character, a word
//     character being a letter (any script, accented ones included), a digit or "_": muting "café" hides
//     "café", "Café," and "(café)" but not "cafétéria" or "cafés". Not `\b` (ASCII-only in JavaScript: "é" would
//     count as a boundary) nor PostgreSQL's `\m…\M` (never matches a phrase that starts or ends with punctuation,
//     such as "c++"); explicit look-arounds instead, the same in both dialects;
//   - the phrase matches literally (regex characters escaped); text is the post's summary and plain text, or the
//     boosted post's for a boost. Texts are compared as stored (no Unicode normalisation).
// PostgreSQL's [[:alnum:]] follows the database's ctype (C.UTF-8 and the usual UTF-8 locales classify every
// script); JavaScript's is \p{L}\p{N}. Word and account mutes may expire; every reader sees unexpired ones only.
// Mastodon filters (filters.ts) are keywords too: a `hide` filter's keywords join the muted words of the contexts
// it names (hiddenPhrases), a `warn` filter's are tested with wordMuteMatcher — the same rules, never a second copy.
import { atomically, type Db } from "../../db/pool.ts";
import { publish } from "../../events/bus.ts";
import { type Account, accountColumns, toAccount } from "../accounts/accounts.ts";
import { DomainError } from "../errors.ts";
import { blocksBetween } from "../blocks/blocks.ts";
import { keysetCursors } from "../keyset.ts";

/** The one "this mute is in force" condition, for account_mutes and word_mutes rows (`alias` names the row). */
export function muteInForce(db: Db, alias?: string) {
  const col = alias ? db`${db.unsafe(alias)}.expires_at` : db`expires_at`;
  return db`(${col} IS NULL OR ${col} > now())`;
}

export async function muteAccount(db: Db, accountId: string, targetId: string, opts: { notifications?: boolean; durationSeconds?: number } = {}): Promise<void> {
  if (accountId === targetId) throw new DomainError("self_mute", 422, "you cannot mute yourself");
  const expires = opts.durationSeconds && opts.durationSeconds > 0 ? new Date(Date.now() + opts.durationSeconds * 1000) : null;
  const rows = await db`INSERT INTO account_mutes (account_id, target_id, notifications, expires_at)
    SELECT ${accountId}, id, ${opts.notifications ?? true}, ${expires} FROM accounts WHERE id = ${targetId}
    ON CONFLICT (account_id, target_id) DO UPDATE SET notifications = excluded.notifications, expires_at = excluded.expires_at
    RETURNING target_id`;
  if (rows.length === 0) throw new DomainError("not_found", 404, "no such account");
}

export async function unmuteAccount(db: Db, accountId: string, targetId: string): Promise<void> {
  await db`DELETE FROM account_mutes WHERE account_id = ${accountId} AND target_id = ${targetId}`;
}

export async function listMutedAccounts(db: Db, accountId: string): Promise<Account[]> {
  return (await mutedAccounts(db, accountId, {})).map(toAccount);
}

/** One page of the people `accountId` mutes (in force), newest mute first, keyset-paginated on the mute's id. */
export async function mutedAccountsPage(db: Db, accountId: string, opts: { limit?: number; maxId?: string; minId?: string } = {}) {
  const limit = Math.min(Math.max(opts.limit ?? 40, 1), 80);
  const rows = await mutedAccounts(db, accountId, { ...opts, limit });
  if (opts.minId) rows.reverse();
  const items = rows.map((r) => ({ ...toAccount(r), muteId: r.mute_id as string }));
  return { items, ...keysetCursors(items, limit, (i) => i.muteId) };
}

function mutedAccounts(db: Db, accountId: string, opts: { limit?: number; maxId?: string; minId?: string }) {
  return db`SELECT ${accountColumns(db)}, m.id::text AS mute_id FROM account_mutes m JOIN accounts a ON a.id = m.target_id
    WHERE m.account_id = ${accountId} AND ${muteInForce(db, "m")}
      ${opts.maxId ? db`AND m.id < ${opts.maxId}` : db``} ${opts.minId ? db`AND m.id > ${opts.minId}` : db``}
    ORDER BY m.id ${opts.minId ? db`ASC` : db`DESC`} ${opts.limit ? db`LIMIT ${opts.limit}` : db``}`;
}

export async function mutedAccountIds(db: Db, accountId: string): Promise<string[]> {
  const rows = await db`SELECT target_id::text AS id FROM account_mutes
    WHERE account_id = ${accountId} AND ${muteInForce(db)}`;
  return rows.map((r) => r.id as string);
}

export interface WordMute { id: string; phrase: string; wholeWord: boolean; expiresAt: Date | null }

const toWordMute = (r: Record<string, any>): WordMute => ({ id: r.id, phrase: r.phrase, wholeWord: r.whole_word, expiresAt: r.expires_at ?? null });

export async function muteWord(db: Db, accountId: string, phrase: string, opts: { wholeWord?: boolean; durationSeconds?: number } = {}): Promise<WordMute> {
  const p = phrase.trim();
  if (p.length < 1 || p.length > 200) throw new DomainError("validation_failed", 422, "phrase: 1 to 200 characters", "phrase");
  const d = opts.durationSeconds;
  if (d !== undefined && !(Number.isInteger(d) && d > 0 && d <= 10 * 365 * 86_400)) {
    throw new DomainError("validation_failed", 422, "expires_in: a whole number of seconds, up to ten years", "expires_in");
  }
  return await atomically(db, async (tx) => {
    const [r] = await tx`INSERT INTO word_mutes (account_id, phrase, whole_word, expires_at)
      VALUES (${accountId}, ${p}, ${opts.wholeWord ?? true}, ${d ? tx`now() + ${d} * interval '1 second'` : null})
      ON CONFLICT (account_id, phrase) DO UPDATE SET whole_word = excluded.whole_word, expires_at = excluded.expires_at
      RETURNING id::text, phrase, whole_word, expires_at`;
    await publish(tx, { type: "filters.changed", accountId });
    return toWordMute(r);
  });
}

export async function unmuteWord(db: Db, accountId: string, id: string): Promise<void> {
  if (!/^\d{1,18}$/.test(id)) return;
  await atomically(db, async (tx) => {
    const gone = await tx`DELETE FROM word_mutes WHERE account_id = ${accountId} AND id = ${id} RETURNING id`;
    if (gone.length > 0) await publish(tx, { type: "filters.changed", accountId });
  });
}

export async function listWordMutes(db: Db, accountId: string): Promise<WordMute[]> {
  const rows = await db`SELECT id::text, phrase, whole_word, expires_at FROM word_mutes
    WHERE account_id = ${accountId} AND ${muteInForce(db)} ORDER BY id`;
  return rows.map(toWordMute);
}

/** Escapes a phrase so muting "c++" or "a.b" matches those characters literally (valid in both dialects). */
function escapeRegex(s: string): string {
  return s.replace(/[\\^$.|?*+()[\]{}]/g, (c) => `\\${c}`);
}

/** A word character in each dialect: a letter of any script, a digit, or "_". */
const WORD_CHAR = { pg: "[[:alnum:]_]", js: "[\\p{L}\\p{N}_]" } as const;

/** The single definition of the muted-word test, for PostgreSQL (ARE) or JavaScript (with the "iu" flags). */
export function wordMutePattern(mutes: Pick<WordMute, "phrase" | "wholeWord">[], dialect: "pg" | "js"): string | null {
  if (mutes.length === 0) return null;
  const w = WORD_CHAR[dialect];
  return mutes.map((m) => (m.wholeWord ? `(?<!${w})${escapeRegex(m.phrase)}(?!${w})` : escapeRegex(m.phrase))).join("|");
}

/** One case-insensitive regex for all of the viewer's muted words (used with `~*`), or null. */
export function wordMutesToRegex(mutes: Pick<WordMute, "phrase" | "wholeWord">[]): string | null {
  return wordMutePattern(mutes, "pg");
}

/** A word character for the JavaScript matcher: the class of WORD_CHAR.js, compiled once for the process. */
const WORD_CHAR_JS = new RegExp(`^${WORD_CHAR.js}$`, "u");

/** The code point ending just before `i` in `s`, or "" at the start. */
function codePointBefore(s: string, i: number): string {
  if (i <= 0) return "";
  const low = s.charCodeAt(i - 1);
  return low >= 0xdc00 && low <= 0xdfff && i >= 2 ? s.slice(i - 2, i) : s[i - 1];
}

function isWordChar(c: string): boolean {
  return c !== "" && WORD_CHAR_JS.test(c);
}

/**
 * The same test in JavaScript (the home timeline tests its candidates' text itself), without building a regular
 * expression: compiling one with Unicode classes costs 5–10 ms in V8, and V8 drops its compilation cache at major
 * GCs, so a fresh RegExp per request made muted words the slowest part of the home page (bench/timeline.ts).
 * Same rules as wordMutePattern(): case-insensitive (both sides lower-cased), literal phrase, whole words bounded by
 * non-word characters (WORD_CHAR). mutes.test.ts checks that both dialects agree.
 */
export function wordMuteMatcher(mutes: Pick<WordMute, "phrase" | "wholeWord">[]): ((text: string) => boolean) | null {
  if (mutes.length === 0) return null;
  const phrases = mutes.map((m) => ({ needle: m.phrase.toLowerCase(), wholeWord: m.wholeWord }));
  return (text: string) => {
    const t = text.toLowerCase();
    for (const { needle, wholeWord } of phrases) {
      for (let at = t.indexOf(needle); at !== -1; at = t.indexOf(needle, at + 1)) {
        if (!wholeWord) return true;
        const after = t.codePointAt(at + needle.length);
        if (!isWordChar(codePointBefore(t, at)) && !isWordChar(after == null ? "" : String.fromCodePoint(after))) return true;
      }
    }
    return false;
  };
}

/** Where a filter applies (Mastodon's contexts): home (and lists), notifications, public timelines, threads, profiles. */
export const FILTER_CONTEXTS = ["home", "notifications", "public", "thread", "account"] as const;
export type FilterContext = (typeof FILTER_CONTEXTS)[number];

/**
 * The phrases hidden from the viewer in `context`, as rows (phrase, whole_word): their muted words (every context
 * but a person's own posts page, as before filters existed) and the keywords of their `hide` filters for that
 * context, both in force (muteInForce).
 */
export function hiddenPhrases(db: Db, accountId: string, context: FilterContext) {
  return db`(SELECT phrase, whole_word FROM word_mutes WHERE account_id = ${accountId} AND ${muteInForce(db)}
      ${context === "account" ? db`AND false` : db``}
    UNION ALL SELECT k.keyword, k.whole_word FROM filter_keywords k JOIN filters f ON f.id = k.filter_id
      WHERE f.account_id = ${accountId} AND f.action = 'hide' AND ${context} = ANY(f.context) AND ${muteInForce(db, "f")})`;
}

/** The posts the viewer's `hide` filters for `context` name (filter_statuses), as rows (post_id). */
export function hiddenPosts(db: Db, accountId: string, context: FilterContext) {
  return db`(SELECT s.post_id FROM filter_statuses s JOIN filters f ON f.id = s.filter_id
      WHERE f.account_id = ${accountId} AND f.action = 'hide' AND ${context} = ANY(f.context) AND ${muteInForce(db, "f")})`;
}

/** What one reader hides in one context: a regular expression of the phrases (or null), and post ids. */
export interface TextMutes { regex: string | null; postIds: string[] }

/** The viewer's TextMutes for `context`, in one query. */
export async function mutedIn(db: Db, accountId: string, context: FilterContext): Promise<TextMutes> {
  const [r] = await db`SELECT
      ARRAY(SELECT json_build_object('phrase', h.phrase, 'wholeWord', h.whole_word)::text FROM ${hiddenPhrases(db, accountId, context)} h) AS words,
      ARRAY(SELECT h.post_id::text FROM ${hiddenPosts(db, accountId, context)} h) AS posts`;
  return { regex: wordMutesToRegex((r.words as string[]).map((w) => JSON.parse(w))), postIds: r.posts as string[] };
}

/**
 * The SQL condition leaving out posts (or boosts of posts) whose summary or text matches the phrases of `mutes`
 * (mutedIn), or that its filters name; `alias` names the posts row. A NULL row (a LEFT JOIN that found nothing) passes.
 */
export function notWordMuted(db: Db, mutes: TextMutes | null, alias = "p") {
  if (!mutes) return db``;
  const p = db.unsafe(alias);
  const { regex, postIds } = mutes;
  return db`${regex ? db`AND NOT EXISTS (SELECT 1 FROM posts w WHERE w.id = coalesce(${p}.reblog_of_id, ${p}.id)
      AND (w.content_text ~* ${regex} OR w.summary ~* ${regex}))` : db``}
    ${postIds.length > 0 ? db`AND (${p}.id IS NULL OR coalesce(${p}.reblog_of_id, ${p}.id) <> ALL(${postIds}::bigint[]))` : db``}`;
}

/**
 * The one set of people hidden from the viewer's timelines, threads and searches: those muted (unexpired mutes)
 * and those blocked either way. An uncorrelated subquery, hashed once per query (`col NOT IN ${...}`).
 */
export function hiddenAccounts(db: Db, viewerId: string) {
  return db`(SELECT target_id FROM account_mutes WHERE account_id = ${viewerId} AND ${muteInForce(db)}
    UNION ALL SELECT * FROM ${blocksBetween(db, viewerId)} b)`;
}

/** The SQL condition leaving out posts of people hidden from the viewer (hiddenAccounts), and boosts of their posts. */
export function notHiddenAccount(db: Db, viewerId: string | null, alias = "p") {
  const p = db.unsafe(alias);
  // A silenced account (moderation/decisions.ts) is left out of these shared timelines but for its followers.
  const silenced = db`${p}.account_id NOT IN (SELECT s.id FROM accounts s WHERE s.silenced_at IS NOT NULL
    ${viewerId ? db`AND s.id NOT IN (SELECT following_id FROM follows WHERE follower_id = ${viewerId} AND state = 'accepted')` : db``})`;
  if (!viewerId) return db`AND ${silenced}`;
  const hidden = hiddenAccounts(db, viewerId);
  return db`AND ${p}.account_id NOT IN ${hidden} AND ${silenced}
    AND (${p}.reblog_of_id IS NULL OR (SELECT o.account_id FROM posts o WHERE o.id = ${p}.reblog_of_id) NOT IN ${hidden})`;
}
