// Accepted inbox deliveries are queued for Fedify's worker directly (inbox-queue.ts, ADR 0011): the worker reads the
// message as Fedify's own, an inbox of nobody is still answered 404 by Fedify, and an activity that only JSON-LD
// reading finds unreadable is accepted, then dropped with a log record (Fedify's own handler would have read it
// twice before queueing and answered 400).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestInstance, type TestInstance } from "../test/instance.ts";
import { deliver, followActivity, followsBy, inboxSettled, newId, signedPost, startHostilePeer, type HostilePeer } from "../test/hostile-peer.ts";
import { recordLogs } from "../test/log-records.ts";

const records = recordLogs(["fedify", "federation", "inbox"], "error");

let inst: TestInstance, peer: HostilePeer;
let bob: string;

beforeAll(async () => {
  [inst, peer] = await Promise.all([startTestInstance({ name: "Rennes" }), startHostilePeer()]);
  await inst.addSibling(peer.origin);
  await inst.createUser("bob");
  bob = `${inst.origin}/users/bob`;
});
afterAll(async () => {
  await Promise.all([inst?.close(), peer?.close()]);
});

describe("the inbox queue", () => {
  it("a Follow to the shared inbox and one to a personal inbox are queued and acted on; nobody's inbox is a 404", async () => {
    const shared = await peer.createActor("via_shared");
    const personal = await peer.createActor("via_personal");
    expect((await deliver(await signedPost(shared, `${inst.origin}/inbox`, followActivity(shared.iri, bob)))).status).toBe(202);
    expect((await deliver(await signedPost(personal, `${bob}/inbox`, followActivity(personal.iri, bob)))).status).toBe(202);
    const nobody = await deliver(await signedPost(personal, `${inst.origin}/users/nobody/inbox`, followActivity(personal.iri, `${inst.origin}/users/nobody`)));
    expect(nobody.status).toBe(404);
    await inboxSettled(inst.db.sql);
    expect((await followsBy(inst.db.sql, shared.iri)).map((f) => f.state)).toEqual(["accepted"]);
    expect((await followsBy(inst.db.sql, personal.iri)).map((f) => f.state)).toEqual(["accepted"]);
  });

  it("an activity Fedify cannot read (a malformed date) is accepted, then dropped by the worker with a log record", async () => {
    const actor = await peer.createActor("bad_date");
    const id = newId(actor.iri, "follow");
    const follow = { ...followActivity(actor.iri, bob, id), published: "yesterday" };
    const reply = await deliver(await signedPost(actor, `${bob}/inbox`, follow));
    expect(reply.status).toBe(202);
    await inboxSettled(inst.db.sql);
    const dropped = records.filter((r) => String(r.rawMessage).startsWith("Failed to parse the queued incoming activity"));
    expect(dropped.map((r) => (r.properties.activity as { id?: string }).id)).toEqual([id]);
    expect(await followsBy(inst.db.sql, actor.iri)).toEqual([]);
  });
});
