// Issue #8 point 7: an activity forwarded by another server (its signer's origin is not the actor's) is answered
// 202 — so the sender stops retrying — logged, and not acted on: a sibling cannot make a Paris employee like a post.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSiblings, type TestInstance } from "../test/instance.ts";
import { activity, deliver, inboxSettled, newId, signedPost } from "../test/hostile-peer.ts";
import { recordLogs } from "../test/log-records.ts";
import { loadPost } from "../server/domain/posts/post-views.ts";
import { createPost } from "../server/domain/posts/posts.ts";
import { localViewer } from "../server/domain/audience/visibility.ts";
import { INSTANCE_ACTOR } from "./context.ts";

const records = recordLogs(["ruche", "federation", "guard"], "info");

describe("a forwarded activity", () => {
  let paris: TestInstance, lyon: TestInstance;
  beforeAll(async () => {
    [paris, lyon] = await startSiblings("Paris", "Lyon");
  });
  afterAll(async () => {
    await Promise.all([paris?.close(), lyon?.close()]);
  });

  it("Lyon forwarding a Like by a Paris employee gets 202, is logged, and likes nothing", async () => {
    const alice = await paris.createUser("alice");
    const carol = await paris.createUser("carol");
    const post = await createPost(paris.db.sql, paris.origin, alice.account.id, { text: "Bilan du trimestre", visibility: "internal" });
    // Lyon's instance actor signs, with its real key, a Like whose actor is carol on Paris.
    const [key] = await lyon.instance.context().getActorKeyPairs(INSTANCE_ACTOR);
    const like = activity({ id: newId(carol.account.iri), type: "Like", actor: carol.account.iri, object: post.iri });
    records.length = 0;
    const reply = await deliver(await signedPost({ privateKey: key.privateKey, keyId: key.keyId.href }, `${paris.origin}/inbox`, like));
    expect(reply.status).toBe(202);
    expect(JSON.parse(reply.text)).toEqual({ ignored: `a forwarded activity (actor on ${paris.origin}) is not processed` });
    expect(records.map((r) => [r.properties.status, r.properties.error, r.properties.signer])).toEqual([
      [202, `a forwarded activity (actor on ${paris.origin}) is not processed`, lyon.origin],
    ]);
    await inboxSettled(paris.db.sql);
    expect((await loadPost(paris.db.sql, post.id, localViewer(alice.account.id)))?.counts.likes).toBe(0);
  });

  it("a forward whose signature does not verify is still refused with 401", async () => {
    const bob = await paris.createUser("bob");
    const [key] = await lyon.instance.context().getActorKeyPairs(INSTANCE_ACTOR);
    const like = activity({ id: newId(bob.account.iri), type: "Like", actor: bob.account.iri, object: `${paris.origin}/users/bob` });
    const out = await signedPost({ privateKey: key.privateKey, keyId: key.keyId.href }, `${paris.origin}/inbox`, like);
    out.headers.signature = out.headers.signature.replace(/signature="[^"]{8}/, 'signature="AAAAAAAA');
    const reply = await deliver(out);
    expect(reply.status).toBe(401);
    expect(reply.error).toBe("the signature does not verify");
  });
});
