// Size and complexity (corpus cases 19, 20, 21): oversized and endless bodies, lying Content-Length, slow uploads,
// remote JSON-LD contexts and JSON bombs, each sent to a running instance by a signed sibling.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestInstance, type TestInstance } from "../test/instance.ts";
import {
  AS_CONTEXT, deliver, endlessStream, followActivity, followsBy, inboxSettled, newId, signedPost, stalledStream,
  startHostilePeer, type HostilePeer, type PeerActor,
} from "../test/hostile-peer.ts";
import { INBOX_LIMITS } from "./guards/inbox-guard.ts";

let inst: TestInstance, peer: HostilePeer, fan: PeerActor;
let bob: string, bobInbox: string;

beforeAll(async () => {
  [inst, peer] = await Promise.all([startTestInstance({ name: "Lille" }), startHostilePeer()]);
  await inst.addSibling(peer.origin);
  await inst.createUser("bob");
  bob = `${inst.origin}/users/bob`;
  bobInbox = `${bob}/inbox`;
  fan = await peer.createActor("fan");
});
afterAll(async () => {
  await Promise.all([inst?.close(), peer?.close()]);
});

/** Nothing lost: after the attacks, a genuine Follow from the same actor is processed. */
async function genuineFollowStillWorks(actor: PeerActor): Promise<void> {
  expect((await deliver(await signedPost(actor, bobInbox, followActivity(actor.iri, bob)))).status).toBe(202);
  await inboxSettled(inst.db.sql);
  expect((await followsBy(inst.db.sql, actor.iri)).map((f) => f.state)).toEqual(["accepted"]);
}

describe("case 19: bodies", () => {
  it("a 20 MB activity is refused with 413, from its Content-Length and from the stream itself", async () => {
    const big = JSON.stringify({ ...followActivity(fan.iri, bob), content: "x".repeat(20 * 1024 * 1024) });
    const honest = await deliver(await signedPost(fan, bobInbox, big));
    expect(honest.status).toBe(413);
    expect(honest.error).toBe(`activities are limited to ${INBOX_LIMITS.maxBodyBytes} bytes`);
    // Chunked, no Content-Length: counted as it arrives.
    const signed = await signedPost(fan, bobInbox, big);
    delete signed.headers["content-length"];
    const chunked = await deliver({ ...signed, body: (async function* () { yield new TextEncoder().encode(big); })() });
    expect(chunked.status).toBe(413);
  });

  it("a Content-Length lie (20 MB announced, a few bytes sent, then silence) gets 413 at once", async () => {
    let release!: () => void;
    const stalled = new Promise<void>((r) => (release = r));
    const signed = await signedPost(fan, bobInbox, followActivity(fan.iri, bob));
    const reply = await deliver({ ...signed, headers: { ...signed.headers, "content-length": String(20 * 1024 * 1024) }, body: stalledStream("{", stalled) });
    release();
    expect(reply.status).toBe(413);
    expect(reply.ms).toBeLessThan(2_000);
    // The opposite lie, "Content-Length: 0" for a real activity: the server reads the announced zero bytes (anything
    // sent behind them would be parsed as a new, invalid request), so the signed Digest no longer matches.
    let releaseZero!: () => void;
    const held = new Promise<void>((r) => (releaseZero = r));
    const zero = await deliver({ ...signed, headers: { ...signed.headers, "content-length": "0" }, body: stalledStream("", held) });
    releaseZero();
    expect(zero.status).toBe(401);
    expect(zero.error).toBe("the body does not match its Digest");
    expect(zero.ms).toBeLessThan(2_000);
  });

  it("an endless chunked stream gets 413 quickly", async () => {
    const signed = await signedPost(fan, bobInbox, followActivity(fan.iri, bob));
    delete signed.headers["content-length"];
    const reply = await deliver({ ...signed, body: endlessStream() });
    expect(reply.status).toBe(413);
    expect(reply.ms).toBeLessThan(3_000);
  });

  it("a body that stops arriving gets 408 when the body deadline passes", async () => {
    const saved = INBOX_LIMITS.bodyTimeoutMs;
    INBOX_LIMITS.bodyTimeoutMs = 500; // 10 s in production; shortened so the test stays fast
    let release!: () => void;
    const stalled = new Promise<void>((r) => (release = r));
    try {
      const signed = await signedPost(fan, bobInbox, followActivity(fan.iri, bob));
      delete signed.headers["content-length"];
      const reply = await deliver({ ...signed, body: stalledStream("{", stalled) });
      expect(reply.status).toBe(408);
      expect(reply.error).toBe("the request body took too long");
      expect(reply.ms).toBeLessThan(3_000);
    } finally {
      INBOX_LIMITS.bodyTimeoutMs = saved;
      release();
    }
    await genuineFollowStillWorks(await peer.createActor("after_bodies"));
  });
});

describe("case 20: remote JSON-LD contexts", () => {
  it("an activity listing 50 unknown remote contexts is refused without fetching any", async () => {
    const actor = await peer.createActor("contexts");
    const contexts = Array.from({ length: 50 }, (_, i) => peer.url(`/contexts/${i}`));
    for (let i = 0; i < 50; i++) peer.route(`/contexts/${i}`, { contentType: "application/ld+json", body: { "@context": {} } });
    const top = { ...followActivity(actor.iri, bob), "@context": [AS_CONTEXT, ...contexts] };
    const reply = await deliver(await signedPost(actor, bobInbox, top));
    expect(reply.status).toBe(400);
    expect(reply.error).toMatch(/^the activity uses JSON-LD contexts this instance does not preload: /);
    // Hidden deeper: in an embedded object, and as a scoped context inside an inline term definition.
    const embedded = { ...followActivity(actor.iri, bob), object: { id: bob, type: "Person", "@context": contexts[0] } };
    const scoped = { ...followActivity(actor.iri, bob), "@context": [AS_CONTEXT, { ext: { "@id": "https://example.invalid/ext", "@context": contexts[1] } }] };
    for (const activity of [embedded, scoped]) {
      const r = await deliver(await signedPost(actor, bobInbox, activity));
      expect(r.status).toBe(400);
      expect(r.error).toMatch(/does not preload/);
    }
    await inboxSettled(inst.db.sql);
    expect(peer.received.filter((r) => r.path.startsWith("/contexts/"))).toHaveLength(0);
    expect(await followsBy(inst.db.sql, actor.iri)).toEqual([]);
    await genuineFollowStillWorks(actor);
  });
});

describe("case 21: JSON bombs are refused before JSON-LD expansion", () => {
  it("nesting 10,000 deep gets 413", async () => {
    const actor = await peer.createActor("deep");
    const depth = 10_000;
    const nested = `${'{"type":"Note","object":'.repeat(depth)}"${bob}"${"}".repeat(depth)}`;
    const body = `{"@context":"${AS_CONTEXT}","id":"${newId(actor.iri)}","type":"Announce","actor":"${actor.iri}","object":${nested}}`;
    const reply = await deliver(await signedPost(actor, bobInbox, body));
    expect(reply.status).toBe(413);
    expect(reply.error).toBe(`the activity is too large or too deep: JSON nested deeper than ${INBOX_LIMITS.maxDepth} levels`);
    expect(reply.ms).toBeLessThan(2_000);
  });

  it("a 100,000-element `to` array gets 413", async () => {
    const actor = await peer.createActor("wide");
    // Numbers keep the body under the size limit, so the array bound is what fires.
    const body = JSON.stringify({ ...followActivity(actor.iri, bob), to: new Array(100_000).fill(0) });
    expect(body.length).toBeLessThan(INBOX_LIMITS.maxBodyBytes);
    const reply = await deliver(await signedPost(actor, bobInbox, body));
    expect(reply.status).toBe(413);
    expect(reply.error).toBe(`the activity is too large or too deep: Array longer than ${INBOX_LIMITS.maxArray}`);
    expect(reply.ms).toBeLessThan(2_000);
    await inboxSettled(inst.db.sql);
    expect(await followsBy(inst.db.sql, actor.iri)).toEqual([]);
    await genuineFollowStillWorks(actor);
  });
});
