// A career history as a timeline, most recent first (current roles on top).
import { html } from "../html.ts";
import { t } from "../i18n/index.ts";
import type { Locale } from "../i18n/index.ts";
import type { ProfileDetails } from "./contact-card.ts";

/** "2019-03" → "March 2019" / "mars 2019". */
export function monthLabel(locale: Locale, month: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return month;
  return new Intl.DateTimeFormat(locale, { month: "long", year: "numeric", timeZone: "UTC" })
    .format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1)));
}

export function CareerTimeline({ locale, career }: { locale: Locale; career: ProfileDetails["career"] }) {
  if (career.length === 0) return null;
  return html`<section class="panel" aria-labelledby="career-title">
    <h2 id="career-title">${t(locale, "profiles.careerTitle")}</h2>
    <ol class="timeline">
      ${career.map((e) => html`<li class=${e.to ? "timeline-item" : "timeline-item timeline-current"}>
        <p class="timeline-role"><strong>${e.role}</strong>${e.organisation ? html` · ${e.organisation}` : null}</p>
        <p class="timeline-dates">${e.to
          ? t(locale, "profiles.careerRange", { from: monthLabel(locale, e.from), to: monthLabel(locale, e.to) })
          : t(locale, "profiles.careerCurrent", { from: monthLabel(locale, e.from) })}</p>
      </li>`)}
    </ol>
  </section>`;
}
