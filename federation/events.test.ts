// Issue #12's "Done when", over real HTTPS between real instances with signatures on: a Lyon organiser creates a
// restricted event with capacity 3; four Paris and Lyon employees ask to join; the organiser accepts three; the
// fourth is wait-listed and promoted when one leaves; the counts match on both instances; each attendee's ICS feed
// holds the event at the right instant and parses; the event reads as Mobilizon's `Event` by a signed fetch. With the
// hostile cases: a Join minted on another origin, a replayed Join, Joins to a cancelled, a past and an invite-only
// event, an Accept of a Join by someone who is not the organiser.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ICAL from "ical.js";
import { Accept, Join, Reject, TentativeAccept } from "@fedify/vocab";
import { eventually, startSiblings, startTestInstance, type TestInstance } from "../test/instance.ts";
import { activity, allSettled, deliver, newId, signedPost } from "../test/hostile-peer.ts";
import { recordLogs } from "../test/log-records.ts";
import { findAccountByIri } from "../server/domain/accounts/accounts.ts";
import { recipientOf } from "./recipients.ts";
import { INSTANCE_ACTOR } from "./uris.ts";

const logs = recordLogs(["ruche"]);

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

async function api(inst: TestInstance, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${inst.url}${path}`, {
    method, headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text && res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text };
}

async function ok(inst: TestInstance, token: string, method: string, path: string, body?: unknown): Promise<Json> {
  const r = await api(inst, token, method, path, body);
  if (r.status !== 200) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

const logged = (what: RegExp) => logs.some((r) => what.test(r.message.map(String).join("")));
const inDays = (days: number, hour: number) => {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString();
};

describe("an event across Paris and Lyon", () => {
  let paris: TestInstance, lyon: TestInstance;
  beforeAll(async () => {
    [paris, lyon] = await startSiblings("Paris", "Lyon");
  });
  afterAll(async () => {
    await Promise.all([paris?.close(), lyon?.close()]);
  });

  it("is joined from both instances within its capacity, wait-lists the fourth, promotes them, and agrees on its counts", async () => {
    const organiser = await lyon.createUser("orga");
    const [leo, lou] = await Promise.all([lyon.createUser("leo"), lyon.createUser("lou")]);
    const [paul, pia] = await Promise.all([paris.createUser("paul"), paris.createUser("pia")]);

    const created = await ok(lyon, organiser.token, "POST", "/api/ruche/v1/events", {
      title: "Comité de pilotage", description: "Point **budget** et planning", start_at: inDays(10, 8), end_at: inDays(10, 10),
      timezone: "Europe/Paris", capacity: 3, join_mode: "restricted", visibility: "internal",
      place: { name: "Siège de Lyon", address: "12 quai Rambaud, Lyon" },
    });
    expect(created).toMatchObject({ participants_count: 0, waitlist_count: 0, capacity: 3, join_mode: "restricted", url: `${lyon.origin}/events/${created.id}` });
    expect(created.id).toMatch(/^\d+$/);

    // Paris finds it by its URL (delivered to its shared inbox, or fetched by the resolve).
    const onParis = await eventually(async () => {
      const r = await api(paris, paul.token, "GET", `/api/ruche/v1/events/resolve?url=${encodeURIComponent(created.url)}`);
      return r.status === 200 ? r.json : null;
    }, 20_000, "the event on Paris");
    expect(onParis).toMatchObject({ title: "Comité de pilotage", timezone: "Europe/Paris", join_mode: "restricted", capacity: 3, uri: created.uri, local: false });
    expect(onParis.start_at).toBe(created.start_at);
    expect(onParis.place).toMatchObject({ name: "Siège de Lyon", address: "12 quai Rambaud, Lyon" });

    // Four ask: all wait for the organiser.
    for (const [inst, who, id] of [[paris, paul, onParis.id], [lyon, leo, created.id], [paris, pia, onParis.id], [lyon, lou, created.id]] as const) {
      expect(await ok(inst, who.token, "POST", `/api/ruche/v1/events/${id}/participation`, { status: "going" })).toEqual({ status: "pending" });
    }
    const pendingOnLyon = await eventually(async () => {
      const list = await ok(lyon, organiser.token, "GET", `/api/ruche/v1/events/${created.id}/participants`);
      return list.length === 4 ? list : null;
    }, 20_000, "the Paris Joins on Lyon");
    expect(pendingOnLyon.every((p: Json) => p.status === "pending")).toBe(true);
    const idOf = (acct: string) => pendingOnLyon.find((p: Json) => p.account.acct === acct).account.id;

    // Only the organiser decides.
    expect((await api(lyon, leo.token, "POST", `/api/ruche/v1/events/${created.id}/participants/${idOf("leo")}/accept`)).status).toBe(403);
    // Three accepted; the fourth, accepted when the event is full, waits for a place.
    for (const acct of [`paul@${paris.host}`, "leo", `pia@${paris.host}`]) {
      expect(await ok(lyon, organiser.token, "POST", `/api/ruche/v1/events/${created.id}/participants/${idOf(acct)}/accept`)).toMatchObject({ status: "going" });
    }
    expect(await ok(lyon, organiser.token, "POST", `/api/ruche/v1/events/${created.id}/participants/${idOf("lou")}/accept`)).toMatchObject({ status: "waitlisted" });
    expect(await ok(lyon, organiser.token, "GET", `/api/ruche/v1/events/${created.id}`)).toMatchObject({ participants_count: 3, waitlist_count: 1 });
    // Paris hears the Accepts and the counts.
    await eventually(async () => (await ok(paris, paul.token, "GET", `/api/ruche/v1/events/${onParis.id}`)).participation === "going", 20_000, "Paul's Accept on Paris");
    await eventually(async () => (await ok(paris, pia.token, "GET", `/api/ruche/v1/events/${onParis.id}`)).participation === "going", 20_000, "Pia's Accept on Paris");
    await eventually(async () => {
      const e = await ok(paris, paul.token, "GET", `/api/ruche/v1/events/${onParis.id}`);
      return e.participants_count === 3 && e.waitlist_count === 1;
    }, 20_000, "the counts 3 + 1 on Paris");

    // Paul leaves from Paris: Lou gets his place, in order, and both instances agree.
    await ok(paris, paul.token, "DELETE", `/api/ruche/v1/events/${onParis.id}/participation`);
    await eventually(async () => {
      const list = await ok(lyon, organiser.token, "GET", `/api/ruche/v1/events/${created.id}/participants`);
      return list.find((p: Json) => p.account.acct === "lou")?.status === "going" && list.length === 3;
    }, 20_000, "Lou promoted on Lyon");
    expect(await ok(lyon, lou.token, "GET", `/api/ruche/v1/events/${created.id}`)).toMatchObject({ participants_count: 3, waitlist_count: 0, participation: "going" });
    // The organiser heard each request, from either instance; Lou heard of her place once she had it.
    const requests = await ok(lyon, organiser.token, "GET", "/api/v1/notifications?types[]=ruche.event_request");
    expect(requests.map((n: Json) => n.account.acct).sort()).toEqual(["leo", "lou", `paul@${paris.host}`, `pia@${paris.host}`].sort());
    expect(requests.every((n: Json) => n.status?.url === created.url)).toBe(true);
    expect((await ok(lyon, lou.token, "GET", "/api/v1/notifications?types[]=ruche.event_place")).map((n: Json) => n.account.acct)).toEqual(["orga"]);
    await eventually(async () => {
      const e = await ok(paris, pia.token, "GET", `/api/ruche/v1/events/${onParis.id}`);
      return e.participants_count === 3 && e.waitlist_count === 0;
    }, 20_000, "the counts 3 + 0 on Paris");
    expect((await ok(paris, paul.token, "GET", `/api/ruche/v1/events/${onParis.id}`)).participation).toBeNull();

    // Each attendee's private feed holds the event at its instant and parses; the URL needs no other credential.
    for (const [inst, who] of [[paris, pia], [lyon, leo], [lyon, lou]] as const) {
      const { url } = await ok(inst, who.token, "GET", "/api/ruche/v1/calendar/feed");
      expect(url).toMatch(new RegExp(`^${inst.origin}/api/ruche/v1/calendar/feed/[A-Za-z0-9_-]{43}\\.ics$`));
      const res = await fetch(url.replace(inst.origin, inst.url));
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/calendar/);
      const vevents = new ICAL.Component(ICAL.parse(await res.text())).getAllSubcomponents("vevent").map((c) => new ICAL.Event(c));
      const mine = vevents.find((v) => v.summary === "Comité de pilotage");
      expect(mine, `${who.account.username}'s feed`).toBeDefined();
      expect(mine!.startDate.toJSDate().toISOString()).toBe(created.start_at);
      expect(mine!.location).toContain("Siège de Lyon");
    }
    // Paul left: his feed no longer has it; a made-up token opens nothing.
    const paulFeed = await ok(paris, paul.token, "GET", "/api/ruche/v1/calendar/feed");
    expect(await (await fetch(paulFeed.url.replace(paris.origin, paris.url))).text()).not.toContain("Comité de pilotage");
    expect((await fetch(`${paris.url}/api/ruche/v1/calendar/feed/${"A".repeat(43)}.ics`)).status).toBe(404);
    // The event's own .ics.
    const one = await api(lyon, leo.token, "GET", `/api/ruche/v1/events/${created.id}/ics`);
    expect(one.status).toBe(200);
    expect(new ICAL.Event(new ICAL.Component(ICAL.parse(one.json)).getFirstSubcomponent("vevent")!).startDate.toJSDate().toISOString()).toBe(created.start_at);

    // A signed fetch reads it as Mobilizon's Event, with its terms.
    const loader = await paris.instance.context().getDocumentLoader({ identifier: INSTANCE_ACTOR });
    const { document } = await loader(created.uri) as { document: Json };
    expect(document).toMatchObject({
      type: "Event", id: created.uri, name: "Comité de pilotage", timezone: "Europe/Paris", joinMode: "restricted",
      participantCount: 3, maximumAttendeeCapacity: 3, remainingAttendeeCapacity: 0, "ical:status": "CONFIRMED",
      location: { type: "Place", name: "Siège de Lyon", address: { type: "PostalAddress", streetAddress: "12 quai Rambaud, Lyon" } },
    });
    expect(new Date(document.startTime).toISOString()).toBe(created.start_at);
    // A Mastodon app sees it as a status.
    const status = await ok(paris, pia.token, "GET", `/api/v1/statuses/${onParis.id}`);
    expect(status.content).toContain("budget");
    expect(status.card).toMatchObject({ type: "link", url: created.url, title: "Comité de pilotage" });
    expect(status.card.description).toMatch(/Siège de Lyon, 12 quai Rambaud, Lyon$/);
    expect(status.card.description).toContain(new Intl.DateTimeFormat("fr", { timeZone: "Europe/Paris", hour: "2-digit", minute: "2-digit" }).format(new Date(created.start_at)));

    // The organiser moves it an hour later, in another room: Paris's copy follows, and Pia, going, hears of it there.
    const later = (iso: string) => new Date(new Date(iso).getTime() + 3_600_000).toISOString();
    expect((await api(lyon, leo.token, "PATCH", `/api/ruche/v1/events/${created.id}`, { title: "Pris" })).status).toBe(403);
    expect((await api(lyon, organiser.token, "PATCH", `/api/ruche/v1/events/${created.id}`, { visibility: "public" })).status).toBe(422);
    const moved = await ok(lyon, organiser.token, "PATCH", `/api/ruche/v1/events/${created.id}`, {
      start_at: later(created.start_at), end_at: later(created.end_at), place: { name: "Salle Rhône", address: "12 quai Rambaud, Lyon" },
    });
    expect(moved).toMatchObject({ start_at: later(created.start_at), place: { name: "Salle Rhône" }, participants_count: 3 });
    await eventually(async () => {
      const e = await ok(paris, pia.token, "GET", `/api/ruche/v1/events/${onParis.id}`);
      return e.start_at === later(created.start_at) && e.place?.name === "Salle Rhône";
    }, 20_000, "the moved event on Paris");
    const told = await eventually(async () => {
      const list = await ok(paris, pia.token, "GET", "/api/v1/notifications?types[]=ruche.event_changed");
      return list.length > 0 ? list : null;
    }, 20_000, "Pia told on Paris");
    expect(told.map((n: Json) => n.account.acct)).toEqual([`orga@${lyon.host}`]);
  }, 120_000);

  it("refuses Joins minted on another origin, replays, and Joins to cancelled, past and invite-only events; and a stranger's Accept", async () => {
    const organiser = await lyon.createUser("orga2");
    const intruder = await paris.createUser("intruder");
    const parisCtx = paris.instance.context();
    const organiserOnParis = async () => recipientOf((await findAccountByIri(paris.db.sql, organiser.account.iri))!);
    const make = (over: Record<string, unknown>) => ok(lyon, organiser.token, "POST", "/api/ruche/v1/events", {
      title: "Formation", start_at: inDays(5, 8), end_at: inDays(5, 9), timezone: "Europe/Paris", visibility: "internal", ...over,
    });
    const free = await make({ capacity: 10 });
    const invite = await make({ join_mode: "invite" });
    const cancelled = await make({});
    await ok(lyon, organiser.token, "PUT", `/api/ruche/v1/events/${cancelled.id}/status`, { status: "cancelled" });
    // (A past event: created in the future, then moved into the past by its home, as an event that took place.)
    const past = await make({});
    await lyon.db.sql`UPDATE events SET starts_at = now() - interval '2 days', ends_at = now() - interval '1 day' WHERE post_id = ${past.id}`;
    await eventually(async () => (await api(paris, intruder.token, "GET", `/api/ruche/v1/events/resolve?url=${encodeURIComponent(free.url)}`)).status === 200, 20_000, "the event on Paris");
    const to = await organiserOnParis();
    const join = (id: string, object: string) => new Join({ id: new URL(id), actor: new URL(intruder.account.iri), object: new URL(object) });

    // A Join in a Lyon employee's name signed by Paris (a spoofed actor), and one whose id another server minted:
    // refused at the inbox, nothing stored.
    const [instanceKey] = await parisCtx.getActorKeyPairs(INSTANCE_ACTOR);
    const [intruderKey] = await parisCtx.getActorKeyPairs("intruder");
    const spoofed = activity({ id: newId(organiser.account.iri, "join"), type: "Join", actor: organiser.account.iri, object: free.uri });
    const spoofReply = await deliver(await signedPost({ privateKey: instanceKey.privateKey, keyId: instanceKey.keyId.href }, `${lyon.origin}/inbox`, spoofed));
    expect(spoofReply.status).toBe(202);
    expect(spoofReply.text).toMatch(/forwarded activity/);
    const foreign = activity({ id: "https://elsewhere.example/joins/1", type: "Join", actor: intruder.account.iri, object: free.uri });
    const foreignReply = await deliver(await signedPost({ privateKey: intruderKey.privateKey, keyId: intruderKey.keyId.href }, `${lyon.origin}/inbox`, foreign));
    expect(foreignReply.status).toBe(401);
    expect(foreignReply.text).toMatch(/not on the actor's origin/);
    // A Join to the invite-only, the cancelled and the past events: refused with their reasons, nothing stored.
    for (const [e, why] of [[invite, /on invitation only/], [cancelled, /cancelled/], [past, /over/]] as const) {
      const id = `${paris.origin}/activities/join/hostile-${e.id}`;
      await parisCtx.sendActivity({ identifier: "intruder" }, to, join(id, e.uri));
      await eventually(async () => logged(new RegExp(`hostile-${e.id}.*refused: .*${why.source}`)), 20_000, `the Join to ${e.id} refused`);
    }
    // A Join sent twice counts once.
    const twice = `${paris.origin}/activities/join/twice`;
    await parisCtx.sendActivity({ identifier: "intruder" }, to, join(twice, free.uri));
    await parisCtx.sendActivity({ identifier: "intruder" }, to, join(twice, free.uri));
    await allSettled(paris.db.sql);
    await eventually(async () => (await lyon.db.sql`SELECT 1 FROM event_participants WHERE join_iri = ${twice}`).length === 1, 20_000, "the Join stored");
    await allSettled(lyon.db.sql);
    const rows = await lyon.db.sql`SELECT ep.status, p.id::text AS post FROM event_participants ep JOIN posts p ON p.id = ep.post_id
      JOIN accounts a ON a.id = ep.account_id WHERE a.iri = ${intruder.account.iri}`;
    expect(rows.map((r) => [r.post, r.status])).toEqual([[free.id, "going"]]);
    // Friendica's RSVP: TentativeAccept of the event is "maybe", Reject of it "not going".
    const statusOnLyon = async () => (await lyon.db.sql`SELECT ep.status FROM event_participants ep JOIN accounts a ON a.id = ep.account_id
      WHERE a.iri = ${intruder.account.iri} AND ep.post_id = ${free.id}`)[0]?.status;
    await parisCtx.sendActivity({ identifier: "intruder" }, to, new TentativeAccept({
      id: new URL(`${paris.origin}/activities/friendica-maybe`), actor: new URL(intruder.account.iri), object: new URL(free.uri),
    }));
    await eventually(async () => (await statusOnLyon()) === "maybe", 20_000, "Friendica's maybe on Lyon");
    await parisCtx.sendActivity({ identifier: "intruder" }, to, new Reject({
      id: new URL(`${paris.origin}/activities/friendica-no`), actor: new URL(intruder.account.iri), object: new URL(free.uri),
    }));
    await eventually(async () => (await statusOnLyon()) === "not_going", 20_000, "Friendica's no on Lyon");
    // Our own "maybe" to a sibling's event goes the same way, and its Accept comes back as maybe.
    const freeCopy = await ok(paris, intruder.token, "GET", `/api/ruche/v1/events/resolve?url=${encodeURIComponent(free.url)}`);
    expect(await ok(paris, intruder.token, "POST", `/api/ruche/v1/events/${freeCopy.id}/participation`, { status: "maybe" })).toEqual({ status: "pending" });
    await eventually(async () => (await statusOnLyon()) === "maybe", 20_000, "the maybe on Lyon");
    await eventually(async () => (await ok(paris, intruder.token, "GET", `/api/ruche/v1/events/${freeCopy.id}`)).participation === "maybe", 20_000, "the maybe accepted on Paris");

    // Our own Join to a Lyon event, answered by someone who is not its organiser: still pending.
    const restricted = await make({ join_mode: "restricted" });
    const restrictedOnParis = await eventually(async () => {
      const r = await api(paris, intruder.token, "GET", `/api/ruche/v1/events/resolve?url=${encodeURIComponent(restricted.url)}`);
      return r.status === 200 ? r.json : null;
    }, 20_000, "the restricted event on Paris");
    await ok(paris, intruder.token, "POST", `/api/ruche/v1/events/${restrictedOnParis.id}/participation`, { status: "going" });
    const [{ join_iri }] = await paris.db.sql`SELECT join_iri FROM event_participants WHERE post_id = ${restrictedOnParis.id}`;
    const stranger = await lyon.createUser("stranger");
    // (Known to Paris, so that its Accept is read and weighed rather than dropped as from nobody.)
    await ok(paris, intruder.token, "GET", `/api/v2/search?q=${encodeURIComponent(`@stranger@${lyon.host}`)}&resolve=true`);
    const intruderOnLyon = await eventually(async () => findAccountByIri(lyon.db.sql, intruder.account.iri), 20_000, "the intruder known on Lyon");
    await lyon.instance.context().sendActivity({ identifier: "stranger" }, recipientOf(intruderOnLyon), new Accept({
      id: new URL(`${lyon.origin}/activities/forged-accept`), actor: new URL(stranger.account.iri),
      object: new Join({ id: new URL(join_iri), actor: new URL(intruder.account.iri), object: new URL(restricted.uri) }),
    }));
    await eventually(async () => logged(/Accept by .*stranger.*not handled/), 20_000, "the stranger's Accept ignored");
    expect((await ok(paris, intruder.token, "GET", `/api/ruche/v1/events/${restrictedOnParis.id}`)).participation).toBe("pending");
  }, 120_000);

  it("a public event of an open instance is read as an Event by an unsigned, Mobilizon-style fetch", async () => {
    const open = await startTestInstance({ name: "Open", federation: "open" });
    try {
      const host = await open.createUser("host");
      const e = await ok(open, host.token, "POST", "/api/ruche/v1/events", {
        title: "Portes ouvertes", start_at: inDays(20, 9), end_at: inDays(20, 17), timezone: "Europe/Paris", visibility: "public",
        join_mode: "free", online_url: "https://visio.example/portes-ouvertes",
      });
      const res = await fetch(e.uri.replace(open.origin, open.url), { headers: { Accept: 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"' } });
      expect(res.status).toBe(200);
      const doc = await res.json();
      expect(doc).toMatchObject({ type: "Event", name: "Portes ouvertes", timezone: "Europe/Paris", joinMode: "free", participantCount: 0, isOnline: true,
        to: "https://www.w3.org/ns/activitystreams#Public" });
      expect(doc["@context"]).toContainEqual(expect.objectContaining({ mz: "https://joinmobilizon.org/ns#" }));
    } finally {
      await open.close();
    }
  });
});
