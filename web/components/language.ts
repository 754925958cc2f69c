// The language setting: one radio button per supported locale, each named in its own language.
import { h } from "preact";
import { html } from "../html.ts";
import { locales, t } from "../i18n/index.ts";
import type { Locale } from "../i18n/index.ts";
import { CsrfField } from "./forms.ts";
import { chrome, Layout } from "./layout.ts";
import type { PageChrome } from "./layout.ts";

export type LanguagePageProps = PageChrome & {
  /** The saved setting, which may differ from `locale` (the page language) right after a change. */
  current: Locale;
};

export function LanguagePage(props: LanguagePageProps) {
  const { locale, csrf, current } = props;
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
    </section>`,
  });
}
