// Wall-clock times in a person's IANA time zone ⇄ instants. Forms send "2027-01-04T09:00" (datetime-local) meant
// in the reader's zone; the database keeps instants. A time that a daylight-saving change skips or repeats resolves to one of the instants next to it.

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

// One formatter per zone: making one costs ~50 µs, and quiet time asks on every notification and a calendar month
// converts thousands of times (bench/quiet.ts, bench/events.ts).
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
    });
    if (formatters.size < 1_000) formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's offset from UTC at `instant`, in milliseconds (Paris in winter: +3,600,000). */
export function zoneOffsetMs(instant: Date, timeZone: string): number {
  const parts = formatterOf(timeZone).formatToParts(instant);
  const n = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const asUtc = Date.UTC(n("year"), n("month") - 1, n("day"), n("hour"), n("minute"), n("second"));
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** "2027-01-04T09:00" in `timeZone` → the instant; null when the text is not such a date or the zone unknown. */
export function zonedToInstant(local: string, timeZone: string): Date | null {
  const m = LOCAL.exec(local.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0));
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(wall);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59) return null;
  try {
    const first = wall - zoneOffsetMs(new Date(wall), timeZone);
    return new Date(wall - zoneOffsetMs(new Date(first), timeZone));
  } catch {
    return null;
  }
}

/** The instant as "2027-01-04T09:00" in `timeZone` (a datetime-local field's value). */
export function instantToZoned(instant: Date, timeZone: string): string {
  return new Date(instant.getTime() + zoneOffsetMs(instant, timeZone)).toISOString().slice(0, 16);
}
