// A person's search text → the tsquery every full-text search uses (migration 0034: French and English at once,
// accents ignored). websearch_to_tsquery never raises on bad syntax ("&&&", unbalanced quotes, SQL meta-characters
// are words or nothing), so pathological input gives an empty query, answered with no results; a word ending in
// `*` is a prefix ("deploi*"), kept to letters and digits before it reaches to_tsquery, which would raise on
// anything else. Highlighted snippets are made from plain text with control-character markers, then escaped, so
// nothing in a document becomes markup but our <mark>.
import type postgres from "postgres";
import type { Db } from "../../db/pool.ts";
import { DomainError } from "../errors.ts";
import { escapeHtml } from "../posts/html.ts";

export const MAX_QUERY = 500;

export interface TextQuery {
  /** The tsquery as SQL (a fragment to put in a WHERE or a SELECT). */
  sql: postgres.Fragment;
  /** The free text as typed, for the exact-title boost. */
  text: string;
}

/** null: nothing searchable (empty, only stop words or punctuation): the caller answers with no results. */
export async function textQuery(db: Db, raw: string): Promise<TextQuery | null> {
  const text = raw.trim();
  if (text.length > MAX_QUERY) throw new DomainError("query_too_long", 422, `q: a search holds at most ${MAX_QUERY} characters`, "q");
  if (!text) return null;
  const prefixes: string[] = [];
  const rest = text.replace(/(^|\s)([\p{L}\p{N}]{2,50})\*(?=\s|$)/gu, (_m, sp: string, word: string) => {
    if (prefixes.length < 4) prefixes.push(word);
    return sp;
  }).replace(/\*/g, " ");
  const parts: postgres.Fragment[] = [];
  if (rest.trim()) parts.push(db`ruche_tsquery(${rest})`);
  for (const p of prefixes) {
    parts.push(db`(to_tsquery('public.ruche_fr'::regconfig, ${`${p}:*`}) || to_tsquery('public.ruche_en'::regconfig, ${`${p}:*`}))`);
  }
  if (parts.length === 0) return null;
  const sql = parts.reduce((a, b) => db`(${a} && ${b})`);
  const [{ n }] = await db`SELECT numnode(${sql}) AS n`;
  return n > 0 ? { sql, text } : null;
}

/**
 * Runs a search's statements planned for their own query text. postgres.js prepares statements, and after five runs
 * PostgreSQL may switch to a generic plan that cannot know how rare the words are: it then walks the newest posts
 * backwards hoping for matches, and a rare word or no match at all read a million rows (2 s, bench/search.ts).
 * Planned for the words, a rare word goes through the GIN index and a common one through the newest posts. No
 * parallel workers either (as the directory: a page of rows costs less than starting them on two cores).
 */
export async function planned<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  const run = async (tx: Db) => {
    await tx`SELECT set_config('plan_cache_mode', 'force_custom_plan', true), set_config('max_parallel_workers_per_gather', '0', true)`;
    return await fn(tx);
  };
  return "begin" in db ? (await db.begin("read only", run)) as T : await run(db);
}

/** SQL for a highlighted extract of `column` (plain text): French first, else English, markers \u0001…\u0002. */
export function headline(db: Db, column: postgres.Fragment, q: TextQuery) {
  const opts = "StartSel=\u0001, StopSel=\u0002, MaxWords=35, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=\u0003";
  return db`(SELECT CASE WHEN strpos(h.fr, E'\\u0001') > 0 OR strpos(h.en, E'\\u0001') = 0 THEN h.fr ELSE h.en END FROM (SELECT
    ts_headline('public.ruche_fr'::regconfig, left(${column}, 20000), ${q.sql}, ${opts}) AS fr,
    ts_headline('public.ruche_en'::regconfig, left(${column}, 20000), ${q.sql}, ${opts}) AS en) h)`;
}

/** The database's marked extract as safe HTML: everything escaped, the markers made <mark>. */
export function snippetHtml(marked: string | null): string {
  return escapeHtml(marked ?? "").replace(/\u0001/g, "<mark>").replace(/\u0002/g, "</mark>").replace(/\u0003/g, " … ");
}
