// Recurring events (issue #12 point 1): an RFC 5545 RRULE (the `rrule` library) stored with the event and expanded
// for display, with occurrences moved or cancelled one by one (event_occurrence_changes).
//
// Daylight saving: a weekly committee at 10:00 Europe/Paris stays at 10:00 Paris time after the last Sunday of
// October, so its instant moves by an hour. The rule is therefore expanded in the event's wall-clock time ("floating"
// dates: the local time written as if it were UTC, which rrule handles without zone arithmetic) and each occurrence
// turned into an instant in the event's zone afterwards (zoned-time.ts). Expanding in UTC would keep 09:00 UTC and
// show the committee at 11:00 in winter, as calendars that ignore the zone do.
//
// Bounds: a rule more frequent than daily is refused, and so is one that gives more than MAX_OCCURRENCES in its
// first year or in all (COUNT, UNTIL); a display never expands more than MAX_EXPANDED in one window. A rule that
// would produce millions of occurrences is a 422 with a clear message, not a stalled page.
import { createRequire } from "node:module";
import { DomainError } from "../errors.ts";
import { instantToZoned, zonedToInstant } from "../zoned-time.ts";

// rrule 2.8 is CommonJS; its named exports are not visible to Node's ESM loader.
const { RRule } = createRequire(import.meta.url)("rrule") as typeof import("rrule");

export const RECURRENCE_LIMITS = { maxOccurrences: 1_000, maxExpanded: 2_000 } as const;

const TOO_FREQUENT = new Set([RRule.HOURLY, RRule.MINUTELY, RRule.SECONDLY]);

function refuse(message: string): never {
  throw new DomainError("validation_failed", 422, `rrule: ${message}`, "rrule");
}

/** A wall-clock time in `zone` as a floating date (its local fields as UTC fields). */
function floating(instant: Date, zone: string): Date {
  return new Date(`${instantToZoned(instant, zone)}:00Z`);
}

function ruleOf(text: string, start: Date, zone: string) {
  const body = text.replace(/^RRULE:/i, "").trim();
  if (/DTSTART|TZID|\n/i.test(body)) refuse("give the rule only (FREQ=…); the event's start and zone are its own");
  let options;
  try {
    options = RRule.parseString(body);
  } catch {
    refuse("is not a valid RFC 5545 rule (e.g. FREQ=WEEKLY;BYDAY=MO)");
  }
  if (options.freq == null) refuse("needs a valid FREQ (DAILY, WEEKLY, MONTHLY or YEARLY)");
  if (TOO_FREQUENT.has(options.freq)) refuse("an event repeats at most daily");
  if (options.byhour != null || options.byminute != null || options.bysecond != null) refuse("an occurrence keeps the event's time of day (no BYHOUR, BYMINUTE, BYSECOND)");
  if (options.count != null && options.count > RECURRENCE_LIMITS.maxOccurrences) {
    refuse(`at most ${RECURRENCE_LIMITS.maxOccurrences} occurrences (COUNT=${options.count})`);
  }
  // UNTIL is an instant; in floating terms it is compared with local times, close enough for a bound of days.
  return new RRule({ ...options, dtstart: floating(start, zone), until: options.until ? floating(options.until, zone) : null });
}

/** Refuses (422) a rule that is malformed, too frequent, or too long. */
export function checkRule(text: string, start: Date, zone: string): void {
  const rule = ruleOf(text, start, zone);
  const year = new Date(floating(start, zone).getTime() + 366 * 86_400_000);
  let n = 0;
  // Stop counting one past the limit: a rule of a million occurrences costs a thousand steps here.
  rule.all((d) => d <= year && ++n <= RECURRENCE_LIMITS.maxOccurrences);
  if (n > RECURRENCE_LIMITS.maxOccurrences) refuse(`more than ${RECURRENCE_LIMITS.maxOccurrences} occurrences in a year`);
  if (rule.options.until != null) {
    let total = 0;
    rule.all(() => ++total <= RECURRENCE_LIMITS.maxOccurrences);
    if (total > RECURRENCE_LIMITS.maxOccurrences) refuse(`at most ${RECURRENCE_LIMITS.maxOccurrences} occurrences before UNTIL`);
  }
  if (n === 0) refuse("gives no occurrence");
}

export interface OccurrenceChange { originalStart: Date; startsAt: Date | null; endsAt: Date | null; cancelled: boolean }
export interface Occurrence { originalStart: Date; startsAt: Date; endsAt: Date; moved: boolean }

/**
 * The occurrences that overlap [from, to), in order, with moved ones at their new time (a moved occurrence shows
 * where it now is, even when its original time is outside the window) and cancelled ones left out. A single event
 * is its one occurrence.
 */
export function expandOccurrences(event: { startsAt: Date; endsAt: Date; timezone: string; rrule: string | null },
  changes: OccurrenceChange[], from: Date, to: Date): Occurrence[] {
  const duration = event.endsAt.getTime() - event.startsAt.getTime();
  const byOriginal = new Map(changes.map((c) => [c.originalStart.getTime(), c]));
  const out: Occurrence[] = [];
  const push = (originalStart: Date) => {
    const change = byOriginal.get(originalStart.getTime());
    if (change?.cancelled) return;
    const startsAt = change?.startsAt ?? originalStart;
    const endsAt = change?.endsAt ?? new Date(originalStart.getTime() + duration);
    if (endsAt > from && startsAt < to) out.push({ originalStart, startsAt, endsAt, moved: change != null });
  };
  if (!event.rrule) {
    push(event.startsAt);
    return out;
  }
  const rule = ruleOf(event.rrule, event.startsAt, event.timezone);
  // The floating window, widened by the event's length and a day for the zone's offset; moved occurrences come in
  // by their original start too, so each is looked at once.
  const pad = duration + 86_400_000;
  const lo = new Date(from.getTime() - pad), hi = new Date(to.getTime() + pad);
  let n = 0;
  const originals = rule.between(lo, hi, true, () => ++n <= RECURRENCE_LIMITS.maxExpanded);
  const seen = new Set<number>();
  for (const f of originals) {
    const original = zonedToInstant(f.toISOString().slice(0, 16), event.timezone);
    if (original) {
      seen.add(original.getTime());
      push(original);
    }
  }
  for (const c of changes) if (!seen.has(c.originalStart.getTime()) && !c.cancelled) push(c.originalStart);
  return out.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
}
