// Settings › Filters: the person's Mastodon filters (the same ones their apps see): a name, words, what to do
// (fold behind a warning, or hide), where, and for how long. One form creates a filter and, prefilled, edits one.
// Works without JavaScript: plain forms posting to /settings/filters.
import { h } from "preact";
import { html } from "../html.ts";
import { t, tParts, type Locale } from "../i18n/index.ts";
import { CsrfField, PostButton } from "./forms.ts";
import { chrome, Layout } from "./layout.ts";
import type { PageChrome } from "./layout.ts";
import { LocalTime } from "./local-time.ts";
import { isolate } from "./names.ts";

export const FILTER_PLACES = ["home", "notifications", "public", "thread", "account"] as const;
export type FilterPlace = (typeof FILTER_PLACES)[number];
export const EXPIRY_CHOICES = ["1800", "3600", "21600", "86400", "604800"] as const;

export type FilterRow = {
  id: string; title: string; action: "warn" | "hide"; context: FilterPlace[]; expiresAt: Date | null; expired: boolean;
  keywords: { keyword: string; wholeWord: boolean }[];
};

export type FiltersPageProps = PageChrome & {
  filters: FilterRow[];
  /** The filter being edited (its form replaces the new-filter form). */
  editing?: FilterRow | null;
  /** A problem with what was just submitted, translated. */
  error?: string;
};

function FilterForm({ locale, csrf, editing, error }: { locale: Locale; csrf: string; editing?: FilterRow | null; error?: string }) {
  const v = editing ?? null;
  const action = v ? `/settings/filters/${v.id}` : "/settings/filters";
  const allWhole = v ? v.keywords.every((k) => k.wholeWord) : true;
  const heading = v ? t(locale, "filters.edit") : t(locale, "filters.new");
  return html`<section class="panel" aria-labelledby="filter-form-title">
    <h2 id="filter-form-title">${heading}</h2>
    <form method="post" action=${action} class="filter-form">
      <${CsrfField} token=${csrf} />
      ${error ? html`<p class="field-error" id="filter-error" role="alert">${error}</p>` : null}
      <div class="field">
        <label for="filter-title">${t(locale, "filters.titleLabel")}</label>
        <input type="text" id="filter-title" name="title" required maxlength="200" value=${v?.title ?? ""}
          aria-describedby=${error ? "filter-error" : undefined} />
      </div>
      <div class="field">
        <label for="filter-keywords">${t(locale, "filters.keywordsLabel")}</label>
        <textarea id="filter-keywords" name="keywords" rows="3" required>${v ? v.keywords.map((k) => k.keyword).join("\n") : ""}</textarea>
      </div>
      <div class="field-check">
        <input type="checkbox" id="filter-whole" name="wholeWord" value="on" checked=${allWhole} />
        <label for="filter-whole">${t(locale, "filters.wholeWord")}</label>
      </div>
      <fieldset class="choice-list">
        <legend>${t(locale, "filters.action")}</legend>
        ${(["warn", "hide"] as const).map((a) => html`<div class="field-check" key=${a}>
          <input type="radio" id=${`filter-action-${a}`} name="action" value=${a} checked=${(v?.action ?? "warn") === a} />
          <label for=${`filter-action-${a}`}>${t(locale, `filters.action.${a}`)}</label>
        </div>`)}
      </fieldset>
      <fieldset class="choice-list">
        <legend>${t(locale, "filters.contexts")}</legend>
        ${FILTER_PLACES.map((p) => html`<div class="field-check" key=${p}>
          <input type="checkbox" id=${`filter-context-${p}`} name="context" value=${p} checked=${v ? v.context.includes(p) : p !== "account"} />
          <label for=${`filter-context-${p}`}>${t(locale, `filters.context.${p}`)}</label>
        </div>`)}
      </fieldset>
      <div class="field">
        <label for="filter-expiry">${t(locale, "filters.expiry")}</label>
        <select id="filter-expiry" name="expiresIn">
          ${v?.expiresAt && !v.expired ? html`<option value="keep" selected>${t(locale, "filters.expiry.keep")}</option>` : null}
          <option value="">${t(locale, "filters.expiry.never")}</option>
          ${EXPIRY_CHOICES.map((s) => html`<option value=${s} key=${s}>${t(locale, `filters.expiry.${s}`)}</option>`)}
        </select>
      </div>
      <div class="form-actions">
        <button type="submit" class="button button-primary">${v ? t(locale, "filters.save") : t(locale, "filters.create")}</button>
        ${v ? html`<a class="button button-secondary" href="/settings/filters">${t(locale, "filters.back")}</a>` : null}
      </div>
    </form>
  </section>`;
}

export function FiltersPage(props: FiltersPageProps) {
  const { locale, csrf, filters, editing, error } = props;
  const title = t(locale, "filters.title");
  return h(Layout, {
    ...chrome(props),
    title,
    children: html`<div class="stream">
      <h1 id="page-title">${title}</h1>
      <p class="lead">${t(locale, "filters.intro")}</p>
      ${h(FilterForm, { locale, csrf, editing, error })}
      <section class="panel" aria-labelledby="filters-list-title">
        <h2 id="filters-list-title">${t(locale, "filters.title")}</h2>
        ${filters.length === 0
          ? html`<p class="empty-state">${t(locale, "filters.empty")}</p>`
          : html`<ul class="filter-list">
              ${filters.map((f) => html`<li key=${f.id} class="filter-row">
                <div class="filter-text">
                  <strong>${f.title}</strong>
                  <span class="hint">${t(locale, `filters.action.${f.action}`)} · ${f.context.map((p) => t(locale, `filters.context.${p}`)).join(", ")}</span>
                  <span class="hint">${t(locale, "filters.keywords", { keywords: f.keywords.map((k) => k.keyword).join(", ") })}</span>
                  ${f.expired ? html`<span class="hint">${t(locale, "filters.expired")}</span>`
                    : f.expiresAt ? html`<span class="hint">${tParts(locale, "filters.until", { date: h(LocalTime, { locale, date: f.expiresAt, format: "full" }) })}</span>` : null}
                </div>
                <div class="filter-actions">
                  <a class="button button-secondary" href=${`/settings/filters/${f.id}`}
                    aria-label=${t(locale, "filters.editLabel", { title: isolate(f.title) })}>${t(locale, "filters.editShort")}</a>
                  ${h(PostButton, {
                    action: `/settings/filters/${f.id}/delete`, csrf, label: t(locale, "filters.delete"), variant: "secondary",
                    accessibleLabel: t(locale, "filters.deleteLabel", { title: isolate(f.title) }),
                  })}
                </div>
              </li>`)}
            </ul>`}
      </section>
    </div>`,
  });
}
