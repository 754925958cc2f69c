// Blocks keep two people apart on every path (issue #8 point 14): Claire blocks Bruno. Her timelines, threads,
// notifications, searches and hashtag pages no longer show him; he no longer reads her posts (even public ones,
// once signed in), cannot follow, like, boost or answer her, and his mentions notify her no more. Unblocking
// restores reading, not the follows the block ended.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/db.ts";
import { createLocalUser, type LocalUser, upsertRemoteAccount } from "../accounts/accounts.ts";
import { follow, listFollowers, listFollowing, receiveFollow, relationships } from "../follows/follows.ts";
import { jobsOf } from "../../jobs/admin.ts";
import { createPost } from "../posts/posts.ts";
import { boost, boostIdOf, like, receiveAnnounce, receiveLike } from "../posts/interactions.ts";
import { searchPosts } from "../posts/post-search.ts";
import { searchAccounts } from "../accounts/account-search.ts";
import { listNotifications, unreadCount } from "../notifications/notifications.ts";
import { canRead, localViewer } from "../audience/visibility.ts";
import { homeTimeline, hashtagTimeline, localTimeline, threadContext } from "../timelines/timelines.ts";
import { block, listBlockedAccounts, receiveBlock, receiveUndoBlock, unblock } from "./blocks.ts";

const ORIGIN = "https://paris.example";

describe("blocks", () => {
  let db: TestDatabase;
  let claire: LocalUser, bruno: LocalUser, dora: LocalUser;
  let root: string, brunoReply: string, brunoTagged: string, doraBoostOfBruno: string, claireFollowersOnly: string, clairePublic: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    [claire, bruno, dora] = await Promise.all(["claire", "bruno", "dora"].map((u) => createLocalUser(db.sql, ORIGIN, { username: u })));
    const sql = db.sql;
    // Both follow each other and Dora; Bruno answers Claire, tags, mentions; Dora boosts Bruno.
    for (const [a, b] of [[claire, bruno], [bruno, claire], [claire, dora]] as const) await follow(sql, ORIGIN, a.account.id, b.account.id);
    root = (await createPost(sql, ORIGIN, claire.account.id, { text: "réunion jeudi", visibility: "public" })).id;
    brunoReply = (await createPost(sql, ORIGIN, bruno.account.id, { text: "j'y serai", visibility: "public", inReplyToId: root })).id;
    brunoTagged = (await createPost(sql, ORIGIN, bruno.account.id, { text: "budget #achats @claire", visibility: "internal" })).id;
    await boost(sql, ORIGIN, dora.account.id, brunoReply);
    doraBoostOfBruno = (await boostIdOf(sql, dora.account.id, brunoReply))!;
    claireFollowersOnly = (await createPost(sql, ORIGIN, claire.account.id, { text: "entre nous", visibility: "followers" })).id;
    clairePublic = (await createPost(sql, ORIGIN, claire.account.id, { text: "pour tous #achats", visibility: "public" })).id;
  });
  afterAll(async () => {
    await db?.drop();
  });

  const ids = (page: { items: { id: string }[] }) => page.items.map((p) => p.id);

  it("before the block, each sees the other everywhere (the test's own control)", async () => {
    const c = localViewer(claire.account.id);
    expect(ids(await homeTimeline(db.sql, claire.account.id))).toEqual(expect.arrayContaining([brunoReply, brunoTagged, doraBoostOfBruno]));
    expect((await threadContext(db.sql, c, root))!.descendants.map((p) => p.id)).toContain(brunoReply);
    expect((await listNotifications(db.sql, claire.account.id)).items.map((n) => n.type).sort()).toEqual(["follow", "mention", "reply"]);
    expect(await canRead(db.sql, localViewer(bruno.account.id), claireFollowersOnly)).toBe(true);
    expect((await searchAccounts(db.sql, "bruno", { localHost: "paris.test", limit: 5, offset: 0, viewerId: claire.account.id })).map((a) => a.id))
      .toEqual([bruno.account.id]);
  });

  it("Claire blocks Bruno: follows end both ways and he is gone from all she reads", async () => {
    await block(db.sql, ORIGIN, claire.account.id, bruno.account.id);
    await block(db.sql, ORIGIN, claire.account.id, bruno.account.id); // idempotent
    expect((await listFollowers(db.sql, claire.account.id)).items).toHaveLength(0);
    expect((await listFollowing(db.sql, claire.account.id)).items.map((a) => a.id)).toEqual([dora.account.id]);
    const [rel] = await relationships(db.sql, claire.account.id, [bruno.account.id]);
    expect(rel).toMatchObject({ following: false, followedBy: false, blocking: true, blockedBy: false });
    const [back] = await relationships(db.sql, bruno.account.id, [claire.account.id]);
    expect(back).toMatchObject({ blocking: false, blockedBy: true });
    expect((await listBlockedAccounts(db.sql, claire.account.id)).items.map((a) => a.id)).toEqual([bruno.account.id]);

    const c = localViewer(claire.account.id);
    const home = ids(await homeTimeline(db.sql, claire.account.id));
    expect(home).toContain(root);
    expect(home).not.toContain(brunoReply);
    expect(home).not.toContain(doraBoostOfBruno); // Dora's boost of him, though Claire follows Dora
    expect(ids(await localTimeline(db.sql, c))).not.toEqual(expect.arrayContaining([brunoReply]));
    expect(ids(await localTimeline(db.sql, c))).toContain(clairePublic);
    expect((await threadContext(db.sql, c, root))!.descendants).toEqual([]);
    expect(await threadContext(db.sql, c, brunoReply)).toBeNull();
    expect(ids(await hashtagTimeline(db.sql, c, "achats"))).toEqual([clairePublic]);
    expect((await searchPosts(db.sql, c, "budget", { limit: 10, offset: 0 })).map((p) => p.id)).toEqual([]);
    // Account search leaves him out for her, and her out for him; others still find him.
    const find = (q: string, viewerId: string) => searchAccounts(db.sql, q, { localHost: "paris.test", limit: 5, offset: 0, viewerId });
    expect(await find("bruno", claire.account.id)).toEqual([]);
    expect(await find("claire", bruno.account.id)).toEqual([]);
    expect((await find("bruno", dora.account.id)).map((a) => a.id)).toEqual([bruno.account.id]);
    // Notifications he caused before the block are not listed nor counted.
    expect((await listNotifications(db.sql, claire.account.id)).items).toEqual([]);
    expect(await unreadCount(db.sql, claire.account.id)).toBe(0);
  });

  it("Bruno reads none of Claire's posts, and cannot follow, like, boost or answer her", async () => {
    const b = localViewer(bruno.account.id);
    expect(await canRead(db.sql, b, claireFollowersOnly)).toBe(false);
    expect(await canRead(db.sql, b, clairePublic)).toBe(false);
    expect(ids(await hashtagTimeline(db.sql, b, "achats"))).toEqual([brunoTagged]);
    await expect(follow(db.sql, ORIGIN, bruno.account.id, claire.account.id)).rejects.toMatchObject({ code: "blocked", status: 403 });
    await expect(follow(db.sql, ORIGIN, claire.account.id, bruno.account.id)).rejects.toMatchObject({ code: "blocked" });
    await expect(like(db.sql, ORIGIN, bruno.account.id, clairePublic)).rejects.toMatchObject({ status: 404 });
    await expect(boost(db.sql, ORIGIN, bruno.account.id, clairePublic)).rejects.toMatchObject({ status: 404 });
    await expect(createPost(db.sql, ORIGIN, bruno.account.id, { text: "et alors ?", visibility: "public", inReplyToId: root }))
      .rejects.toMatchObject({ status: 404 });
    // A mention reaches her list of nothing: no notification is written.
    await createPost(db.sql, ORIGIN, bruno.account.id, { text: "@claire tu viens ?", visibility: "public" });
    const [{ n }] = await db.sql`SELECT count(*)::int AS n FROM notifications WHERE account_id = ${claire.account.id} AND from_account_id = ${bruno.account.id} AND type = 'mention'`;
    expect(n).toBe(1); // the one from before the block only
  });

  it("unblocking restores reading, not the follows", async () => {
    await unblock(db.sql, claire.account.id, bruno.account.id);
    expect(await canRead(db.sql, localViewer(bruno.account.id), clairePublic)).toBe(true);
    expect(await canRead(db.sql, localViewer(bruno.account.id), claireFollowersOnly)).toBe(false);
    expect(ids(await homeTimeline(db.sql, claire.account.id))).not.toContain(brunoReply); // she no longer follows him
    expect((await threadContext(db.sql, localViewer(claire.account.id), root))!.descendants.map((p) => p.id)).toContain(brunoReply);
    expect((await listBlockedAccounts(db.sql, claire.account.id)).items).toEqual([]);
  });

  it("with a remote person: a Block goes out, theirs comes in; their Follow is rejected, their like and boost not counted", async () => {
    const rémi = await upsertRemoteAccount(db.sql, {
      iri: "https://lyon.example/users/remi", username: "remi", domain: "lyon.example", actorType: "Person",
      inboxUrl: "https://lyon.example/users/remi/inbox", sharedInboxUrl: null, followersUrl: null, followingUrl: null, url: null,
      displayName: "Rémi", bioHtml: "", avatarUrl: null, headerUrl: null, locked: false, discoverable: true, followersCount: 0, followingCount: 0,
    });
    // Dora blocks Rémi: a Block is queued for his server, and lifting it queues the Undo with the same Block IRI.
    await block(db.sql, ORIGIN, dora.account.id, rémi.id);
    const [sent] = await jobsOf(db.sql, "deliver", { kind: "block", accountId: dora.account.id });
    expect(sent.data).toMatchObject({ targetId: rémi.id, blockIri: expect.stringMatching(/^https:\/\/paris\.example\/activities\/block\//) });
    await unblock(db.sql, dora.account.id, rémi.id);
    expect((await jobsOf(db.sql, "deliver", { kind: "undo-block", blockIri: sent.data.blockIri })).length).toBe(1);

    // Rémi blocks Claire from Lyon: recorded once, whatever the retries.
    const iri = "https://lyon.example/blocks/1";
    expect(await receiveBlock(db.sql, { iri, accountId: rémi.id, targetId: claire.account.id })).toBe(true);
    expect(await receiveBlock(db.sql, { iri, accountId: rémi.id, targetId: claire.account.id })).toBe(false);
    expect((await relationships(db.sql, claire.account.id, [rémi.id]))[0]).toMatchObject({ blockedBy: true, blocking: false });
    // His Follow is answered with Reject and stores nothing; his Like and boost of her public post are not counted.
    expect(await receiveFollow(db.sql, { followIri: "https://lyon.example/follows/1", followerId: rémi.id, targetId: claire.account.id })).toBe("rejected");
    expect((await jobsOf(db.sql, "deliver", { kind: "reject-follow", followIri: "https://lyon.example/follows/1" })).length).toBe(1);
    expect((await listFollowers(db.sql, claire.account.id)).items.map((a) => a.id)).not.toContain(rémi.id);
    const viewer = { kind: "remote" as const, accountId: rémi.id, domain: "lyon.example", sibling: true, instanceActor: false };
    expect(await receiveLike(db.sql, { iri: "https://lyon.example/likes/1", accountId: rémi.id, postId: clairePublic, viewer })).toBe(false);
    expect(await receiveAnnounce(db.sql, { iri: "https://lyon.example/boosts/1", accountId: rémi.id, origin: "https://lyon.example", postId: clairePublic, createdAt: new Date(), viewer })).toBe(false);
    // Only Rémi can lift his block; then his Follow is accepted again.
    expect(await receiveUndoBlock(db.sql, dora.account.id, iri, null)).toBe(false);
    expect(await receiveUndoBlock(db.sql, rémi.id, iri, null)).toBe(true);
    expect(await receiveFollow(db.sql, { followIri: "https://lyon.example/follows/2", followerId: rémi.id, targetId: claire.account.id })).toBe("accepted");
  });
});
