// The posts part of the Mastodon client API, driven by masto (a real client) against a real instance.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRestAPIClient, type mastodon } from "masto";
import { startTestInstance, type TestInstance } from "../../../test/instance.ts";
import { pngWithMetadata } from "../../../test/png.ts";

describe("statuses, timelines and notifications through the Mastodon API", () => {
  let paris: TestInstance;
  let alice: mastodon.rest.Client, bob: mastodon.rest.Client, carol: mastodon.rest.Client;
  let aliceId: string, bobId: string, carolId: string, aliceToken: string;
  beforeAll(async () => {
    paris = await startTestInstance({ name: "Paris" });
    const users = await Promise.all(["alice", "bob", "carol"].map((u) => paris.createUser(u)));
    [aliceId, bobId, carolId] = users.map((u) => u.account.id);
    aliceToken = users[0].token;
    [alice, bob, carol] = users.map((u) => createRestAPIClient({ url: paris.origin, accessToken: u.token }));
    await bob.v1.accounts.$select(aliceId).follow();
  });
  afterAll(async () => {
    await paris?.close();
  });

  it("creates posts (idempotently), maps internal to private + ruche_visibility, and fills the follower's home", async () => {
    const meta = { requestInit: { headers: { "Idempotency-Key": "post-1" } } };
    const first = await alice.v1.statuses.create({ status: "Point d'équipe #projet" }, meta);
    const again = await alice.v1.statuses.create({ status: "Point d'équipe #projet" }, meta);
    expect(again.id).toBe(first.id);
    expect(first.visibility).toBe("private");
    expect((first as unknown as { rucheVisibility: string }).rucheVisibility).toBe("internal");
    expect(first.tags.map((t) => t.name)).toEqual(["projet"]);
    const pub = await alice.v1.statuses.create({ status: "Hello world", visibility: "public" });
    expect(pub.visibility).toBe("public");
    const followersOnly = await alice.v1.statuses.create({ status: "Followers", visibility: "private" });
    expect((followersOnly as unknown as { rucheVisibility: string }).rucheVisibility).toBe("followers");

    const home = await bob.v1.timelines.home.list({ limit: 10 });
    expect(home.map((s) => s.id)).toEqual([followersOnly.id, pub.id, first.id]);
    // carol does not follow alice: the followers-only post is a 404 for her, the others readable.
    await expect(carol.v1.statuses.$select(followersOnly.id).fetch()).rejects.toMatchObject({ statusCode: 404 });
    expect((await carol.v1.statuses.$select(first.id).fetch()).id).toBe(first.id);
    // The group-wide and local timelines show public and internal posts, not followers-only ones.
    expect((await carol.v1.timelines.public.list({ local: true })).map((s) => s.id)).toEqual([pub.id, first.id]);

    // Link-header pagination, newest first.
    const res = await fetch(`${paris.origin}/api/v1/timelines/home?limit=2`, { headers: { Authorization: `Bearer ${aliceToken}` } });
    const link = res.headers.get("link") ?? "";
    expect(link).toContain(`max_id=${pub.id}`);
    expect(link).toContain('rel="next"');
    const older = await fetch(/<([^>]+)>; rel="next"/.exec(link)![1], { headers: { Authorization: `Bearer ${aliceToken}` } });
    expect(((await older.json()) as { id: string }[]).map((s) => s.id)).toEqual([first.id]);
    // Without a token, a siblings-mode instance answers nothing.
    expect((await fetch(`${paris.origin}/api/v1/timelines/public`)).status).toBe(401);
  });

  it("favourites, boosts, bookmarks, pins, replies and their notifications with unread counts and markers", async () => {
    const post = await alice.v1.statuses.create({ status: "À partager", visibility: "public" });
    const internal = await alice.v1.statuses.create({ status: "Interne" });
    expect((await bob.v1.statuses.$select(post.id).favourite()).favourited).toBe(true);
    const boost = await bob.v1.statuses.$select(post.id).reblog();
    expect(boost.reblog?.id).toBe(post.id);
    // An internal post is boosted within its audience; a followers-only one is not boosted (bob follows alice).
    expect((await bob.v1.statuses.$select(internal.id).reblog()).reblog?.id).toBe(internal.id);
    expect((await bob.v1.statuses.$select(internal.id).unreblog()).reblogged).toBe(false);
    const followersOnly = await alice.v1.statuses.create({ status: "Abonnés", visibility: "private" });
    await expect(bob.v1.statuses.$select(followersOnly.id).reblog()).rejects.toMatchObject({ statusCode: 422 });
    expect((await bob.v1.statuses.$select(post.id).bookmark()).bookmarked).toBe(true);
    expect((await bob.v1.bookmarks.list()).map((s) => s.id)).toEqual([post.id]);
    expect((await alice.v1.statuses.$select(post.id).pin()).pinned).toBe(true);
    expect((await alice.v1.accounts.$select(aliceId).statuses.list({ pinned: true })).map((s) => s.id)).toEqual([post.id]);
    const reply = await bob.v1.statuses.create({ status: "@alice merci", inReplyToId: post.id, visibility: "public" });
    const ctx = await carol.v1.statuses.$select(post.id).context.fetch();
    expect(ctx.descendants.map((s) => s.id)).toEqual([reply.id]);
    expect((await alice.v1.statuses.$select(post.id).fetch())).toMatchObject({ favouritesCount: 1, reblogsCount: 1, repliesCount: 1 });

    const notifications = await alice.v1.notifications.list();
    expect(notifications.map((n) => `${n.type}:${n.account?.username}`)).toEqual(
      expect.arrayContaining(["favourite:bob", "reblog:bob", "mention:bob", "follow:bob"]));
    expect((await alice.v1.notifications.unreadCount.fetch()).count).toBe(notifications.length);
    await alice.v1.markers.create({ notifications: { lastReadId: notifications[0].id } });
    expect((await alice.v1.notifications.unreadCount.fetch()).count).toBe(0);
    expect((await alice.v1.markers.fetch({ timeline: ["notifications"] })).notifications?.lastReadId).toBe(notifications[0].id);
  });

  it("edits with history, deletes with the source text, follows hashtags and mutes people", async () => {
    const post = await carol.v1.statuses.create({ status: "v1 #sécurité", visibility: "public" });
    const edited = await carol.v1.statuses.$select(post.id).update({ status: "v2 #sécurité" });
    expect(edited.editedAt).not.toBeNull();
    expect((await carol.v1.statuses.$select(post.id).history.list()).map((v) => v.content)).toEqual([
      expect.stringContaining("v1"), expect.stringContaining("v2"),
    ]);
    // bob follows the hashtag, not carol: her post joins his home; muting her removes it again.
    await bob.v1.tags.$select("sécurité").follow();
    expect((await bob.v1.followedTags.list()).map((t) => t.name)).toEqual(["sécurité"]);
    expect((await bob.v1.timelines.home.list()).map((s) => s.id)).toContain(post.id);
    expect((await bob.v1.timelines.tag.$select("sécurité").list()).map((s) => s.id)).toEqual([post.id]);
    await bob.v1.accounts.$select(carolId).mute();
    expect((await bob.v1.timelines.home.list()).map((s) => s.id)).not.toContain(post.id);
    expect((await bob.v1.mutes.list()).map((a) => a.id)).toEqual([carolId]);
    await bob.v1.accounts.$select(carolId).unmute();
    // A muted word hides it too, until the filter goes.
    const filter = await bob.v1.filters.create({ phrase: "v2", context: ["home"], wholeWord: true });
    expect((await bob.v1.timelines.home.list()).map((s) => s.id)).not.toContain(post.id);
    await bob.v1.filters.$select(filter.id).remove();
    expect((await bob.v1.timelines.home.list()).map((s) => s.id)).toContain(post.id);
    // A filter for an hour says when it ends; once it has, it hides nothing.
    const brief = await bob.v1.filters.create({ phrase: "v2", context: ["home"], wholeWord: true, expiresIn: 3600 });
    expect(Date.parse(brief.expiresAt!) - Date.now()).toBeGreaterThan(3500_000);
    expect((await bob.v1.timelines.home.list()).map((s) => s.id)).not.toContain(post.id);
    await paris.db.sql`UPDATE word_mutes SET expires_at = now() - interval '1 second' WHERE id = ${brief.id}`;
    expect((await bob.v1.timelines.home.list()).map((s) => s.id)).toContain(post.id);
    expect(await bob.v1.filters.list()).toEqual([]);

    const found = await bob.v2.search.list({ q: "v2", type: "statuses" });
    expect(found.statuses.map((s) => s.id)).toEqual([post.id]);
    expect((await bob.v2.search.list({ q: "sécu", type: "hashtags" })).hashtags.map((h) => h.name)).toEqual(["sécurité"]);

    await expect(bob.v1.statuses.$select(post.id).remove()).rejects.toMatchObject({ statusCode: 404 });
    const removed = await carol.v1.statuses.$select(post.id).remove();
    expect(removed.text).toBe("v2 #sécurité");
    await expect(bob.v1.statuses.$select(post.id).fetch()).rejects.toMatchObject({ statusCode: 404 });
    void bobId;
  });

  it("uploads an image (metadata stripped) and attaches it with its description", async () => {
    const media = await alice.v2.media.create({ file: new Blob([pngWithMetadata() as BlobPart], { type: "image/png" }), description: "Logo" });
    expect(media).toMatchObject({ type: "image", description: "Logo" });
    const stored = new Uint8Array(await (await fetch(media.url!)).arrayBuffer());
    expect(Buffer.from(stored).includes(Buffer.from("GPS"))).toBe(false);
    expect(Buffer.from(stored).includes(Buffer.from("IDAT"))).toBe(true);
    const post = await alice.v1.statuses.create({ status: "Avec image", mediaIds: [media.id], visibility: "public" });
    expect(post.mediaAttachments.map((m) => [m.id, m.description])).toEqual([[media.id, "Logo"]]);
    // Someone else's media id cannot be attached.
    await expect(bob.v1.statuses.create({ status: "vol", mediaIds: [media.id] })).rejects.toMatchObject({ statusCode: 422 });
    // An SVG (scriptable) is refused.
    const svg = new Blob(['<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'], { type: "image/png" });
    await expect(alice.v2.media.create({ file: svg })).rejects.toMatchObject({ statusCode: 422 });
  });
});
