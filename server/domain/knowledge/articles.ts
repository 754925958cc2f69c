// Knowledge-base articles (issue #14): wiki pages with revisions. Every save is a revision (author, time, summary);
// an edit names the revision it was based on, and one based on anything but the latest is a conflict that shows
// both versions and overwrites nothing (the article's row is locked while the check and the write run, so two
// saves based on the same revision cannot both pass). Who reads an article is the posts' audience rule
// (audience/visibility.ts visibleTo); who edits one: a local employee who reads it, and in a group's space a member.
//
//   createArticle(sql, origin, authorId, input)            → { article, revisionId }
//   editArticle(sql, articleId, editorId, input)           → { revisionId } | throws EditConflict (409)
//   restoreRevision(sql, articleId, editorId, revisionId)  → { revisionId }
//   findArticle(db, id, viewer) / listArticles(db, viewer, opts) / backlinks(db, article, viewer)
import { z } from "zod";
import { atomically, type Db, type Sql } from "../../db/pool.ts";
import { type Account, accountColumns, toAccount } from "../accounts/accounts.ts";
import { DomainError } from "../errors.ts";
import { enqueueOutbox } from "../outbox.ts";
import { federates, localViewer, type Viewer, viewerAccountId, visibleTo, type Visibility } from "../audience/visibility.ts";
import { findGroup, isMember } from "../groups/groups.ts";
import { normaliseTag } from "../posts/hashtags.ts";
import { renderArticle, titleKey } from "./article-html.ts";

/** 1 MiB of Markdown: a long handbook page is ~100 KB; more is a file to attach, not a page (a 10 MB body: 413). */
export const ARTICLE_LIMITS = { sourceBytes: 1024 * 1024, title: 300, summary: 500, tags: 20 } as const;
export const ARTICLE_VISIBILITIES = ["public", "unlisted", "internal", "local", "group"] as const satisfies readonly Visibility[];

export const articleInputSchema = z.object({
  title: z.string().trim().min(1).max(ARTICLE_LIMITS.title),
  body: z.string(),
  tags: z.array(z.string()).max(ARTICLE_LIMITS.tags).default([]),
  visibility: z.enum(ARTICLE_VISIBILITIES).default("internal"),
  summary: z.string().max(ARTICLE_LIMITS.summary).default(""),
  group_id: z.string().regex(/^\d{1,18}$/).nullish(),
});
export const articleEditSchema = z.object({
  body: z.string(),
  base_revision_id: z.string().regex(/^\d{1,18}$/),
  summary: z.string().max(ARTICLE_LIMITS.summary).default(""),
  title: z.string().trim().min(1).max(ARTICLE_LIMITS.title).optional(),
  tags: z.array(z.string()).max(ARTICLE_LIMITS.tags).optional(),
});

export interface ArticleView {
  id: string;
  iri: string;
  url: string | null;
  local: boolean;
  origin: string;
  author: Account;
  groupId: string | null;
  visibility: Visibility;
  title: string;
  summary: string;
  source: string;
  html: string;
  text: string;
  tags: string[];
  revisionId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** An edit based on an old revision: both versions, for the person to merge by hand. */
export class EditConflict extends DomainError {
  latest: { revisionId: string; title: string; body: string; authorId: string; createdAt: Date };
  yours: { baseRevisionId: string; body: string };
  constructor(latest: EditConflict["latest"], yours: EditConflict["yours"]) {
    super("edit_conflict", 409, "this article changed since the revision your edit is based on: nothing was saved");
    this.latest = latest;
    this.yours = yours;
  }
}

function checkSource(body: string): void {
  if (Buffer.byteLength(body, "utf8") > ARTICLE_LIMITS.sourceBytes) {
    throw new DomainError("article_too_large", 413, `body: an article holds at most ${ARTICLE_LIMITS.sourceBytes} bytes of Markdown`, "body");
  }
}

function tagsOf(input: string[]): string[] {
  const out = new Set<string>();
  for (const raw of input) {
    const t = normaliseTag(raw);
    if (!t) throw new DomainError("validation_failed", 422, `tags: "${raw.slice(0, 50)}" is not a tag`, "tags");
    out.add(t);
  }
  return [...out];
}

export function articleColumns(db: Db, alias = "ar") {
  const a = db.unsafe(alias);
  return db`${a}.id::text AS ar_id, ${a}.iri AS ar_iri, ${a}.url AS ar_url, ${a}.local AS ar_local, ${a}.origin AS ar_origin,
    ${a}.group_id::text AS ar_group_id, ${a}.visibility AS ar_visibility, ${a}.title AS ar_title, ${a}.summary AS ar_summary,
    ${a}.source AS ar_source, ${a}.content_html AS ar_html, ${a}.content_text AS ar_text, ${a}.revision_id::text AS ar_revision_id,
    ${a}.created_at AS ar_created_at, ${a}.updated_at AS ar_updated_at,
    ARRAY(SELECT t.tag FROM article_tags t WHERE t.article_id = ${a}.id ORDER BY t.tag) AS ar_tags`;
}

export function toArticle(r: Record<string, unknown>): ArticleView {
  return {
    id: r.ar_id as string, iri: r.ar_iri as string, url: r.ar_url as string | null, local: r.ar_local as boolean,
    origin: r.ar_origin as string, author: toAccount(r), groupId: r.ar_group_id as string | null,
    visibility: r.ar_visibility as Visibility, title: r.ar_title as string, summary: r.ar_summary as string,
    source: r.ar_source as string, html: r.ar_html as string, text: r.ar_text as string, tags: r.ar_tags as string[],
    revisionId: r.ar_revision_id as string | null, createdAt: r.ar_created_at as Date, updatedAt: r.ar_updated_at as Date,
  };
}

/** The article's own visibility predicate: the audience rule on the article row, which names nobody. */
export const articleVisibleTo = (db: Db, viewer: Viewer, alias = "ar") => visibleTo(db, viewer, alias, { mentions: false });

export async function findArticle(db: Db, id: string, viewer: Viewer): Promise<ArticleView | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const [r] = await db`SELECT ${articleColumns(db)}, ${accountColumns(db)} FROM articles ar JOIN accounts a ON a.id = ar.account_id
    WHERE ar.id = ${id} AND ${articleVisibleTo(db, viewer)}`;
  return r ? toArticle(r) : null;
}

/** The space's scope for an article: a project's articles are its members' alone; a community's as chosen. */
async function spaceOf(db: Db, groupId: string | null | undefined, authorId: string, visibility: Visibility): Promise<{ groupId: string | null; visibility: Visibility }> {
  if (!groupId) {
    if (visibility === "group") throw new DomainError("validation_failed", 422, "visibility: group needs a group_id", "visibility");
    return { groupId: null, visibility };
  }
  const group = await findGroup(db, groupId);
  if (!group) throw new DomainError("not_found", 404, "no such group");
  if (!(await isMember(db, group.account.id, authorId))) throw new DomainError("forbidden", 403, "only the group's members write in its space");
  return { groupId: group.account.id, visibility: group.account.locked ? "group" : visibility === "group" ? "internal" : visibility };
}

/** May `editorId` (a local employee) edit this article? It must be local, readable by them, and a member's in a group space. */
async function requireEditor(db: Db, article: ArticleView | null, editorId: string): Promise<ArticleView> {
  if (!article) throw new DomainError("not_found", 404, "Record not found");
  if (!article.local) throw new DomainError("not_local", 422, "this article is edited on its own instance");
  if (article.groupId && article.author.id !== editorId && !(await isMember(db, article.groupId, editorId))) {
    throw new DomainError("forbidden", 403, "only the group's members edit the articles of its space");
  }
  return article;
}

async function writeDerived(tx: Db, articleId: string, tags: string[] | null, links: string[]): Promise<void> {
  if (tags) {
    await tx`DELETE FROM article_tags WHERE article_id = ${articleId}`;
    if (tags.length) await tx`INSERT INTO article_tags ${tx(tags.map((tag) => ({ article_id: articleId, tag })))}`;
  }
  await tx`DELETE FROM article_links WHERE from_id = ${articleId}`;
  if (links.length) await tx`INSERT INTO article_links ${tx(links.slice(0, 500).map((k) => ({ from_id: articleId, title_key: k })))} ON CONFLICT DO NOTHING`;
}

async function queueFederation(tx: Db, articleId: string, visibility: Visibility, kind: "create-article" | "update-article"): Promise<void> {
  if (federates(visibility)) await enqueueOutbox(tx, { kind, articleId });
}

export async function createArticle(sql: Sql, origin: string, authorId: string, input: z.input<typeof articleInputSchema>): Promise<{ article: ArticleView; revisionId: string }> {
  const p = articleInputSchema.parse(input);
  checkSource(p.body);
  const tags = tagsOf(p.tags);
  const id = await atomically(sql, async (tx) => {
    const space = await spaceOf(tx, p.group_id, authorId, p.visibility);
    const rendered = renderArticle(p.body, space.groupId);
    const [{ id }] = await tx`SELECT nextval(pg_get_serial_sequence('articles', 'id'))::text AS id`;
    await tx`INSERT INTO articles (id, iri, url, account_id, local, origin, group_id, visibility, title, title_key, summary,
        source, content_html, content_text)
      OVERRIDING SYSTEM VALUE
      VALUES (${id}, ${`${origin}/ap/article/${id}`}, ${`${origin}/knowledge/articles/${id}`}, ${authorId}, true, ${origin},
        ${space.groupId}, ${space.visibility}, ${p.title}, ${titleKey(p.title)}, ${p.summary}, ${p.body}, ${rendered.html}, ${rendered.text})`;
    const [rev] = await tx`INSERT INTO article_revisions (article_id, author_id, title, source, summary)
      VALUES (${id}, ${authorId}, ${p.title}, ${p.body}, ${p.summary}) RETURNING id::text`;
    await tx`UPDATE articles SET revision_id = ${rev.id} WHERE id = ${id}`;
    await writeDerived(tx, id, tags, rendered.links);
    await queueFederation(tx, id, space.visibility, "create-article");
    return id as string;
  });
  const article = (await findArticle(sql, id, localViewer(authorId)))!;
  return { article, revisionId: article.revisionId! };
}

/** Writes a new revision on the locked row `current` (an edit or a restore). */
async function saveRevision(tx: Db, current: ArticleView, editorId: string, next: { title: string; body: string; summary: string; tags?: string[]; restoredFrom?: string }): Promise<string> {
  const rendered = renderArticle(next.body, current.groupId);
  const [rev] = await tx`INSERT INTO article_revisions (article_id, author_id, title, source, summary, restored_from)
    VALUES (${current.id}, ${editorId}, ${next.title}, ${next.body}, ${next.summary}, ${next.restoredFrom ?? null}) RETURNING id::text`;
  await tx`UPDATE articles SET title = ${next.title}, title_key = ${titleKey(next.title)}, source = ${next.body},
      content_html = ${rendered.html}, content_text = ${rendered.text}, revision_id = ${rev.id}, updated_at = now()
    WHERE id = ${current.id}`;
  await writeDerived(tx, current.id, next.tags ? tagsOf(next.tags) : null, rendered.links);
  await queueFederation(tx, current.id, current.visibility, "update-article");
  return rev.id as string;
}

/** Locks the article's row for the check-then-write of a save (FOR UPDATE: a second save waits, then sees the first). */
async function lockForEdit(tx: Db, articleId: string, editorId: string): Promise<ArticleView> {
  if (!/^\d{1,18}$/.test(articleId)) throw new DomainError("not_found", 404, "Record not found");
  await tx`SELECT 1 FROM articles WHERE id = ${articleId} FOR UPDATE`;
  return await requireEditor(tx, await findArticle(tx, articleId, localViewer(editorId)), editorId);
}

async function revisionOf(tx: Db, articleId: string, revisionId: string): Promise<{ id: string; title: string; source: string; authorId: string; createdAt: Date }> {
  const [r] = await tx`SELECT id::text, article_id::text, title, source, author_id::text, created_at FROM article_revisions WHERE id = ${revisionId}`;
  // A revision of another article is refused as such (an edit cannot graft another page's history onto this one).
  if (!r || r.article_id !== articleId) throw new DomainError("revision_not_of_article", 422, "base_revision_id: not a revision of this article", "base_revision_id");
  return { id: r.id, title: r.title, source: r.source, authorId: r.author_id, createdAt: r.created_at };
}

export async function editArticle(sql: Sql, articleId: string, editorId: string, input: z.input<typeof articleEditSchema>): Promise<{ revisionId: string }> {
  const p = articleEditSchema.parse(input);
  checkSource(p.body);
  if (p.tags) tagsOf(p.tags);
  return await atomically(sql, async (tx) => {
    const current = await lockForEdit(tx, articleId, editorId);
    await revisionOf(tx, current.id, p.base_revision_id);
    if (p.base_revision_id !== current.revisionId) {
      const latest = await revisionOf(tx, current.id, current.revisionId!);
      throw new EditConflict({ revisionId: latest.id, title: latest.title, body: latest.source, authorId: latest.authorId, createdAt: latest.createdAt },
        { baseRevisionId: p.base_revision_id, body: p.body });
    }
    const revisionId = await saveRevision(tx, current, editorId, { title: p.title ?? current.title, body: p.body, summary: p.summary, tags: p.tags });
    return { revisionId };
  });
}

/** Restores an old revision as a new one (history is never rewritten). */
export async function restoreRevision(sql: Sql, articleId: string, editorId: string, revisionId: string): Promise<{ revisionId: string }> {
  return await atomically(sql, async (tx) => {
    const current = await lockForEdit(tx, articleId, editorId);
    const old = await revisionOf(tx, current.id, revisionId);
    const id = await saveRevision(tx, current, editorId, { title: old.title, body: old.source, summary: `restore:${old.id}`, restoredFrom: old.id });
    return { revisionId: id };
  });
}

export async function mayEdit(db: Db, article: ArticleView, viewer: Viewer): Promise<boolean> {
  const id = viewerAccountId(viewer);
  if (!id || !article.local) return false;
  return !article.groupId || article.author.id === id || (await isMember(db, article.groupId, id));
}

export type ArticleOrder = "recent" | "popular";

/** Articles the viewer reads, newest edit first (or most viewed), in one space or all. */
export async function listArticles(db: Db, viewer: Viewer, opts: { groupId?: string | null; tag?: string; order?: ArticleOrder; limit?: number } = {}): Promise<ArticleView[]> {
  const limit = Math.min(Math.max(opts.limit ?? 20, 1), 80);
  const space = opts.groupId === undefined ? db`` : opts.groupId === null ? db`AND ar.group_id IS NULL` : db`AND ar.group_id = ${opts.groupId}`;
  const tag = opts.tag ? db`AND EXISTS (SELECT 1 FROM article_tags t WHERE t.article_id = ar.id AND t.tag = ${opts.tag})` : db``;
  const order = opts.order === "popular" ? db`ar.views DESC, ar.updated_at DESC` : db`ar.updated_at DESC, ar.id DESC`;
  const rows = await db`SELECT ${articleColumns(db)}, ${accountColumns(db)} FROM articles ar JOIN accounts a ON a.id = ar.account_id
    WHERE ${articleVisibleTo(db, viewer)} ${space} ${tag} ORDER BY ${order} LIMIT ${limit}`;
  return rows.map(toArticle);
}

/** Counts a page view (the "popular" order). */
export async function countView(db: Db, articleId: string): Promise<void> {
  await db`UPDATE articles SET views = views + 1 WHERE id = ${articleId}`;
}

/** Readable articles whose [[links]] name this one's title (in the same space). */
export async function backlinks(db: Db, article: ArticleView, viewer: Viewer): Promise<{ id: string; title: string }[]> {
  const rows = await db`SELECT ar.id::text, ar.title FROM article_links l JOIN articles ar ON ar.id = l.from_id
    WHERE l.title_key = ${titleKey(article.title)} AND ar.id <> ${article.id}
      AND ar.group_id IS NOT DISTINCT FROM ${article.groupId} AND ${articleVisibleTo(db, viewer)}
    ORDER BY ar.title LIMIT 100`;
  return rows.map((r) => ({ id: r.id as string, title: r.title as string }));
}

/** The readable article of that title in a space ([[Page]] links resolve through this). */
export async function findByTitle(db: Db, title: string, groupId: string | null, viewer: Viewer): Promise<string | null> {
  const [r] = await db`SELECT ar.id::text FROM articles ar WHERE ar.title_key = ${titleKey(title)}
    AND ar.group_id IS NOT DISTINCT FROM ${groupId} AND ar.local AND ${articleVisibleTo(db, viewer)} ORDER BY ar.id LIMIT 1`;
  return (r?.id as string) ?? null;
}
