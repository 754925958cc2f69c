// Every moment the pages show, in the reader's language and time zone (issue #8 point 16): one <time> element with the
// exact instant in `datetime` and the full date in its title, the text relative while that reads better ("il y a
// 5 min", "3 h ago") and a date after a week. The time zone is the reader's setting (the browser's by default, saved
// at sign-in), given once per render by the page (TimeZoneContext, server/routes/pages/render.ts) rather than
// threaded through every component; a reader who never told it, or a render without it, reads UTC, and the full
// date then says "UTC".
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import { html } from "../html.ts";
import type { Locale } from "../i18n/index.ts";

export const TimeZoneContext = createContext<string>("UTC");

/** The reader's time zone in a component rendered by a page. */
export function useTimeZone(): string {
  return useContext(TimeZoneContext);
}

const SECOND = 1000, MINUTE = 60 * SECOND, HOUR = 60 * MINUTE, DAY = 24 * HOUR;

const yearIn = (date: Date, timeZone: string) => new Intl.DateTimeFormat("en", { year: "numeric", timeZone }).format(date);

/** "il y a 5 min", "3 h ago", then a date ("12 mars", "12 mars 2025" in another year). */
export function relativeTime(locale: Locale, date: Date, now: Date, timeZone = "UTC"): string {
  const ms = now.getTime() - date.getTime();
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: "auto", style: "short" });
  if (ms < 45 * SECOND) return rtf.format(0, "second");
  if (ms < HOUR) return rtf.format(-Math.round(ms / MINUTE), "minute");
  if (ms < DAY) return rtf.format(-Math.round(ms / HOUR), "hour");
  if (ms < 7 * DAY) return rtf.format(-Math.round(ms / DAY), "day");
  const sameYear = yearIn(date, timeZone) === yearIn(now, timeZone);
  return new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", ...(sameYear ? {} : { year: "numeric" }), timeZone }).format(date);
}

/** The full date and time with its zone: "mardi 3 décembre 2026 à 18:50 UTC+1". */
export function fullDate(locale: Locale, date: Date, timeZone = "UTC"): string {
  return new Intl.DateTimeFormat(locale, {
    weekday: "long", day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone, timeZoneName: "short",
  }).format(date);
}

/** "décembre 2026" (when someone joined). */
export function monthYear(locale: Locale, date: Date, timeZone = "UTC"): string {
  return new Intl.DateTimeFormat(locale, { month: "long", year: "numeric", timeZone }).format(date);
}

export type LocalTimeProps = {
  locale: Locale;
  date: Date;
  /** relative (default): "il y a 5 min" then a date; full: the whole date and time; month: "décembre 2026". */
  format?: "relative" | "full" | "month";
  /** "Now", for relative times (tests pass a fixed one). */
  now?: Date;
  className?: string;
};

export function LocalTime({ locale, date, format = "relative", now = new Date(), className }: LocalTimeProps) {
  const timeZone = useTimeZone();
  const full = fullDate(locale, date, timeZone);
  const text = format === "full" ? full : format === "month" ? monthYear(locale, date, timeZone) : relativeTime(locale, date, now, timeZone);
  return html`<time class=${className} datetime=${date.toISOString()} title=${full}>${text}</time>`;
}
