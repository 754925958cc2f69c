// A person's availability in words, in the reader's language and time zone: "hors horaires jusqu'à 8 h 30",
// "hors horaires jusqu'à lundi 9 h", "en congé jusqu'au 12" (issue #15). The instant comes from the domain
// (server/domain/quiet/availability.ts); this only says it.
import { html } from "../html.ts";
import { type Locale, t } from "../i18n/index.ts";

/** What the domain says of someone's availability (server/domain/quiet/availability.ts gives this shape). */
export interface Availability {
  state: "working" | "off_hours" | "leave" | "holiday";
  until: Date | null;
  /** Last day of leave, YYYY-MM-DD in their zone. */
  leaveEnds: string | null;
  timeZone: string;
}

const DAY = 86_400_000;

/** "8 h 30", "9 h" in French; "08:30" in English. */
export function clockTime(locale: Locale, at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }).formatToParts(at);
  const h = parts.find((p) => p.type === "hour")!.value, m = parts.find((p) => p.type === "minute")!.value;
  if (locale === "en") return `${h}:${m}`;
  return m === "00" ? `${Number(h)} h` : `${Number(h)} h ${m}`;
}

const dayKey = (at: Date, timeZone: string) => new Intl.DateTimeFormat("en-CA", { timeZone }).format(at);

/** "8 h 30" today, "demain 9 h" / "lundi 9 h" within a week, "le 12 janvier 9 h" later. */
export function whenText(locale: Locale, at: Date, now: Date, timeZone: string): string {
  const time = clockTime(locale, at, timeZone);
  if (dayKey(at, timeZone) === dayKey(now, timeZone)) return t(locale, "quiet.today", { time });
  const within = at.getTime() - now.getTime() < 6 * DAY;
  const day = within
    ? (dayKey(at, timeZone) === dayKey(new Date(now.getTime() + DAY), timeZone)
      ? new Intl.RelativeTimeFormat(locale, { numeric: "auto" }).format(1, "day")
      : new Intl.DateTimeFormat(locale, { weekday: "long", timeZone }).format(at))
    : new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", timeZone }).format(at);
  return t(locale, "quiet.otherDay", { day, time });
}

/** "12" in the same month, "12 janvier" / "January 12" otherwise. */
function leaveDate(locale: Locale, ymd: string, now: Date, timeZone: string): string {
  const date = new Date(`${ymd}T12:00:00Z`);
  const sameMonth = dayKey(now, timeZone).slice(0, 7) === ymd.slice(0, 7);
  return new Intl.DateTimeFormat(locale, sameMonth && locale === "fr" ? { day: "numeric", timeZone: "UTC" } : { day: "numeric", month: "long", timeZone: "UTC" }).format(date);
}

/** The sentence, or null while at work (nothing to say). */
export function availabilityText(locale: Locale, a: Availability | null, now: Date, readerZone: string): string | null {
  if (!a || a.state === "working" || !a.until) return null;
  if (a.state === "leave" && a.leaveEnds) return t(locale, "quiet.leaveUntil", { date: leaveDate(locale, a.leaveEnds, now, readerZone) });
  const when = whenText(locale, a.until, now, readerZone);
  return a.state === "holiday" ? t(locale, "quiet.holidayUntil", { when }) : t(locale, "quiet.offUntil", { when });
}

/** The line shown on a profile and above the composer: nothing while the person is at work. */
export function AvailabilityNote(props: { locale: Locale; availability: Availability | null; now: Date; timeZone: string }) {
  const text = availabilityText(props.locale, props.availability, props.now, props.timeZone);
  if (!text) return null;
  return html`<p class="availability" data-availability=${props.availability!.state}><span aria-hidden="true">☾ </span>${text}</p>`;
}
