// One search over what the group of companies writes (issue #14): posts, articles, questions and people. Each kind
// is searched by its own GIN index with the one text query (text-query.ts) and the audience rule inside the query
// (visibility.ts visibleTo; articles and questions name nobody, so without mentions) — a result the reader cannot
// read is never produced, not filtered afterwards. People come from the directory's own search (profiles/
// directory.ts), which knows who is listed and which fields a reader may match on.
//
// Ranking: ts_rank_cd (title weight A above body B) × a recency factor (halved after ~30 days) + 1 for an exact
// title. Only the newest CANDIDATES matches of each kind are ranked (an article's exact title always among them): a
// word in 100,000 posts or every article would otherwise rank them all for one page (bench/search.ts measured
// 150–250 ms that way at 100,000 posts and 5,000 articles).
// Snippets: ts_headline on the plain text, escaped (text-query.ts snippetHtml).
import type postgres from "postgres";
import type { Db } from "../../db/pool.ts";
import { type Viewer, visibleTo } from "../audience/visibility.ts";
import { profileAudienceOf, profileForScope } from "../profiles/profile-visibility.ts";
import { searchDirectory } from "../profiles/directory.ts";
import { byTextIndex } from "../posts/post-search.ts";
import { titleKey } from "../knowledge/article-html.ts";
import { headline, planned, snippetHtml, type TextQuery, textQuery } from "./text-query.ts";

export const SEARCH_KINDS = ["post", "article", "question", "profile"] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export interface SearchFilters {
  kinds?: SearchKind[];
  /** An account id: what this person wrote (posts, articles, questions). */
  authorId?: string;
  tag?: string;
  /** A group's account id: what is in its space. */
  groupId?: string;
  /** "local", or an origin (https://lyon.example): where it was written. */
  origin?: string;
  since?: Date;
  until?: Date;
  limit?: number;
  offset?: number;
}

export interface SearchResult {
  kind: SearchKind;
  id: string;
  /** The page on this instance. */
  url: string;
  title: string | null;
  /** HTML: escaped text with <mark>. */
  snippet: string;
  score: number;
  createdAt: Date | null;
}

const CANDIDATES = 100;

function score(db: Db, alias: string, q: TextQuery, title: postgres.Fragment | null, date: string) {
  const a = db.unsafe(alias);
  const exact = title ? db`+ CASE WHEN ${title} = ${titleKey(q.text)} THEN 1 ELSE 0 END` : db``;
  return db`(ts_rank_cd(${a}.search, ${q.sql}, 1) * (0.5 + 0.5 / (1 + extract(epoch FROM now() - ${a}.${db.unsafe(date)}) / 2592000.0)) ${exact})`;
}

function common(db: Db, alias: string, f: SearchFilters, date: string, tagTable: { table: string; key: string } | null) {
  const a = db.unsafe(alias);
  const d = db.unsafe(date);
  return db`${f.authorId ? db`AND ${a}.account_id = ${f.authorId}` : db``}
    ${f.groupId ? db`AND ${a}.group_id = ${f.groupId}` : db``}
    ${f.origin === "local" ? db`AND ${a}.local` : f.origin ? db`AND ${a}.origin = ${f.origin}` : db``}
    ${f.since ? db`AND ${a}.${d} >= ${f.since}` : db``}
    ${f.until ? db`AND ${a}.${d} < ${f.until}` : db``}
    ${f.tag && tagTable ? db`AND EXISTS (SELECT 1 FROM ${db.unsafe(tagTable.table)} t WHERE t.${db.unsafe(tagTable.key)} = ${a}.id AND t.tag = ${f.tag})` : db``}`;
}

async function posts(db: Db, viewer: Viewer, q: TextQuery, f: SearchFilters, want: number): Promise<SearchResult[]> {
  // Ranked among the newest candidates; extracts (ts_headline, the costly part) only for the page's rows.
  const rows = await byTextIndex(db, q, () => db`SELECT r.id::text, r.created_at, r.score, ${headline(db, db`r.content_text`, q)} AS snippet FROM (
      SELECT c.id, c.created_at, c.content_text, ${score(db, "c", q, null, "created_at")} AS score
      FROM (SELECT p.id, p.created_at, p.search, p.content_text FROM posts p
        WHERE p.reblog_of_id IS NULL AND p.search @@ ${q.sql} AND ${visibleTo(db, viewer)}
          ${common(db, "p", f, "created_at", { table: "post_tags", key: "post_id" })}
        ORDER BY p.id DESC LIMIT ${CANDIDATES}) c
      ORDER BY score DESC, c.id DESC LIMIT ${want}) r
    ORDER BY r.score DESC, r.id DESC`.execute());
  return rows.map((r) => ({ kind: "post", id: r.id, url: `/posts/${r.id}`, title: null, snippet: snippetHtml(r.snippet), score: Number(r.score), createdAt: r.created_at }));
}

async function documents(db: Db, viewer: Viewer, q: TextQuery, f: SearchFilters, want: number, kind: "article" | "question"): Promise<SearchResult[]> {
  const [table, alias, tags, date] = kind === "article"
    ? ["articles", "ar", { table: "article_tags", key: "article_id" }, "updated_at"]
    : ["questions", "qu", { table: "question_tags", key: "question_id" }, "created_at"];
  const a = db.unsafe(alias);
  const titleCmp = kind === "article" ? db`c.title_key` : db`ruche_fold(c.title)`;
  // As posts: the newest candidates ranked, then the page's extracts. An article whose title is exactly the query
  // joins the candidates however old it is (found by its own index, not by walking the matches).
  const visible = visibleTo(db, viewer, alias, { mentions: false });
  const exact = kind === "article"
    ? db`(SELECT ${a}.id FROM articles ${a} WHERE ${a}.title_key = ${titleKey(q.text)} AND ${visible} ${common(db, alias, f, date, tags)} LIMIT 5) UNION`
    : db``;
  const rows = await db`SELECT r.id::text, r.title, r.at, r.score, ${headline(db, db`r.content_text`, q)} AS snippet,
      ${headline(db, db`r.title`, q)} AS title_marked FROM (
      SELECT c.id, c.title, c.content_text, c.${db.unsafe(date)} AS at, ${score(db, "c", q, titleCmp, date)} AS score
      FROM ${db.unsafe(table)} c WHERE c.id IN (${exact}
        (SELECT ${a}.id FROM ${db.unsafe(table)} ${a} WHERE ${a}.search @@ ${q.sql} AND ${visible} ${common(db, alias, f, date, tags)}
          ORDER BY ${a}.${db.unsafe(date)} DESC, ${a}.id DESC LIMIT ${CANDIDATES}))
      ORDER BY score DESC, c.id DESC LIMIT ${want}) r
    ORDER BY r.score DESC, r.id DESC`;
  const path = kind === "article" ? "/knowledge/articles/" : "/knowledge/questions/";
  return rows.map((r) => {
    const body = snippetHtml(r.snippet);
    return { kind, id: r.id, url: `${path}${r.id}`, title: r.title, snippet: body.includes("<mark>") ? body : snippetHtml(r.title_marked) + (body ? ` — ${body}` : ""),
      score: Number(r.score), createdAt: r.at };
  });
}

async function profiles(db: Db, viewer: Viewer, q: TextQuery, want: number): Promise<SearchResult[]> {
  if (viewer.kind === "remote") return [];
  const audience = profileAudienceOf(viewer);
  const found = await searchDirectory(db, { q: q.text.replace(/[*"]/g, " ").slice(0, 200), limit: Math.min(want, 80) }, audience);
  // The directory ranks on its own; below an exact title, above a weak text match.
  return found.map((e, i) => ({
    kind: "profile" as const, id: e.account.id, url: `/@${e.account.domain ? `${e.account.username}@${e.account.domain}` : e.account.username}`,
    title: e.account.displayName || e.account.username, snippet: snippetHtml(((p) => [p.jobTitle, p.department, p.site].filter(Boolean).join(" · "))(profileForScope(e.profile, audience))),
    score: 0.5 / (1 + i), createdAt: null,
  }));
}

export interface SearchAnswer { results: SearchResult[]; facets: Record<SearchKind, number> }

/** Searches every kind asked for; null query (nothing searchable): no results. Facets count this page's kinds. */
export async function search(db: Db, viewer: Viewer, raw: string, f: SearchFilters = {}): Promise<SearchAnswer> {
  return await planned(db, (tx) => searchIn(tx, viewer, raw, f));
}

async function searchIn(db: Db, viewer: Viewer, raw: string, f: SearchFilters): Promise<SearchAnswer> {
  const limit = Math.min(Math.max(f.limit ?? 20, 1), 50);
  const offset = Math.min(Math.max(f.offset ?? 0, 0), 500);
  const facets: Record<SearchKind, number> = { post: 0, article: 0, question: 0, profile: 0 };
  const q = await textQuery(db, raw);
  if (!q) return { results: [], facets };
  const kinds = new Set(f.kinds?.length ? f.kinds : SEARCH_KINDS);
  // A filter only posts, articles and questions have leaves people out.
  if (f.authorId || f.tag || f.groupId || f.origin || f.since || f.until) kinds.delete("profile");
  const want = limit + offset;
  // Posts first, alone on the transaction (byTextIndex changes planner settings for its statements).
  const found = kinds.has("post") ? await posts(db, viewer, q, f, want) : [];
  const lists = await Promise.all([
    found,
    kinds.has("article") ? documents(db, viewer, q, f, want, "article") : [],
    kinds.has("question") ? documents(db, viewer, q, f, want, "question") : [],
    kinds.has("profile") ? profiles(db, viewer, q, want) : [],
  ]);
  const all = lists.flat().sort((a, b) => b.score - a.score || (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
  for (const r of all) facets[r.kind]++;
  return { results: all.slice(offset, offset + limit), facets };
}
