// Follows as business logic (corpus case 33, Pixelfed CVE-2025-30741): following a locked account grants nothing
// until its owner authorizes it, and an Accept nobody asked for accepts nothing. A hostile sibling peer plays the
// remote side against a running instance.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, startTestInstance, type TestInstance } from "../test/instance.ts";
import {
  accountRow, activity, allSettled, deliver, followActivity, followsBy, inboxSettled, newId, signedGet, signedPost,
  startHostilePeer, type HostilePeer, type PeerActor,
} from "../test/hostile-peer.ts";
import { authorizeFollowRequest, follow } from "../server/domain/follows/follows.ts";
import type { LocalUser } from "../server/domain/accounts/accounts.ts";
import { resolveActorByIri } from "./remote-actors.ts";
import { jobsOf } from "../server/jobs/admin.ts";

let inst: TestInstance, peer: HostilePeer;
let alice: LocalUser, bob: LocalUser;

beforeAll(async () => {
  [inst, peer] = await Promise.all([startTestInstance({ name: "Nantes" }), startHostilePeer()]);
  await inst.addSibling(peer.origin);
  alice = await inst.createUser("alice", { locked: true });
  bob = await inst.createUser("bob");
});
afterAll(async () => {
  await Promise.all([inst?.close(), peer?.close()]);
});

async function followersSeenBy(reader: PeerActor, ownerIri: string): Promise<string[]> {
  const reply = await deliver(await signedGet(reader, `${ownerIri}/followers`));
  expect(reply.status).toBe(200);
  const items = JSON.parse(reply.text).orderedItems ?? [];
  return (Array.isArray(items) ? items : [items]).map((i: unknown) => (typeof i === "string" ? i : (i as { id: string }).id));
}

const acceptsOf = (followId: string) =>
  peer.inboxPosts().filter((p) => p.type === "Accept" && JSON.stringify(p.object).includes(followId));

describe("case 33: following a locked account", () => {
  it("grants nothing — no place among the followers, no Accept — until the owner authorizes it", async () => {
    const fan = await peer.createActor("fan");
    const request = followActivity(fan.iri, alice.account.iri);
    expect((await deliver(await signedPost(fan, `${alice.account.iri}/inbox`, request))).status).toBe(202);
    await inboxSettled(inst.db.sql);
    expect(await followsBy(inst.db.sql, fan.iri)).toEqual([{ state: "pending", iri: request.id, target: alice.account.iri }]);
    await allSettled(inst.db.sql); // anything the Follow caused has been delivered by now
    expect(await followersSeenBy(fan, alice.account.iri)).toEqual([]);
    expect(acceptsOf(request.id as string)).toEqual([]);
    expect(await jobsOf(inst.db.sql, "deliver", { kind: "accept-follow" })).toEqual([]);

    // Alice authorizes: now, and only now, the Accept goes out and fan is a follower.
    const fanAccount = await accountRow(inst.db.sql, fan.iri);
    await authorizeFollowRequest(inst.db.sql, alice.account.id, String(fanAccount!.id));
    await eventually(async () => acceptsOf(request.id as string).length === 1, 15_000, "the Accept reaching the peer");
    expect(await followersSeenBy(fan, alice.account.iri)).toEqual([fan.iri]);
  });
});

describe("case 33: Accepts nobody asked for", () => {
  it("accept nothing; the genuine Accept of our Follow still does", async () => {
    const idol = await peer.createActor("idol");
    const known = await resolveActorByIri(inst.instance.context(), idol.iri);
    expect(known?.iri).toBe(idol.iri);
    expect(await follow(inst.db.sql, inst.origin, bob.account.id, known!.id)).toBe("pending");
    const [ours] = await followsBy(inst.db.sql, bob.account.iri);
    await eventually(async () => peer.inboxPosts().some((p) => p.type === "Follow" && p.id === ours.iri), 15_000, "our Follow reaching the peer");
    const bobInbox = `${bob.account.iri}/inbox`;
    const accept = (by: PeerActor, object: unknown) => activity({ id: newId(by.iri, "accept"), type: "Accept", actor: by.iri, object });

    // The idol "accepts" a Follow we never sent.
    const neverSent = `${inst.origin}/activities/follow/00000000-0000-4000-8000-000000000000`;
    expect((await deliver(await signedPost(idol, bobInbox, accept(idol, neverSent)))).status).toBe(202);
    // Someone else on the same server accepts our real Follow of the idol.
    const impostor = await peer.createActor("impostor");
    await resolveActorByIri(inst.instance.context(), impostor.iri);
    expect((await deliver(await signedPost(impostor, bobInbox, accept(impostor, ours.iri)))).status).toBe(202);
    // A stranger accepts a Follow of itself that bob never made, embedded in full.
    const stranger = await peer.createActor("stranger");
    const invented = { id: newId(stranger.iri, "follow"), type: "Follow", actor: bob.account.iri, object: stranger.iri };
    expect((await deliver(await signedPost(stranger, bobInbox, accept(stranger, invented)))).status).toBe(202);
    await inboxSettled(inst.db.sql);
    expect(await followsBy(inst.db.sql, bob.account.iri)).toEqual([{ state: "pending", iri: ours.iri, target: idol.iri }]);

    // The idol's genuine Accept of our Follow.
    expect((await deliver(await signedPost(idol, bobInbox, accept(idol, ours.iri)))).status).toBe(202);
    await inboxSettled(inst.db.sql);
    expect(await followsBy(inst.db.sql, bob.account.iri)).toEqual([{ state: "accepted", iri: ours.iri, target: idol.iri }]);
  });
});
