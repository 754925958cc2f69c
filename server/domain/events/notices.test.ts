// Who hears what of an event (issue #12), on a real PostgreSQL: the organiser hears a request and an answer, the
// invitee the invitation, the accepted and the promoted their place, everyone who answered the cancellation; the
// reminder goes out once an hour before an occurrence, to those going or maybe, and again for the next occurrence of
// a weekly committee — never for a cancelled occurrence.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/db.ts";
import { createLocalUser, type LocalUser } from "../accounts/accounts.ts";
import { localViewer } from "../audience/visibility.ts";
import { changeOccurrence, createEvent, type EventInput, setStatus, updateEvent } from "./events.ts";
import { DomainError } from "../errors.ts";
import { answer, decide, inviteToEvent, leave } from "./participation.ts";
import { sendDueReminders } from "./notices.ts";

const ORIGIN = "https://lyon.example";
const HOUR = 3_600_000, DAY = 24 * HOUR;

describe("event notifications", () => {
  let db: TestDatabase;
  let org: LocalUser, people: LocalUser[];
  beforeAll(async () => {
    db = await createTestDatabase();
    org = await createLocalUser(db.sql, ORIGIN, { username: "org" });
    people = await Promise.all(Array.from({ length: 4 }, (_, i) => createLocalUser(db.sql, ORIGIN, { username: `p${i}` })));
  });
  afterAll(async () => db?.drop());

  const make = (over: Partial<EventInput> = {}) => createEvent(db.sql, ORIGIN, org.account.id, {
    title: "Comité projet", startAt: new Date(Date.now() + 7 * DAY).toISOString(), endAt: new Date(Date.now() + 7 * DAY + HOUR).toISOString(),
    timezone: "Europe/Paris", visibility: "internal", ...over,
  });
  const rsvp = (postId: string, u: LocalUser, status: "going" | "maybe" | "not_going" = "going") =>
    answer(db.sql, ORIGIN, { postId, accountId: u.account.id, status, viewer: localViewer(u.account.id) });
  /** The notifications `u` has about this event, as "type from". */
  const heard = async (u: LocalUser, postId: string) => (await db.sql`SELECT n.type, a.username FROM notifications n
    JOIN accounts a ON a.id = n.from_account_id WHERE n.account_id = ${u.account.id} AND n.post_id = ${postId} ORDER BY n.id`)
    .map((r) => `${r.type} ${r.username}`);

  it("tells the organiser of requests and answers, and each person of their invitation, place or the cancellation", async () => {
    const [a, b, c, d] = people;
    const restricted = await make({ joinMode: "restricted", capacity: 1 });
    expect(await rsvp(restricted.postId, a)).toEqual({ status: "pending" });
    expect(await rsvp(restricted.postId, b)).toEqual({ status: "pending" });
    expect(await heard(org, restricted.postId)).toEqual(["ruche.event_request p0", "ruche.event_request p1"]);
    // Accepted: a gets the place; b, accepted when it is full, is wait-listed (no place to announce yet).
    expect(await decide(db.sql, restricted.postId, org.account.id, a.account.id, "accept", localViewer(org.account.id))).toEqual({ status: "going" });
    expect(await decide(db.sql, restricted.postId, org.account.id, b.account.id, "accept", localViewer(org.account.id))).toEqual({ status: "waitlisted" });
    expect(await heard(a, restricted.postId)).toEqual(["ruche.event_place org"]);
    expect(await heard(b, restricted.postId)).toEqual([]);
    // a leaves: b is promoted and hears it.
    await leave(db.sql, ORIGIN, restricted.postId, a.account.id, localViewer(a.account.id));
    expect(await heard(b, restricted.postId)).toEqual(["ruche.event_place org"]);

    const open = await make();
    await rsvp(open.postId, c, "maybe");
    expect(await heard(org, open.postId)).toEqual(["ruche.event_participation p2"]);
    await rsvp(open.postId, d, "not_going");
    expect(await heard(org, open.postId)).toEqual(["ruche.event_participation p2"]); // not going: nothing to hear

    const invitation = await make({ joinMode: "invite" });
    await inviteToEvent(db.sql, invitation.postId, org.account.id, [d.account.id], localViewer(org.account.id));
    await inviteToEvent(db.sql, invitation.postId, org.account.id, [d.account.id], localViewer(org.account.id)); // again: once
    expect(await heard(d, invitation.postId)).toEqual(["ruche.event_invitation org"]);

    await setStatus(db.sql, open.postId, org.account.id, "cancelled");
    await setStatus(db.sql, open.postId, org.account.id, "cancelled");
    expect(await heard(c, open.postId)).toEqual(["ruche.event_cancelled org"]);
    expect(await heard(d, open.postId)).toEqual([]); // answered "not going"
  });

  it("lets an organiser change the details: those who answered hear of a new time or place, the old text is kept", async () => {
    const [a, b, c] = people;
    const e = await make({ description: "Ordre du jour : budget", capacity: 5, place: { name: "Salle 1", address: "" } });
    await rsvp(e.postId, a);
    await rsvp(e.postId, b);
    await rsvp(e.postId, c, "not_going");
    const refused = async (p: Promise<unknown>) => p.then(() => null, (err) => (err instanceof DomainError ? `${err.status} ${err.message}` : Promise.reject(err)));
    expect(await refused(updateEvent(db.sql, e.postId, a.account.id, { title: "Pris en main" }))).toBe("403 only the event's organisers may do this");
    expect(await refused(updateEvent(db.sql, e.postId, org.account.id, { capacity: 1 }))).toBe("422 capacity: 2 people are already going");
    expect(await refused(updateEvent(db.sql, e.postId, org.account.id, { endAt: new Date(Date.now()).toISOString() })))
      .toBe("422 end_at: must not be before the start");
    // A new title tells nobody; a new place tells those going (not the one who said no).
    const renamed = await updateEvent(db.sql, e.postId, org.account.id, { title: "Comité budget", description: "Ordre du jour : **budget 2027**" });
    expect(renamed).toMatchObject({ title: "Comité budget", capacity: 5, place: { name: "Salle 1" } });
    expect(await heard(a, e.postId)).toEqual([]);
    const moved = await updateEvent(db.sql, e.postId, org.account.id, { place: { name: "Salle 2", address: "3 rue de la Paix" } });
    expect(moved.place).toMatchObject({ name: "Salle 2", address: "3 rue de la Paix" });
    expect(await heard(a, e.postId)).toEqual(["ruche.event_changed org"]);
    expect(await heard(b, e.postId)).toEqual(["ruche.event_changed org"]);
    expect(await heard(c, e.postId)).toEqual([]);
    const [post] = await db.sql`SELECT content_html, edited_at FROM posts WHERE id = ${e.postId}`;
    expect(post.content_html).toContain("<strong>budget 2027</strong>");
    expect(post.edited_at).not.toBeNull();
    const history = await db.sql`SELECT content_html FROM post_edits WHERE post_id = ${e.postId} ORDER BY id`;
    expect(history.map((h) => h.content_html)).toEqual(["<p>Ordre du jour : budget</p>\n", expect.stringContaining("budget 2027")]);
  });

  it("reminds those going or maybe an hour before each occurrence, once, and not of a cancelled one", async () => {
    const [a, b, c] = people;
    const start = Math.ceil((Date.now() + 30 * 60_000) / 60_000) * 60_000; // in about half an hour, on the minute (rules count in seconds)
    const meeting = await make({ startAt: new Date(start).toISOString(), endAt: new Date(start + HOUR).toISOString() });
    const weekly = await make({ startAt: new Date(start + 10 * 60_000).toISOString(), endAt: new Date(start + 70 * 60_000).toISOString(),
      rrule: "FREQ=WEEKLY;COUNT=5" });
    await rsvp(meeting.postId, a);
    await rsvp(meeting.postId, b, "maybe");
    await rsvp(meeting.postId, c, "not_going");
    await rsvp(weekly.postId, a);
    await rsvp(weekly.postId, org); // the organiser attends their own committee: reminded too

    // Two hours before: nothing is due yet.
    expect(await sendDueReminders(db.sql, start - 2 * HOUR)).toBe(0);
    expect(await sendDueReminders(db.sql, Date.now())).toBe(4);
    expect(await sendDueReminders(db.sql, Date.now() + 60_000)).toBe(0); // the next look: already sent
    expect(await heard(a, meeting.postId)).toEqual(["ruche.event_reminder org"]);
    expect(await heard(b, meeting.postId)).toEqual(["ruche.event_reminder org"]);
    expect(await heard(c, meeting.postId)).toEqual([]);
    expect(await heard(org, weekly.postId)).toContain("ruche.event_reminder org");

    // A week later the committee's second occurrence is reminded (the first reminder is replaced by it); the third,
    // cancelled, is not.
    const second = Date.now() + 7 * DAY;
    expect(await sendDueReminders(db.sql, second)).toBe(2);
    const [row] = await db.sql`SELECT count(*)::int AS n FROM notifications WHERE account_id = ${a.account.id}
      AND post_id = ${weekly.postId} AND type = 'ruche.event_reminder'`;
    expect(row.n).toBe(1);
    await changeOccurrence(db.sql, weekly.postId, org.account.id, { originalStart: new Date(start + 10 * 60_000 + 14 * DAY), cancelled: true });
    expect(await sendDueReminders(db.sql, Date.now() + 14 * DAY)).toBe(0);
    expect(await sendDueReminders(db.sql, Date.now() + 21 * DAY)).toBe(2);
  });
});
