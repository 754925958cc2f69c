// THE rule of quiet time (issue #15 point 2): given a person's working schedule and an instant, is a
// notification delivered now, or held — and until when? Pure and allocation-light: it runs on every notification
// (bench/quiet.ts measures it against the ≤ 0.1 ms target). Everything else (notify(), the availability shown on a
// profile, the composer's "will be delivered at…") asks this function, never its own copy of the rule.
//
// Times are computed in the person's zone on "wall" milliseconds (the instant plus the zone's offset, read as UTC),
// so a day is a plain integer and DST changes are handled by converting the chosen wall time back through the zone.
import { zoneOffsetMs } from "../zoned-time.ts";
import { isPublicHoliday } from "./holidays.ts";

export const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Minutes since local midnight, start included, end excluded: [540, 1050] is 09:00–17:30. */
export type Range = readonly [number, number];

export interface WorkSchedule {
  timeZone: string;
  /** Weekday → ranges, sorted, not overlapping; a weekday missing is not worked. */
  days: Partial<Record<Weekday, readonly Range[]>>;
  /** ISO 3166 country whose public holidays are off (null: none). */
  country: string | null;
  /** Leave, as local day numbers (days since 1970-01-01 in the person's zone), first and last included. */
  leaves: readonly { first: number; last: number }[];
}

export type Decision =
  | { deliver: true }
  | { deliver: false; until: Date; reason: "off_hours" | "leave" | "holiday"; leaveEnds?: number };

const DAY = 86_400_000;
/** How far ahead a next working period is looked for: past this (nobody works for a year), deliver now. */
const HORIZON_DAYS = 400;
const DELIVER: Decision = { deliver: true };

/** 1970-01-01 was a Thursday (index 4). */
const weekdayOf = (day: number): Weekday => WEEKDAYS[((day % 7) + 11) % 7];

function leaveOn(s: WorkSchedule, day: number): { first: number; last: number } | undefined {
  for (const l of s.leaves) if (day >= l.first && day <= l.last) return l;
  return undefined;
}

/**
 * Deliver now, or hold until the start of the next working period. No schedule (null) means no quiet time; an
 * urgent notification is never held. A schedule with no working range at all in the horizon delivers (holding
 * forever would lose the notification in practice).
 */
export function decide(s: WorkSchedule | null, nowMs: number, urgent = false): Decision {
  if (!s || urgent) return DELIVER;
  const wall = nowMs + zoneOffsetMs(new Date(nowMs), s.timeZone);
  const today = Math.floor(wall / DAY);
  const minute = (wall - today * DAY) / 60_000;
  let reason: "off_hours" | "leave" | "holiday" = "off_hours";
  let leaveEnds: number | undefined;
  for (let day = today; day < today + HORIZON_DAYS; day++) {
    const leave = leaveOn(s, day);
    if (leave) {
      if (day === today) { reason = "leave"; leaveEnds = leave.last; }
      day = leave.last; // the loop's ++ moves to the day after
      continue;
    }
    const ranges = s.days[weekdayOf(day)];
    if (!ranges || ranges.length === 0) continue;
    if (s.country && isPublicHoliday(s.country, day)) {
      if (day === today) reason = "holiday";
      continue;
    }
    for (const [start, end] of ranges) {
      if (day === today && minute >= start && minute < end) return DELIVER;
      if (day > today || start > minute) {
        return { deliver: false, until: wallToInstant(day * DAY + start * 60_000, s.timeZone), reason, ...(leaveEnds !== undefined ? { leaveEnds } : {}) };
      }
    }
  }
  return DELIVER;
}

/** A wall time in `timeZone` → the instant (two passes settle the offset, as zonedToInstant does). */
function wallToInstant(wall: number, timeZone: string): Date {
  const first = wall - zoneOffsetMs(new Date(wall), timeZone);
  return new Date(wall - zoneOffsetMs(new Date(first), timeZone));
}

/** A local day number for a "YYYY-MM-DD" date (leave days are stored as dates). */
export function dayNumber(date: string | Date): number {
  const d = typeof date === "string" ? Date.parse(`${date}T00:00:00Z`) : Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  return Math.floor(d / DAY);
}

/** The local day number → "YYYY-MM-DD". */
export function dayDate(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}
