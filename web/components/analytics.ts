// Engagement analytics (issue #16 point 2): the administrators' dashboard (/admin/analytics) — key figures of a
// week, their trend as a server-rendered SVG chart with its table, a breakdown table with the combined small
// departments — and each person's own figures with the opt-out (/settings/analytics). Works without JS.
import { h } from "preact";
import { html } from "../html.ts";
import { t, type Locale } from "../i18n/index.ts";
import { CsrfField } from "./forms.ts";
import { chrome, Layout } from "./layout.ts";
import type { PageChrome } from "./layout.ts";
import { LocalTime } from "./local-time.ts";

/** Figures as the domain shows them (managers' null under the threshold). */
export interface ShownFigures {
  people: number; active: number; contributors: number; readers: number;
  managers: number | null; managersActive: number | null;
  posts: number; questions: number; answers: number; articles: number; rsvps: number; votes: number;
}
export interface AnalyticsReportView {
  scope: "instance" | "group";
  groupBy: "none" | "department" | "site" | "manager" | "instance";
  week: string; minCohort: number; computedAt: Date | null;
  totals: ShownFigures; rows: { key: string; figures: ShownFigures }[]; other: ShownFigures | null;
  series: { week: string; figures: ShownFigures | null }[];
  instances: { origin: string | null; fetchedAt: Date | null }[];
}
export interface AnalyticsQueryView { scope: string; groupBy: string; week: string; department: string }

export type AnalyticsPageProps = PageChrome & {
  query: AnalyticsQueryView;
  /** The Mondays one may choose, newest first. */
  weeks: string[];
  minCohort: number;
  report: AnalyticsReportView | null;
  /** Why there is no report (a 422): already in the reader's language. */
  refusal?: string;
  csvHref: string;
  /** Display names of the siblings, by origin. */
  names: Record<string, string>;
};

/** "30 novembre 2026": a week's Monday, a calendar date (not an instant, so not in the reader's zone). */
const dayLabel = (locale: Locale, week: string) =>
  new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${week}T00:00:00Z`));

const shortDay = (locale: Locale, week: string) =>
  new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(new Date(`${week}T00:00:00Z`));

export function weekLabel(locale: Locale, week: string): string {
  return t(locale, "analytics.weekOf", { date: dayLabel(locale, week) });
}

const shortWeek = (locale: Locale, week: string) =>
  new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", timeZone: "UTC" }).format(new Date(`${week}T00:00:00Z`));
const num = (locale: Locale, n: number) => new Intl.NumberFormat(locale).format(n);
const pct = (locale: Locale, part: number, whole: number) =>
  new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 }).format(whole ? part / whole : 0);

function Card({ label, value, hint, muted }: { label: string; value: string; hint?: string; muted?: boolean }) {
  return html`<div class="stat-card"><dt>${label}</dt><dd><span class=${muted ? "stat-value stat-value-muted" : "stat-value"}>${value}</span>${hint ? html`<span class="hint">${hint}</span>` : null}</dd></div>`;
}

function KeyFigures({ locale, f, min }: { locale: Locale; f: ShownFigures; min: number }) {
  const shownManagers = f.managers !== null && f.managersActive !== null;
  const managers = shownManagers
    ? `${num(locale, f.managersActive!)} / ${num(locale, f.managers!)} (${pct(locale, f.managersActive!, f.managers!)})`
    : t(locale, "analytics.hidden", { min });
  return html`<dl class="stat-cards">
    <${Card} label=${t(locale, "analytics.people")} value=${num(locale, f.people)} />
    <${Card} label=${t(locale, "analytics.active")} value=${`${num(locale, f.active)} (${pct(locale, f.active, f.people)})`} hint=${t(locale, "analytics.activeHint")} />
    <${Card} label=${t(locale, "analytics.contributors")} value=${num(locale, f.contributors)}
      hint=${`${t(locale, "analytics.ofActive", { share: pct(locale, f.contributors, f.active) })} — ${t(locale, "analytics.contributorsHint")}`} />
    <${Card} label=${t(locale, "analytics.readers")} value=${num(locale, f.readers)} />
    <${Card} label=${t(locale, "analytics.managersActive")} value=${managers} muted=${!shownManagers} hint=${t(locale, "analytics.managersHint")} />
    <${Card} label=${t(locale, "analytics.posts")} value=${num(locale, f.posts)} />
    <${Card} label=${t(locale, "analytics.questions")} value=${num(locale, f.questions)} />
    <${Card} label=${t(locale, "analytics.answers")} value=${num(locale, f.answers)} />
    <${Card} label=${t(locale, "analytics.articles")} value=${num(locale, f.articles)} />
    <${Card} label=${t(locale, "analytics.rsvps")} value=${num(locale, f.rsvps)} />
    <${Card} label=${t(locale, "analytics.votes")} value=${num(locale, f.votes)} />
  </dl>`;
}

const CHART = { w: 640, h: 220, left: 44, right: 12, top: 12, bottom: 34 };

/** A line chart of active people and contributors; weeks under the threshold break the lines. Decorative for screen
 * readers: the table after it holds the same figures. */
export function TrendChart({ locale, series }: { locale: Locale; series: AnalyticsReportView["series"] }) {
  const values = series.flatMap((s) => (s.figures ? [s.figures.active, s.figures.contributors] : []));
  const max = Math.max(1, ...values);
  const top = max <= 5 ? 5 : Math.ceil(max / 5) * 5;
  const plotW = CHART.w - CHART.left - CHART.right, plotH = CHART.h - CHART.top - CHART.bottom;
  const x = (i: number) => CHART.left + (series.length <= 1 ? plotW / 2 : (i * plotW) / (series.length - 1));
  const y = (v: number) => CHART.top + plotH - (v / top) * plotH;
  const segments = (pick: (f: ShownFigures) => number) => {
    const out: string[][] = [];
    let current: string[] = [];
    series.forEach((s, i) => {
      if (!s.figures) { if (current.length) out.push(current); current = []; return; }
      current.push(`${x(i).toFixed(1)},${y(pick(s.figures)).toFixed(1)}`);
    });
    if (current.length) out.push(current);
    return out;
  };
  const ticks = [0, top / 2, top];
  const every = Math.max(1, Math.ceil(series.length / 6));
  const line = (cls: string, pick: (f: ShownFigures) => number) => segments(pick).map((pts) => pts.length === 1
    ? html`<circle class=${cls} cx=${pts[0].split(",")[0]} cy=${pts[0].split(",")[1]} r="3" />`
    : html`<polyline class=${cls} points=${pts.join(" ")} />`);
  return html`<figure class="trend-chart">
    <svg viewBox=${`0 0 ${CHART.w} ${CHART.h}`} aria-hidden="true" focusable="false" preserveAspectRatio="xMidYMid meet">
      ${ticks.map((v) => html`<g><line class="chart-grid" x1=${CHART.left} x2=${CHART.w - CHART.right} y1=${y(v)} y2=${y(v)} />
        <text class="chart-label" x=${CHART.left - 6} y=${y(v) + 4} text-anchor="end">${num(locale, v)}</text></g>`)}
      ${series.map((s, i) => ((series.length - 1 - i) % every === 0
        ? html`<text class="chart-label" x=${x(i)} y=${CHART.h - 12}
            text-anchor=${i === series.length - 1 && series.length > 1 ? "end" : i === 0 ? "start" : "middle"}>${shortWeek(locale, s.week)}</text>` : null))}
      ${line("chart-line chart-active", (f) => f.active)}
      ${line("chart-line chart-contributors", (f) => f.contributors)}
    </svg>
    <figcaption class="chart-legend">
      <span class="legend legend-active">${t(locale, "analytics.active")}</span>
      <span class="legend legend-contributors">${t(locale, "analytics.contributors")}</span>
    </figcaption>
  </figure>`;
}

function rowLabel(locale: Locale, r: AnalyticsReportView, key: string, names: Record<string, string>): string {
  if (r.groupBy === "instance") return key ? names[key] ?? new URL(key).host : t(locale, "analytics.thisSubsidiary");
  if (r.groupBy === "manager") return t(locale, key === "managers" ? "analytics.managers" : "analytics.others");
  return key || t(locale, "analytics.unset");
}

type ColumnKey = "analytics.people" | "analytics.active" | "analytics.contributors" | "analytics.readers" | "analytics.posts"
  | "analytics.questions" | "analytics.answers" | "analytics.articles" | "analytics.rsvps" | "analytics.votes" | "analytics.me.daysActive";
const COLUMNS: Array<[ColumnKey, keyof ShownFigures]> = [
  ["analytics.people", "people"], ["analytics.active", "active"], ["analytics.contributors", "contributors"],
  ["analytics.readers", "readers"], ["analytics.posts", "posts"], ["analytics.questions", "questions"],
  ["analytics.answers", "answers"], ["analytics.articles", "articles"], ["analytics.rsvps", "rsvps"], ["analytics.votes", "votes"],
];

function FigureCells({ locale, f, min }: { locale: Locale; f: ShownFigures; min: number }) {
  return html`${COLUMNS.map(([, k]) => html`<td class="num">${num(locale, f[k] as number)}</td>`)}
    <td class="num">${f.managers !== null && f.managersActive !== null
      ? `${num(locale, f.managersActive)} / ${num(locale, f.managers)}` : html`<span class="hint">${t(locale, "analytics.hidden", { min })}</span>`}</td>`;
}

function Breakdown({ locale, r, names }: { locale: Locale; r: AnalyticsReportView; names: Record<string, string> }) {
  const head = html`<thead><tr><th scope="col">${t(locale, `analytics.groupBy.${r.groupBy}` as const)}</th>
    ${COLUMNS.map(([key]) => html`<th scope="col" class="num">${t(locale, key)}</th>`)}
    <th scope="col" class="num">${t(locale, "analytics.managersActive")}</th></tr></thead>`;
  return html`<section class="panel" aria-labelledby="breakdown-title">
    <h2 id="breakdown-title">${t(locale, "analytics.breakdown")}</h2>
    <div class="table-scroll" tabindex="0" role="region" aria-label=${t(locale, "analytics.tableOf", { name: t(locale, "analytics.breakdown") })}>
      <table class="data-table analytics-table">${head}
        <tbody>
          ${r.rows.map((row) => html`<tr key=${row.key}><th scope="row">${rowLabel(locale, r, row.key, names)}</th>
            <${FigureCells} locale=${locale} f=${row.figures} min=${r.minCohort} /></tr>`)}
          ${r.other ? html`<tr><th scope="row">${t(locale, "analytics.other")}</th><${FigureCells} locale=${locale} f=${r.other} min=${r.minCohort} /></tr>` : null}
        </tbody>
        <tfoot><tr><th scope="row">${t(locale, "analytics.total")}</th><${FigureCells} locale=${locale} f=${r.totals} min=${r.minCohort} /></tr></tfoot>
      </table>
    </div>
    ${r.other ? html`<p class="hint">${t(locale, "analytics.otherHint", { min: r.minCohort })}</p>` : null}
  </section>`;
}

function Trend({ locale, r }: { locale: Locale; r: AnalyticsReportView }) {
  return html`<section class="panel" aria-labelledby="trend-title">
    <h2 id="trend-title">${t(locale, "analytics.trend", { n: r.series.length })}</h2>
    <p class="hint">${t(locale, "analytics.trendSummary")}</p>
    <${TrendChart} locale=${locale} series=${r.series} />
    <details>
      <summary>${t(locale, "analytics.trendTable")}</summary>
      <div class="table-scroll" tabindex="0" role="region" aria-label=${t(locale, "analytics.trendTable")}>
        <table class="data-table analytics-table">
          <thead><tr><th scope="col">${t(locale, "analytics.weekStarting")}</th>
            ${COLUMNS.map(([key]) => html`<th scope="col" class="num">${t(locale, key)}</th>`)}
            <th scope="col" class="num">${t(locale, "analytics.managersActive")}</th></tr></thead>
          <tbody>${r.series.map((s) => html`<tr key=${s.week}><th scope="row">${shortDay(locale, s.week)}</th>
            ${s.figures ? html`<${FigureCells} locale=${locale} f=${s.figures} min=${r.minCohort} />`
              : html`<td colspan=${COLUMNS.length + 1} class="hint">${t(locale, "analytics.suppressedWeek", { min: r.minCohort })}</td>`}</tr>`)}
          </tbody>
        </table>
      </div>
    </details>
  </section>`;
}

function Filters({ locale, query, weeks }: { locale: Locale; query: AnalyticsQueryView; weeks: string[] }) {
  const option = (value: string, label: string, current: string) => html`<option value=${value} selected=${value === current}>${label}</option>`;
  return html`<form method="get" action="/admin/analytics" class="analytics-filters" aria-label=${t(locale, "analytics.filters")}>
    <div class="field"><label for="scope">${t(locale, "analytics.scope")}</label>
      <select id="scope" name="scope">${(["instance", "group"] as const).map((s) => option(s, t(locale, `analytics.scope.${s}`), query.scope))}</select></div>
    <div class="field"><label for="group_by">${t(locale, "analytics.groupBy")}</label>
      <select id="group_by" name="group_by">${(["none", "department", "site", "manager", "instance"] as const)
        .map((g) => option(g, t(locale, `analytics.groupBy.${g}`), query.groupBy))}</select></div>
    <div class="field"><label for="week">${t(locale, "analytics.week")}</label>
      <select id="week" name="week">${weeks.map((w) => option(w, shortDay(locale, w), query.week))}</select></div>
    <div class="field"><label for="department">${t(locale, "analytics.department")}</label>
      <input id="department" name="department" type="text" maxlength="200" value=${query.department} /></div>
    <div class="form-actions"><button type="submit" class="button button-primary">${t(locale, "analytics.show")}</button></div>
  </form>`;
}

export function AnalyticsPage(props: AnalyticsPageProps) {
  const { locale, query, weeks, report, refusal, csvHref, names, minCohort } = props;
  const title = t(locale, "analytics.title");
  return h(Layout, {
    ...chrome(props),
    title,
    children: html`<section class="panel panel-wide" aria-labelledby="page-title">
      <h1 id="page-title">${title}</h1>
      <p>${t(locale, "analytics.intro", { min: minCohort })}</p>
      <${Filters} locale=${locale} query=${query} weeks=${weeks} />
      ${refusal ? html`<p class="notice notice-error" role="alert">${refusal}</p>` : null}
      ${report ? html`<p class="hint analytics-meta">${`${weekLabel(locale, report.week)} · `}${report.computedAt
        ? html`${`${t(locale, "analytics.computedAt")} `}<${LocalTime} locale=${locale} date=${report.computedAt} />` : t(locale, "analytics.notComputed")}${" · "}<a href=${csvHref} download>${t(locale, "analytics.csv")}</a></p>` : null}
      ${report ? html`<${KeyFigures} locale=${locale} f=${report.totals} min=${report.minCohort} />` : null}
      ${report && report.scope === "group" ? html`<p class="hint">${`${t(locale, "analytics.sources")} `}${report.instances.map((i, n) => html`${n ? ", " : ""}${i.origin === null
        ? t(locale, "analytics.thisSubsidiary")
        : html`${names[i.origin] ?? new URL(i.origin).host}${i.fetchedAt ? html` (${`${t(locale, "analytics.fetchedAt")} `}<${LocalTime} locale=${locale} date=${i.fetchedAt} />)` : null}`}`)}</p>` : null}
    </section>
    ${report ? html`<${Trend} locale=${locale} r=${report} />` : null}
    ${report && report.groupBy !== "none" ? html`<${Breakdown} locale=${locale} r=${report} names=${names} />` : null}`,
  });
}

export interface PersonalWeekView {
  week: string; daysActive: number; posts: number; questions: number; answers: number; articles: number; rsvps: number; votes: number;
}
export type MyAnalyticsPageProps = PageChrome & {
  optedOut: boolean; weeks: PersonalWeekView[]; retentionDays: number; minCohort: number;
};

const PERSONAL: Array<[ColumnKey, keyof PersonalWeekView]> = [
  ["analytics.me.daysActive", "daysActive"], ["analytics.posts", "posts"], ["analytics.questions", "questions"],
  ["analytics.answers", "answers"], ["analytics.articles", "articles"], ["analytics.rsvps", "rsvps"], ["analytics.votes", "votes"],
];

export function MyAnalyticsPage(props: MyAnalyticsPageProps) {
  const { locale, csrf, optedOut, weeks, retentionDays, minCohort } = props;
  const title = t(locale, "analytics.me.title");
  const newest = [...weeks].reverse();
  return h(Layout, {
    ...chrome(props),
    title,
    children: html`<section class="panel panel-form" aria-labelledby="page-title">
      <h1 id="page-title">${title}</h1>
      <p>${t(locale, "analytics.me.intro")}</p>
      <ul class="analytics-facts">
        <li>${t(locale, "analytics.me.collected")}</li>
        <li>${t(locale, "analytics.me.whoSees", { min: minCohort })}</li>
        <li>${t(locale, "analytics.me.retention", { days: retentionDays })}</li>
      </ul>
      ${optedOut ? html`<p class="notice" role="status">${t(locale, "analytics.me.optedOutState")}</p>` : null}
      <form method="post" action="/settings/analytics" class="stack-form">
        ${h(CsrfField, { token: csrf })}
        <div class="field-check">
          <input type="checkbox" id="opt_out" name="opt_out" value="true" checked=${optedOut} aria-describedby="opt-out-hint" />
          <div><label for="opt_out">${t(locale, "analytics.me.optOut")}</label>
            <p id="opt-out-hint" class="hint">${t(locale, "analytics.me.optOutHint")}</p></div>
        </div>
        <div class="form-actions"><button type="submit" class="button button-primary">${t(locale, "analytics.me.save")}</button></div>
      </form>
    </section>
    <section class="panel panel-wide" aria-labelledby="weeks-title">
      <h2 id="weeks-title">${t(locale, "analytics.me.weeks", { n: weeks.length })}</h2>
      <div class="table-scroll" tabindex="0" role="region" aria-label=${t(locale, "analytics.tableOf", { name: t(locale, "analytics.me.weeks", { n: weeks.length }) })}>
        <table class="data-table analytics-table">
          <thead><tr><th scope="col">${t(locale, "analytics.weekStarting")}</th>
            ${PERSONAL.map(([key]) => html`<th scope="col" class="num">${t(locale, key)}</th>`)}</tr></thead>
          <tbody>${newest.map((w) => html`<tr key=${w.week}><th scope="row">${shortDay(locale, w.week)}</th>
            ${PERSONAL.map(([, k]) => html`<td class="num">${num(locale, w[k] as number)}</td>`)}</tr>`)}</tbody>
        </table>
      </div>
    </section>`,
  });
}
