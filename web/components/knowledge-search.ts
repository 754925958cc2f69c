// The group-wide search page (issue #14): one box, results of every kind ranked together with their highlighted
// extracts, and facets (kind) as plain links, so it works without JavaScript and by keyboard.
import { h } from "preact";
import { html } from "../html.ts";
import { t } from "../i18n/index.ts";
import { chrome, Layout, type PageChrome } from "./layout.ts";
import { KnowledgeSearchBox } from "./knowledge.ts";

export const SEARCH_PAGE_KINDS = ["post", "article", "question", "profile"] as const;
export type SearchPageKind = (typeof SEARCH_PAGE_KINDS)[number];
export type SearchHit = { kind: SearchPageKind; url: string; title: string | null; snippet: string };

export type KnowledgeSearchProps = PageChrome & {
  q: string; kind: SearchPageKind | null; results: SearchHit[]; facets: Record<SearchPageKind, number>; error?: string | null;
};

export function KnowledgeSearchPage(props: KnowledgeSearchProps) {
  const { locale, q, kind, results, facets, error } = props;
  const title = q ? t(locale, "knowledge.search.resultsFor", { q }) : t(locale, "knowledge.search.title");
  const facetUrl = (k: SearchPageKind | null) => `/knowledge/search?q=${encodeURIComponent(q)}${k ? `&kind=${k}` : ""}`;
  return h(Layout, {
    ...chrome(props),
    title,
    children: html`<section class="panel" aria-labelledby="page-title">
      <h1 id="page-title">${t(locale, "knowledge.search.title")}</h1>
      ${h(KnowledgeSearchBox, { locale, q, kind: kind ?? undefined })}
    </section>
    ${error ? html`<p class="notice notice-error" role="alert">${error}</p>` : null}
    ${q && !error ? html`<div class="kb-results-layout">
      <nav class="panel kb-facets" aria-labelledby="facets-title">
        <h2 id="facets-title">${t(locale, "knowledge.search.facets")}</h2>
        <ul>
          <li><a href=${facetUrl(null)} aria-current=${kind == null ? "page" : undefined}>${t(locale, "knowledge.kind.all")}</a></li>
          ${SEARCH_PAGE_KINDS.map((k) => html`<li key=${k}><a href=${facetUrl(k)} aria-current=${kind === k ? "page" : undefined}>
            ${t(locale, `knowledge.kind.${k}`)}${kind == null ? html` <span class="kb-count">(${facets[k]})</span>` : null}</a></li>`)}
        </ul>
      </nav>
      <section class="panel kb-results" aria-labelledby="results-title">
        <h2 id="results-title">${title}</h2>
        ${results.length === 0 ? html`<p class="empty-state">${t(locale, "knowledge.search.none")}</p>` : html`<ol class="kb-list">
          ${results.map((r, i) => html`<li key=${`${r.kind}-${i}`}>
            <span class="badge">${t(locale, `knowledge.kind.${r.kind}`)}</span>
            <a class="kb-item-title" href=${r.url}>${r.title ?? t(locale, "knowledge.kind.post")}</a>
            <p class="kb-excerpt" dangerouslySetInnerHTML=${{ __html: r.snippet /* escaped text with <mark> (search/text-query.ts) */ }}></p>
          </li>`)}</ol>`}
      </section>
    </div>` : null}`,
  });
}
