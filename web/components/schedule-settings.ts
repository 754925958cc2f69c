// Settings › Working hours (issue #15): the person's hours per weekday (two periods a day at most here; the API takes
// six), their time zone and public holidays, their leave, and what this means right now. A plain form: it works
// without JavaScript, every field has its label, errors are listed at the top and linked to the form.
import { h } from "preact";
import { html } from "../html.ts";
import { t, type Locale } from "../i18n/index.ts";
import { CsrfField } from "./forms.ts";
import { chrome, Layout, type PageChrome } from "./layout.ts";

export const FORM_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

export interface ScheduleFormValues {
  timeZone: string;
  country: string;
  /** Per weekday, up to two [from, to] as HH:MM ("" when empty). */
  days: Record<(typeof FORM_DAYS)[number], [string, string][]>;
}

export type SchedulePageProps = PageChrome & {
  values: ScheduleFormValues;
  source: "own" | "department" | "instance" | "none";
  zones: string[];
  leaves: { id: string; first: string; last: string }[];
  now: string | null;
  held: number;
  errors?: string[];
};

function DayRow({ locale, day, ranges }: { locale: Locale; day: (typeof FORM_DAYS)[number]; ranges: [string, string][] }) {
  const name = t(locale, `quiet.day.${day}`);
  const slot = (i: number) => ranges[i] ?? ["", ""];
  const field = (i: number, end: 0 | 1, label: string) => html`<label class="time-field">
      <span class="visually-hidden">${`${name} — `}</span>${label}
      <input type="time" name=${`${day}_${i}_${end === 0 ? "from" : "to"}`} value=${slot(i)[end]} step="300" />
    </label>`;
  return html`<fieldset class="schedule-day">
    <legend>${name}</legend>
    ${field(0, 0, t(locale, "quiet.settings.from"))} ${field(0, 1, t(locale, "quiet.settings.to"))}
    <span class="schedule-second">${field(1, 0, t(locale, "quiet.settings.second"))} ${field(1, 1, t(locale, "quiet.settings.to"))}</span>
  </fieldset>`;
}

export function SchedulePage(props: SchedulePageProps) {
  const { locale, csrf, values, source, zones, leaves, now, held, errors = [] } = props;
  return h(Layout, {
    ...chrome(props),
    title: t(locale, "quiet.settings.title"),
    children: html`<section class="panel panel-form schedule-settings" aria-labelledby="page-title">
      <h1 id="page-title">${t(locale, "quiet.settings.title")}</h1>
      <p>${t(locale, "quiet.settings.intro")}</p>
      <p class="hint">${t(locale, `quiet.settings.source.${source}`)}</p>
      ${now ? html`<p class="availability">${t(locale, "quiet.settings.now", { availability: now })}</p>` : null}
      ${held > 0 ? html`<p class="hint">${t(locale, "quiet.settings.held", { count: held })}</p>` : null}
      ${errors.length > 0
        ? html`<div class="notice notice-error" role="alert" id="schedule-errors"><ul>${errors.map((e) => html`<li>${e}</li>`)}</ul></div>`
        : null}
      <form method="post" action="/settings/schedule" class="stack-form" aria-describedby=${errors.length > 0 ? "schedule-errors" : undefined}>
        ${h(CsrfField, { token: csrf })}
        <div class="field">
          <label for="schedule-zone">${t(locale, "quiet.settings.timeZone")}</label>
          <select id="schedule-zone" name="timezone">
            ${zones.map((z) => html`<option value=${z} selected=${z === values.timeZone} key=${z}>${z}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="schedule-country">${t(locale, "quiet.settings.country")}</label>
          <select id="schedule-country" name="country">
            <option value="" selected=${values.country === ""}>${t(locale, "quiet.settings.countryNone")}</option>
            <option value="FR" selected=${values.country === "FR"}>${t(locale, "quiet.settings.countryFR")}</option>
          </select>
        </div>
        ${FORM_DAYS.map((d) => h(DayRow, { key: d, locale, day: d, ranges: values.days[d] }))}
        <div class="form-actions"><button type="submit" class="button button-primary">${t(locale, "quiet.settings.save")}</button></div>
      </form>
      ${source === "own"
        ? html`<form method="post" action="/settings/schedule/default" class="inline-form">
            ${h(CsrfField, { token: csrf })}<button type="submit" class="button button-secondary">${t(locale, "quiet.settings.useDefault")}</button>
          </form>`
        : null}
    </section>
    <section class="panel panel-form" aria-labelledby="leave-title">
      <h2 id="leave-title">${t(locale, "quiet.settings.leave")}</h2>
      ${leaves.length === 0
        ? html`<p class="empty-state">${t(locale, "quiet.settings.leaveNone")}</p>`
        : html`<ul class="leave-list">${leaves.map((l) => html`<li key=${l.id}>
            <span>${t(locale, "quiet.settings.leaveRange", { first: l.first, last: l.last })}</span>
            <form method="post" action=${`/settings/schedule/leaves/${l.id}/delete`} class="inline-form">
              ${h(CsrfField, { token: csrf })}
              <button type="submit" class="button button-secondary button-small">${t(locale, "quiet.settings.leaveDelete")}<span class="visually-hidden">${` ${t(locale, "quiet.settings.leaveRange", { first: l.first, last: l.last })}`}</span></button>
            </form>
          </li>`)}</ul>`}
      <form method="post" action="/settings/schedule/leaves" class="stack-form leave-form">
        ${h(CsrfField, { token: csrf })}
        <div class="field"><label for="leave-first">${t(locale, "quiet.settings.leaveFirst")}</label><input type="date" id="leave-first" name="first_day" required /></div>
        <div class="field"><label for="leave-last">${t(locale, "quiet.settings.leaveLast")}</label><input type="date" id="leave-last" name="last_day" required /></div>
        <div class="form-actions"><button type="submit" class="button button-secondary">${t(locale, "quiet.settings.leaveAdd")}</button></div>
      </form>
    </section>`,
  });
}
