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

// A rule's occurrences as instants, computed once per process for the first years of the series: rrule's iterator
// and the zone conversions cost ~0.2 ms per series and month, and a calendar month of a person in 20 groups holds
// hundreds of series (bench/events.ts). The list depends only on the rule, its start and its zone, so every process
// computes the same one; windows past the horizon are expanded directly.
const CACHE_MAX = 20_000;
const HORIZON_MS = 5 * 366 * 86_400_000;
const cache = new Map<string, { list: Date[]; until: number }>();

function cachedOriginals(text: string, start: Date, zone: string): { list: Date[]; until: number } {
  const key = `${text}|${start.getTime()}|${zone}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const rule = ruleOf(text, start, zone);
  const horizon = new Date(floating(start, zone).getTime() + HORIZON_MS);
  let n = 0;
  const floatingDates = rule.all((d) => d <= horizon && ++n <= RECURRENCE_LIMITS.maxExpanded * 5);
  const list = floatingDates.map((f) => zonedToInstant(f.toISOString().slice(0, 16), zone)).filter((d): d is Date => d != null);
  // Known up to the horizon (less a day for the zone's offset), or to its last listed occurrence when capped.
  const capped = n > RECURRENCE_LIMITS.maxExpanded * 5;
  const entry = { list, until: capped ? (list.at(-1)?.getTime() ?? start.getTime()) : start.getTime() + HORIZON_MS - 86_400_000 };
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(key, entry);
  return entry;
}

/** The original starts of a rule's occurrences in [lo, hi], bounded (at most maxExpanded). */
function originalsBetween(text: string, start: Date, zone: string, lo: Date, hi: Date): Date[] {
  const { list, until } = cachedOriginals(text, start, zone);
  if (hi.getTime() <= until) {
    // The list is sorted: a binary search finds the window's first occurrence.
    let a = 0, b = list.length;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (list[mid] < lo) a = mid + 1;
      else b = mid;
    }
    const out: Date[] = [];
    for (let i = a; i < list.length && list[i] <= hi && out.length < RECURRENCE_LIMITS.maxExpanded; i++) out.push(list[i]);
    return out;
  }
  const rule = ruleOf(text, start, zone);
  let n = 0;
  // (Floating bounds: the instants as they are; a day of padding, added by the caller, covers the zone's offset.)
  return rule.between(lo, hi, true, () => ++n <= RECURRENCE_LIMITS.maxExpanded)
    .map((f) => zonedToInstant(f.toISOString().slice(0, 16), zone)).filter((d): d is Date => d != null);
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
  // A moved occurrence may fall in the window from outside its rule's span; its original start is looked up once.
  const pad = duration + 86_400_000;
  const seen = new Set<number>();
  for (const original of originalsBetween(event.rrule, event.startsAt, event.timezone, new Date(from.getTime() - pad), new Date(to.getTime() + pad))) {
    seen.add(original.getTime());
    push(original);
  }
  for (const c of changes) if (!seen.has(c.originalStart.getTime()) && !c.cancelled) push(c.originalStart);
  return out.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
}
