// Reading events: one hydrated shape (EventView) for the API, the pages, the calendars and the ActivityPub mapper,
// loaded for a page of posts at once (post-views.ts hydrates PostView.event with it). No visibility check here:
// callers load posts through visibleTo first (events.ts findEvent does).
import type { Db } from "../../db/pool.ts";

export type JoinMode = "free" | "restricted" | "invite" | "external";
export type EventStatus = "scheduled" | "cancelled" | "postponed";

export interface EventPlace { name: string; address: string; latitude: number | null; longitude: number | null }

export interface EventView {
  postId: string;
  local: boolean;
  title: string;
  description: string;
  startsAt: Date;
  endsAt: Date;
  timezone: string;
  allDay: boolean;
  place: EventPlace | null;
  onlineUrl: string | null;
  capacity: number | null;
  joinMode: JoinMode;
  externalUrl: string | null;
  status: EventStatus;
  rrule: string | null;
  /** Going (local events: counted from the answers; remote ones: as their home publishes). */
  participantsCount: number;
  waitlistCount: number;
  /** The post: author, IRI, page, scope (for the API and the mappers, without loading the whole post). */
  authorId: string;
  iri: string;
  url: string | null;
  groupId: string | null;
}

function toEvent(r: Record<string, unknown>): EventView {
  const hasPlace = r.place_name != null || r.place_address != null || r.latitude != null;
  return {
    postId: r.post_id as string, local: r.local as boolean, title: r.title as string, description: r.description as string,
    startsAt: r.starts_at as Date, endsAt: r.ends_at as Date, timezone: r.timezone as string, allDay: r.all_day as boolean,
    place: hasPlace ? {
      name: (r.place_name as string) ?? "", address: (r.place_address as string) ?? "",
      latitude: (r.latitude as number) ?? null, longitude: (r.longitude as number) ?? null,
    } : null,
    onlineUrl: (r.online_url as string) ?? null, capacity: (r.capacity as number) ?? null, joinMode: r.join_mode as JoinMode,
    externalUrl: (r.external_url as string) ?? null, status: r.status as EventStatus, rrule: (r.rrule as string) ?? null,
    participantsCount: r.going as number, waitlistCount: r.waiting as number,
    authorId: r.account_id as string, iri: r.iri as string, url: (r.url as string) ?? null, groupId: (r.group_id as string) ?? null,
  };
}

/** The events of these posts (no visibility check: callers load posts through visibleTo first). */
export async function loadEvents(db: Db, postIds: string[]): Promise<Map<string, EventView>> {
  if (postIds.length === 0) return new Map();
  const rows = await db`SELECT e.post_id::text, p.local, e.title, e.description, e.starts_at, e.ends_at, e.timezone, e.all_day,
      e.place_name, e.place_address, e.latitude, e.longitude, e.online_url, e.capacity, e.join_mode, e.external_url, e.status, e.rrule,
      p.account_id::text, p.iri, p.url, p.group_id::text,
      CASE WHEN p.local THEN coalesce(n.going, 0) ELSE e.participants_count END AS going,
      CASE WHEN p.local THEN coalesce(n.waiting, 0) ELSE e.waitlist_count END AS waiting
    FROM events e JOIN posts p ON p.id = e.post_id
    -- One pass over the page's answers for the counts (a per-event subquery cost a month view ~30 ms).
    LEFT JOIN (SELECT post_id, (count(*) FILTER (WHERE status = 'going'))::int AS going, (count(*) FILTER (WHERE status = 'waitlisted'))::int AS waiting
      FROM event_participants WHERE post_id = ANY(${postIds}::bigint[]) GROUP BY post_id) n ON n.post_id = e.post_id
    WHERE e.post_id = ANY(${postIds}::bigint[])`;
  return new Map(rows.map((r) => [r.post_id as string, toEvent(r)]));
}

