// Domain event ⇄ ActivityPub `Event`, Mobilizon's shape and FEP-8a8e's (activitypub-shapes.md §2.4): name,
// content, startTime, endTime, timezone, location (a Place with its PostalAddress), joinMode, capacities and
// participantCount, the iCal status. Mastodon shows an Event as a status with its name and a link.
//
// Fedify's classes know none of Mobilizon's terms. The Event served at its IRI is made as actors are (actor.ts):
// the compacted document gets the terms and is read back, so it serialises with them. Activities are re-compacted
// when sent and lose them: a receiver therefore reads an Event from its home with a signed fetch (inbox/create/
// event.ts), which also makes an Update(Event) of counts carry nothing the receiver has to trust beyond its origin.
// Incoming values are bounded and validated here, so the domain stores trusted shapes.
import { Temporal } from "@js-temporal/polyfill";
import { Event, Place } from "@fedify/vocab";
import type { EventView } from "../../server/domain/events/event-views.ts";
import { type EventStatus, isTimeZone, type JoinMode, JOIN_MODES } from "../../server/domain/events/events.ts";
import type { RemoteEventInput } from "../../server/domain/events/events-remote.ts";
import type { Ctx } from "../context.ts";
import { RUCHE_NS } from "./profile-fields.ts";

/** Inline term definitions (our context loader never fetches remote contexts): Mobilizon's, schema.org's, iCal's, ours. */
export const EVENT_CONTEXT = {
  mz: "https://joinmobilizon.org/ns#",
  sc: "http://schema.org#",
  ical: "http://www.w3.org/2002/12/cal/ical#",
  ruche: RUCHE_NS,
  joinMode: "mz:joinMode",
  timezone: "mz:timezone",
  participantCount: "mz:participantCount",
  isOnline: "mz:isOnline",
  externalParticipationUrl: "mz:externalParticipationUrl",
  maximumAttendeeCapacity: "sc:maximumAttendeeCapacity",
  remainingAttendeeCapacity: "sc:remainingAttendeeCapacity",
  eventStatus: "sc:eventStatus",
  address: "sc:address",
  PostalAddress: "sc:PostalAddress",
  streetAddress: "sc:streetAddress",
  VirtualLocation: "sc:VirtualLocation",
  rucheEvent: { "@id": "ruche:event", "@type": "@json" },
} as const;

/** Ours beside Mobilizon's: what no common term says yet. */
interface RucheEventExtension { version: 1; allDay: boolean; waitlistCount: number; onlineUrl: string | null; rrule: string | null }

const PUBLIC_IRI = "https://www.w3.org/ns/activitystreams#Public";

const ICAL_STATUS: Record<EventStatus, string> = { scheduled: "CONFIRMED", postponed: "TENTATIVE", cancelled: "CANCELLED" };
const SC_STATUS: Record<EventStatus, string> = { scheduled: "EventScheduled", postponed: "EventPostponed", cancelled: "EventCancelled" };

const instant = (d: Date) => Temporal.Instant.fromEpochMilliseconds(d.getTime()) as never;

/** The Event's own fields (the post's common fields come from note.ts). */
export function eventFields(event: EventView) {
  const place = event.place
    ? new Place({ name: event.place.name || event.place.address || null, latitude: event.place.latitude, longitude: event.place.longitude })
    : null;
  return { name: event.title, startTime: instant(event.startsAt), endTime: instant(event.endsAt), locations: place ? [place] : [] };
}

/** The Event with Mobilizon's terms in its document (the object dispatcher serves this one). */
export async function withEventTerms(ctx: Ctx, object: Event, event: EventView): Promise<Event> {
  const json = await object.toJsonLd({ contextLoader: ctx.contextLoader }) as Record<string, unknown>;
  const context = Array.isArray(json["@context"]) ? json["@context"] : [json["@context"]];
  json["@context"] = [...context, EVENT_CONTEXT];
  // Fedify compacts the public collection to "as:Public"; Mobilizon compares addressees as plain strings and would
  // not see the event as public. The full IRI means the same to JSON-LD readers.
  for (const key of ["to", "cc"]) {
    const v = json[key];
    if (v === "as:Public") json[key] = PUBLIC_IRI;
    else if (Array.isArray(v)) json[key] = v.map((x) => (x === "as:Public" ? PUBLIC_IRI : x));
  }
  json.timezone = event.timezone;
  json.joinMode = event.joinMode;
  json.participantCount = event.participantsCount;
  json.isOnline = event.onlineUrl != null && event.place == null;
  json["ical:status"] = ICAL_STATUS[event.status];
  json.eventStatus = `https://schema.org/${SC_STATUS[event.status]}`;
  if (event.externalUrl) json.externalParticipationUrl = event.externalUrl;
  if (event.capacity != null) {
    json.maximumAttendeeCapacity = event.capacity;
    json.remainingAttendeeCapacity = Math.max(0, event.capacity - event.participantsCount);
  }
  if (event.place?.address && json.location && typeof json.location === "object") {
    (json.location as Record<string, unknown>).address = { type: "PostalAddress", streetAddress: event.place.address };
  }
  const ext: RucheEventExtension = { version: 1, allDay: event.allDay, waitlistCount: event.waitlistCount, onlineUrl: event.onlineUrl, rrule: event.rrule };
  json.rucheEvent = ext;
  return await Event.fromJsonLd(json, { documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader });
}

const int = (v: unknown, max: number): number | null => (typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= max ? v : null);
const text = (v: unknown, max: number): string => (typeof v === "string" ? v.trim().slice(0, max) : "");
function httpUrl(v: unknown): string | null {
  if (typeof v !== "string") return null;
  try {
    const u = new URL(v);
    return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
  } catch {
    return null;
  }
}

/**
 * A remote Event (as parsed) and its document (as fetched from its home) → domain input. Terms are read by their
 * compacted names, as Mobilizon and Ruche write them; an Event with no start, or ending before it starts, is refused
 * (null). Counts are bounded; a zone we do not know becomes UTC rather than a wrong local time.
 */
export function eventToRemoteEvent(object: Event, doc: Record<string, unknown>): RemoteEventInput | null {
  const title = (object.name?.toString() ?? "").trim().slice(0, 200);
  if (!title || !object.startTime) return null;
  const startsAt = new Date(object.startTime.epochMilliseconds);
  const endsAt = object.endTime ? new Date(object.endTime.epochMilliseconds) : startsAt;
  if (endsAt < startsAt) return null;
  const zone = text(doc.timezone, 64);
  const joinMode = (JOIN_MODES as readonly string[]).includes(String(doc.joinMode)) ? (doc.joinMode as JoinMode) : "free";
  const ical = String(doc["ical:status"] ?? "").toUpperCase();
  const sc = String(doc.eventStatus ?? "");
  const status: EventStatus = ical === "CANCELLED" || /EventCancelled$/.test(sc) ? "cancelled"
    : ical === "TENTATIVE" || /EventPostponed$/.test(sc) ? "postponed" : "scheduled";
  const location = [doc.location].flat().find((l) => l && typeof l === "object" && (l as { type?: unknown }).type === "Place") as Record<string, unknown> | undefined;
  const address = location?.address && typeof location.address === "object" ? location.address as Record<string, unknown> : null;
  const ext = doc.rucheEvent && typeof doc.rucheEvent === "object" ? doc.rucheEvent as Record<string, unknown> : {};
  const lat = typeof location?.latitude === "number" && Math.abs(location.latitude) <= 90 ? location.latitude : null;
  const lon = typeof location?.longitude === "number" && Math.abs(location.longitude) <= 180 ? location.longitude : null;
  return {
    title, startsAt, endsAt, timezone: zone && isTimeZone(zone) ? zone : "UTC", allDay: ext.allDay === true,
    place: location ? {
      name: text(location.name, 200),
      address: address ? [address.streetAddress, address.postalCode, address.addressLocality, address.addressCountry].map((x) => text(x, 200)).filter(Boolean).join(", ").slice(0, 500) : "",
      latitude: lat, longitude: lon,
    } : null,
    onlineUrl: httpUrl(ext.onlineUrl), capacity: int(doc.maximumAttendeeCapacity, 1_000_000) || null, joinMode,
    externalUrl: httpUrl(doc.externalParticipationUrl), status,
    participantsCount: int(doc.participantCount, 1_000_000) ?? 0, waitlistCount: int(ext.waitlistCount, 1_000_000) ?? 0,
  };
}
