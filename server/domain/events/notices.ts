// Who hears what of an event (issue #12 points 2–4), through the one notify() (quiet time, mutes, blocks and Web
// Push apply as to every notification; remote people hear it from their own server):
//
// - organisers (the author and named organisers): an answer to their event (`ruche.event_participation`), a request
//   to take part in restricted mode (`ruche.event_request`);
// - a participant: a place given — accepted by an organiser, or promoted from the waiting list (`ruche.event_place`);
// - an invitee: the invitation (`ruche.event_invitation`);
// - everyone who answered: the event's cancellation (`ruche.event_cancelled`), and those going or maybe, an hour
//   before each occurrence (`ruche.event_reminder`, once per occurrence: event_reminders).
//
//   tellOrganisers(db, postId, fromId, type)         tellParticipants(db, postId, fromId, type, statuses)
//   sendDueReminders(db, now) → reminders written (the event-reminders job, every few minutes)
import { atomically, type Db } from "../../db/pool.ts";
import { notify, type NotificationType } from "../notifications/notifications.ts";
import { occurrenceChanges } from "./calendar.ts";
import { expandOccurrences } from "./recurrence.ts";

/** How long before an occurrence its reminder goes out, and how often the event-reminders job looks. */
export const REMINDER_LEAD_MS = 3_600_000;
export const REMINDERS_EVERY_MS = 5 * 60_000;

/** The author and the named organisers of an event (local ones are notified; notify() skips the others). */
async function organisers(db: Db, postId: string): Promise<string[]> {
  const rows = await db`SELECT account_id::text AS id FROM posts WHERE id = ${postId}
    UNION SELECT account_id::text FROM event_organisers WHERE post_id = ${postId}`;
  return rows.map((r) => r.id as string);
}

export async function tellOrganisers(db: Db, postId: string, fromId: string,
  type: "ruche.event_participation" | "ruche.event_request"): Promise<void> {
  for (const id of await organisers(db, postId)) await notify(db, { accountId: id, type, fromAccountId: fromId, postId });
}

/** Notifies the event's participants of these statuses (local ones), from `fromId`. */
export async function tellParticipants(db: Db, postId: string, fromId: string, type: NotificationType, statuses: string[]): Promise<number> {
  const rows = await db`SELECT ep.account_id::text AS id FROM event_participants ep JOIN accounts a ON a.id = ep.account_id
    WHERE ep.post_id = ${postId} AND a.domain IS NULL AND ep.status = ANY(${statuses}::text[])`;
  let n = 0;
  for (const r of rows) {
    // A recurring event's reminder replaces the last occurrence's (one notification per kind, sender and post).
    if (type === "ruche.event_reminder") {
      await db`DELETE FROM notifications WHERE account_id = ${r.id} AND type = 'ruche.event_reminder' AND post_id = ${postId}`;
    }
    if (await notify(db, { accountId: r.id, type, fromAccountId: fromId, postId })) n++;
  }
  return n;
}

/**
 * The reminders of the occurrences starting within the next hour that our people go to (maybe or surely), local
 * events and remote ones alike; each occurrence's once. Cancelled events and occurrences have none.
 */
export async function sendDueReminders(db: Db, now: number): Promise<number> {
  const from = new Date(now), to = new Date(now + REMINDER_LEAD_MS);
  const events = await db`SELECT e.post_id::text, e.starts_at, e.ends_at, e.timezone, e.rrule, p.account_id::text AS author_id
    FROM events e JOIN posts p ON p.id = e.post_id
    WHERE e.status = 'scheduled' AND e.starts_at <= ${to} AND (e.rrule IS NOT NULL OR e.starts_at > ${from})
      AND EXISTS (SELECT 1 FROM event_participants ep JOIN accounts a ON a.id = ep.account_id
        WHERE ep.post_id = e.post_id AND a.domain IS NULL AND ep.status IN ('going', 'maybe'))
    LIMIT 5000`;
  if (events.length === 0) return 0;
  const changes = await occurrenceChanges(db, events.map((e) => e.post_id as string));
  let sent = 0;
  for (const e of events) {
    const due = expandOccurrences({ startsAt: e.starts_at, endsAt: e.ends_at, timezone: e.timezone, rrule: e.rrule },
      changes.get(e.post_id) ?? [], from, to).filter((o) => o.startsAt > from && o.startsAt <= to);
    for (const o of due) {
      // The occurrence's mark and its notifications commit together: a crash between them cannot lose the reminder.
      sent += await atomically(db, async (tx) => {
        const [first] = await tx`INSERT INTO event_reminders (post_id, occurrence_start) VALUES (${e.post_id}, ${o.originalStart})
          ON CONFLICT DO NOTHING RETURNING 1`;
        return first ? await tellParticipants(tx, e.post_id, e.author_id, "ruche.event_reminder", ["going", "maybe"]) : 0;
      });
    }
  }
  return sent;
}
