// A person's availability as others see it (issue #15 point 2): at work, or off until an instant (off hours, leave,
// public holiday), with their zone — what the profile, the composer and the sibling instances show. Local people
// get it from hold.ts's decision now; people of a sibling instance from what their server published on their actor
// (profiles.availability, federation/mappers), read as of now: a published "off until 9:00" past 9:00 reads "at work".
import type { Db } from "../../db/pool.ts";
import { dayDate, decide } from "./hold.ts";
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
  if (!found) return null;
  const d = decide(found.schedule, now);
  if (d.deliver) return { state: "working", until: null, leaveEnds: null, timeZone: found.schedule.timeZone };
  return { state: d.reason, until: d.until, leaveEnds: d.leaveEnds !== undefined ? dayDate(d.leaveEnds) : null, timeZone: found.schedule.timeZone };
}

/** The JSON the API and the actor carry (`ruche:availability`). */
export function availabilityJson(a: Availability) {
  return { state: a.state, until: a.until?.toISOString() ?? null, leave_ends: a.leaveEnds, timezone: a.timeZone };
}

/** A published availability, checked (it came from another server): null when malformed. */
export function parseAvailability(v: unknown): Availability | null {
  if (typeof v !== "object" || v === null) return null;
  const o = v as Record<string, unknown>;
  if (!["working", "off_hours", "leave", "holiday"].includes(o.state as string)) return null;
  const until = typeof o.until === "string" ? new Date(o.until) : null;
  if (until && Number.isNaN(until.getTime())) return null;
  if (o.state !== "working" && !until) return null;
  const leaveEnds = typeof o.leave_ends === "string" && /^\d{4}-\d{2}-\d{2}$/.test(o.leave_ends) ? o.leave_ends : null;
  const timeZone = typeof o.timezone === "string" && o.timezone.length <= 64 ? o.timezone : "UTC";
  return { state: o.state as Availability["state"], until, leaveEnds, timeZone };
}

/** A stored remote availability as of `now`: once its `until` has passed, the person is at work. */
export function asOf(a: Availability, now: number): Availability {
  return a.until && a.until.getTime() <= now ? { ...a, state: "working", until: null, leaveEnds: null } : a;
}

/** Anyone's availability: a local person's computed, a remote one's as their server published it. */
export async function availabilityOf(db: Db, accountId: string, now: number): Promise<Availability | null> {
  const [r] = await db`SELECT a.domain, p.availability FROM accounts a LEFT JOIN profiles p ON p.account_id = a.id WHERE a.id = ${accountId}`;
  if (!r) return null;
  if (r.domain === null) return await localAvailability(db, accountId, now);
  const published = parseAvailability(r.availability);
  return published ? asOf(published, now) : null;
}
