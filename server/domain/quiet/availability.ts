// A person's availability as others see it (issue #15 point 2): at work, or off until an instant (off hours, leave,
// public holiday), with their zone — what the profile, the composer and the sibling instances show. Local people
// get it from hold.ts's decision now; people of a sibling instance from the schedule their server published in their
// actor (profiles.work_schedule, federation/mappers/work-schedule.ts), with the same rule: always current here.
import type { Db } from "../../db/pool.ts";
import { dayDate, decide, type WorkSchedule } from "./hold.ts";
import { scheduleInForce } from "./schedules.ts";

export interface Availability {
  state: "working" | "off_hours" | "leave" | "holiday";
  /** When the person is next at work (null while working). */
  until: Date | null;
  /** Last day of leave, YYYY-MM-DD in their zone (leave only). */
  leaveEnds: string | null;
  timeZone: string;
}

/** A local person's availability at `now`; null when they have no schedule (never "off"). */
export async function localAvailability(db: Db, accountId: string, now: number): Promise<Availability | null> {
  const found = await scheduleInForce(db, accountId);
  return found ? fromDecision(found.schedule, now) : null;
}

function fromDecision(s: WorkSchedule, now: number): Availability {
  const d = decide(s, now);
  if (d.deliver) return { state: "working", until: null, leaveEnds: null, timeZone: s.timeZone };
  return { state: d.reason, until: d.until, leaveEnds: d.leaveEnds !== undefined ? dayDate(d.leaveEnds) : null, timeZone: s.timeZone };
}

/** The JSON the API and the actor carry (`ruche:availability`). */
export function availabilityJson(a: Availability) {
  return { state: a.state, until: a.until?.toISOString() ?? null, leave_ends: a.leaveEnds, timezone: a.timeZone };
}

/** Anyone's availability: a local person's computed, a remote one's as their server published it. */
export async function availabilityOf(db: Db, accountId: string, now: number): Promise<Availability | null> {
  const [r] = await db`SELECT a.domain, p.work_schedule FROM accounts a LEFT JOIN profiles p ON p.account_id = a.id WHERE a.id = ${accountId}`;
  if (!r) return null;
  if (r.domain === null) return await localAvailability(db, accountId, now);
  // A sibling's person: the schedule their server published (stored as checked, schedules.ts), the same rule.
  const s = r.work_schedule as WorkSchedule | null;
  return s ? fromDecision(s, now) : null;
}
