// The knowledge base (issue #14): its home (search, recent and popular articles, spaces, open questions) and an
// article's page (table of contents, body, tags, backlinks, history and edit links). Server-rendered; nothing
// needs JavaScript.
import { h } from "preact";
import { html } from "../html.ts";
import { plural, t } from "../i18n/index.ts";
import type { Locale } from "../i18n/index.ts";
import { chrome, Layout, type PageChrome } from "./layout.ts";
import { LocalTime } from "./local-time.ts";

export type ArticleSummary = { id: string; title: string; url: string; excerpt: string; authorName: string; updatedAt: Date; tags: string[]; remote: boolean };
export type SpaceSummary = { id: string; name: string; url: string };
export type QuestionSummary = { id: string; title: string; url: string; answers: number; accepted: boolean; tags: string[]; createdAt: Date };

export function KnowledgeSearchBox({ locale, q = "", kind }: { locale: Locale; q?: string; kind?: string }) {
  return html`<form method="get" action="/knowledge/search" role="search" class="stack-form kb-search">
    <div class="field">
      <label for="kb-q">${t(locale, "knowledge.search.label")}</label>
      <input id="kb-q" name="q" type="search" value=${q} maxlength="500" />
    </div>
    ${kind ? html`<input type="hidden" name="kind" value=${kind} />` : null}
    <div class="form-actions"><button type="submit" class="button button-primary">${t(locale, "knowledge.search.submit")}</button></div>
  </form>`;
}

export function ArticleList({ locale, articles, emptyText }: { locale: Locale; articles: ArticleSummary[]; emptyText: string }) {
  if (articles.length === 0) return html`<p class="empty-state">${emptyText}</p>`;
  return html`<ul class="kb-list">${articles.map((a) => html`<li key=${a.id}>
    <a class="kb-item-title" href=${a.url}>${a.title}</a>
    ${a.excerpt ? html`<p class="kb-excerpt">${a.excerpt}</p>` : null}
    <p class="kb-meta">${a.authorName} · <${LocalTime} locale=${locale} date=${a.updatedAt} />${a.remote ? html` · ${t(locale, "knowledge.remote")}` : null}
      ${a.tags.map((tag) => html` <a class="kb-tag" href=${`/knowledge?tag=${encodeURIComponent(tag)}`}>#${tag}</a>`)}</p>
  </li>`)}</ul>`;
}

export function QuestionList({ locale, questions, emptyText }: { locale: Locale; questions: QuestionSummary[]; emptyText: string }) {
  if (questions.length === 0) return html`<p class="empty-state">${emptyText}</p>`;
  return html`<ul class="kb-list">${questions.map((q) => html`<li key=${q.id}>
    <a class="kb-item-title" href=${q.url}>${q.title}</a>
    <p class="kb-meta">${plural(locale, "knowledge.answers", q.answers)}${q.accepted ? html` · <span class="badge">${t(locale, "knowledge.q.solved")}</span>` : null}
      ${q.tags.map((tag) => html` <a class="kb-tag" href=${`/knowledge/questions?tag=${encodeURIComponent(tag)}`}>#${tag}</a>`)}</p>
  </li>`)}</ul>`;
}

/** A knowledge page of lists: its heading with one main action, then its panels (home, questions). */
export function ListPage({ props, title, action, children }: { props: PageChrome; title: string; action: { href: string; label: string }; children: unknown }) {
  return h(Layout, {
    ...chrome(props),
    title,
    children: html`<div class="stream">
      <div class="stream-head">
        <h1 id="page-title">${title}</h1>
        <a class="button button-primary" href=${action.href}>${action.label}</a>
      </div>
      ${children}
    </div>`,
  });
}

export type KnowledgeHomeProps = PageChrome & {
  recent: ArticleSummary[]; popular: ArticleSummary[]; spaces: SpaceSummary[]; open: QuestionSummary[];
  /** The space or tag the lists are narrowed to, if any. */
  space?: SpaceSummary | null; tag?: string | null;
};

export function KnowledgeHomePage(props: KnowledgeHomeProps) {
  const { locale, recent, popular, spaces, open, space, tag } = props;
  const title = space ? t(locale, "knowledge.space.title", { name: space.name }) : tag ? `#${tag}` : t(locale, "knowledge.title");
  const newUrl = space ? `/knowledge/new?space=${space.id}` : "/knowledge/new";
  return h(ListPage, {
    props, title, action: { href: newUrl, label: t(locale, "knowledge.new") },
    children: html`
      <section class="panel" aria-label=${t(locale, "knowledge.search.label")}>${h(KnowledgeSearchBox, { locale })}</section>
      <section class="panel" aria-labelledby="recent-title">
        <h2 id="recent-title">${t(locale, "knowledge.recent")}</h2>
        ${h(ArticleList, { locale, articles: recent, emptyText: t(locale, "knowledge.empty") })}
      </section>
      ${popular.length ? html`<section class="panel" aria-labelledby="popular-title">
        <h2 id="popular-title">${t(locale, "knowledge.popular")}</h2>
        ${h(ArticleList, { locale, articles: popular, emptyText: "" })}
      </section>` : null}
      <section class="panel" aria-labelledby="spaces-title">
        <h2 id="spaces-title">${t(locale, "knowledge.spaces")}</h2>
        <ul class="kb-spaces">
          <li><a href="/knowledge" aria-current=${!space && !tag ? "page" : undefined}>${t(locale, "knowledge.space.instance")}</a></li>
          ${spaces.map((s) => html`<li key=${s.id}><a href=${s.url} aria-current=${space?.id === s.id ? "page" : undefined}>${s.name}</a></li>`)}
        </ul>
      </section>
      <section class="panel" aria-labelledby="open-title">
        <div class="stream-head">
          <h2 id="open-title">${t(locale, "knowledge.q.unanswered")}</h2>
          <a class="button button-secondary" href="/knowledge/questions/new">${t(locale, "knowledge.q.ask")}</a>
        </div>
        ${h(QuestionList, { locale, questions: open, emptyText: t(locale, "knowledge.q.none") })}
        <p><a href="/knowledge/questions">${t(locale, "knowledge.q.all")}</a></p>
      </section>`,
  });
}

export type ArticlePageProps = PageChrome & {
  article: {
    id: string; title: string; html: string; tags: string[]; authorName: string; authorUrl: string; updatedAt: Date; remote: boolean;
    origin: string; spaceName: string | null; editable: boolean; revisions: number;
  };
  toc: { level: number; id: string; text: string }[];
  backlinks: { title: string; url: string }[];
};

export function ArticlePage(props: ArticlePageProps) {
  const { locale, article: a, toc, backlinks } = props;
  const base = `/knowledge/articles/${a.id}`;
  return h(Layout, {
    ...chrome(props),
    title: a.title,
    children: html`<article class="panel kb-article" aria-labelledby="page-title">
      <p class="kb-crumbs"><a href="/knowledge">${t(locale, "knowledge.title")}</a>${a.spaceName ? html` › ${a.spaceName}` : null}</p>
      <h1 id="page-title">${a.title}</h1>
      <p class="kb-meta"><a href=${a.authorUrl}>${a.authorName}</a> · <${LocalTime} locale=${locale} date=${a.updatedAt} />${" · "}<a
        href=${`${base}/history`}>${plural(locale, "knowledge.revisions", a.revisions)}</a>${a.remote ? ` · ${t(locale, "knowledge.remoteFrom", { origin: a.origin })}` : null}</p>
      ${a.editable ? html`<p><a class="button button-secondary" href=${`${base}/edit`}>${t(locale, "knowledge.edit")}</a></p>` : null}
      ${toc.length > 1 ? html`<nav class="kb-toc" aria-labelledby="toc-title">
        <h2 id="toc-title">${t(locale, "knowledge.toc")}</h2>
        <ol>${toc.map((e) => html`<li key=${e.id} class=${`kb-toc-${e.level}`}><a href=${`#${e.id}`}>${e.text}</a></li>`)}</ol>
      </nav>` : null}
      <div class="prose kb-body" dangerouslySetInnerHTML=${{ __html: a.html /* sanitised by the domain (markdown.ts) */ }}></div>
      ${a.tags.length ? html`<p class="kb-tags">${a.tags.map((tag) => html`<a class="kb-tag" href=${`/knowledge?tag=${encodeURIComponent(tag)}`}>#${tag}</a> `)}</p>` : null}
    </article>
    <section class="panel" aria-labelledby="backlinks-title">
      <h2 id="backlinks-title">${t(locale, "knowledge.backlinks")}</h2>
      ${backlinks.length
        ? html`<ul class="kb-backlinks">${backlinks.map((b) => html`<li key=${b.url}><a href=${b.url}>${b.title}</a></li>`)}</ul>`
        : html`<p class="empty-state">${t(locale, "knowledge.backlinks.none")}</p>`}
    </section>`,
  });
}
