// Identity and origin (corpus cases 1, 2, 3, 5, 6, 7), the sibling policy and authorized fetch, against a running
// instance over real HTTPS: a hostile peer signs with its own keys and lies in its documents.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestInstance, type TestInstance } from "../test/instance.ts";
import {
  accountRow, activity, AS_CONTEXT, deliver, SECURITY_CONTEXT, followActivity, followsBy, inboxSettled, newId, signedGet, signedPost,
  startHostilePeer, type HostilePeer,
} from "../test/hostile-peer.ts";

// What Mastodon 4.x sends with actors and Updates.
const MASTODON_CONTEXT = [AS_CONTEXT, SECURITY_CONTEXT, {
  manuallyApprovesFollowers: "as:manuallyApprovesFollowers", toot: "http://joinmastodon.org/ns#",
  featured: { "@id": "toot:featured", "@type": "@id" }, alsoKnownAs: { "@id": "as:alsoKnownAs", "@type": "@id" },
  schema: "http://schema.org#", PropertyValue: "schema:PropertyValue", value: "schema:value",
  discoverable: "toot:discoverable", indexable: "toot:indexable", focalPoint: { "@container": "@list", "@id": "toot:focalPoint" },
}];

let inst: TestInstance, peer: HostilePeer, other: HostilePeer, outsider: HostilePeer;
let bob: string, bobInbox: string, bobFollowers: string;

beforeAll(async () => {
  [inst, peer, other, outsider] = await Promise.all([startTestInstance({ name: "Paris" }), startHostilePeer(), startHostilePeer(), startHostilePeer()]);
  // The peers are siblings so that the guard under test is the one that fires; `outsider` is not.
  await inst.addSibling(peer.origin);
  await inst.addSibling(other.origin);
  await inst.createUser("bob");
  bob = `${inst.origin}/users/bob`;
  bobInbox = `${bob}/inbox`;
  bobFollowers = `${bob}/followers`;
});
afterAll(async () => {
  await Promise.all([inst?.close(), peer?.close(), other?.close(), outsider?.close()]);
});

describe("the sibling policy and authorized fetch", () => {
  it("an outsider's signed delivery gets 403 before anything is fetched or stored", async () => {
    const stranger = await outsider.createActor("stranger");
    const reply = await deliver(await signedPost(stranger, bobInbox, followActivity(stranger.iri, bob)));
    expect(reply.status).toBe(403);
    expect(reply.error).toBe(`${outsider.origin} is not a sibling of this instance`);
    expect(outsider.hits("/users/stranger")).toBe(0);
    expect(await accountRow(inst.db.sql, stranger.iri)).toBeUndefined();
  });

  it("an outsider's signed GET of a followers collection gets 403", async () => {
    const stranger = await outsider.createActor("stranger_get");
    const reply = await deliver(await signedGet(stranger, bobFollowers));
    expect(reply.status).toBe(403);
    expect(reply.error).toBe(`${outsider.origin} is not a sibling of this instance`);
  });

  it("no spelling of an inbox path reaches Fedify without passing the guard", async () => {
    const stranger = await outsider.createActor("stranger_paths");
    const guarded = ["/users/bob/inbox", "/users/b%6Fb/inbox", "/users/bob/inbox?x=1", "/inbox"];
    const unrouted = ["/users/bob/inbox/", "//users/bob/inbox", "/user%73/bob/inbox", "/users/bob/%69nbox", "/USERS/bob/inbox", "/inbox/", "/users/bob/inbox;x"];
    for (const path of [...guarded, ...unrouted]) {
      const reply = await deliver(await signedPost(stranger, `${inst.origin}${path}`, followActivity(stranger.iri, bob)));
      if (guarded.includes(path)) expect([path, reply.status, reply.error]).toEqual([path, 403, `${outsider.origin} is not a sibling of this instance`]);
      else expect([path, reply.status]).toEqual([path, 404]);
    }
  });

  it("unsigned: a POST to an inbox gets 401, a GET of a followers collection gets 401", async () => {
    const someone = await peer.createActor("unsigned");
    const body = JSON.stringify(followActivity(someone.iri, bob));
    const post = await deliver({ method: "POST", url: bobInbox, headers: { "content-type": "application/activity+json" }, body });
    expect(post.status).toBe(401);
    expect(post.error).toBe("the request is not signed");
    const get = await deliver({ method: "GET", url: bobFollowers, headers: { accept: "application/activity+json" } });
    expect(get.status).toBe(401);
    // A sibling's signed GET is allowed: the 401s above are about the missing signature.
    const signed = await deliver(await signedGet(someone, bobFollowers));
    expect(signed.status).toBe(200);
    expect(JSON.parse(signed.text).type).toBe("OrderedCollection");
  });
});

describe("who speaks for an actor", () => {
  it("case 1: a key whose document names the victim as owner cannot speak for the victim", async () => {
    const victim = await peer.createActor("victim1");
    const mallory = await peer.createActor("mallory1", { keyOwner: victim.iri });
    const reply = await deliver(await signedPost(mallory, bobInbox, followActivity(victim.iri, bob)));
    expect(reply.status).toBe(401);
    expect(reply.error).toBe("the signing key does not belong to the activity's actor");
    // Authorized fetch (Fedify's getSignedKey + our authorize predicate): the same forged key reads nothing.
    const get = await deliver(await signedGet(mallory, bobFollowers));
    expect(get.status).toBe(401);
    expect(await followsBy(inst.db.sql, victim.iri)).toEqual([]);
    // Nothing lost: the victim's own Follow goes through.
    const genuine = await deliver(await signedPost(victim, bobInbox, followActivity(victim.iri, bob)));
    expect(genuine.status).toBe(202);
    await inboxSettled(inst.db.sql);
    expect((await followsBy(inst.db.sql, victim.iri)).map((f) => f.state)).toEqual(["accepted"]);
  });

  it("case 2: a valid signature by one actor does not make an activity of another actor", async () => {
    const alice = await other.createActor("alice2");
    const eve = await peer.createActor("eve2");
    const crossOrigin = await deliver(await signedPost(eve, bobInbox, followActivity(alice.iri, bob, newId(eve.iri))));
    // A forward (issue #8 point 7): accepted so that the sender stops retrying, and ignored.
    expect(crossOrigin.status).toBe(202);
    expect(JSON.parse(crossOrigin.text)).toEqual({ ignored: `a forwarded activity (actor on ${other.origin}) is not processed` });
    const neighbour = await peer.createActor("neighbour2");
    const sameOrigin = await deliver(await signedPost(eve, bobInbox, followActivity(neighbour.iri, bob)));
    expect(sameOrigin.status).toBe(401);
    expect(sameOrigin.error).toBe("the signing key does not belong to the activity's actor");
    await inboxSettled(inst.db.sql);
    expect(await followsBy(inst.db.sql, alice.iri)).toEqual([]);
    expect(await followsBy(inst.db.sql, neighbour.iri)).toEqual([]);
    expect(await accountRow(inst.db.sql, alice.iri)).toBeUndefined();
  });

  it("case 3: an activity id on another origin is refused, and the genuine activity with that id still counts", async () => {
    const carol = await other.createActor("carol3");
    const mallory = await peer.createActor("mallory3");
    const stolenId = newId(carol.iri, "follow");
    const attack = await deliver(await signedPost(mallory, bobInbox, followActivity(mallory.iri, bob, stolenId)));
    expect(attack.status).toBe(401);
    expect(attack.error).toBe("the activity id is not on the actor's origin");
    const genuine = await deliver(await signedPost(carol, bobInbox, followActivity(carol.iri, bob, stolenId)));
    expect(genuine.status).toBe(202);
    await inboxSettled(inst.db.sql);
    expect(await followsBy(inst.db.sql, mallory.iri)).toEqual([]);
    expect(await followsBy(inst.db.sql, carol.iri)).toEqual([{ state: "accepted", iri: stolenId, target: bob }]);
  });

  it("case 5: an actor URL that redirects to another document does not confirm the key", async () => {
    const attacker = await peer.createActor("attacker5");
    // The victim's URL redirects to the attacker's own document…
    peer.route("/users/victim5", { status: 302, headers: { location: "/users/attacker5" } });
    const toAttacker = await deliver(await signedPost(attacker, bobInbox, followActivity(peer.url("/users/victim5"), bob)));
    expect(toAttacker.status).toBe(401);
    expect(toAttacker.error).toBe("the signing key does not belong to the activity's actor");
    // …or to an impostor document that claims the victim's id and lists a key claiming the victim as owner.
    const impostor = await peer.createActor("impostor5", { keyOwner: peer.url("/users/victim5b") });
    impostor.document.id = peer.url("/users/victim5b");
    peer.route("/users/victim5b", { status: 302, headers: { location: "/users/impostor5" } });
    const toImpostor = await deliver(await signedPost(impostor, bobInbox, followActivity(peer.url("/users/victim5b"), bob)));
    expect(toImpostor.status).toBe(401);
    expect(toImpostor.error).toBe("the signing key does not belong to the activity's actor");
    await inboxSettled(inst.db.sql);
    expect(await accountRow(inst.db.sql, peer.url("/users/victim5"))).toBeUndefined();
    expect(await accountRow(inst.db.sql, peer.url("/users/victim5b"))).toBeUndefined();
  });

  it("case 6: an actor served as application/json or image/png is not an actor", async () => {
    for (const contentType of ["application/json", "image/png"]) {
      const name = `uploaded6_${contentType.split("/")[1]}`;
      const actor = await peer.createActor(name);
      peer.route(`/users/${name}`, { contentType, body: actor.document });
      const reply = await deliver(await signedPost(actor, bobInbox, followActivity(actor.iri, bob)));
      expect(reply.status, contentType).toBe(401);
      expect(reply.error).toBe("the signing key does not belong to the activity's actor");
      expect(peer.hits(`/users/${name}`)).toBeGreaterThan(0); // fetched, then refused for its type
      expect(await accountRow(inst.db.sql, actor.iri)).toBeUndefined();
    }
  });

  it("case 7: an Update by one peer embedding another peer's Person leaves that account unchanged", async () => {
    const carol = await other.createActor("carol7");
    expect((await deliver(await signedPost(carol, bobInbox, followActivity(carol.iri, bob)))).status).toBe(202);
    await inboxSettled(inst.db.sql);
    const before = await accountRow(inst.db.sql, carol.iri);
    expect(before?.display_name).toBe("carol7 (hostile peer)");
    const mallory = await peer.createActor("mallory7");
    const { "@context": _context, ...person } = carol.document;
    const forged = { ...person, name: "Pwned by mallory", summary: "<p>pwned</p>", inbox: peer.url("/steal/inbox") };
    const update = activity({ id: newId(mallory.iri, "update"), type: "Update", actor: mallory.iri, object: forged });
    const reply = await deliver(await signedPost(mallory, bobInbox, update));
    expect(reply.status).toBe(202); // mallory may speak for mallory; the handler must not believe the embedded copy
    await inboxSettled(inst.db.sql);
    expect(await accountRow(inst.db.sql, carol.iri)).toEqual(before);
    // Nothing lost: carol's own Update is applied — sent with Mastodon's inline context, which the guard's
    // JSON-LD reading must accept as it is.
    carol.document.name = "Carol, renamed";
    const own = {
      ...activity({ id: newId(carol.iri, "update"), type: "Update", actor: carol.iri, object: { ...person, name: carol.document.name } }),
      "@context": MASTODON_CONTEXT,
    };
    expect((await deliver(await signedPost(carol, bobInbox, own))).status).toBe(202);
    await inboxSettled(inst.db.sql);
    expect((await accountRow(inst.db.sql, carol.iri))?.display_name).toBe("Carol, renamed");
  });

  it("an inline context that aliases `actor` cannot make the guard and Fedify read different actors", async () => {
    const victim = await other.createActor("victim_ld");
    // mallory's key claims the victim as owner, which is all Fedify 2.3.6 checks once it reads `sneaky` as the actor.
    const mallory = await peer.createActor("mallory_ld", { keyOwner: victim.iri });
    const aliased = {
      "@context": [AS_CONTEXT, { actor: "https://example.invalid/ns#decoy", sneaky: { "@id": "as:actor", "@type": "@id" } }],
      id: newId(mallory.iri, "follow"), type: "Follow", actor: mallory.iri, sneaky: victim.iri, object: bob,
    };
    const reply = await deliver(await signedPost(mallory, bobInbox, aliased));
    expect(reply.status).toBe(400);
    expect(reply.error).toBe("the activity's actor or id reads differently as JSON-LD");
    await inboxSettled(inst.db.sql);
    expect(await followsBy(inst.db.sql, victim.iri)).toEqual([]);
  });
});
