// The language setting: one radio button per supported locale, each named in its own language; and, signed in, the
// time zone the pages show times in (web/components/local-time.ts).
import { h } from "preact";
import { html } from "../html.ts";
import { locales, t } from "../i18n/index.ts";
import type { Locale } from "../i18n/index.ts";
import { CsrfField, describedBy } from "./forms.ts";
import { chrome, Layout } from "./layout.ts";
import type { PageChrome } from "./layout.ts";

export type LanguagePageProps = PageChrome & {
  /** The saved setting, which may differ from `locale` (the page language) right after a change. */
  current: Locale;
  /** The saved time zone (null: the browser's, UTC until it is known); absent when signed out. */
  timeZone?: string | null;
  /** A refused time zone, already translated. */
  timeZoneError?: string;
};

function TimeZoneForm({ locale, csrf, timeZone, error }: { locale: Locale; csrf: string; timeZone: string | null; error?: string }) {
  return html`<form method="post" action="/settings/time-zone" class="stack-form" id="time-zone">
    ${h(CsrfField, { token: csrf })}
    <div class=${error ? "field field-invalid" : "field"}>
      <label for="time-zone-select">${t(locale, "timeZone.legend")}</label>
      <p class="hint" id="time-zone-hint">${t(locale, "timeZone.intro")}</p>
      ${error ? html`<p class="field-error" id="time-zone-error">${error}</p>` : null}
      <select id="time-zone-select" name="timeZone" aria-describedby=${describedBy("time-zone-hint", error ? "time-zone-error" : undefined)}
        aria-invalid=${error ? "true" : undefined}>
        <option value="" selected=${timeZone == null}>${t(locale, "timeZone.unset")}</option>
        ${Intl.supportedValuesOf("timeZone").map((z) => html`<option value=${z} selected=${z === timeZone} key=${z}>${z.replaceAll("_", " ")}</option>`)}
      </select>
    </div>
    <div class="form-actions">
      <button type="submit" class="button button-primary">${t(locale, "timeZone.submit")}</button>
    </div>
  </form>`;
}

export function LanguagePage(props: LanguagePageProps) {
  const { locale, csrf, current, timeZone, timeZoneError } = props;
  return h(Layout, {
    ...chrome(props),
    title: t(locale, "language.title"),
    children: html`<section class="panel panel-form" aria-labelledby="page-title">
      <h1 id="page-title">${t(locale, "language.title")}</h1>
      <p>${t(locale, "language.intro")}</p>
      <form method="post" action="/settings/language" class="stack-form">
        ${h(CsrfField, { token: csrf })}
        <fieldset class="choice-list">
          <legend>${t(locale, "language.legend")}</legend>
          ${locales.map(
            (l) => html`<div class="field-check" key=${l}>
              <input type="radio" id=${`locale-${l}`} name="locale" value=${l} checked=${l === current} />
              <label for=${`locale-${l}`} lang=${l}>${t(l, `language.name.${l}`)}</label>
            </div>`,
          )}
        </fieldset>
        <div class="form-actions">
          <button type="submit" class="button button-primary">${t(locale, "language.submit")}</button>
        </div>
      </form>
      ${timeZone !== undefined ? h(TimeZoneForm, { locale, csrf, timeZone, error: timeZoneError }) : null}
    </section>`,
  });
}
