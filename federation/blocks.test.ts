// Blocks across two real sibling instances over HTTPS, signatures on (issue #8 point 14): Alice (Paris) blocks Bob
// (Lyon). The Block reaches Lyon, which ends the follows both ways and keeps Bob away from Alice's posts there;
// Paris stops delivering to him and refuses his signed fetches; Undo(Block) lifts it on both sides.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, signedFetchStatus, startSiblings, type TestInstance } from "../test/instance.ts";
import { findAccountByIri } from "../server/domain/accounts/accounts.ts";
import { block, unblock } from "../server/domain/blocks/blocks.ts";
import { follow, listFollowers, listFollowing, relationships } from "../server/domain/follows/follows.ts";
import { canRead, localViewer } from "../server/domain/audience/visibility.ts";
import { postIdByIri } from "../server/domain/posts/post-views.ts";
import { createPost } from "../server/domain/posts/posts.ts";
import { groupTimeline } from "../server/domain/timelines/timelines.ts";
import { postRecipients } from "./outbox-posts.ts";
import { resolveHandle } from "./remote-actors.ts";

describe("blocks between sibling instances", () => {
  let paris: TestInstance, lyon: TestInstance;
  beforeAll(async () => {
    [paris, lyon] = await startSiblings("Paris", "Lyon");
  });
  afterAll(async () => {
    await Promise.all([paris?.close(), lyon?.close()]);
  });

  it("Alice blocks Bob: Lyon ends the follows and hides her posts from him; Paris stops sending them; Undo lifts it", async () => {
    const alice = await paris.createUser("alice");
    const bob = await lyon.createUser("bob");
    const carol = await lyon.createUser("carol");
    const bobAtParis = (await resolveHandle(paris.instance.context(), `@bob@${lyon.host}`))!;
    const aliceAtLyon = (await resolveHandle(lyon.instance.context(), `@alice@${paris.host}`))!;
    // They follow each other; Carol follows Alice too.
    await follow(paris.db.sql, paris.origin, alice.account.id, bobAtParis.id);
    await follow(lyon.db.sql, lyon.origin, bob.account.id, aliceAtLyon.id);
    await follow(lyon.db.sql, lyon.origin, carol.account.id, aliceAtLyon.id);
    await eventually(async () => (await listFollowing(lyon.db.sql, bob.account.id)).items.length === 1
      && (await listFollowing(paris.db.sql, alice.account.id)).items.length === 1, 15_000, "both follows accepted");
    const before = await createPost(paris.db.sql, paris.origin, alice.account.id, { text: "avant", visibility: "public" });
    expect(await signedFetchStatus(lyon, before.iri, "bob")).toBe(200); // control: Bob's signed fetch works before

    await block(paris.db.sql, paris.origin, alice.account.id, bobAtParis.id);
    // Lyon records the Block: Bob is blocked by Alice, and neither follows the other any more.
    await eventually(async () => (await relationships(lyon.db.sql, bob.account.id, [aliceAtLyon.id]))[0].blockedBy, 15_000, "the Block on Lyon");
    const [rel] = await relationships(lyon.db.sql, bob.account.id, [aliceAtLyon.id]);
    expect(rel).toMatchObject({ following: false, followedBy: false, blocking: false, blockedBy: true });
    expect((await listFollowers(paris.db.sql, alice.account.id)).items.map((a) => a.id)).not.toContain(bobAtParis.id);
    // Bob cannot follow her again from Lyon.
    await expect(follow(lyon.db.sql, lyon.origin, bob.account.id, aliceAtLyon.id)).rejects.toMatchObject({ code: "blocked" });

    // Paris: a post naming Bob is not addressed to his inbox, and his signed fetches of her posts are refused.
    expect(await postRecipients(paris.instance.context(), alice.account, "direct", [bobAtParis.id])).toEqual([]);
    expect(await signedFetchStatus(lyon, before.iri, "bob")).toBe(403);
    expect(await signedFetchStatus(lyon, before.iri, "carol")).toBe(200);

    // An internal post reaches Lyon (Carol sees it in the group timeline); Bob does not.
    const internal = await createPost(paris.db.sql, paris.origin, alice.account.id, { text: "résultats du trimestre", visibility: "internal" });
    const there = await eventually(() => postIdByIri(lyon.db.sql, internal.iri), 15_000, "the internal post on Lyon");
    expect((await groupTimeline(lyon.db.sql, localViewer(carol.account.id), [paris.origin])).items.map((p) => p.iri)).toContain(internal.iri);
    expect((await groupTimeline(lyon.db.sql, localViewer(bob.account.id), [paris.origin])).items.map((p) => p.iri)).not.toContain(internal.iri);
    expect(await canRead(lyon.db.sql, localViewer(bob.account.id), there)).toBe(false);

    // Undo(Block): Lyon forgets it, Bob reads her posts again.
    await unblock(paris.db.sql, alice.account.id, bobAtParis.id);
    await eventually(async () => !(await relationships(lyon.db.sql, bob.account.id, [aliceAtLyon.id]))[0].blockedBy, 15_000, "the Undo on Lyon");
    expect(await canRead(lyon.db.sql, localViewer(bob.account.id), there)).toBe(true);
    expect(await signedFetchStatus(lyon, before.iri, "bob")).toBe(200);
    expect((await findAccountByIri(lyon.db.sql, `${paris.origin}/users/alice`))?.id).toBe(aliceAtLyon.id);
  });
});
