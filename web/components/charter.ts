// The usage charter (issue #15 point 1): the page every employee reads and accepts before using the network, and
// the administrators' page to publish a new version (French and English Markdown, a date it takes effect).
import { h } from "preact";
import { html } from "../html.ts";
import { t } from "../i18n/index.ts";
import { CsrfField, describedBy, FieldError } from "./forms.ts";
import { chrome, Layout } from "./layout.ts";
import type { PageChrome } from "./layout.ts";
import { LocalTime } from "./local-time.ts";

export interface CharterView {
  version: number;
  /** Already rendered and sanitised (server/domain/markdown.ts). */
  html: string;
  effectiveAt: Date;
  replacesVersion: number | null;
}

export type CharterPageProps = PageChrome & {
  charter: CharterView | null;
  /** When the reader accepted this version; null: they must accept it now. */
  acceptedAt: Date | null;
  next: string;
  /** A newer version took effect while the reader was reading the previous one. */
  changed?: boolean;
  upcoming?: { version: number; effectiveAt: Date } | null;
};

export function CharterPage(props: CharterPageProps) {
  const { locale, csrf, charter, acceptedAt, next, changed, upcoming } = props;
  const title = t(locale, "charter.title");
  return h(Layout, {
    ...chrome(props),
    title,
    children: html`<article class="panel panel-form charter" aria-labelledby="page-title">
      <h1 id="page-title">${title}</h1>
      ${!charter ? html`<p class="empty-state">${t(locale, "charter.none")}</p>` : html`
        <p class="hint">${`${t(locale, "charter.version", { version: charter.version })} · ${t(locale, "charter.effective")} `}<${LocalTime}
          locale=${locale} date=${charter.effectiveAt} format="full" />${charter.replacesVersion
          ? ` · ${t(locale, "charter.replaces", { version: charter.replacesVersion })}` : null}</p>
        ${changed ? html`<p class="notice notice-error" role="alert">${t(locale, "charter.changed")}</p>` : null}
        ${!acceptedAt && !changed ? html`<p class="notice" role="status">${t(locale, "charter.mustAccept")}</p>` : null}
        <div class="prose charter-text" dangerouslySetInnerHTML=${{ __html: charter.html }}></div>
        ${acceptedAt
          ? html`<p class="notice notice-success">${`${t(locale, "charter.acceptedOn")} `}<${LocalTime} locale=${locale} date=${acceptedAt} format="full" /></p>`
          : html`<form method="post" action="/charter" class="stack-form charter-accept">
              ${h(CsrfField, { token: csrf })}
              <input type="hidden" name="version" value=${String(charter.version)} />
              <input type="hidden" name="next" value=${next} />
              <button type="submit" class="button button-primary button-block">${t(locale, "charter.accept")}</button>
            </form>`}
        ${upcoming ? html`<p class="hint">${`${t(locale, "charter.upcoming", { version: upcoming.version })} `}<${LocalTime}
          locale=${locale} date=${upcoming.effectiveAt} format="full" /></p>` : null}`}
    </article>`,
  });
}

export interface CharterHistoryRow { version: number; effectiveAt: Date; acceptances: number }

export type AdminCharterPageProps = PageChrome & {
  history: CharterHistoryRow[];
  /** The form as sent, after a refusal; else the texts of the latest version, to edit. */
  form: { textFr: string; textEn: string; effectiveAt: string };
  /** The administrator's time zone, in which the date field is read. */
  timeZone: string;
  error?: { field: "text_fr" | "text_en" | "effective_at" | null; message: string };
  published?: number;
};

export function AdminCharterPage(props: AdminCharterPageProps) {
  const { locale, csrf, history, form, timeZone, error, published } = props;
  const title = t(locale, "charter.admin.title");
  const errorOf = (field: string) => (error?.field === field ? error.message : undefined);
  const area = (name: "text_fr" | "text_en", label: string, value: string, lang: string) => {
    const errorId = errorOf(name) ? `${name}-error` : undefined;
    return html`<div class=${errorId ? "field field-invalid" : "field"}>
      <label for=${name}>${label}</label>
      <p id=${`${name}-hint`} class="hint">${t(locale, "charter.admin.markdown")}</p>
      <${FieldError} id=${`${name}-error`} message=${errorOf(name)} />
      <textarea id=${name} name=${name} rows="14" lang=${lang} required maxlength="100000"
        aria-invalid=${errorId ? "true" : undefined} aria-describedby=${describedBy(`${name}-hint`, errorId)}>${value}</textarea>
    </div>`;
  };
  return h(Layout, {
    ...chrome(props),
    title,
    children: html`<section class="panel panel-form" aria-labelledby="page-title">
      <h1 id="page-title">${title}</h1>
      <p>${t(locale, "charter.admin.intro")}</p>
      ${published ? html`<p class="notice notice-success" role="status">${t(locale, "charter.admin.published", { version: published })}</p>` : null}
      ${error && !error.field ? html`<p class="notice notice-error" role="alert">${error.message}</p>` : null}
      <form method="post" action="/admin/charter" class="stack-form">
        ${h(CsrfField, { token: csrf })}
        ${area("text_fr", t(locale, "charter.admin.textFr"), form.textFr, "fr")}
        ${area("text_en", t(locale, "charter.admin.textEn"), form.textEn, "en")}
        <div class=${errorOf("effective_at") ? "field field-invalid" : "field"}>
          <label for="effective_at">${t(locale, "charter.admin.effectiveAt")}</label>
          <p id="effective_at-hint" class="hint">${t(locale, "charter.admin.effectiveHint", { zone: timeZone })}</p>
          <${FieldError} id="effective_at-error" message=${errorOf("effective_at")} />
          <input id="effective_at" name="effective_at" type="datetime-local" value=${form.effectiveAt}
            aria-describedby=${describedBy("effective_at-hint", errorOf("effective_at") && "effective_at-error")} />
        </div>
        <input type="hidden" name="time_zone" value=${timeZone} />
        <div class="form-actions">
          <button type="submit" class="button button-primary">${t(locale, "charter.admin.publish")}</button>
        </div>
      </form>
    </section>
    <section class="panel panel-form" aria-labelledby="history-title">
      <h2 id="history-title">${t(locale, "charter.admin.history")}</h2>
      ${history.length === 0 ? html`<p class="empty-state">${t(locale, "charter.none")}</p>` : html`
        <table class="data-table">
          <thead><tr>
            <th scope="col">${t(locale, "charter.admin.colVersion")}</th>
            <th scope="col">${t(locale, "charter.admin.colEffective")}</th>
            <th scope="col">${t(locale, "charter.admin.colAccepted")}</th>
          </tr></thead>
          <tbody>${history.map((v) => html`<tr>
            <td>${v.version}</td>
            <td><${LocalTime} locale=${locale} date=${v.effectiveAt} format="full" /></td>
            <td>${v.acceptances}</td>
          </tr>`)}</tbody>
        </table>
        <p><a href="/admin/charter/acceptances.csv" download>${t(locale, "charter.admin.export")}</a></p>`}
    </section>`,
  });
}
