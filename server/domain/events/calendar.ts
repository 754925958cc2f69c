// Calendars (issue #12 point 3): the occurrences of the events a person may see in a window — everyone's agenda
// (every event they may read), a group's, or their own (events they organise or answered) — with recurring
// events expanded (recurrence.ts). The audience rule decides what is listed (visibleTo), as for posts.
//
//   agenda(db, viewer, { from, to, mine?, groupId?, limit? }) → AgendaItem[] in start order
//   occurrenceChanges(db, postIds)                           → the moved and cancelled occurrences
import type { Db } from "../../db/pool.ts";
import { type Viewer, viewerAccountId, visibleTo } from "../audience/visibility.ts";
import { DomainError } from "../errors.ts";
import { type EventView, loadEvents } from "./event-views.ts";
import { expandOccurrences, type Occurrence, type OccurrenceChange } from "./recurrence.ts";

export interface AgendaItem { event: EventView; occurrence: Occurrence }

/** The longest window one agenda request may cover (a year: a feed, a list view). */
export const MAX_WINDOW_DAYS = 400;

export async function occurrenceChanges(db: Db, postIds: string[]): Promise<Map<string, OccurrenceChange[]>> {
  const out = new Map<string, OccurrenceChange[]>();
  if (postIds.length === 0) return out;
  const rows = await db`SELECT post_id::text, original_start, starts_at, ends_at, cancelled FROM event_occurrence_changes
    WHERE post_id = ANY(${postIds}::bigint[])`;
  for (const r of rows) {
    const list = out.get(r.post_id) ?? [];
    list.push({ originalStart: r.original_start, startsAt: r.starts_at ?? null, endsAt: r.ends_at ?? null, cancelled: r.cancelled });
    out.set(r.post_id, list);
  }
  return out;
}

export async function agenda(db: Db, viewer: Viewer, opts: { from: Date; to: Date; mine?: boolean; groupId?: string; limit?: number }): Promise<AgendaItem[]> {
  const { from, to } = opts;
  if (!(to > from)) throw new DomainError("validation_failed", 422, "to: must be after from", "to");
  if (to.getTime() - from.getTime() > MAX_WINDOW_DAYS * 86_400_000) {
    throw new DomainError("validation_failed", 422, `to: a calendar covers at most ${MAX_WINDOW_DAYS} days`, "to");
  }
  const me = viewerAccountId(viewer);
  const limit = Math.min(Math.max(opts.limit ?? 500, 1), 2_000);
  // Single events overlapping the window (by their time range, events_span_idx); recurring ones started before its
  // end (expanded below); and those with an occurrence moved into it, from outside their rule's span.
  const rows = await db`WITH candidates AS (
        SELECT post_id FROM events WHERE rrule IS NULL AND tstzrange(starts_at, ends_at, '[]') && tstzrange(${from}, ${to}, '()')
        UNION SELECT post_id FROM events WHERE rrule IS NOT NULL AND starts_at < ${to}
        UNION SELECT post_id FROM event_occurrence_changes WHERE starts_at < ${to} AND ends_at > ${from})
    SELECT e.post_id::text FROM candidates c JOIN events e ON e.post_id = c.post_id JOIN posts p ON p.id = e.post_id
    WHERE true ${opts.groupId ? db`AND p.group_id = ${opts.groupId}` : db``}
      ${opts.mine && me ? db`AND (p.account_id = ${me} OR EXISTS (SELECT 1 FROM event_participants ep
          WHERE ep.post_id = e.post_id AND ep.account_id = ${me} AND ep.status IN ('going', 'maybe', 'pending', 'waitlisted')))` : db``}
      AND ${visibleTo(db, viewer)}
    ORDER BY e.starts_at LIMIT ${limit}`;
  const ids = rows.map((r) => r.post_id as string);
  const [events, changes] = await Promise.all([loadEvents(db, ids), occurrenceChanges(db, ids)]);
  const out: AgendaItem[] = [];
  for (const id of ids) {
    const event = events.get(id);
    if (!event) continue;
    for (const occurrence of expandOccurrences(event, changes.get(id) ?? [], from, to)) out.push({ event, occurrence });
  }
  return out.sort((a, b) => a.occurrence.startsAt.getTime() - b.occurrence.startsAt.getTime()).slice(0, limit);
}

/**
 * One event as calendar items: itself, or a recurring event's occurrences from a month ago to a year ahead (its
 * .ics download).
 */
export async function eventItems(db: Db, viewer: Viewer, event: EventView): Promise<AgendaItem[]> {
  if (!event.rrule) return [{ event, occurrence: { originalStart: event.startsAt, startsAt: event.startsAt, endsAt: event.endsAt, moved: false } }];
  const from = new Date(Math.max(event.startsAt.getTime(), Date.now() - 31 * 86_400_000));
  const changes = (await occurrenceChanges(db, [event.postId])).get(event.postId) ?? [];
  return expandOccurrences(event, changes, from, new Date(from.getTime() + 365 * 86_400_000)).map((occurrence) => ({ event, occurrence }));
}
