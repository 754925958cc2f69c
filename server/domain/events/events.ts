// Events (issue #12): a town hall, a project committee, a training. An event belongs to its post (same id, written in
// the post's transaction, as a poll is): it takes the post's audience — a scope, or a group's audience — through the
// one audience rule (visibleTo), so every read path that shows the post shows the event to exactly its readers. The
// post's content is the event's description (Markdown, server/domain/markdown.ts); Mastodon apps see the post.
//
//   EVENT_LIMITS / eventInputSchema   what an event may be (zone checked, end not before start, rule bounded)
//   createEvent(sql, origin, authorId, input) → EventView (the post federates as Create(Event))
//   loadEvents(db, postIds)           → Map<postId, EventView> (post-views.ts hydrates PostView.event with it)
//   findEvent(db, postId, viewer)     → EventView | null, only when the viewer may read the post
//   isOrganiser(db, event, accountId) the author, a named organiser, or a moderator of the event's group
//   setStatus(sql, postId, organiserId, status) cancel or postpone (Update(Event) to every copy)
// Answers: participation.ts. Remote events: events-remote.ts. Recurrence: recurrence.ts. Calendars: ics.ts.
import { z } from "zod";
import { atomically, type Db, type Sql } from "../../db/pool.ts";
import { canRead, localViewer, type Viewer, VISIBILITIES } from "../audience/visibility.ts";
import { DomainError } from "../errors.ts";
import { renderMarkdown } from "../markdown.ts";
import { htmlToText } from "../posts/html.ts";
import { createPost, keepPreviousVersion } from "../posts/posts.ts";
import { enqueueOutbox } from "../outbox.ts";
import { tellParticipants } from "./notices.ts";
import { checkRule, expandOccurrences } from "./recurrence.ts";
import { type EventStatus, type EventView, type JoinMode, loadEvents } from "./event-views.ts";

export type { EventPlace, EventStatus, EventView, JoinMode } from "./event-views.ts";

export const JOIN_MODES = ["free", "restricted", "invite", "external"] as const satisfies readonly JoinMode[];

export const EVENT_STATUSES = ["scheduled", "cancelled", "postponed"] as const satisfies readonly EventStatus[];


export const EVENT_LIMITS = { title: 200, description: 10_000, capacity: 100_000, maxDurationDays: 366 } as const;

/** Is `zone` an IANA time zone this runtime knows? ("Europe/Paris" yes, "Mars/Olympus" no.) */
export function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*$/.test(zone) && zone !== "UTC") return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const httpUrl = z.string().trim().max(2_000).url("must be a URL").refine((u) => /^https?:\/\//i.test(u), "must be an http(s) URL");
/** ISO 8601 with an offset or Z ("2027-03-10T10:00:00+01:00"): an instant, whatever the zone it is written in. */
const instant = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/, "must be an ISO 8601 date and time with its offset")
  .transform((s) => new Date(s)).refine((d) => !Number.isNaN(d.getTime()), "is not a valid date");

export const eventInputSchema = z.object({
  title: z.string().trim().min(1, "must not be blank").max(EVENT_LIMITS.title, `at most ${EVENT_LIMITS.title} characters`),
  description: z.string().max(EVENT_LIMITS.description, `at most ${EVENT_LIMITS.description} characters`).default(""),
  startAt: instant,
  endAt: instant,
  timezone: z.string().refine(isTimeZone, "is not a known IANA time zone (e.g. Europe/Paris)"),
  allDay: z.boolean().default(false),
  place: z.object({
    name: z.string().trim().max(200).default(""),
    address: z.string().trim().max(500).default(""),
    latitude: z.number().min(-90).max(90).nullable().optional(),
    longitude: z.number().min(-180).max(180).nullable().optional(),
  }).nullable().optional(),
  onlineUrl: httpUrl.nullable().optional(),
  capacity: z.number().int("must be a whole number").positive("must be at least 1").max(EVENT_LIMITS.capacity).nullable().optional(),
  joinMode: z.enum(JOIN_MODES, { message: "must be one of free, restricted, invite or external" }).default("free"),
  externalUrl: httpUrl.nullable().optional(),
  visibility: z.enum(VISIBILITIES).default("internal"),
  groupId: z.string().regex(/^\d{1,18}$/, "must be an id").nullable().optional(),
  rrule: z.string().trim().max(500).nullable().optional(),
  language: z.string().regex(/^[a-z]{2,3}$/).nullable().optional(),
}).superRefine((e, ctx) => {
  // (Runs even when a date failed to parse: then there is nothing to compare.)
  if (!(e.startAt instanceof Date) || !(e.endAt instanceof Date)) return;
  if (e.endAt.getTime() < e.startAt.getTime()) ctx.addIssue({ code: "custom", path: ["endAt"], message: "must not be before the start" });
  if (e.endAt.getTime() - e.startAt.getTime() > EVENT_LIMITS.maxDurationDays * 86_400_000) {
    ctx.addIssue({ code: "custom", path: ["endAt"], message: `an event lasts at most ${EVENT_LIMITS.maxDurationDays} days` });
  }
  if (e.joinMode === "external" && !e.externalUrl) ctx.addIssue({ code: "custom", path: ["externalUrl"], message: "an external join mode needs its link" });
});
export type EventInput = z.input<typeof eventInputSchema>;

/** Field names of the domain input → what the API calls them (errors name what the client sent). */
const API_FIELDS: Record<string, string> = {
  startAt: "start_at", endAt: "end_at", allDay: "all_day", onlineUrl: "online_url", joinMode: "join_mode", externalUrl: "external_url", groupId: "group_id",
};

export function parseEventInput(input: EventInput): z.output<typeof eventInputSchema> {
  const parsed = eventInputSchema.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    const field = API_FIELDS[String(i.path[0])] ?? String(i.path[0]);
    throw new DomainError("validation_failed", 422, `${field}: ${i.message}`, field);
  }
  if (parsed.data.rrule) checkRule(parsed.data.rrule, parsed.data.startAt, parsed.data.timezone);
  return parsed.data;
}

/** The page of an event (its post's `url`), also what resolve?url= and Mastodon apps link to. */
export function eventUrl(origin: string, postId: string): string {
  return `${origin}/events/${postId}`;
}

export async function createEvent(sql: Sql, origin: string, authorId: string, input: EventInput): Promise<EventView> {
  const e = parseEventInput(input);
  const html = renderMarkdown(e.description);
  // The post carries the event: its text is the description (or the title when there is none), its audience the
  // event's. The event row is written in the post's transaction, before the Create job can read it.
  const post = await createPost(sql, origin, authorId, {
    text: e.description.trim() || e.title, sourceType: "text/markdown", visibility: e.visibility, groupId: e.groupId ?? null,
    language: e.language ?? null,
  }, {
    attach: async (tx, postId) => {
      await tx`UPDATE posts SET url = ${eventUrl(origin, postId)},
          content_html = ${html || `<p>${escapeText(e.title)}</p>`}, content_text = ${htmlToText(html) || e.title}
        WHERE id = ${postId}`;
      await tx`INSERT INTO events (post_id, title, description, starts_at, ends_at, timezone, all_day, place_name, place_address,
          latitude, longitude, online_url, capacity, join_mode, external_url, rrule)
        VALUES (${postId}, ${e.title}, ${e.description}, ${e.startAt}, ${e.endAt}, ${e.timezone}, ${e.allDay},
          ${e.place?.name || null}, ${e.place?.address || null}, ${e.place?.latitude ?? null}, ${e.place?.longitude ?? null},
          ${e.onlineUrl ?? null}, ${e.capacity ?? null}, ${e.joinMode}, ${e.externalUrl ?? null}, ${e.rrule ?? null})`;
    },
  });
  return (await findEvent(sql, post.id, localViewer(authorId)))!;
}

function escapeText(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The event, if `viewer` may read its post (the one audience rule); else null, as if it did not exist. */
export async function findEvent(db: Db, postId: string, viewer: Viewer): Promise<EventView | null> {
  if (!/^\d{1,18}$/.test(postId) || !(await canRead(db, viewer, postId))) return null;
  return (await loadEvents(db, [postId])).get(postId) ?? null;
}

/** The event a post IRI or page URL names, as this instance holds it (no fetch; events-remote resolves). */
export async function eventIdByUrl(db: Db, url: string): Promise<string | null> {
  const [r] = await db`SELECT p.id::text FROM posts p JOIN events e ON e.post_id = p.id WHERE p.iri = ${url} OR p.url = ${url} LIMIT 1`;
  return r ? (r.id as string) : null;
}

/** Organisers: the author, people named as organisers, and the owner and moderators of the event's group. */
export async function isOrganiser(db: Db, event: Pick<EventView, "postId" | "authorId" | "groupId">, accountId: string): Promise<boolean> {
  if (event.authorId === accountId) return true;
  const [r] = await db`SELECT EXISTS (SELECT 1 FROM event_organisers WHERE post_id = ${event.postId} AND account_id = ${accountId})
      OR EXISTS (SELECT 1 FROM group_roles WHERE group_id = ${event.groupId ?? "0"} AND account_id = ${accountId}) AS yes`;
  return r.yes as boolean;
}

/** What an edit may change: everything but the audience (a scope or a group, fixed with the post). */
export type EventPatch = Partial<Omit<EventInput, "visibility" | "groupId">>;

/**
 * An organiser changes a local event's details. The whole event is checked again as at creation; its capacity may
 * not fall below the people already going. The previous description joins the post's history, every copy hears
 * an Update(Event), and those who answered hear of a new time or place.
 */
export async function updateEvent(sql: Sql, postId: string, editorId: string, patch: EventPatch): Promise<EventView> {
  await atomically(sql, async (tx) => {
    const [locked] = await tx`SELECT post_id FROM events WHERE post_id = ${/^\d{1,18}$/.test(postId) ? postId : "0"} FOR UPDATE`;
    const event = locked && await findEvent(tx, postId, localViewer(editorId));
    if (!event) throw new DomainError("not_found", 404, "no such event");
    if (!event.local) throw new DomainError("not_local", 422, "this event is managed on its own instance");
    if (!(await isOrganiser(tx, event, editorId))) throw new DomainError("forbidden", 403, "only the event's organisers may do this");
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const e = parseEventInput({
      title: event.title, description: event.description, startAt: event.startsAt.toISOString(), endAt: event.endsAt.toISOString(),
      timezone: event.timezone, allDay: event.allDay, place: event.place, onlineUrl: event.onlineUrl, capacity: event.capacity,
      joinMode: event.joinMode, externalUrl: event.externalUrl, rrule: event.rrule, ...defined,
    });
    if (e.capacity != null && e.capacity < event.participantsCount) {
      throw new DomainError("validation_failed", 422, `capacity: ${event.participantsCount} people are already going`, "capacity");
    }
    const html = renderMarkdown(e.description);
    await keepPreviousVersion(tx, postId);
    await tx`UPDATE posts SET source = ${e.description.trim() || e.title}, content_html = ${html || `<p>${escapeText(e.title)}</p>`},
        content_text = ${htmlToText(html) || e.title}, edited_at = now() WHERE id = ${postId}`;
    await tx`UPDATE events SET title = ${e.title}, description = ${e.description}, starts_at = ${e.startAt}, ends_at = ${e.endAt},
        timezone = ${e.timezone}, all_day = ${e.allDay}, place_name = ${e.place?.name || null}, place_address = ${e.place?.address || null},
        latitude = ${e.place?.latitude ?? null}, longitude = ${e.place?.longitude ?? null}, online_url = ${e.onlineUrl ?? null},
        capacity = ${e.capacity ?? null}, join_mode = ${e.joinMode}, external_url = ${e.externalUrl ?? null}, rrule = ${e.rrule ?? null}
      WHERE post_id = ${postId}`;
    if (timeOrPlaceChanged(event, { startsAt: e.startAt, endsAt: e.endAt, rrule: e.rrule ?? null, placeName: e.place?.name || null,
      placeAddress: e.place?.address || null, onlineUrl: e.onlineUrl ?? null })) {
      await tellParticipants(tx, postId, editorId, "ruche.event_changed", ["going", "maybe", "waitlisted", "pending"]);
    }
    await enqueueOutbox(tx, { kind: "update-note", postId });
  });
  return (await findEvent(sql, postId, localViewer(editorId)))!;
}

/** Did the time or the place change (what someone going must hear of)? Also for a remote event's Update. */
export function timeOrPlaceChanged(before: Pick<EventView, "startsAt" | "endsAt" | "rrule" | "place" | "onlineUrl">,
  after: { startsAt: Date; endsAt: Date; rrule: string | null; placeName: string | null; placeAddress: string | null; onlineUrl: string | null }): boolean {
  return before.startsAt.getTime() !== after.startsAt.getTime() || before.endsAt.getTime() !== after.endsAt.getTime()
    || (before.rrule ?? null) !== after.rrule || (before.place?.name || null) !== after.placeName
    || (before.place?.address || null) !== after.placeAddress || (before.onlineUrl ?? null) !== after.onlineUrl;
}

/** Cancels or postpones (or re-schedules) a local event; every copy hears it through Update(Event). */
export async function setStatus(sql: Sql, postId: string, organiserId: string, status: EventStatus): Promise<EventView> {
  await atomically(sql, async (tx) => {
    const event = await findEvent(tx, postId, localViewer(organiserId));
    if (!event) throw new DomainError("not_found", 404, "no such event");
    if (!event.local) throw new DomainError("not_local", 422, "this event is managed on its own instance");
    if (!(await isOrganiser(tx, event, organiserId))) throw new DomainError("forbidden", 403, "only the event's organisers may do this");
    const [was] = await tx`SELECT status FROM events WHERE post_id = ${postId}`;
    await tx`UPDATE events SET status = ${status} WHERE post_id = ${postId}`;
    if (status === "cancelled" && was.status !== "cancelled") {
      await tellParticipants(tx, postId, organiserId, "ruche.event_cancelled", ["going", "maybe", "waitlisted", "pending"]);
    }
    await enqueueOutbox(tx, { kind: "update-note", postId });
  });
  return (await findEvent(sql, postId, localViewer(organiserId)))!;
}

/**
 * An organiser moves one occurrence of a recurring event (new start and end) or cancels it, by its original start;
 * it must be an occurrence the rule gives. Every copy hears it through Update(Event).
 */
export async function changeOccurrence(sql: Sql, postId: string, organiserId: string,
  change: { originalStart: Date; startsAt?: Date | null; endsAt?: Date | null; cancelled?: boolean }): Promise<void> {
  await atomically(sql, async (tx) => {
    const event = await findEvent(tx, postId, localViewer(organiserId));
    if (!event) throw new DomainError("not_found", 404, "no such event");
    if (!event.local) throw new DomainError("not_local", 422, "this event is managed on its own instance");
    if (!(await isOrganiser(tx, event, organiserId))) throw new DomainError("forbidden", 403, "only the event's organisers may do this");
    if (!event.rrule) throw new DomainError("validation_failed", 422, "original_start: this event does not recur", "original_start");
    const at = change.originalStart;
    const found = expandOccurrences({ ...event, rrule: event.rrule }, [], new Date(at.getTime() - 1), new Date(at.getTime() + 1))
      .some((o) => o.originalStart.getTime() === at.getTime());
    if (!found) throw new DomainError("validation_failed", 422, "original_start: no occurrence of this event starts then", "original_start");
    const cancelled = change.cancelled === true;
    if (!cancelled && (!change.startsAt || !change.endsAt || change.endsAt < change.startsAt)) {
      throw new DomainError("validation_failed", 422, "end_at: a moved occurrence needs a start and an end not before it", "end_at");
    }
    await tx`INSERT INTO event_occurrence_changes (post_id, original_start, starts_at, ends_at, cancelled)
      VALUES (${postId}, ${at}, ${cancelled ? null : change.startsAt!}, ${cancelled ? null : change.endsAt!}, ${cancelled})
      ON CONFLICT (post_id, original_start) DO UPDATE SET starts_at = excluded.starts_at, ends_at = excluded.ends_at, cancelled = excluded.cancelled`;
    await enqueueOutbox(tx, { kind: "update-note", postId });
  });
}
