// Events of other instances, as their home publishes them (Create/Update(Event), mapped and bounded by
// federation/mappers/event.ts), and what their home answers to our people's Joins (Accept, Reject).
//
//   storeRemoteEvent(db, postId, input)     with the post (posts-remote.ts), upsert: an Update refreshes it
//   joinAnswered(db, joinIri, organiserId, "accept" | "reject") → boolean (only a Join of ours, answered by the event's author)
import type { Db } from "../../db/pool.ts";
import type { EventPlace, EventStatus, JoinMode } from "./event-views.ts";
import { timeOrPlaceChanged } from "./events.ts";
import { tellParticipants } from "./notices.ts";

export interface RemoteEventInput {
  title: string;
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
  participantsCount: number;
  waitlistCount: number;
}

export async function storeRemoteEvent(db: Db, postId: string, e: RemoteEventInput): Promise<void> {
  const [was] = await db`SELECT e.status, e.starts_at, e.ends_at, e.place_name, e.place_address, e.online_url, p.account_id::text AS author_id
    FROM posts p LEFT JOIN events e ON e.post_id = p.id WHERE p.id = ${postId}`;
  await db`INSERT INTO events (post_id, title, starts_at, ends_at, timezone, all_day, place_name, place_address, latitude, longitude,
      online_url, capacity, join_mode, external_url, status, participants_count, waitlist_count)
    VALUES (${postId}, ${e.title}, ${e.startsAt}, ${e.endsAt}, ${e.timezone}, ${e.allDay}, ${e.place?.name || null}, ${e.place?.address || null},
      ${e.place?.latitude ?? null}, ${e.place?.longitude ?? null}, ${e.onlineUrl}, ${e.capacity}, ${e.joinMode}, ${e.externalUrl}, ${e.status},
      ${e.participantsCount}, ${e.waitlistCount})
    ON CONFLICT (post_id) DO UPDATE SET title = excluded.title, starts_at = excluded.starts_at, ends_at = excluded.ends_at,
      timezone = excluded.timezone, all_day = excluded.all_day, place_name = excluded.place_name, place_address = excluded.place_address,
      latitude = excluded.latitude, longitude = excluded.longitude, online_url = excluded.online_url, capacity = excluded.capacity,
      join_mode = excluded.join_mode, external_url = excluded.external_url, status = excluded.status,
      participants_count = excluded.participants_count, waitlist_count = excluded.waitlist_count`;
  // Our people who answered hear of the cancellation, or of a new time or place, from its organiser, as they would
  // of a local event.
  const answered = ["going", "maybe", "waitlisted", "pending"];
  if (!was?.status) return;
  if (e.status === "cancelled" && was.status !== "cancelled") {
    await tellParticipants(db, postId, was.author_id, "ruche.event_cancelled", answered);
  } else if (e.status !== "cancelled" && timeOrPlaceChanged(
    { startsAt: was.starts_at, endsAt: was.ends_at, rrule: null, place: { name: was.place_name ?? "", address: was.place_address ?? "", latitude: null, longitude: null }, onlineUrl: was.online_url },
    { startsAt: e.startsAt, endsAt: e.endsAt, rrule: null, placeName: e.place?.name || null, placeAddress: e.place?.address || null, onlineUrl: e.onlineUrl },
  )) {
    await tellParticipants(db, postId, was.author_id, "ruche.event_changed", answered);
  }
}

/**
 * The event's home answered one of our people's Joins. Only a pending Join of ours to a remote event, answered by
 * that event's author (the organiser who published it), changes anything: an unsolicited or third-party Accept
 * is ignored (the corpus's case 33, for events).
 */
export async function joinAnswered(db: Db, joinIri: string, answererId: string, verdict: "accept" | "reject"): Promise<boolean> {
  const rows = await db`UPDATE event_participants ep SET status = CASE WHEN ${verdict} = 'accept' THEN ep.asked ELSE 'rejected' END, updated_at = now()
    FROM posts p, accounts a WHERE ep.join_iri = ${joinIri} AND p.id = ep.post_id AND NOT p.local AND p.account_id = ${answererId}
      AND a.id = ep.account_id AND a.domain IS NULL
    RETURNING ep.id`;
  return rows.length > 0;
}
