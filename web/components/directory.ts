// The people directory: free-text search, "who knows…", filters (subsidiary, department, site, expertise) and the
// results as cards. A GET form, so a search is a shareable URL and works without JavaScript.
import { h } from "preact";
import { html } from "../html.ts";
import { plural, t } from "../i18n/index.ts";
import type { Locale } from "../i18n/index.ts";
import { Avatar } from "./avatar.ts";
import { directorySearchUrl, ExpertiseChips } from "./contact-card.ts";
import { chrome, Layout } from "./layout.ts";
import type { PageChrome } from "./layout.ts";
import { DisplayName, Handle, usernameOf } from "./names.ts";

export type DirectoryResult = {
  handle: string;
  displayName: string;
  avatarUrl: string | null;
  url: string;
  jobTitle: string;
  department: string;
  site: string;
  instanceName: string;
  expertise: string[];
  /** The expertise tag that answered "who knows…", as the person wrote it. */
  matchedTag?: string;
};

export type DirectoryFilters = { q: string; knows: string; instance: string; department: string; site: string; expertise: string };
export type FacetOption = { value: string; label: string; count: number };

export type DirectoryPageProps = PageChrome & {
  filters: DirectoryFilters;
  options: { instances: FacetOption[]; departments: FacetOption[]; sites: FacetOption[]; expertise: FacetOption[] };
  results: DirectoryResult[];
  /** Whether a search was made (an empty directory page shows no "nobody matches"). */
  searched: boolean;
  /** The next page's URL, when there are more results. */
  moreUrl: string | null;
};

function Select({ id, label, value, options, anyLabel }: { id: string; label: string; value: string; options: FacetOption[]; anyLabel: string }) {
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <select id=${id} name=${id}>
      <option value="">${anyLabel}</option>
      ${options.map((o) => html`<option value=${o.value} selected=${o.value === value}>${o.label} (${o.count})</option>`)}
    </select>
  </div>`;
}

function ResultCard({ locale, r, knows }: { locale: Locale; r: DirectoryResult; knows: string }) {
  const fallback = usernameOf(r.handle);
  return html`<li class="directory-card">
    <a class="account-link" href=${r.url}>
      ${h(Avatar, { url: r.avatarUrl, name: r.displayName || fallback, seed: r.handle, size: "medium" })}
      <span class="account-names">
        ${h(DisplayName, { name: r.displayName, fallback })}
        ${h(Handle, { handle: r.handle })}
      </span>
    </a>
    <p class="directory-meta">${[r.jobTitle, r.department, r.site, r.instanceName].filter(Boolean).join(" · ")}</p>
    ${h(ExpertiseChips, { locale, tags: r.expertise, highlight: r.matchedTag ?? knows })}
  </li>`;
}

export function DirectoryPage(props: DirectoryPageProps) {
  const { locale, filters, options, results, searched, moreUrl } = props;
  const knowsTag = filters.knows.trim().replace(/^#/, "").toLowerCase();
  return h(Layout, {
    ...chrome(props),
    title: t(locale, "directory.title"),
    children: html`<section class="panel" aria-labelledby="page-title">
      <h1 id="page-title">${t(locale, "directory.title")}</h1>
      <p>${t(locale, "directory.intro")}</p>
      <form method="get" action="/directory" class="directory-form" role="search">
        <div class="directory-queries">
          <div class="field">
            <label for="q">${t(locale, "directory.q")}</label>
            <p id="q-hint" class="hint">${t(locale, "directory.qHint")}</p>
            <input id="q" name="q" type="search" value=${filters.q} maxlength="200" aria-describedby="q-hint" />
          </div>
          <div class="field">
            <label for="knows">${t(locale, "directory.knows")}</label>
            <p id="knows-hint" class="hint">${t(locale, "directory.knowsHint")}</p>
            <input id="knows" name="knows" type="search" value=${filters.knows} maxlength="100" aria-describedby="knows-hint" />
          </div>
        </div>
        <fieldset class="directory-filters">
          <legend>${t(locale, "directory.filters")}</legend>
          <${Select} id="instance" label=${t(locale, "directory.instance")} value=${filters.instance} options=${options.instances} anyLabel=${t(locale, "directory.any.instance")} />
          <${Select} id="department" label=${t(locale, "directory.department")} value=${filters.department} options=${options.departments} anyLabel=${t(locale, "directory.any.department")} />
          <${Select} id="site" label=${t(locale, "directory.site")} value=${filters.site} options=${options.sites} anyLabel=${t(locale, "directory.any.site")} />
          <${Select} id="expertise" label=${t(locale, "directory.expertise")} value=${filters.expertise} options=${options.expertise} anyLabel=${t(locale, "directory.any.expertise")} />
        </fieldset>
        <div class="form-actions"><button type="submit" class="button button-primary">${t(locale, "directory.submit")}</button></div>
      </form>
    </section>
    <section class="panel" aria-labelledby="results-title" aria-live="polite">
      <h2 id="results-title">${plural(locale, "directory.results", results.length)}</h2>
      ${results.length === 0
        ? html`<p class="empty-state">${searched ? t(locale, "directory.empty") : ""}</p>`
        : html`<ul class="directory-results">${results.map((r) => html`<${ResultCard} key=${r.handle} locale=${locale} r=${r} knows=${knowsTag} />`)}</ul>`}
      ${moreUrl ? html`<p><a class="button button-secondary" href=${moreUrl}>${t(locale, "directory.more")}</a></p>` : null}
    </section>`,
  });
}

export { directorySearchUrl };
