// The home timeline: posts of the people the viewer follows, their own, and posts with hashtags they follow —
// computed when read (no per-user feed to maintain). Measured at 1M posts / 10k users by bench/timeline.ts.
//
// How, and why (EXPLAIN ANALYZE on the bench data set):
//  1. The followees and the viewer's mutes are read first (index-only, a few hundred ids) and passed as arrays, so
//     PostgreSQL tests `account_id = ANY(...)` with a hash instead of a join.
//  2. Window scan: the newest WINDOW posts below the cursor are read backwards in id order from a covering index
//     (posts_scan_idx: id + account_id, visibility, reblog_of_id — no heap access). For a typical follow graph the
//     page fills after ~1–2k index entries: < 1 ms, where one index probe per followee cost 10–15 ms at 150 follows.
//  3. Exactness: the window result is exact within [cursor − WINDOW, cursor); when it holds fewer than a page
//     (sparse follows), per-followee probes (posts_account_idx, LIMIT n each) fetch what lies below the window.
//     `account_id + 0` keeps the planner from switching to posts_account_idx with `= ANY(…)` (it did once mutes
//     were added: all of each followee's window posts, then a sort — 20 ms instead of 1). Boosts of muted people
//     are checked per boost row (a correlated lookup), not with NOT EXISTS, which PostgreSQL turned into a hash of
//     every post of every muted person.
//  4. Muted words need the text (heap): they are tested on the page's candidates only (same query), and more
//     candidates are read when muting emptied part of the page. Muted people are excluded before any scan (they leave the followee array).
//     `hide` filters for "home" add their keywords to the muted words, and the posts they name are tested on the
//     same candidates (a set in JavaScript, never a per-row SQL condition that could change the plan).
//  5. A list timeline is the same scan with other sources: the list's members (still followed, not hidden) instead
//     of the followees, no hashtags, no own posts, and its replies policy; members of exclusive lists leave home.
import type { Db } from "../../db/pool.ts";
import { hiddenAccounts, hiddenPhrases, hiddenPosts, wordMuteMatcher } from "./mutes.ts";
import { followeeScopes, visibleTo, type Viewer } from "../audience/visibility.ts";

const WINDOW = 20_000n;
const MAX_ROUNDS = 5;

/** Which timeline the scan reads: home, or one of the viewer's lists. */
export type HomeSource = { kind: "home" } | { kind: "list"; listId: string };

interface Sources {
  followees: string[]; tags: string[]; muted: string[]; words: ((text: string) => boolean) | null;
  /** Posts a `hide` filter names (a boost of one is hidden too); null when there are none. */
  hiddenPosts: Set<string> | null;
  /** A list's replies policy: replies to others are kept only when addressed to one of these (null: all kept). */
  repliesTo: string[] | null;
  top: bigint;
}

/** The list's members the viewer still follows (a member row stands on a follow, which may still be pending). */
function listMembers(db: Db, viewerId: string, listId: string) {
  return db`(SELECT account_id FROM list_accounts WHERE list_id = ${listId} AND owner_id = ${viewerId})`;
}

/**
 * Everything the page depends on, in one round trip: followees (hidden ones left out; for a list, its members),
 * hashtags, the hidden people (`muted`: muted or blocked either way, mutes.ts hiddenAccounts), the phrases and posts
 * hidden in "home" (muted words and `hide` filters), a list's replies policy, newest id.
 */
async function sources(db: Db, viewerId: string, source: HomeSource): Promise<Sources> {
  const list = source.kind === "list" ? source.listId : null;
  const accepted = db`SELECT f.following_id FROM follows f WHERE f.follower_id = ${viewerId} AND f.state = 'accepted'`;
  const [r] = await db`SELECT
      ARRAY(${accepted} AND f.following_id NOT IN ${hiddenAccounts(db, viewerId)}
        ${list ? db`AND f.following_id IN ${listMembers(db, viewerId, list)}`
          : db`AND f.following_id NOT IN (SELECT la.account_id FROM list_accounts la JOIN lists l ON l.id = la.list_id
            WHERE la.owner_id = ${viewerId} AND l.exclusive)`}) AS followees,
      ${list ? db`'{}'::text[]` : db`ARRAY(SELECT tag FROM tag_follows WHERE account_id = ${viewerId})`} AS tags,
      ARRAY(SELECT h.id::text FROM ${hiddenAccounts(db, viewerId)} h(id)) AS muted,
      ARRAY(SELECT json_build_object('phrase', h.phrase, 'wholeWord', h.whole_word)::text FROM ${hiddenPhrases(db, viewerId, "home")} h) AS words,
      ARRAY(SELECT h.post_id::text FROM ${hiddenPosts(db, viewerId, "home")} h) AS hidden_posts,
      ${list ? db`(SELECT CASE l.replies_policy
          WHEN 'none' THEN '{}'::text[]
          WHEN 'list' THEN ARRAY(SELECT m.account_id::text FROM ${listMembers(db, viewerId, list)} m)
          ELSE ARRAY(SELECT a.following_id::text FROM (${accepted}) a) || ${viewerId}::text END
        FROM lists l WHERE l.id = ${list} AND l.account_id = ${viewerId})` : db`NULL::text[]`} AS replies_to,
      (SELECT coalesce(max(id), 0)::text FROM posts) AS top`;
  return {
    followees: list ? (r.followees as string[]) : [viewerId, ...(r.followees as string[])],
    tags: r.tags as string[],
    muted: r.muted as string[],
    words: wordMuteMatcher((r.words as string[]).map((w) => JSON.parse(w))),
    hiddenPosts: (r.hidden_posts as string[]).length > 0 ? new Set(r.hidden_posts as string[]) : null,
    repliesTo: list ? ((r.replies_to as string[] | null) ?? []) : null,
    top: BigInt(r.top),
  };
}

interface Range { cursor: bigint; asc: boolean; bound: bigint | null; window: bigint; top: bigint }

/** id condition "beyond the cursor, within [from, to)" in the scan direction. */
function idRange(db: Db, col: string, r: Range, windowed: "inside" | "beyond") {
  const c = db.unsafe(col);
  const edge = r.asc ? r.cursor + r.window : r.cursor - r.window;
  const base = r.asc ? db`${c} > ${String(r.cursor)}` : db`${c} < ${String(r.cursor)}`;
  const win = windowed === "inside"
    ? (r.asc ? db`AND ${c} < ${String(edge)}` : db`AND ${c} >= ${String(edge)}`)
    : (r.asc ? db`AND ${c} >= ${String(edge)}` : db`AND ${c} < ${String(edge)}`);
  const bound = r.bound == null ? db`` : db`AND ${c} > ${String(r.bound)}`;
  return db`${base} ${win} ${bound}`;
}

/**
 * Cheap per-row conditions: readable by the viewer as a followee's post, not a boost of a muted person, and for a
 * list its replies policy (a reply to oneself always passes).
 */
function followeeFilters(db: Db, viewerId: string, s: Sources) {
  return db`AND (p.visibility IN ${db(followeeScopes())} OR p.account_id = ${viewerId}
      OR EXISTS (SELECT 1 FROM mentions m WHERE m.post_id = p.id AND m.account_id = ${viewerId}))
    ${s.muted.length > 0 ? db`AND (p.reblog_of_id IS NULL
      OR (SELECT o.account_id FROM posts o WHERE o.id = p.reblog_of_id) <> ALL(${s.muted}::bigint[]))` : db``}
    ${s.repliesTo ? db`AND (p.in_reply_to_account_id IS NULL OR p.in_reply_to_account_id = p.account_id
      OR p.in_reply_to_account_id = ANY(${s.repliesTo}::bigint[]))` : db``}`;
}

function tagPosts(db: Db, viewer: Viewer, s: Sources, range: ReturnType<typeof idRange>, dir: ReturnType<Db["unsafe"]>, n: number) {
  if (s.tags.length === 0) return db``;
  return db`UNION
    (SELECT pt.post_id AS id FROM post_tags pt JOIN posts p ON p.id = pt.post_id
     WHERE pt.tag = ANY(${s.tags}) AND ${range} AND p.reblog_of_id IS NULL AND ${visibleTo(db, viewer)}
       ${s.muted.length > 0 ? db`AND NOT (p.account_id = ANY(${s.muted}::bigint[]))` : db``}
     ORDER BY pt.post_id ${dir} LIMIT ${n})`;
}

interface Candidate { id: bigint; muted: boolean }

/** Whether candidates are tested after the scan: muted words (or `hide` keywords), or posts a filter names. */
const testsCandidates = (s: Sources) => s.words != null || s.hiddenPosts != null;

/**
 * Adds the text to test against muted words (the boosted post's text for a boost) and the boosted post's id —
 * read from the heap for the page's candidates only. The test itself runs in JavaScript: PostgreSQL's
 * case-insensitive regular expressions cost ~40 µs a row here, which made muted words the slowest part of the page.
 */
function withText(db: Db, s: Sources, inner: ReturnType<Db>, dir: ReturnType<Db["unsafe"]>) {
  if (!testsCandidates(s)) return db`SELECT y.id, '' AS text, NULL AS reblog FROM (${inner}) y ORDER BY y.id ${dir}`;
  return db`SELECT y.id, w.summary || ' ' || w.content_text AS text, q.reblog_of_id::text AS reblog FROM (${inner}) y
    JOIN posts q ON q.id = y.id JOIN posts w ON w.id = coalesce(q.reblog_of_id, q.id) ORDER BY y.id ${dir}`;
}

function flag(s: Sources, rows: readonly Record<string, unknown>[]): Candidate[] {
  const hidden = s.hiddenPosts;
  return rows.map((row) => ({
    id: BigInt(row.id as string),
    muted: (s.words != null && s.words(row.text as string))
      || (hidden != null && (hidden.has(String(row.id)) || (row.reblog != null && hidden.has(row.reblog as string)))),
  }));
}

/** The next `n` candidates beyond the cursor, exact and in order. */
async function candidates(db: Db, viewerId: string, s: Sources, r: Range, n: number): Promise<Candidate[]> {
  const viewer: Viewer = { kind: "local", accountId: viewerId };
  const dir = db.unsafe(r.asc ? "ASC" : "DESC");
  const inside = idRange(db, "p.id", r, "inside");
  const windowed = await db`${withText(db, s, db`SELECT id FROM (
      (SELECT p.id FROM posts p WHERE ${inside} AND p.account_id + 0 = ANY(${s.followees}::bigint[]) ${followeeFilters(db, viewerId, s)}
       ORDER BY p.id ${dir} LIMIT ${n})
      ${tagPosts(db, viewer, s, idRange(db, "pt.post_id", r, "inside"), dir, n)}
    ) x ORDER BY id ${dir} LIMIT ${n}`, dir)}`;
  const found = flag(s, windowed);
  const edge = r.asc ? r.cursor + r.window : r.cursor - r.window;
  const boundPassed = r.bound != null && !r.asc && edge <= r.bound;
  if (found.length >= n || boundPassed || edge < 0n || (r.asc && edge > r.top)) return found;
  // Below the window: one bounded probe per followee and per followed hashtag.
  const beyond = await db`${withText(db, s, db`SELECT c.id FROM unnest(${s.followees}::bigint[]) AS fol(id) CROSS JOIN LATERAL (
        SELECT p.id FROM posts p WHERE p.account_id = fol.id AND ${idRange(db, "p.id", r, "beyond")} ${followeeFilters(db, viewerId, s)}
        ORDER BY p.id ${dir} LIMIT ${n}) c
      ${tagPosts(db, viewer, s, idRange(db, "pt.post_id", r, "beyond"), dir, n)}
    ORDER BY 1 ${dir} LIMIT ${n - found.length}`, dir)}`;
  return [...found, ...flag(s, beyond)];
}

export interface HomeIds {
  /** The page's ids in scan order (newest first; oldest first with minId). */
  ids: string[];
  /** Where the next page starts when muted words cut this one short (null: use the last id, or nothing more). */
  scannedTo: string | null;
}

/**
 * One page of the home timeline, newest first (or, with minId, the page just above minId, oldest first — the
 * caller reverses it). `limit` in 1..40.
 */
export async function homeTimelineIds(db: Db, viewerId: string, p: { limit: number; maxId: string | null; minId: string | null; sinceId: string | null },
  opts: { window?: bigint; rounds?: number; source?: HomeSource } = {}): Promise<HomeIds> {
  const s = await sources(db, viewerId, opts.source ?? { kind: "home" });
  if (s.followees.length === 0 && s.tags.length === 0) return { ids: [], scannedTo: null }; // an empty list
  const asc = p.minId != null;
  let cursor: bigint;
  if (asc) cursor = BigInt(p.minId!);
  else if (p.maxId) cursor = BigInt(p.maxId);
  else cursor = s.top + 1n;
  const range: Range = { cursor, asc, bound: asc ? null : p.sinceId ? BigInt(p.sinceId) : null, window: opts.window ?? WINDOW, top: s.top };
  const out: string[] = [];
  // Muted words are rare: a few spare candidates usually fill the page in one round.
  const batch = testsCandidates(s) ? p.limit + 5 : p.limit;
  for (let round = 0; round < (opts.rounds ?? MAX_ROUNDS); round++) {
    const found = await candidates(db, viewerId, s, range, batch);
    for (const c of found) {
      if (c.muted) continue;
      out.push(String(c.id));
      if (out.length === p.limit) return { ids: out, scannedTo: null };
    }
    if (found.length < batch) return { ids: out, scannedTo: null };
    range.cursor = found[found.length - 1].id;
  }
  // Muting hid most of what was read: return a short page that still says where to go on.
  return { ids: out, scannedTo: String(range.cursor) };
}

/**
 * Which of `viewerIds` have post `postId` on their home timeline, all in one query: the streaming hub asks it once
 * per new post for every `user` stream it holds, where asking homeTimeline(onlyPost) per stream cost ~10 queries
 * each (bench/streaming.ts: 1,000 streams took seconds). It is the rule above for one post — own post, or a
 * followee's (not hidden) in a followee scope or mentioning the viewer, no boost of a hidden person; or a followed
 * hashtag's original post the viewer may read from someone not hidden — plus what loadPosts checks (visibleTo) and
 * muted words. The predicates are the same functions, given the viewer as the query's column `v.id` (postgres.js
 * inlines a fragment where a value would be bound); timelines.test.ts checks the answer against homeTimeline for
 * every kind of reader.
 */
export async function homeReaders(db: Db, postId: string, viewerIds: string[]): Promise<string[]> {
  if (viewerIds.length === 0 || !/^\d{1,18}$/.test(postId)) return [];
  const v = db`v.id` as unknown as string;
  const viewer: Viewer = { kind: "local", accountId: v };
  // Each reader's muted words and `hide` filter keywords for the home context (the one list, mutes.ts), and the
  // posts their filters name.
  const rows = await db`SELECT v.id::text AS id, w.summary || ' ' || w.content_text AS text,
      ARRAY(SELECT json_build_object('phrase', h.phrase, 'wholeWord', h.whole_word)::text
        FROM ${hiddenPhrases(db, v, "home")} AS h) AS words
    FROM unnest(${viewerIds}::bigint[]) AS v(id)
    JOIN posts p ON p.id = ${postId}
    JOIN posts w ON w.id = coalesce(p.reblog_of_id, p.id)
    WHERE ${visibleTo(db, viewer)} AND w.id NOT IN ${hiddenPosts(db, v, "home")} AND (
      ((p.account_id = v.id OR EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = v.id AND f.following_id = p.account_id
          AND f.state = 'accepted' AND f.following_id NOT IN ${hiddenAccounts(db, v)}))
        AND (p.visibility IN ${db(followeeScopes())} OR p.account_id = v.id
          OR EXISTS (SELECT 1 FROM mentions m WHERE m.post_id = p.id AND m.account_id = v.id))
        AND (p.reblog_of_id IS NULL OR w.account_id NOT IN ${hiddenAccounts(db, v)}))
      OR (p.reblog_of_id IS NULL AND p.account_id NOT IN ${hiddenAccounts(db, v)}
        AND EXISTS (SELECT 1 FROM post_tags pt JOIN tag_follows tf ON tf.tag = pt.tag WHERE pt.post_id = p.id AND tf.account_id = v.id)))`;
  return rows.filter((r) => {
    const words = wordMuteMatcher((r.words as string[]).map((w) => JSON.parse(w)));
    return !words || !words(r.text as string);
  }).map((r) => r.id as string);
}
