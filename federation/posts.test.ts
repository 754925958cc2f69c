// Issue #4's "Done when", over real HTTPS between three real instances: Paris and Lyon are siblings; Paris runs in
// open mode, so its public posts also reach the fediverse — here an outsider instance, whose employee follows
// a Paris employee. Internal stays within the group, local stays in Paris; so does a boost of an internal post.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, followAcross, signedFetchStatus, startTestInstance, type TestInstance } from "../test/instance.ts";
import { boost, like, receiveAnnounce } from "../server/domain/posts/interactions.ts";
import { listNotifications } from "../server/domain/notifications/notifications.ts";
import { loadPost, postIdByIri } from "../server/domain/posts/post-views.ts";
import { createPost, deletePost } from "../server/domain/posts/posts.ts";
import { groupTimeline, homeTimeline, threadContext } from "../server/domain/timelines/timelines.ts";
import { localViewer } from "../server/domain/audience/visibility.ts";
import { allSettled } from "../test/hostile-peer.ts";
import { createRestAPIClient } from "masto";
import { buildPostActivity } from "./outbox-posts.ts";
import { resolveHandle } from "./remote-actors.ts";

const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";

describe("posts across two siblings and an outsider", () => {
  let paris: TestInstance, lyon: TestInstance, outsider: TestInstance;
  beforeAll(async () => {
    [paris, lyon, outsider] = await Promise.all([
      startTestInstance({ name: "Paris", federation: "open" }),
      startTestInstance({ name: "Lyon" }),
      startTestInstance({ name: "Outsider", federation: "open" }),
    ]);
    await paris.addSibling(lyon.origin);
    await lyon.addSibling(paris.origin);
  });
  afterAll(async () => {
    await Promise.all([paris?.close(), lyon?.close(), outsider?.close()]);
  });

  it("internal reaches the sibling only, public reaches the outsider too, local stays; Lyon's answers reach Paris", async () => {
    const alice = await paris.createUser("alice");
    const bob = await lyon.createUser("bob");
    const olga = await outsider.createUser("olga");
    await followAcross(lyon, bob.account.id, paris, "alice");
    await followAcross(outsider, olga.account.id, paris, "alice");

    const internal = await createPost(paris.db.sql, paris.origin, alice.account.id, { text: "Résultats T3 #finance", visibility: "internal" });
    const pub = await createPost(paris.db.sql, paris.origin, alice.account.id, { text: "Nous recrutons !", visibility: "public" });
    const local = await createPost(paris.db.sql, paris.origin, alice.account.id, { text: "Cantine fermée", visibility: "local" });

    // Lyon: bob's home shows the internal and the public post, not the local one.
    const home = await eventually(async () => {
      const page = await homeTimeline(lyon.db.sql, bob.account.id);
      return page.items.length >= 2 ? page : null;
    }, 20_000, "Paris's posts in bob's home on Lyon");
    // Two posts travel as two independent jobs: they may arrive in either order (the home is in arrival order).
    const byIri = new Map(home.items.map((p) => [p.iri, p]));
    expect([...byIri.keys()].sort()).toEqual([pub.iri, internal.iri].sort());
    expect(byIri.get(pub.iri)?.visibility).toBe("public");
    expect(byIri.get(internal.iri)?.visibility).toBe("internal");
    expect(byIri.get(internal.iri)?.contentHtml).toContain("Résultats T3");
    // A Lyon employee who follows nobody sees them in the group-wide timeline (delivered to Lyon's shared inbox).
    const zoe = await lyon.createUser("zoe");
    const group = await groupTimeline(lyon.db.sql, localViewer(zoe.account.id), lyon.instance.data.siblings.list());
    expect(group.items.map((p) => p.iri).sort()).toEqual([pub.iri, internal.iri].sort());

    // The outsider gets the public post; the internal one (queued before it) never arrives.
    await eventually(async () => postIdByIri(outsider.db.sql, pub.iri), 20_000, "the public post on the outsider");
    // Positive signal before checking an absence: Paris has finished every delivery (no job due or running, nothing
    // due in Fedify's queue), so the internal post went wherever it was going to go. (Scheduled directory pulls
    // wait minutes ahead: only what is due now counts.)
    await allSettled(paris.db.sql);
    expect(await postIdByIri(outsider.db.sql, internal.iri)).toBeNull();
    const [{ n }] = await outsider.db.sql`SELECT count(*)::int AS n FROM posts`;
    expect(n).toBe(1);
    expect(await postIdByIri(lyon.db.sql, local.iri)).toBeNull();

    // Authorized fetch: the outsider's signed GET of the internal post is forbidden, the sibling's allowed; nobody
    // outside Paris reads the local one; unsigned requests are told to sign.
    expect(await signedFetchStatus(outsider, internal.iri)).toBe(403);
    expect(await signedFetchStatus(lyon, internal.iri)).toBe(200);
    expect(await signedFetchStatus(lyon, local.iri)).toBe(403);
    expect(await signedFetchStatus(outsider, pub.iri)).toBe(200);
    const unsigned = await fetch(internal.iri, { headers: { Accept: "application/activity+json" } });
    expect(unsigned.status).toBe(401);

    // Lyon answers, likes the internal post and boosts the public one.
    const internalOnLyon = (await postIdByIri(lyon.db.sql, internal.iri))!;
    const pubOnLyon = (await postIdByIri(lyon.db.sql, pub.iri))!;
    const reply = await createPost(lyon.db.sql, lyon.origin, bob.account.id, { text: "Bravo !", inReplyToId: internalOnLyon });
    expect(reply.visibility).toBe("internal");
    await like(lyon.db.sql, lyon.origin, bob.account.id, internalOnLyon);
    await boost(lyon.db.sql, lyon.origin, bob.account.id, pubOnLyon);

    const aliceSees = localViewer(alice.account.id);
    await eventually(async () => {
      const [i, p] = await Promise.all([loadPost(paris.db.sql, internal.id, aliceSees), loadPost(paris.db.sql, pub.id, aliceSees)]);
      return i?.counts.likes === 1 && i.counts.replies === 1 && p?.counts.boosts === 1;
    }, 20_000, "the reply, like and boost on Paris");
    const thread = await threadContext(paris.db.sql, aliceSees, internal.id);
    expect(thread?.descendants.map((d) => [d.iri, d.visibility, d.account.username])).toEqual([[reply.iri, "internal", "bob"]]);
    const notes = (await listNotifications(paris.db.sql, alice.account.id)).items.map((x) => `${x.type}:${x.from.username}`);
    expect(notes).toEqual(expect.arrayContaining(["reply:bob", "favourite:bob", "reblog:bob", "follow:bob", "follow:olga"]));

    // Alice deletes the public post: it disappears on Lyon and on the outsider (Delete(Tombstone)).
    await deletePost(paris.db.sql, pub.id, alice.account.id, paris.dataDir);
    await eventually(async () => (await postIdByIri(lyon.db.sql, pub.iri)) == null && (await postIdByIri(outsider.db.sql, pub.iri)) == null,
      20_000, "the Delete reaching Lyon and the outsider");
  });

  it("a boost of an internal post keeps its audience: the sibling gets the Announce, the outsider does not; followers-only and direct are refused (issue #8 point 17)", async () => {
    const anna = await paris.createUser("anna");
    const carol = await paris.createUser("carol");
    const bruno = await lyon.createUser("bruno");
    const oscar = await outsider.createUser("oscar");
    // Carol (the booster) is followed by a sibling's employee and by the outsider.
    await followAcross(lyon, bruno.account.id, paris, "carol");
    await followAcross(outsider, oscar.account.id, paris, "carol");

    const internal = await createPost(paris.db.sql, paris.origin, anna.account.id, { text: "Résultats T3, pour le groupe", visibility: "internal" });
    const followersOnly = await createPost(paris.db.sql, paris.origin, anna.account.id, { text: "Pour mes abonnés", visibility: "followers" });
    const direct = await createPost(paris.db.sql, paris.origin, anna.account.id, { text: "@carol entre nous", visibility: "direct" });
    await paris.db.sql`INSERT INTO follows (follower_id, following_id, state, iri) VALUES (${carol.account.id}, ${anna.account.id}, 'accepted', ${`${paris.origin}/f/1`})`;

    const api = createRestAPIClient({ url: paris.origin, accessToken: carol.token });
    const boosted = await api.v1.statuses.$select(internal.id).reblog();
    expect(boosted.reblog?.id).toBe(internal.id);
    expect(boosted.reblog?.reblogged).toBe(true);
    for (const id of [followersOnly.id, direct.id]) {
      await expect(api.v1.statuses.$select(id).reblog()).rejects.toMatchObject({ statusCode: 422 });
    }

    // The Announce is addressed like an internal post: the booster's followers and the group's audience, never Public.
    const [boostRow] = await paris.db.sql`SELECT id::text, iri, visibility FROM posts WHERE reblog_of_id = ${internal.id}`;
    expect(boostRow.visibility).toBe("internal");
    const built = await buildPostActivity(paris.instance.context(), { kind: "announce", boostId: boostRow.id });
    const addressed = [...built!.activity.toIds, ...built!.activity.ccIds].map((u) => u.href);
    expect(addressed).not.toContain(PUBLIC);
    expect(addressed).toEqual(expect.arrayContaining([`${paris.origin}/users/carol/followers`, `${paris.origin}/ap/audiences/internal`]));

    // Lyon gets the boost: bruno's home shows carol's boost of anna's internal post.
    const home = await eventually(async () => {
      const page = await homeTimeline(lyon.db.sql, bruno.account.id);
      return page.items.find((p) => p.iri === boostRow.iri) ?? null;
    }, 45_000, "carol's boost in bruno's home on Lyon");
    expect(home.reblog?.iri).toBe(internal.iri);
    expect(home.visibility).toBe("internal");

    // The outsider gets nothing: once Paris has finished every delivery, neither the boost nor the post is there.
    await allSettled(paris.db.sql);
    expect(await postIdByIri(outsider.db.sql, boostRow.iri)).toBeNull();
    expect(await postIdByIri(outsider.db.sql, internal.iri)).toBeNull();

    // Bruno boosts it back from Lyon: Paris counts it (a sibling's employee may read the original).
    const onLyon = (await postIdByIri(lyon.db.sql, internal.iri))!;
    await createRestAPIClient({ url: lyon.origin, accessToken: bruno.token }).v1.statuses.$select(onLyon).reblog();
    await eventually(async () => (await loadPost(paris.db.sql, internal.id, localViewer(anna.account.id)))?.counts.boosts === 2,
      20_000, "bruno's boost counted on Paris");

    // An outsider's Announce of the internal post (were one to name it) gains nothing: the booster cannot read it.
    const oscarOnParis = await resolveHandle(paris.instance.context(), `@oscar@${outsider.host}`);
    const counted = await receiveAnnounce(paris.db.sql, {
      iri: `${outsider.origin}/announce/1`, accountId: oscarOnParis!.id, origin: outsider.origin, postId: internal.id, createdAt: new Date(),
      viewer: { kind: "remote", accountId: oscarOnParis!.id, domain: oscarOnParis!.domain!, sibling: false, instanceActor: false },
    });
    expect(counted).toBe(false);
  }, 90_000); // three instances and a delivery round trip: slow on a busy two-core machine
});
