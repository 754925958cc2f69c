// Every knowledge-base page (issue #14), in both languages: a document in that language, CSRF on every POST form,
// no placeholder left unfilled, one h1; the extracts' <mark> survive while the article HTML is what the domain gave.
import { h } from "preact";
import type { VNode } from "preact";
import { describe, expect, it } from "vitest";
import { locales, type Locale } from "../i18n/index.ts";
import { ArticlePage, KnowledgeHomePage } from "./knowledge.ts";
import { ArticleEditorPage, DiffPage, HistoryPage, RevisionPage } from "./knowledge-edit.ts";
import { QuestionFormPage, QuestionPage, QuestionsPage } from "./questions.ts";
import { KnowledgeSearchPage } from "./knowledge-search.ts";
import { csrfInput, postForms, render } from "./test-helpers.ts";

const csrf = "tok-kb";
const viewer = { username: "lea", displayName: "Léa", isAdmin: false };
const at = new Date("2026-12-01T08:00:00Z");
const article = { id: "1", title: "Déployer", url: "/knowledge/articles/1", excerpt: "Pour déployer…", authorName: "Léa", updatedAt: at, tags: ["ops"], remote: false };
const question = { id: "2", title: "Comment ?", url: "/knowledge/questions/2", answers: 1, accepted: true, tags: ["kubernetes"], createdAt: at };

function pages(locale: Locale): Record<string, VNode<any>> {
  const base = { locale, csrf, viewer };
  return {
    home: h(KnowledgeHomePage, { ...base, recent: [article], popular: [article], spaces: [{ id: "9", name: "Bascule", url: "/knowledge?space=9" }], open: [question] }),
    article: h(ArticlePage, {
      ...base, article: { id: "1", title: "Déployer", html: '<h2 id="h-a">A</h2><p>x</p>', tags: ["ops"], authorName: "Léa", authorUrl: "/@lea", updatedAt: at,
        remote: true, origin: "lyon.example", spaceName: "Bascule", editable: true, revisions: 2 },
      toc: [{ level: 2, id: "h-a", text: "A" }, { level: 3, id: "h-b", text: "B" }], backlinks: [{ title: "Accueil", url: "/knowledge/articles/3" }],
    }),
    editor: h(ArticleEditorPage, {
      ...base, articleId: null, spaces: [{ id: "9", name: "Bascule" }], previewHtml: "<p>aperçu</p>", error: "x",
      values: { title: "T", body: "b", tags: "ops", summary: "", visibility: "internal", space: "", baseRevisionId: null },
    }),
    conflict: h(ArticleEditorPage, {
      ...base, articleId: "1", spaces: [], conflict: { title: "T", body: "latest", revisionId: "5" },
      values: { title: "T", body: "mine", tags: "", summary: "", visibility: "internal", space: "", baseRevisionId: "4" },
    }),
    history: h(HistoryPage, { ...base, articleId: "1", title: "T", editable: true, revisions: [
      { id: "5", authorName: "Paul", summary: "restore:4", createdAt: at, bytes: 10 }, { id: "4", authorName: "Léa", summary: "", createdAt: at, bytes: 9 }] }),
    diff: h(DiffPage, { ...base, articleId: "1", title: "T", fromId: "4", toId: "5", added: 1, removed: 1,
      parts: [{ kind: "same", text: "a\n" }, { kind: "removed", text: "b\n" }, { kind: "added", text: "c\n" }] }),
    revision: h(RevisionPage, { ...base, articleId: "1", title: "T", revisionId: "4", body: "b", authorName: "Léa", createdAt: at }),
    questions: h(QuestionsPage, { ...base, state: "answered", tag: "kubernetes", questions: [question] }),
    ask: h(QuestionFormPage, { ...base, values: { title: "", body: "", tags: "" }, error: "x" }),
    question: h(QuestionPage, {
      ...base, question: { id: "2", title: "Comment ?", html: "<p>?</p>", tags: ["kubernetes"], authorName: "Léa", authorUrl: "/@lea", createdAt: at, canAccept: true, own: true },
      answers: [{ id: "7", html: "<p>oui</p>", authorName: "Dave", authorUrl: "/@dave", score: 2, myVote: 1, accepted: false, createdAt: at, own: false }],
      experts: [{ id: "3", name: "Dave", url: "/@dave", job: "SRE", asked: false }],
    }),
    search: h(KnowledgeSearchPage, { ...base, q: "deploiements", kind: null, facets: { post: 1, article: 1, question: 0, profile: 0 },
      results: [{ kind: "article", url: "/knowledge/articles/1", title: "Déployer", snippet: "Pour <mark>déployer</mark> &lt;b&gt;" }, { kind: "post", url: "/posts/4", title: null, snippet: "x" }] }),
  };
}

describe.each(locales)("knowledge pages in %s", (locale) => {
  for (const [name, vnode] of Object.entries(pages(locale))) {
    it(`${name}: a ${locale} document, CSRF on POST forms, no placeholder, one h1`, () => {
      const out = render(vnode);
      expect(out.startsWith(`<!doctype html><html lang="${locale}">`)).toBe(true);
      for (const form of postForms(out)) expect(form).toContain(csrfInput(csrf));
      expect(out).not.toMatch(/\{\w+\}/);
      expect(out.match(/<h1\b/g)).toHaveLength(1);
    });
  }
  it("search: the extract's <mark> is kept and its escaped text stays text", () => {
    const out = render(pages(locale).search);
    expect(out).toContain("<mark>déployer</mark> &lt;b&gt;");
  });
});
