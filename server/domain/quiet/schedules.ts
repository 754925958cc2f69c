// Working schedules (issue #15 point 2): a person's own, their department's preset, the instance's preset — the
// first that exists is the one in force — plus their leave. Validated here, so the API, the settings page and the
// admin presets refuse the same input with the same codes, and nothing is stored on error.
//
//   parseSchedule(input) → ScheduleInput                 — DomainError 422: unknown_time_zone, invalid_time, ranges_overlap…
//   setSchedule(db, accountId, input) / clearSchedule(db, accountId) / ownSchedule(db, accountId)
//   setPreset(db, department | null, input) / listPresets(db) / deletePreset(db, department | null)
//   addLeave(db, accountId, first, last) / listLeaves(db, accountId) / deleteLeave(db, accountId, id)
//   scheduleInForce(db, accountId) → { schedule, source } | null   — what hold.ts decides on (a sibling's person: as published)
//   publishedSchedule / readPublishedSchedule / storeRemoteSchedule — the `workSchedule` of the actor's rucheProfile
import type { Db } from "../../db/pool.ts";
import { DomainError } from "../errors.ts";
import { dayDate, dayNumber, type Range, WEEKDAYS, type Weekday, type WorkSchedule } from "./hold.ts";
import { HOLIDAY_COUNTRIES } from "./holidays.ts";
import { enqueueOutbox } from "../outbox.ts";

export interface ScheduleInput {
  timeZone: string;
  days: Partial<Record<Weekday, Range[]>>;
  country: string | null;
}

export type ScheduleSource = "own" | "department" | "instance";

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

function fail(code: string, message: string, field?: string): never {
  throw new DomainError(code, 422, message, field);
}

/** Whether the runtime knows this IANA zone (the same tz database that computes the offsets). */
export function knownTimeZone(zone: string): boolean {
  if (typeof zone !== "string" || zone.length === 0 || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function minutes(text: unknown, field: string): number {
  if (typeof text !== "string" || !TIME.test(text)) fail("invalid_time", `${field}: "${String(text)}" is not a time HH:MM (00:00–24:00)`, field);
  const [h, m] = text.split(":").map(Number);
  return h * 60 + m;
}

export const minutesToTime = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

/**
 * The API's shape, `{"timezone": "Europe/Paris", "days": {"mon": [["09:00", "17:30"]], …}, "country": "FR"}`,
 * checked: a known zone, known weekdays, times HH:MM, each range's end after its start, no two ranges of a day
 * overlapping (touching is allowed: 12:00–14:00 then 14:00–18:00), at most 6 ranges a day.
 */
export function parseSchedule(input: unknown): ScheduleInput {
  if (typeof input !== "object" || input === null) fail("validation_failed", "the schedule must be an object with timezone and days");
  const body = input as Record<string, unknown>;
  const zone = body.timezone;
  if (typeof zone !== "string" || !knownTimeZone(zone)) fail("unknown_time_zone", `timezone: "${String(zone)}" is not a known IANA time zone (e.g. Europe/Paris)`, "timezone");
  const rawDays = body.days ?? {};
  if (typeof rawDays !== "object" || rawDays === null || Array.isArray(rawDays)) fail("validation_failed", "days: must be an object such as {\"mon\": [[\"09:00\", \"17:30\"]]}", "days");
  const days: Partial<Record<Weekday, Range[]>> = {};
  for (const [day, list] of Object.entries(rawDays)) {
    if (!(WEEKDAYS as readonly string[]).includes(day)) fail("unknown_day", `days: "${day}" is not a weekday (mon, tue, wed, thu, fri, sat, sun)`, `days.${day}`);
    if (!Array.isArray(list) || list.length > 6) fail("validation_failed", `days.${day}: must be a list of at most 6 [start, end] ranges`, `days.${day}`);
    const ranges = list.map((r, i): Range => {
      const field = `days.${day}[${i}]`;
      if (!Array.isArray(r) || r.length !== 2) fail("validation_failed", `${field}: must be ["HH:MM", "HH:MM"]`, field);
      const start = minutes(r[0], field), end = minutes(r[1], field);
      if (end <= start) fail("range_end_before_start", `${field}: ends (${r[1]}) before or when it starts (${r[0]})`, field);
      return [start, end];
    }).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < ranges.length; i++) {
      if (ranges[i][0] < ranges[i - 1][1]) {
        fail("ranges_overlap", `days.${day}: ${minutesToTime(ranges[i - 1][0])}–${minutesToTime(ranges[i - 1][1])} and ${minutesToTime(ranges[i][0])}–${minutesToTime(ranges[i][1])} overlap`, `days.${day}`);
      }
    }
    if (ranges.length > 0) days[day as Weekday] = ranges;
  }
  const country = body.country ?? null;
  if (country !== null && !(HOLIDAY_COUNTRIES as readonly string[]).includes(String(country))) {
    fail("unknown_country", `country: public holidays are known for ${HOLIDAY_COUNTRIES.join(", ")} only`, "country");
  }
  return { timeZone: zone, days, country: country as string | null };
}

/** A schedule as the API shows it (the same shape it accepts). */
export function scheduleJson(s: ScheduleInput) {
  return {
    timezone: s.timeZone,
    days: Object.fromEntries(WEEKDAYS.filter((d) => s.days[d]).map((d) => [d, s.days[d]!.map(([a, b]) => [minutesToTime(a), minutesToTime(b)])])),
    country: s.country,
  };
}

type Row = Record<string, unknown>;
const toInput = (r: Row): ScheduleInput => ({ timeZone: r.time_zone as string, days: r.days as ScheduleInput["days"], country: (r.country as string) ?? null });

export async function setSchedule(db: Db, accountId: string, s: ScheduleInput): Promise<void> {
  // Siblings show this person's availability from the schedule in their actor: they refetch it on Update.
  await enqueueOutbox(db, { kind: "update-actor", accountId });
  await db`INSERT INTO work_schedules (account_id, time_zone, days, country) VALUES (${accountId}, ${s.timeZone}, ${db.json(s.days as never)}, ${s.country})
    ON CONFLICT (account_id) DO UPDATE SET time_zone = excluded.time_zone, days = excluded.days, country = excluded.country, updated_at = now()`;
}

export async function clearSchedule(db: Db, accountId: string): Promise<void> {
  await enqueueOutbox(db, { kind: "update-actor", accountId });
  await db`DELETE FROM work_schedules WHERE account_id = ${accountId}`;
}

export async function ownSchedule(db: Db, accountId: string): Promise<ScheduleInput | null> {
  const [r] = await db`SELECT time_zone, days, country FROM work_schedules WHERE account_id = ${accountId}`;
  return r ? toInput(r) : null;
}

/** The instance's preset (department null) or a department's: replaced whole. */
export async function setPreset(db: Db, department: string | null, s: ScheduleInput): Promise<void> {
  const dept = department?.trim() || null;
  await db`DELETE FROM work_schedules WHERE account_id IS NULL
    AND ${dept === null ? db`department IS NULL` : db`ruche_fold(department) = ruche_fold(${dept})`}`;
  await db`INSERT INTO work_schedules (department, time_zone, days, country) VALUES (${dept}, ${s.timeZone}, ${db.json(s.days as never)}, ${s.country})`;
}

export async function deletePreset(db: Db, department: string | null): Promise<boolean> {
  const dept = department?.trim() || null;
  return (await db`DELETE FROM work_schedules WHERE account_id IS NULL
    AND ${dept === null ? db`department IS NULL` : db`ruche_fold(department) = ruche_fold(${dept})`} RETURNING id`).length > 0;
}

export async function listPresets(db: Db): Promise<{ department: string | null; schedule: ScheduleInput }[]> {
  const rows = await db`SELECT department, time_zone, days, country FROM work_schedules WHERE account_id IS NULL
    ORDER BY department NULLS FIRST`;
  return rows.map((r) => ({ department: (r.department as string) ?? null, schedule: toInput(r) }));
}

export interface Leave { id: string; firstDay: string; lastDay: string }

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export async function addLeave(db: Db, accountId: string, first: unknown, last: unknown): Promise<Leave> {
  for (const [v, field] of [[first, "first_day"], [last, "last_day"]] as const) {
    if (typeof v !== "string" || !DATE.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) fail("invalid_date", `${field}: "${String(v)}" is not a date YYYY-MM-DD`, field);
  }
  const a = dayNumber(first as string), b = dayNumber(last as string);
  if (b < a) fail("range_end_before_start", "last_day: the leave ends before it starts", "last_day");
  if (b - a >= 400) fail("validation_failed", "last_day: a leave period is at most 400 days", "last_day");
  await enqueueOutbox(db, { kind: "update-actor", accountId });
  const [r] = await db`INSERT INTO leave_periods (account_id, first_day, last_day) VALUES (${accountId}, ${first as string}, ${last as string})
    RETURNING id::text, first_day::text, last_day::text`;
  return { id: r.id, firstDay: r.first_day, lastDay: r.last_day };
}

export async function listLeaves(db: Db, accountId: string): Promise<Leave[]> {
  // The latest 50 (the rule reads as many): past leave stays until the person removes it.
  const rows = await db`SELECT * FROM (SELECT id::text, first_day::text, last_day::text FROM leave_periods
    WHERE account_id = ${accountId} ORDER BY last_day DESC LIMIT 50) l ORDER BY first_day`;
  return rows.map((r) => ({ id: r.id, firstDay: r.first_day, lastDay: r.last_day }));
}

export async function deleteLeave(db: Db, accountId: string, id: string): Promise<boolean> {
  if (!/^\d{1,18}$/.test(id)) return false;
  await enqueueOutbox(db, { kind: "update-actor", accountId });
  return (await db`DELETE FROM leave_periods WHERE id = ${id} AND account_id = ${accountId} RETURNING id`).length > 0;
}

/**
 * The schedule hold.ts decides on for one local person, in one query: their own, else their department's preset,
 * else the instance's; with their current and future leave. Null: no quiet time at all.
 */
export async function scheduleInForce(db: Db, accountId: string): Promise<{ schedule: WorkSchedule; source: ScheduleSource } | null> {
  const [r] = await db`SELECT s.time_zone, s.days, s.country,
      CASE WHEN s.account_id IS NOT NULL THEN 'own' WHEN s.department IS NOT NULL THEN 'department' ELSE 'instance' END AS source,
      (SELECT coalesce(json_agg(json_build_array(l.first_day, l.last_day)), '[]') FROM
        (SELECT first_day, last_day FROM leave_periods WHERE account_id = ${accountId} ORDER BY last_day DESC LIMIT 50) l) AS leaves
    FROM work_schedules s
    LEFT JOIN profiles p ON p.account_id = ${accountId}
    WHERE s.account_id = ${accountId}
       OR (s.account_id IS NULL AND s.department IS NOT NULL AND p.department <> '' AND ruche_fold(s.department) = ruche_fold(p.department))
       OR (s.account_id IS NULL AND s.department IS NULL)
    ORDER BY (s.account_id IS NULL), (s.department IS NULL) LIMIT 1`;
  if (!r) return null;
  const leaves = (r.leaves as [string, string][]).map(([a, b]) => ({ first: dayNumber(a), last: dayNumber(b) }));
  return { schedule: { timeZone: r.time_zone, days: r.days, country: r.country ?? null, leaves }, source: r.source };
}

/** What a sibling reads in the actor: the schedule in force and the leave, in the API's shape. Null: none. */
export async function publishedSchedule(db: Db, accountId: string) {
  const found = await scheduleInForce(db, accountId);
  if (!found) return null;
  const s = found.schedule;
  return {
    ...scheduleJson({ timeZone: s.timeZone, days: s.days as ScheduleInput["days"], country: s.country }),
    leaves: s.leaves.map((l) => [dayDate(l.first), dayDate(l.last)]),
  };
}

/** A published schedule from another server, checked as our own input is (null when absent or malformed). */
export function readPublishedSchedule(v: unknown): WorkSchedule | null {
  try {
    const input = parseSchedule(v);
    const raw = (v as { leaves?: unknown }).leaves;
    const leaves = (Array.isArray(raw) ? raw.slice(0, 50) : []).flatMap((l) => {
      if (!Array.isArray(l) || typeof l[0] !== "string" || typeof l[1] !== "string" || !DATE.test(l[0]) || !DATE.test(l[1])) return [];
      const first = dayNumber(l[0]), last = dayNumber(l[1]);
      return Number.isFinite(first) && last >= first && last - first < 400 ? [{ first, last }] : [];
    });
    return { ...input, leaves };
  } catch {
    return null;
  }
}

/** Keeps (or clears) a sibling's person's published schedule beside their profile (stored just before). */
export async function storeRemoteSchedule(db: Db, accountId: string, published: unknown): Promise<void> {
  const schedule = published === undefined ? null : readPublishedSchedule(published);
  await db`UPDATE profiles SET work_schedule = ${schedule ? db.json(schedule as never) : null} WHERE account_id = ${accountId}`;
}
