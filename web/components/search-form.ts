// The "find a colleague" form, on the home page and above search results. A GET form: searching
// changes nothing, the URL can be shared, and no CSRF token belongs in a URL.
import { html } from "../html.ts";
import { t } from "../i18n/index.ts";
import type { Locale } from "../i18n/index.ts";

export type SearchFormProps = {
  locale: Locale;
  q?: string;
  /** The host used in the example address of the hint; defaults to a neutral example domain. */
  exampleHost?: string;
  /** Autofocus the field (the search page itself, not the home page). */
  autofocus?: boolean;
};

export function SearchForm({ locale, q = "", exampleHost, autofocus = false }: SearchFormProps) {
  const example = `@${t(locale, "search.exampleUser")}@${exampleHost ?? t(locale, "search.exampleHost")}`;
  return html`<form method="get" action="/search" class="search-form" role="search">
    <label for="search-q">${t(locale, "search.label")}</label>
    <p id="search-hint" class="hint">${t(locale, "search.hint", { example })}</p>
    <div class="search-row">
      <input id="search-q" name="q" type="search" value=${q} required autocomplete="off" autocapitalize="none"
        spellcheck="false" aria-describedby="search-hint" autofocus=${autofocus} />
      <button type="submit" class="button button-primary">${t(locale, "search.submit")}</button>
    </div>
  </form>`;
}
