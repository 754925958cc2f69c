// iCalendar (RFC 5545) for events (issue #12 point 3): one event's .ics and a person's private feed, which Outlook,
// Thunderbird and Google Calendar subscribe to with no other credential than the URL — made with ical-generator.
//
// Times are written as UTC instants (DTSTART:…Z), which every client reads right whatever its zone, and a recurring
// event as its occurrences over the feed's window, each with its own UID and RECURRENCE-ID: a moved occurrence and
// a daylight-saving change come out as the instants recurrence.ts computed in the event's zone. (An RRULE with a
// TZID would need a VTIMEZONE for each zone, which ical-generator leaves to an extra generator; clients that miss
// it fall back to UTC and shift the committee by an hour in winter.) All-day events are DATE values in their zone.
//
// A feed's token is 256 random bits, shown once; only its SHA-256 is stored, and a new one replaces (revokes) it.
import { createHash, randomBytes } from "node:crypto";
import ical, { ICalEventStatus } from "ical-generator";
import type { Db } from "../../db/pool.ts";
import { instantToZoned } from "../zoned-time.ts";
import type { AgendaItem } from "./calendar.ts";
import type { EventStatus } from "./event-views.ts";

const STATUS: Record<EventStatus, ICalEventStatus> = {
  scheduled: ICalEventStatus.CONFIRMED, postponed: ICalEventStatus.TENTATIVE, cancelled: ICalEventStatus.CANCELLED,
};

/** The day an instant falls on in `zone`, as a Date whose UTC date is that day (what an all-day DATE value takes). */
function dayIn(instant: Date, zone: string): Date {
  return new Date(`${instantToZoned(instant, zone).slice(0, 10)}T00:00:00Z`);
}

export function calendarIcs(items: AgendaItem[], opts: { name: string; host: string }): string {
  const cal = ical({ name: opts.name, prodId: { company: "Ruche", product: "Ruche", language: "FR" } });
  for (const { event, occurrence } of items) {
    const recurring = event.rrule != null;
    const uid = `event-${event.postId}@${opts.host}`;
    const location = [event.place?.name, event.place?.address].filter(Boolean).join(", ") || event.onlineUrl || null;
    const allDay = event.allDay;
    const e = cal.createEvent({
      id: recurring ? `${uid}-${occurrence.originalStart.toISOString()}` : uid,
      start: allDay ? dayIn(occurrence.startsAt, event.timezone) : occurrence.startsAt,
      end: allDay ? new Date(dayIn(occurrence.endsAt, event.timezone).getTime() + 86_400_000) : occurrence.endsAt,
      allDay,
      summary: event.title,
      description: event.description || null,
      location,
      url: event.url ?? event.iri,
      status: STATUS[event.status],
      stamp: new Date(),
    });
    if (recurring) e.recurrenceId(occurrence.originalStart);
  }
  return cal.toString();
}

const hash = (token: string) => createHash("sha256").update(token).digest("hex");

/** A new private feed token for the person (the previous one stops working). */
export async function renewFeedToken(db: Db, accountId: string): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await db`INSERT INTO calendar_feeds (account_id, token_hash) VALUES (${accountId}, ${hash(token)})
    ON CONFLICT (account_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = now()`;
  return token;
}

/** Revokes the person's feed. */
export async function revokeFeedToken(db: Db, accountId: string): Promise<void> {
  await db`DELETE FROM calendar_feeds WHERE account_id = ${accountId}`;
}

/** Whose feed a token opens (a local, active person), or null. */
export async function feedOwner(db: Db, token: string): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const [r] = await db`SELECT f.account_id::text FROM calendar_feeds f JOIN users u ON u.account_id = f.account_id
    WHERE f.token_hash = ${hash(token)} AND u.disabled_at IS NULL`;
  return (r?.account_id as string) ?? null;
}
