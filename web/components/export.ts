// "Download my data" (issue #16 point 3): ask for an archive, see it being prepared, download it for 48 hours.
import { h } from "preact";
import { html } from "../html.ts";
import { t, type Locale } from "../i18n/index.ts";
import { CsrfField } from "./forms.ts";
import { chrome, Layout } from "./layout.ts";
import type { PageChrome } from "./layout.ts";
import { LocalTime } from "./local-time.ts";

export interface ExportRow {
  id: string;
  state: "pending" | "running" | "ready" | "failed" | "expired";
  progress: number;
  sizeBytes: number | null;
  createdAt: Date;
  expiresAt: Date | null;
}

export type ExportPageProps = PageChrome & { exports: ExportRow[] };

function size(locale: Locale, bytes: number): string {
  const units = locale === "fr" ? ["o", "ko", "Mo", "Go"] : ["B", "kB", "MB", "GB"];
  let v = bytes, i = 0;
  while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: i === 0 ? 0 : 1 }).format(v)} ${units[i]}`;
}

function State({ locale, e }: { locale: Locale; e: ExportRow }) {
  switch (e.state) {
    case "pending": return html`<span>${t(locale, "export.pending")}</span>`;
    case "running": return html`<span>${t(locale, "export.running", { progress: e.progress })}
      <progress max="100" value=${e.progress} aria-label=${t(locale, "export.running", { progress: e.progress })}></progress></span>`;
    case "ready": return html`<span>${`${t(locale, "export.ready", { size: size(locale, e.sizeBytes ?? 0) })} · `}<a href=${`/settings/export/${e.id}/download`}>${t(locale, "export.download")}</a>
      ${e.expiresAt ? html`<span class="hint"> · ${`${t(locale, "export.availableUntil")} `}<${LocalTime} locale=${locale} date=${e.expiresAt} format="full" /></span>` : null}</span>`;
    case "failed": return html`<span>${t(locale, "export.failed")}</span>`;
    case "expired": return html`<span class="hint">${t(locale, "export.expired")}</span>`;
  }
}

export function ExportPage(props: ExportPageProps) {
  const { locale, csrf, exports } = props;
  const busy = exports.some((e) => e.state === "pending" || e.state === "running");
  return h(Layout, {
    ...chrome(props),
    title: t(locale, "export.title"),
    children: html`<section class="panel panel-form" aria-labelledby="page-title">
      <h1 id="page-title">${t(locale, "export.title")}</h1>
      <p>${t(locale, "export.intro")}</p>
      ${busy
        ? html`<p><a class="button button-secondary" href="/settings/export">${t(locale, "export.refresh")}</a></p>`
        : html`<form method="post" action="/settings/export" class="stack-form">
            ${h(CsrfField, { token: csrf })}
            <div class="form-actions"><button type="submit" class="button button-primary">${t(locale, "export.request")}</button></div>
          </form>`}
      ${exports.length === 0 ? html`<p class="empty-state">${t(locale, "export.none")}</p>` : html`
        <ul class="export-list">${exports.map((e) => html`<li key=${e.id}>
          <span class="hint">${`${t(locale, "export.requestedOn")} `}<${LocalTime} locale=${locale} date=${e.createdAt} /></span><br />
          <${State} locale=${locale} e=${e} />
        </li>`)}</ul>`}
    </section>`,
  });
}
