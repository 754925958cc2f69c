// HTTP signature mechanics (corpus cases 11, 12, 13, 14) and the ways around them that Fedify 2.3.6 leaves open:
// Linked Data signatures that replace the HTTP signature, Signature headers Fedify parses differently from us,
// several RFC 9421 signatures, requests signed for another host. Every attack goes to a running instance.
import { signJsonLd } from "@fedify/fedify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, startTestInstance, type TestInstance } from "../test/instance.ts";
import {
  allSettled, AS_CONTEXT, deliver, digestOf, followActivity, followsBy, handSignedPost, inboxSettled, SECURITY_CONTEXT,
  signedGet, signedPost, startHostilePeer, type HostilePeer, type Outgoing,
} from "../test/hostile-peer.ts";
import { createContextLoader } from "./document-loader.ts";

let inst: TestInstance, peer: HostilePeer, outsider: HostilePeer;
let bob: string, bobInbox: string;
const HOUR = 3_600_000;

beforeAll(async () => {
  [inst, peer, outsider] = await Promise.all([startTestInstance({ name: "Lyon" }), startHostilePeer(), startHostilePeer()]);
  await inst.addSibling(peer.origin);
  await inst.createUser("bob");
  bob = `${inst.origin}/users/bob`;
  bobInbox = `${bob}/inbox`;
});
afterAll(async () => {
  await Promise.all([inst?.close(), peer?.close(), outsider?.close()]);
});

const accepts = (followId: string) =>
  peer.inboxPosts().filter((p) => p.type === "Accept" && JSON.stringify(p.object).includes(followId)).length;

describe("what the signature must cover", () => {
  it("case 11: a body swapped after signing is refused, whether or not the Digest is recomputed", async () => {
    const fan = await peer.createActor("fan11");
    const genuine = await signedPost(fan, bobInbox, followActivity(fan.iri, bob));
    const swapped = JSON.stringify(followActivity(fan.iri, `${inst.origin}/users/someone_else`));
    const keptDigest = await deliver({ ...genuine, body: swapped });
    expect(keptDigest.status).toBe(401);
    expect(keptDigest.error).toBe("the body does not match its Digest");
    const newDigest = await deliver({ ...genuine, headers: { ...genuine.headers, digest: digestOf(swapped) }, body: swapped });
    expect(newDigest.status).toBe(401);
    expect(newDigest.error).toBe("the signature does not verify");
    expect(await followsBy(inst.db.sql, fan.iri)).toEqual([]);
    // Nothing lost: the request as signed goes through.
    expect((await deliver(genuine)).status).toBe(202);
    await inboxSettled(inst.db.sql);
    expect((await followsBy(inst.db.sql, fan.iri)).map((f) => f.target)).toEqual([bob]);
  });

  it("case 12: a signature that leaves out the Digest or the Host is refused", async () => {
    const fan = await peer.createActor("fan12");
    const body = followActivity(fan.iri, bob);
    const noDigest = await deliver(await handSignedPost(fan, bobInbox, body, { digest: null, covered: ["(request-target)", "host", "date"] }));
    expect(noDigest.status).toBe(401);
    expect(noDigest.error).toBe("the signature does not cover digest");
    const unsignedDigest = await deliver(await handSignedPost(fan, bobInbox, body, { covered: ["(request-target)", "host", "date"] }));
    expect(unsignedDigest.status).toBe(401);
    expect(unsignedDigest.error).toBe("the signature does not cover digest");
    const unsignedHost = await deliver(await handSignedPost(fan, bobInbox, body, { covered: ["(request-target)", "date", "digest"] }));
    expect(unsignedHost.status).toBe(401);
    expect(unsignedHost.error).toBe("the signature does not cover host");
    // The hand-made signature is otherwise right: covering everything, it is accepted.
    expect((await deliver(await handSignedPost(fan, bobInbox, body))).status).toBe(202);
    await inboxSettled(inst.db.sql);
    expect(await followsBy(inst.db.sql, fan.iri)).toHaveLength(1);
  });

  it("case 12: a request signed for another host and replayed here, with its Host, is refused", async () => {
    const fan = await peer.createActor("fan12host");
    const elsewhere = "https://localhost:1/users/bob";
    const post: Outgoing = { ...(await signedPost(fan, `${elsewhere}/inbox`, followActivity(fan.iri, elsewhere))), url: bobInbox };
    const reply = await deliver(post);
    expect(reply.status).toBe(401);
    expect(reply.error).toBe("the signed request was made for another host");
    // The same confused deputy with a signed GET (a sibling fetching from a hostile server that redirected it).
    const get: Outgoing = { ...(await signedGet(fan, `${elsewhere}/followers`)), url: `${bob}/followers` };
    const read = await deliver(get);
    expect(read.status).toBe(401);
    expect(read.error).toBe("the signed request was made for another host");
    await inboxSettled(inst.db.sql);
    expect(await followsBy(inst.db.sql, fan.iri)).toEqual([]);
  });
});

describe("when a signature was made", () => {
  it("case 13: the same signed request twice is answered 202 twice and has one effect", async () => {
    const fan = await peer.createActor("fan13");
    const follow = followActivity(fan.iri, bob);
    const request = await signedPost(fan, bobInbox, follow);
    expect((await deliver(request)).status).toBe(202);
    await eventually(async () => accepts(follow.id as string) === 1, 15_000, "the Accept");
    expect((await deliver(request)).status).toBe(202);
    await inboxSettled(inst.db.sql);
    await allSettled(inst.db.sql);
    expect(await followsBy(inst.db.sql, fan.iri)).toEqual([{ state: "accepted", iri: follow.id, target: bob }]);
    expect(accepts(follow.id as string)).toBe(1);
  });

  it("case 13: a Date two hours old or two hours ahead is refused", async () => {
    const fan = await peer.createActor("fan13date");
    for (const date of [new Date(Date.now() - 2 * HOUR), new Date(Date.now() + 2 * HOUR)]) {
      const reply = await deliver(await signedPost(fan, bobInbox, followActivity(fan.iri, bob), { date }));
      expect(reply.status).toBe(401);
      expect(reply.error).toBe("the signed request's Date is outside the accepted window");
    }
    await inboxSettled(inst.db.sql);
    expect(await followsBy(inst.db.sql, fan.iri)).toEqual([]);
  });
});

describe("ways around the HTTP signature", () => {
  it("RFC 9421 signatures from Fedify's own signer are accepted (the strict parser reads them)", async () => {
    const fan = await peer.createActor("fan9421");
    expect((await deliver(await signedPost(fan, bobInbox, followActivity(fan.iri, bob), { spec: "rfc9421" }))).status).toBe(202);
    await inboxSettled(inst.db.sql);
    expect(await followsBy(inst.db.sql, fan.iri)).toHaveLength(1);
  });

  it("a forged HTTP signature cannot hide behind a Linked Data signature by a key claiming the victim", async () => {
    const victim = await peer.createActor("victim_ld");
    const forger = await outsider.createActor("forger_ld", { keyOwner: victim.iri });
    const follow = { ...followActivity(victim.iri, bob), "@context": [AS_CONTEXT, SECURITY_CONTEXT] };
    const ldSigned = await signJsonLd(follow, forger.privateKey, new URL(forger.keyId), { contextLoader: createContextLoader() });
    // The HTTP signature names the victim's real key but is made with the forger's: only the LD signature verifies.
    const reply = await deliver(await handSignedPost({ privateKey: forger.privateKey, keyId: victim.keyId }, bobInbox, ldSigned));
    expect(reply.status).toBe(401);
    expect(reply.error).toBe("the signature does not verify");
    await inboxSettled(inst.db.sql);
    expect(await followsBy(inst.db.sql, victim.iri)).toEqual([]);
  });

  it("a Signature header that Fedify would read with another keyId is refused", async () => {
    const victim = await peer.createActor("victim_pd");
    const forger = await outsider.createActor("forger_pd", { keyOwner: victim.iri });
    // A lenient regex sees the sibling's keyId last; Fedify skips the malformed pair and verifies the forger's key.
    const reply = await deliver(await handSignedPost(forger, bobInbox, followActivity(victim.iri, bob), {
      signatureSuffix: `,x=1 keyId="${victim.keyId}"`,
    }));
    expect(reply.status).toBe(401);
    expect(reply.error).toBe("malformed signature header");
    await inboxSettled(inst.db.sql);
    expect(await followsBy(inst.db.sql, victim.iri)).toEqual([]);
  });

  it("two RFC 9421 signatures are refused: we check one key, Fedify would accept any", async () => {
    const victim = await peer.createActor("victim_2sig");
    const forger = await outsider.createActor("forger_2sig", { keyOwner: victim.iri });
    const out = await signedPost(forger, bobInbox, followActivity(victim.iri, bob), { spec: "rfc9421" });
    const created = Math.floor(Date.now() / 1000);
    out.headers["signature-input"] = `sig0=("@method" "@target-uri" "content-digest");keyid="${victim.keyId}";created=${created}, ${out.headers["signature-input"]}`;
    out.headers.signature = `sig0=:AAAA:, ${out.headers.signature}`;
    const reply = await deliver(out);
    expect(reply.status).toBe(401);
    expect(reply.error).toBe("malformed signature header");
    await inboxSettled(inst.db.sql);
    expect(await followsBy(inst.db.sql, victim.iri)).toEqual([]);
  });

  it("case 14: a symmetric algorithm is refused", async () => {
    const fan = await peer.createActor("fan14");
    const reply = await deliver(await handSignedPost(fan, bobInbox, followActivity(fan.iri, bob), { algorithm: "hmac-sha256" }));
    expect(reply.status).toBe(401);
    expect(reply.error).toBe("signature algorithm hmac-sha256 is not accepted");
  });
});
