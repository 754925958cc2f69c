// Knowledge-base pages (issue #14): /knowledge (home, per space with ?space=, per tag with ?tag=), the editor
// (/knowledge/new, /knowledge/articles/:id/edit; "Preview" re-renders the form on the server), an article's page,
// history, one revision, diff and restore, and /knowledge/wiki/:title (where [[Page]] links lead). Everything is
// the domain's (knowledge/articles.ts, revisions.ts): visibility by the audience rule, conflicts shown with both
// versions. Questions and the search page: knowledge-questions.ts.
import type { Context, Hono } from "hono";
import { DomainError } from "../../domain/errors.ts";
import {
  type ArticleView, backlinks, countView, createArticle, EditConflict, editArticle, findArticle, findByTitle, listArticles, mayEdit,
  restoreRevision,
} from "../../domain/knowledge/articles.ts";
import { diffRevisions, getRevision, listRevisions } from "../../domain/knowledge/revisions.ts";
import { renderArticle, tocOf } from "../../domain/knowledge/article-html.ts";
import { listQuestions } from "../../domain/knowledge/questions.ts";
import { findGroup, groupsOf } from "../../domain/groups/groups.ts";
import { normaliseTag } from "../../domain/posts/hashtags.ts";
import { localViewer } from "../../domain/audience/visibility.ts";
import { ArticlePage, type ArticleSummary, KnowledgeHomePage, type QuestionSummary } from "../../../web/components/knowledge.ts";
import { ArticleEditorPage, DiffPage, type EditorValues, HistoryPage, RevisionPage } from "../../../web/components/knowledge-edit.ts";
import { t } from "../../../web/i18n/index.ts";
import type { RouteDeps } from "../deps.ts";
import { errorPage, page } from "./render.ts";
import { checkCsrf, chromeOf, requireUser } from "./session.ts";
import { pagePath } from "./views.ts";

const ID = "{[0-9]{1,18}}";
const nameOf = (a: { displayName: string; username: string }) => a.displayName.trim() || a.username;

export function articleSummary(a: ArticleView): ArticleSummary {
  const text = a.summary || a.text.replace(/\s+/g, " ").trim();
  return {
    id: a.id, title: a.title, url: `/knowledge/articles/${a.id}`, excerpt: text.length > 200 ? `${text.slice(0, 199)}…` : text,
    authorName: nameOf(a.author), updatedAt: a.updatedAt, tags: a.tags, remote: !a.local,
  };
}

export function questionSummaries(list: Awaited<ReturnType<typeof listQuestions>>): QuestionSummary[] {
  return list.map((q) => ({ id: q.id, title: q.title, url: `/knowledge/questions/${q.id}`, answers: q.answers, accepted: q.acceptedAnswerId != null, tags: q.tags, createdAt: q.createdAt }));
}

/** "kubernetes, ops #infra" → ["kubernetes", "ops", "infra"]. */
export function tagList(raw: string): string[] {
  return raw.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean).slice(0, 20);
}

export function registerKnowledgePages(app: Hono, deps: RouteDeps): void {
  const { sql, config } = deps;

  async function spacesOf(accountId: string) {
    return (await groupsOf(sql, accountId)).map((g) => ({ id: g.account.id, name: g.account.displayName || g.account.username, url: `/knowledge?space=${g.account.id}` }));
  }

  app.get("/knowledge", async (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const viewer = localViewer(r.user.account.id);
    const spaces = await spacesOf(r.user.account.id);
    const spaceId = c.req.query("space") ?? "";
    const space = /^\d{1,18}$/.test(spaceId) ? spaces.find((s) => s.id === spaceId) ?? null : null;
    const tag = normaliseTag(c.req.query("tag") ?? "") ?? null;
    const scope = { groupId: space ? space.id : undefined, tag: tag ?? undefined };
    const [recent, popular, open] = await Promise.all([
      listArticles(sql, viewer, { ...scope, limit: 20 }),
      listArticles(sql, viewer, { ...scope, order: "popular", limit: 5 }),
      listQuestions(sql, viewer, { state: "unanswered", groupId: scope.groupId, tag: scope.tag, limit: 5 }),
    ]);
    return page(c, KnowledgeHomePage, {
      ...chromeOf(c, deps), path: "/knowledge", recent: recent.map(articleSummary), popular: popular.map(articleSummary), spaces, space, tag,
      open: questionSummaries(open),
    });
  });

  const blank = (space = ""): EditorValues => ({ title: "", body: "", tags: "", summary: "", visibility: "internal", space, baseRevisionId: null });

  app.get("/knowledge/new", async (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const values = { ...blank(c.req.query("space") ?? ""), title: (c.req.query("title") ?? "").slice(0, 300) };
    return page(c, ArticleEditorPage, { ...chromeOf(c, deps), path: "/knowledge", articleId: null, values, spaces: await spacesOf(r.user.account.id) });
  });

  const formValues = (form: Record<string, unknown>, base: EditorValues): EditorValues => {
    const str = (k: string) => (typeof form[k] === "string" ? (form[k] as string) : "");
    return {
      title: str("title"), body: str("body").replace(/\r\n/g, "\n"), tags: str("tags"), summary: str("summary"),
      visibility: ["internal", "local", "public"].includes(str("visibility")) ? str("visibility") : base.visibility,
      space: str("space") || base.space, baseRevisionId: str("base_revision_id") || base.baseRevisionId,
    };
  };

  /** The editor again: with a preview, an error, or the conflict's latest version. */
  async function editorAgain(c: Context, accountId: string, articleId: string | null, values: EditorValues,
    extra: { previewHtml?: string; error?: string; conflict?: { title: string; body: string; revisionId: string } }, status: number) {
    return page(c, ArticleEditorPage, { ...chromeOf(c, deps), path: "/knowledge", articleId, values, spaces: await spacesOf(accountId), ...extra }, status);
  }

  app.post("/knowledge/articles", async (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const form = await c.req.parseBody();
    if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
    const values = formValues(form, blank());
    if (form.intent === "preview") return await editorAgain(c, r.user.account.id, null, values, { previewHtml: renderArticle(values.body, values.space || null).html }, 200);
    try {
      const { article } = await createArticle(sql, config.origin, r.user.account.id, {
        title: values.title, body: values.body, tags: tagList(values.tags), visibility: values.visibility as "internal", group_id: values.space || null,
      });
      return c.redirect(`/knowledge/articles/${article.id}`, 303);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      return await editorAgain(c, r.user.account.id, null, values, { error: t(chromeOf(c, deps).locale, "knowledge.error.invalid", { reason: e.message }) }, e.status);
    }
  });

  async function readable(c: Context, accountId: string): Promise<ArticleView | null> {
    return await findArticle(sql, c.req.param("id") ?? "", localViewer(accountId));
  }

  app.get(`/knowledge/articles/:id${ID}`, async (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const a = await readable(c, r.user.account.id);
    if (!a) return errorPage(c, deps, 404, "page.error.notFound");
    const viewer = localViewer(r.user.account.id);
    const [links, revisions, space] = await Promise.all([
      backlinks(sql, a, viewer), listRevisions(sql, a.id, { limit: 200 }), a.groupId ? findGroup(sql, a.groupId) : null, countView(sql, a.id),
    ]);
    return page(c, ArticlePage, {
      ...chromeOf(c, deps), path: "/knowledge",
      article: {
        id: a.id, title: a.title, html: a.html, tags: a.tags, authorName: nameOf(a.author), authorUrl: pagePath(deps, a.author), updatedAt: a.updatedAt,
        remote: !a.local, origin: new URL(a.origin).host, spaceName: space ? space.account.displayName || space.account.username : null,
        editable: await mayEdit(sql, a, viewer), revisions: revisions.length,
      },
      toc: tocOf(a.html), backlinks: links.map((l) => ({ title: l.title, url: `/knowledge/articles/${l.id}` })),
    });
  });

  app.get(`/knowledge/articles/:id${ID}/edit`, async (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const a = await readable(c, r.user.account.id);
    if (!a || !(await mayEdit(sql, a, localViewer(r.user.account.id)))) return errorPage(c, deps, 404, "page.error.notFound");
    const values: EditorValues = { title: a.title, body: a.source, tags: a.tags.join(" "), summary: "", visibility: a.visibility, space: a.groupId ?? "", baseRevisionId: a.revisionId };
    return page(c, ArticleEditorPage, { ...chromeOf(c, deps), path: "/knowledge", articleId: a.id, values, spaces: [] });
  });

  app.post(`/knowledge/articles/:id${ID}`, async (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const form = await c.req.parseBody();
    if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
    const a = await readable(c, r.user.account.id);
    if (!a) return errorPage(c, deps, 404, "page.error.notFound");
    const values = formValues(form, { ...blank(a.groupId ?? ""), baseRevisionId: a.revisionId });
    if (form.intent === "preview") return await editorAgain(c, r.user.account.id, a.id, values, { previewHtml: renderArticle(values.body, a.groupId).html }, 200);
    try {
      await editArticle(sql, a.id, r.user.account.id, {
        title: values.title, body: values.body, base_revision_id: values.baseRevisionId ?? "", summary: values.summary, tags: tagList(values.tags),
      });
      return c.redirect(`/knowledge/articles/${a.id}`, 303);
    } catch (e) {
      if (e instanceof EditConflict) {
        return await editorAgain(c, r.user.account.id, a.id, values, { conflict: { title: e.latest.title, body: e.latest.body, revisionId: e.latest.revisionId } }, 409);
      }
      if (!(e instanceof DomainError)) throw e;
      return await editorAgain(c, r.user.account.id, a.id, values, { error: t(chromeOf(c, deps).locale, "knowledge.error.invalid", { reason: e.message }) }, e.status);
    }
  });

  app.get(`/knowledge/articles/:id${ID}/history`, async (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const a = await readable(c, r.user.account.id);
    if (!a) return errorPage(c, deps, 404, "page.error.notFound");
    const revisions = await listRevisions(sql, a.id, { limit: 200 });
    return page(c, HistoryPage, {
      ...chromeOf(c, deps), path: "/knowledge", articleId: a.id, title: a.title, editable: await mayEdit(sql, a, localViewer(r.user.account.id)),
      revisions: revisions.map((v) => ({ id: v.id, authorName: nameOf(v.author), summary: v.summary, createdAt: v.createdAt, bytes: v.bytes })),
    });
  });

  app.get(`/knowledge/articles/:id${ID}/revisions/:rid${ID}`, async (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const a = await readable(c, r.user.account.id);
    const v = a ? await getRevision(sql, a.id, c.req.param("rid")).catch(() => null) : null;
    if (!a || !v) return errorPage(c, deps, 404, "page.error.notFound");
    return page(c, RevisionPage, {
      ...chromeOf(c, deps), path: "/knowledge", articleId: a.id, title: a.title, revisionId: v.id, body: v.source, authorName: nameOf(v.author), createdAt: v.createdAt,
    });
  });

  app.get(`/knowledge/articles/:id${ID}/diff`, async (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const a = await readable(c, r.user.account.id);
    const [from, to] = [c.req.query("from") ?? "", c.req.query("to") ?? ""];
    const d = a ? await diffRevisions(sql, a.id, from, to).catch(() => null) : null;
    if (!a || !d) return errorPage(c, deps, 404, "page.error.notFound");
    return page(c, DiffPage, {
      ...chromeOf(c, deps), path: "/knowledge", articleId: a.id, title: a.title, fromId: d.from.id, toId: d.to.id, added: d.added, removed: d.removed, parts: d.parts,
    });
  });

  app.post(`/knowledge/articles/:id${ID}/revisions/:rid${ID}/restore`, async (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const form = await c.req.parseBody();
    if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
    try {
      await restoreRevision(sql, c.req.param("id"), r.user.account.id, c.req.param("rid"));
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      return errorPage(c, deps, e.status === 403 ? 403 : 404, "page.error.notFound");
    }
    return c.redirect(`/knowledge/articles/${c.req.param("id")}/history`, 303);
  });

  // [[Page]] links: the page of that title in the space, or the editor to write it.
  app.get("/knowledge/wiki/:title", async (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const title = c.req.param("title").slice(0, 200);
    const space = /^\d{1,18}$/.test(c.req.query("space") ?? "") ? c.req.query("space")! : null;
    const id = await findByTitle(sql, title, space, localViewer(r.user.account.id));
    return c.redirect(id ? `/knowledge/articles/${id}` : `/knowledge/new?title=${encodeURIComponent(title)}${space ? `&space=${space}` : ""}`, 303);
  });
}
