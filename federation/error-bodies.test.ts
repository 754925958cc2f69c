// Issue #8 point 12: ActivityPub clients get JSON error bodies (`{"error": "…"}`, application/json) from every
// federation route — activitypub-testing and others crash on plain text — and, in open mode, any correctly signed
// server may read followers/following collections (siblings mode keeps them to siblings).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestInstance, type TestInstance } from "../test/instance.ts";
import { deliver, signedGet, signedPost, followActivity, startHostilePeer, type HostilePeer } from "../test/hostile-peer.ts";
import { createPost } from "../server/domain/posts/posts.ts";

const AP = { Accept: "application/activity+json" };

async function expectJsonError(res: Response, status: number) {
  expect([res.url, res.status]).toEqual([res.url, status]);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  const body = await res.json();
  expect(typeof body.error).toBe("string");
  expect(body.error.length).toBeGreaterThan(0);
}

describe("ActivityPub error bodies", () => {
  let paris: TestInstance, open: TestInstance, peer: HostilePeer;
  beforeAll(async () => {
    [paris, open, peer] = await Promise.all([startTestInstance({ name: "Paris" }), startTestInstance({ name: "Open", federation: "open" }), startHostilePeer()]);
    await paris.addSibling(peer.origin);
    await paris.createUser("alice");
    await open.createUser("olga");
  });
  afterAll(async () => {
    await Promise.all([paris?.close(), open?.close(), peer?.close()]);
  });

  it("answers 401, 403 and 404 of actors, objects and collections as JSON", async () => {
    const alice = (await paris.db.sql`SELECT id::text FROM accounts WHERE username = 'alice'`)[0].id as string;
    const internal = await createPost(paris.db.sql, paris.origin, alice, { text: "Interne", visibility: "internal" });
    await expectJsonError(await fetch(`${paris.origin}/users/nobody`, { headers: AP }), 404);
    await expectJsonError(await fetch(`${paris.origin}/ap/note/999999999`, { headers: AP }), 404);
    await expectJsonError(await fetch(internal.iri, { headers: AP }), 401);
    await expectJsonError(await fetch(`${paris.origin}/users/alice/followers`, { headers: AP }), 401);
    await expectJsonError(await fetch(`${paris.origin}/users/alice/outbox`, { headers: AP }), 401);
    // A sibling signs, but the local post is not for it.
    const local = await createPost(paris.db.sql, paris.origin, alice, { text: "Cantine", visibility: "local" });
    const sib = await peer.createActor("sib");
    const forbidden = await deliver(await signedGet(sib, local.iri));
    expect([forbidden.status, JSON.parse(forbidden.text).error]).toEqual([403, expect.any(String)]);
    // An inbox of nobody.
    const nobodyInbox = await deliver(await signedPost(sib, `${paris.origin}/users/nobody/inbox`, followActivity(sib.iri, `${paris.origin}/users/nobody`)));
    expect([nobodyInbox.status, typeof JSON.parse(nobodyInbox.text).error]).toEqual([404, "string"]);
  });

  it("in open mode, any signed server reads followers and following; unsigned still gets a JSON 401", async () => {
    const stranger = await peer.createActor("stranger");
    for (const path of ["followers", "following"]) {
      const res = await deliver(await signedGet(stranger, `${open.origin}/users/olga/${path}`));
      expect([path, res.status]).toEqual([path, 200]);
      expect(JSON.parse(res.text).type).toBe("OrderedCollection");
      await expectJsonError(await fetch(`${open.origin}/users/olga/${path}`, { headers: AP }), 401);
    }
  });
});
