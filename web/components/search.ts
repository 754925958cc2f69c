// Search results for a username or an `@user@host` address.
import { h } from "preact";
import { html } from "../html.ts";
import { t } from "../i18n/index.ts";
import { AccountList } from "./account-list.ts";
import type { AccountSummary } from "./account-list.ts";
import { chrome, Layout } from "./layout.ts";
import type { PageChrome } from "./layout.ts";
import { SearchForm } from "./search-form.ts";

export type SearchPageProps = PageChrome & {
  q: string;
  results: AccountSummary[];
  /** Already translated, e.g. why a remote address could not be looked up. */
  error?: string;
};

export function SearchPage(props: SearchPageProps) {
  const { locale, q, results, error } = props;
  const query = q.trim();
  return h(Layout, {
    ...chrome(props),
    title: query ? t(locale, "search.resultsFor", { q: query }) : t(locale, "search.title"),
    children: html`<section class="panel" aria-labelledby="page-title">
        <h1 id="page-title">${t(locale, "search.title")}</h1>
        ${h(SearchForm, { locale, q, autofocus: query === "" })}
      </section>
      ${error ? html`<p class="notice notice-error" role="alert">${error}</p>` : null}
      ${query && !error
        ? html`<section class="panel" aria-labelledby="results-title">
            <h2 id="results-title">${t(locale, "search.resultsFor", { q: query })}</h2>
            ${h(AccountList, { locale, accounts: results, emptyText: t(locale, "search.noResults", { q: query }) })}
          </section>`
        : null}`,
  });
}
