// Events against a real PostgreSQL: what an event may be (zone, end before start, a rule of millions of
// occurrences), the audience rule (a project's event), every answer rule (capacity under concurrent answers from
// two processes, the waiting list promoted in order, approval, invitations, cancelled and past events), and a
// weekly committee across the end of summer time, expanded and written to ICS and read back by ical.js.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ICAL from "ical.js";
import { createTestDatabase, type TestDatabase } from "../../../test/db.ts";
import { connect, type Sql } from "../../db/pool.ts";
import { createLocalUser, type LocalUser } from "../accounts/accounts.ts";
import { createGroup } from "../groups/groups.ts";
import { localViewer } from "../audience/visibility.ts";
import { loadPost } from "../posts/post-views.ts";
import { jobsOf } from "../../jobs/admin.ts";
import { changeOccurrence, createEvent, type EventInput, findEvent, setStatus } from "./events.ts";
import { answer, decide, inviteToEvent, leave, listParticipants } from "./participation.ts";
import { agenda } from "./calendar.ts";
import { calendarIcs, feedOwner, renewFeedToken } from "./ics.ts";
import { expandOccurrences } from "./recurrence.ts";
import { DomainError } from "../errors.ts";

const ORIGIN = "https://lyon.example";
const DAY = 86_400_000;

describe("events", () => {
  let db: TestDatabase, second: Sql;
  let org: LocalUser, people: LocalUser[], outsider: LocalUser;
  beforeAll(async () => {
    db = await createTestDatabase();
    // A second pool on the same database: another web process of the instance, answering at the same time.
    second = connect(db.url, { max: 5 });
    org = await createLocalUser(db.sql, ORIGIN, { username: "org" });
    people = await Promise.all(Array.from({ length: 10 }, (_, i) => createLocalUser(db.sql, ORIGIN, { username: `p${i}` })));
    outsider = await createLocalUser(db.sql, ORIGIN, { username: "outsider" });
  });
  afterAll(async () => {
    await second?.end();
    await db?.drop();
  });

  const soon = (days: number, hour = 10) => new Date(Date.now() + days * DAY + hour * 3_600_000).toISOString();
  const make = (over: Partial<EventInput> = {}) => createEvent(db.sql, ORIGIN, org.account.id, {
    title: "Comité projet", description: "Ordre du jour : **budget**", startAt: soon(7), endAt: soon(7, 12), timezone: "Europe/Paris",
    visibility: "internal", ...over,
  });
  const as = (u: LocalUser) => localViewer(u.account.id);
  const rsvp = (postId: string, u: LocalUser, status: "going" | "maybe" | "not_going" = "going", pool: Sql = db.sql) =>
    answer(pool, ORIGIN, { postId, accountId: u.account.id, status, viewer: as(u) });
  const refusal = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      if (e instanceof DomainError) return { code: e.code, status: e.status, message: e.message };
      throw e;
    }
    throw new Error("not refused");
  };

  it("refuses an unknown zone, an end before the start, a bad link and a rule of millions of occurrences, storing nothing", async () => {
    const [{ n: before }] = await db.sql`SELECT count(*)::int AS n FROM posts`;
    expect(await refusal(make({ timezone: "Mars/Olympus_Mons" }))).toMatchObject({ status: 422, message: expect.stringMatching(/^timezone: .*IANA/) });
    expect(await refusal(make({ startAt: soon(7, 12), endAt: soon(7, 10) }))).toMatchObject({ status: 422, message: "end_at: must not be before the start" });
    expect(await refusal(make({ startAt: "2027-03-10 10:00" }))).toMatchObject({ status: 422, message: expect.stringMatching(/^start_at: .*offset/) });
    expect(await refusal(make({ onlineUrl: "javascript:alert(1)" }))).toMatchObject({ status: 422, message: expect.stringMatching(/^online_url/) });
    expect(await refusal(make({ capacity: 0 }))).toMatchObject({ status: 422, message: "capacity: must be at least 1" });
    expect(await refusal(make({ rrule: "FREQ=MINUTELY" }))).toMatchObject({ status: 422, message: "rrule: an event repeats at most daily" });
    expect(await refusal(make({ rrule: "FREQ=DAILY;COUNT=5000000" }))).toMatchObject({ status: 422, message: expect.stringMatching(/at most 1000 occurrences/) });
    expect(await refusal(make({ rrule: "FREQ=DAILY;UNTIL=99991231T000000Z" }))).toMatchObject({ status: 422, message: expect.stringMatching(/before UNTIL/) });
    expect(await refusal(make({ rrule: "FREQ=SOMETIMES" }))).toMatchObject({ status: 422, message: expect.stringMatching(/valid FREQ/) });
    const [{ n: after }] = await db.sql`SELECT count(*)::int AS n FROM posts`;
    expect(after).toBe(before);
  });

  it("is a post carrying its event, with its page URL, its Markdown description and its Create queued", async () => {
    const e = await make({ place: { name: "Siège", address: "1 rue X, Lyon" }, capacity: 40 });
    expect(e).toMatchObject({ title: "Comité projet", timezone: "Europe/Paris", capacity: 40, joinMode: "free", url: `${ORIGIN}/events/${e.postId}` });
    const post = await loadPost(db.sql, e.postId, as(org));
    expect(post?.contentHtml).toContain("<strong>budget</strong>");
    expect(post?.event?.place).toMatchObject({ name: "Siège", address: "1 rue X, Lyon" });
    const jobs = await jobsOf(db.sql, "deliver");
    expect(jobs.some((j) => (j.data as { kind: string; postId?: string }).kind === "create-note" && (j.data as { postId: string }).postId === e.postId)).toBe(true);
  });

  it("takes a project's audience: its members see it and answer, nobody else does", async () => {
    const group = await createGroup(db.sql, org.account.id, { name: "projet_x", kind: "project" }, {
      iri: `${ORIGIN}/groups/projet_x`, inbox: `${ORIGIN}/groups/projet_x/inbox`, sharedInbox: `${ORIGIN}/inbox`,
      followers: `${ORIGIN}/groups/projet_x/followers`, url: `${ORIGIN}/groups/projet_x`,
    });
    const e = await make({ groupId: group.account.id });
    expect(await findEvent(db.sql, e.postId, as(org))).not.toBeNull();
    expect(await findEvent(db.sql, e.postId, as(outsider))).toBeNull();
    expect(await refusal(rsvp(e.postId, outsider))).toMatchObject({ status: 404 });
    const [{ visibility }] = await db.sql`SELECT visibility FROM posts WHERE id = ${e.postId}`;
    expect(visibility).toBe("group");
  });

  it("never goes over capacity under concurrent answers from two processes, and promotes the waiting list in order", async () => {
    const e = await make({ capacity: 3 });
    const results = await Promise.all(people.map((p, i) => rsvp(e.postId, p, "going", i % 2 === 0 ? db.sql : second)));
    expect(results.filter((r) => r.status === "going")).toHaveLength(3);
    expect(results.filter((r) => r.status === "waitlisted")).toHaveLength(7);
    const [{ n }] = await db.sql`SELECT count(*)::int AS n FROM event_participants WHERE post_id = ${e.postId} AND status = 'going'`;
    expect(n).toBe(3);
    // A repeated answer changes nothing.
    const waiting = (await listParticipants(db.sql, e.postId)).filter((p) => p.status === "waitlisted");
    expect((await rsvp(e.postId, people.find((p) => p.account.id === waiting[0].account.id)!)).status).toBe("waitlisted");
    // Two leave at once: the first two on the waiting list get their places, in the order they came.
    const going = (await listParticipants(db.sql, e.postId)).filter((p) => p.status === "going");
    await Promise.all(going.slice(0, 2).map((p) => leave(second, ORIGIN, e.postId, p.account.id, localViewer(p.account.id))));
    const after = await listParticipants(db.sql, e.postId);
    expect(after.filter((p) => p.status === "going").map((p) => p.account.id).sort())
      .toEqual([going[2].account.id, waiting[0].account.id, waiting[1].account.id].sort());
    expect((await findEvent(db.sql, e.postId, as(org)))).toMatchObject({ participantsCount: 3, waitlistCount: 5 });
    // Going to maybe frees a place too.
    await rsvp(e.postId, people.find((p) => p.account.id === going[2].account.id)!, "maybe");
    expect((await findEvent(db.sql, e.postId, as(org)))).toMatchObject({ participantsCount: 3, waitlistCount: 4 });
    expect(await jobsOf(db.sql, "event-counts")).not.toHaveLength(0);
  });

  it("in restricted mode, waits for an organiser, who alone decides; a full event wait-lists the accepted", async () => {
    const e = await make({ capacity: 1, joinMode: "restricted" });
    expect((await rsvp(e.postId, people[0])).status).toBe("pending");
    expect((await rsvp(e.postId, people[1])).status).toBe("pending");
    expect(await refusal(decide(db.sql, e.postId, people[1].account.id, people[0].account.id, "accept", as(people[1])))).toMatchObject({ status: 403 });
    expect((await decide(db.sql, e.postId, org.account.id, people[0].account.id, "accept", as(org))).status).toBe("going");
    expect((await decide(db.sql, e.postId, org.account.id, people[1].account.id, "accept", as(org))).status).toBe("waitlisted");
    await leave(db.sql, ORIGIN, e.postId, people[0].account.id, as(people[0]));
    expect((await listParticipants(db.sql, e.postId)).map((p) => [p.account.username, p.status])).toEqual([["p1", "going"]]);
    // A declined person cannot answer again.
    await rsvp(e.postId, people[2]);
    await decide(db.sql, e.postId, org.account.id, people[2].account.id, "reject", as(org));
    expect(await refusal(rsvp(e.postId, people[2]))).toMatchObject({ status: 403, code: "rejected" });
  });

  it("takes answers to an invite-only event from invitees only, and none to a cancelled or past event", async () => {
    const e = await make({ joinMode: "invite" });
    expect(await refusal(rsvp(e.postId, people[0]))).toMatchObject({ status: 403, code: "not_invited" });
    await inviteToEvent(db.sql, e.postId, org.account.id, [people[0].account.id], as(org));
    expect((await rsvp(e.postId, people[0])).status).toBe("going");
    await setStatus(db.sql, e.postId, org.account.id, "cancelled");
    expect(await refusal(rsvp(e.postId, people[1]))).toMatchObject({ status: 409, code: "event_cancelled" });
    const past = await make({ startAt: new Date(Date.now() - 3 * DAY).toISOString(), endAt: new Date(Date.now() - 2 * DAY).toISOString() });
    expect(await refusal(rsvp(past.postId, people[1]))).toMatchObject({ status: 409, code: "event_ended" });
    expect(await listParticipants(db.sql, past.postId)).toEqual([]);
  });

  it("keeps a weekly 10:00 Paris committee at 10:00 across the end of summer time, with one occurrence moved", async () => {
    // Mondays from 12 October 2026; summer time ends on Sunday 25 October.
    const e = await make({ title: "Comité hebdo", startAt: "2026-10-12T10:00:00+02:00", endAt: "2026-10-12T11:00:00+02:00", rrule: "FREQ=WEEKLY;COUNT=6" });
    // The 26 October one moves to Tuesday 27 at 14:00 (winter time).
    // (Not an occurrence of the rule: refused. Nor by someone else than an organiser.)
    expect(await refusal(changeOccurrence(db.sql, e.postId, org.account.id, { originalStart: new Date("2026-10-26T10:00:00Z"), startsAt: new Date(), endsAt: new Date() })))
      .toMatchObject({ status: 422, message: expect.stringMatching(/no occurrence/) });
    expect(await refusal(changeOccurrence(db.sql, e.postId, people[0].account.id, { originalStart: new Date("2026-10-26T09:00:00Z"), cancelled: true })))
      .toMatchObject({ status: 403 });
    await changeOccurrence(db.sql, e.postId, org.account.id, {
      originalStart: new Date("2026-10-26T09:00:00Z"), startsAt: new Date("2026-10-27T13:00:00Z"), endsAt: new Date("2026-10-27T14:00:00Z"),
    });
    const items = await agenda(db.sql, as(org), { from: new Date("2026-10-01T00:00:00Z"), to: new Date("2026-12-01T00:00:00Z") });
    const mine = items.filter((i) => i.event.postId === e.postId);
    const paris = (d: Date) => d.toLocaleString("fr-FR", { timeZone: "Europe/Paris", weekday: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
    expect(mine.map((i) => paris(i.occurrence.startsAt))).toEqual([
      "lun. 12 10:00", "lun. 19 10:00", "mar. 27 14:00", "lun. 2 10:00", "lun. 9 10:00", "lun. 16 10:00",
    ]);
    expect(mine[1].occurrence.startsAt.toISOString()).toBe("2026-10-19T08:00:00.000Z");
    expect(mine[3].occurrence.startsAt.toISOString()).toBe("2026-11-02T09:00:00.000Z");
    expect(mine[2].occurrence.moved).toBe(true);

    // Written to ICS and read back by a real parser: the same instants, in every zone.
    const ics = calendarIcs(mine, { name: "Agenda", host: "lyon.example" });
    const vevents = new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents("vevent").map((c) => new ICAL.Event(c));
    expect(vevents.map((v) => v.startDate.toJSDate().toISOString())).toEqual(mine.map((i) => i.occurrence.startsAt.toISOString()));
    expect(new Set(vevents.map((v) => v.uid)).size).toBe(6);
    expect(vevents[0].summary).toBe("Comité hebdo");
  });

  it("bounds a long daily rule's expansion to the window", () => {
    const occurrences = expandOccurrences({ startsAt: new Date("2020-01-01T09:00:00Z"), endsAt: new Date("2020-01-01T10:00:00Z"), timezone: "Europe/Paris", rrule: "FREQ=DAILY" },
      [], new Date("2027-01-01T00:00:00Z"), new Date("2027-02-01T00:00:00Z"));
    expect(occurrences).toHaveLength(31);
  });

  it("opens a private feed with its token only; a new token revokes the old one", async () => {
    const first = await renewFeedToken(db.sql, people[0].account.id);
    expect(await feedOwner(db.sql, first)).toBe(people[0].account.id);
    const [{ token_hash }] = await db.sql`SELECT token_hash FROM calendar_feeds WHERE account_id = ${people[0].account.id}`;
    expect(token_hash).not.toContain(first);
    const next = await renewFeedToken(db.sql, people[0].account.id);
    expect(await feedOwner(db.sql, first)).toBeNull();
    expect(await feedOwner(db.sql, next)).toBe(people[0].account.id);
    expect(await feedOwner(db.sql, next.slice(0, -1) + (next.endsWith("A") ? "B" : "A"))).toBeNull();
  });
});
