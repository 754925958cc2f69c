// /api/ruche/v1/articles: the knowledge base's articles and their history (issue #14). Same tokens, scopes and JSON
// errors as the Mastodon API, each error also naming its stable `code` (codes.ts); an edit conflict answers 409
// with both versions. Documented in docs/knowledge.md.
import type { Hono } from "hono";
import { z } from "zod";
import {
  type ArticleView, articleEditSchema, articleInputSchema, backlinks, createArticle, EditConflict, editArticle, findArticle, listArticles,
  mayEdit, restoreRevision,
} from "../../domain/knowledge/articles.ts";
import { diffRevisions, getRevision, listRevisions, type RevisionView } from "../../domain/knowledge/revisions.ts";
import { tocOf } from "../../domain/knowledge/article-html.ts";
import { localViewer } from "../../domain/audience/visibility.ts";
import type { RouteDeps } from "../deps.ts";
import { type ApiEnv, scopeRequired, tokenRequired, viewerOf } from "../mastodon/auth.ts";
import { notFound } from "../mastodon/errors.ts";
import { bodyParams, idParam, limitParam, parse, queryParams } from "../mastodon/params.ts";
import { serializeAccounts } from "../mastodon/serializers.ts";
import { errorCodes } from "./codes.ts";

const listSchema = z.object({
  group_id: idParam.optional(), tag: z.string().max(100).optional(), order: z.enum(["recent", "popular"]).optional(), limit: limitParam(20, 80),
});
const diffSchema = z.object({ from: idParam, to: idParam });

export function registerRucheArticles(api: Hono<ApiEnv>, deps: RouteDeps): void {
  const { sql, config } = deps;
  const read = [tokenRequired(deps), scopeRequired(["read:statuses"])] as const;
  const write = [tokenRequired(deps), scopeRequired(["write:statuses"])] as const;
  api.use("/api/ruche/v1/articles/*", errorCodes());
  api.use("/api/ruche/v1/articles", errorCodes());

  async function articleJson(a: ArticleView, viewerId: string) {
    const [author] = await serializeAccounts(sql, config.origin, [a.author]);
    return {
      id: a.id, url: a.url ?? a.iri, uri: a.iri, title: a.title, summary: a.summary, body: a.source, content: a.html,
      tags: a.tags, visibility: a.visibility, group_id: a.groupId, local: a.local, revision_id: a.revisionId, author,
      toc: tocOf(a.html), created_at: a.createdAt.toISOString(), updated_at: a.updatedAt.toISOString(),
      editable: await mayEdit(sql, a, localViewer(viewerId)),
    };
  }

  async function revisionsJson(list: RevisionView[]) {
    const authors = await serializeAccounts(sql, config.origin, list.map((r) => r.author));
    return list.map((r, i) => ({
      id: r.id, article_id: r.articleId, title: r.title, summary: r.summary, restored_from: r.restoredFrom, bytes: r.bytes,
      author: authors[i], created_at: r.createdAt.toISOString(),
    }));
  }

  /** The article if the viewer reads it (404 otherwise: an unreadable article is not confirmed to exist). */
  async function readable(id: string, viewerId: string): Promise<ArticleView> {
    const a = await findArticle(sql, id, localViewer(viewerId));
    if (!a) throw notFound();
    return a;
  }

  api.post("/api/ruche/v1/articles", ...write, async (c) => {
    const viewer = viewerOf(c);
    const p = parse(articleInputSchema, await bodyParams(c));
    const { article, revisionId } = await createArticle(sql, config.origin, viewer.accountId, p);
    return c.json({ id: article.id, url: article.url, revision_id: revisionId });
  });

  api.get("/api/ruche/v1/articles", ...read, async (c) => {
    const viewer = viewerOf(c);
    const q = parse(listSchema, queryParams(c));
    const list = await listArticles(sql, localViewer(viewer.accountId), { groupId: q.group_id, tag: q.tag, order: q.order, limit: q.limit });
    return c.json(await Promise.all(list.map((a) => articleJson(a, viewer.accountId))));
  });

  api.get("/api/ruche/v1/articles/:id{[0-9]+}", ...read, async (c) => {
    const viewer = viewerOf(c);
    return c.json(await articleJson(await readable(c.req.param("id"), viewer.accountId), viewer.accountId));
  });

  api.put("/api/ruche/v1/articles/:id{[0-9]+}", ...write, async (c) => {
    const viewer = viewerOf(c);
    const p = parse(articleEditSchema, await bodyParams(c));
    try {
      const { revisionId } = await editArticle(sql, c.req.param("id"), viewer.accountId, p);
      return c.json({ id: c.req.param("id"), revision_id: revisionId });
    } catch (e) {
      if (!(e instanceof EditConflict)) throw e;
      return c.json({
        error: e.message, code: e.code,
        latest: { revision_id: e.latest.revisionId, title: e.latest.title, body: e.latest.body, author_id: e.latest.authorId, created_at: e.latest.createdAt.toISOString() },
        yours: { base_revision_id: e.yours.baseRevisionId, body: e.yours.body },
      }, 409);
    }
  });

  api.get("/api/ruche/v1/articles/:id{[0-9]+}/revisions", ...read, async (c) => {
    const viewer = viewerOf(c);
    const a = await readable(c.req.param("id"), viewer.accountId);
    const q = parse(z.object({ limit: limitParam(50, 200), max_id: idParam.optional() }), queryParams(c));
    return c.json(await revisionsJson(await listRevisions(sql, a.id, { limit: q.limit, maxId: q.max_id })));
  });

  api.get("/api/ruche/v1/articles/:id{[0-9]+}/revisions/:rid{[0-9]+}", ...read, async (c) => {
    const viewer = viewerOf(c);
    const a = await readable(c.req.param("id"), viewer.accountId);
    const r = await getRevision(sql, a.id, c.req.param("rid"));
    const [json] = await revisionsJson([r]);
    return c.json({ ...json, body: r.source });
  });

  api.post("/api/ruche/v1/articles/:id{[0-9]+}/revisions/:rid{[0-9]+}/restore", ...write, async (c) => {
    const viewer = viewerOf(c);
    const { revisionId } = await restoreRevision(sql, c.req.param("id"), viewer.accountId, c.req.param("rid"));
    return c.json({ id: c.req.param("id"), revision_id: revisionId });
  });

  api.get("/api/ruche/v1/articles/:id{[0-9]+}/diff", ...read, async (c) => {
    const viewer = viewerOf(c);
    const a = await readable(c.req.param("id"), viewer.accountId);
    const q = parse(diffSchema, queryParams(c));
    const d = await diffRevisions(sql, a.id, q.from, q.to);
    const [from, to] = await revisionsJson([d.from, d.to]);
    return c.json({ from, to, added: d.added, removed: d.removed, patch: d.patch, parts: d.parts });
  });

  api.get("/api/ruche/v1/articles/:id{[0-9]+}/backlinks", ...read, async (c) => {
    const viewer = viewerOf(c);
    const a = await readable(c.req.param("id"), viewer.accountId);
    return c.json(await backlinks(sql, a, localViewer(viewer.accountId)));
  });
}
