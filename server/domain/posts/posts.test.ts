// Posts against a real PostgreSQL: writing, visibility on every read, threads, interactions, notifications.
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/db.ts";
import { createLocalUser, type LocalUser, upsertRemoteAccount } from "../accounts/accounts.ts";
import { boost, bookmark, like, pin, unboost } from "./interactions.ts";
import { markNotificationsRead, listNotifications, unreadCount } from "../notifications/notifications.ts";
import { loadPost } from "./post-views.ts";
import { createPost, deletePost, editPost, postHistory } from "./posts.ts";
import { deleteRemotePost, storeRemotePost, type RemotePostInput } from "./posts-remote.ts";
import { threadContext } from "../timelines/timelines.ts";
import { ANONYMOUS, localViewer } from "../audience/visibility.ts";
import { jobsOf } from "../../jobs/admin.ts";

const ORIGIN = "https://paris.example";

describe("posts", () => {
  let db: TestDatabase;
  let alice: LocalUser, bob: LocalUser, carol: LocalUser;
  beforeAll(async () => {
    db = await createTestDatabase();
    [alice, bob, carol] = await Promise.all(["alice", "bob", "carol"].map((u) => createLocalUser(db.sql, ORIGIN, { username: u })));
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("renders mentions, hashtags and links, escapes HTML, defaults to internal and notifies the mentioned", async () => {
    const post = await createPost(db.sql, ORIGIN, alice.account.id, {
      text: "Hello @bob, see https://example.com/x?a=1 #Projet <script>alert(1)</script>",
    });
    expect(post.visibility).toBe("internal");
    expect(post.contentHtml).toContain(`<a href="${ORIGIN}/@bob" class="u-url mention">@<span>bob</span></a>`);
    expect(post.contentHtml).toContain(`href="${ORIGIN}/tags/projet" class="mention hashtag" rel="tag">#<span>Projet</span>`);
    expect(post.contentHtml).toContain(`<a href="https://example.com/x?a=1"`);
    expect(post.contentHtml).not.toContain("<script>");
    expect(post.contentHtml).toContain("&lt;script&gt;");
    expect(post.tags).toEqual(["projet"]);
    expect(post.mentions.map((m) => m.username)).toEqual(["bob"]);
    const n = await listNotifications(db.sql, bob.account.id);
    expect(n.items.map((i) => [i.type, i.from.username, i.postId])).toContainEqual(["mention", "alice", post.id]);
    expect(await unreadCount(db.sql, bob.account.id)).toBeGreaterThan(0);
    await markNotificationsRead(db.sql, bob.account.id);
    expect(await unreadCount(db.sql, bob.account.id)).toBe(0);
  });

  it("renders the Markdown subset and refuses javascript: links", async () => {
    const post = await createPost(db.sql, ORIGIN, alice.account.id, {
      sourceType: "text/markdown", text: "**gras** et *italique* `a<b` [lien](https://x.example) [mal](javascript:alert(1))\nligne 2\n\npara 2",
    });
    expect(post.contentHtml).toBe(
      '<p><strong>gras</strong> et <em>italique</em> <code>a&lt;b</code> <a href="https://x.example" rel="nofollow noopener noreferrer" target="_blank">lien</a> [mal](javascript:alert(1))<br>ligne 2</p><p>para 2</p>',
    );
  });

  it("keeps each scope to its readers", async () => {
    const direct = await createPost(db.sql, ORIGIN, alice.account.id, { text: "@bob secret", visibility: "direct" });
    const followers = await createPost(db.sql, ORIGIN, alice.account.id, { text: "followers only", visibility: "followers" });
    const pub = await createPost(db.sql, ORIGIN, alice.account.id, { text: "public", visibility: "public" });
    const local = await createPost(db.sql, ORIGIN, alice.account.id, { text: "local", visibility: "local" });
    const internal = await createPost(db.sql, ORIGIN, alice.account.id, { text: "internal", visibility: "internal" });
    const sees = async (viewer: Parameters<typeof loadPost>[2], id: string) => (await loadPost(db.sql, id, viewer)) != null;
    expect(await sees(localViewer(bob.account.id), direct.id)).toBe(true);
    expect(await sees(localViewer(carol.account.id), direct.id)).toBe(false);
    expect(await sees(localViewer(carol.account.id), followers.id)).toBe(false);
    expect(await sees(localViewer(carol.account.id), local.id)).toBe(true);
    expect(await sees(ANONYMOUS, pub.id)).toBe(true);
    for (const id of [internal.id, local.id, followers.id, direct.id]) expect(await sees(ANONYMOUS, id)).toBe(false);
    const sibling = { kind: "remote", accountId: null, domain: "lyon.example", sibling: true, instanceActor: true } as const;
    const outsider = { ...sibling, domain: "evil.example", sibling: false };
    expect(await sees(sibling, internal.id)).toBe(true);
    expect(await sees(outsider, internal.id)).toBe(false);
    expect(await sees(sibling, local.id)).toBe(false);
    expect(await sees(outsider, pub.id)).toBe(true);
    // A boost keeps its original's scope; a direct (or followers-only) post is not boosted even by a reader (case 34).
    await expect(boost(db.sql, ORIGIN, bob.account.id, direct.id)).rejects.toMatchObject({ code: "not_boostable" });
    const boosted = await boost(db.sql, ORIGIN, carol.account.id, internal.id);
    expect(boosted.reblog?.viewer?.boosted).toBe(true);
    const [boostRow] = await db.sql`SELECT visibility FROM posts WHERE reblog_of_id = ${internal.id} AND account_id = ${carol.account.id}`;
    expect(boostRow.visibility).toBe("internal");
    // A reply can read its parent only when its author can, and is never wider than it.
    await expect(createPost(db.sql, ORIGIN, carol.account.id, { text: "?", inReplyToId: direct.id })).rejects.toMatchObject({ status: 404 });
    const reply = await createPost(db.sql, ORIGIN, bob.account.id, { text: "answer", visibility: "public", inReplyToId: internal.id });
    expect(reply.visibility).toBe("internal");
    expect((await listNotifications(db.sql, alice.account.id)).items[0]).toMatchObject({ type: "reply", postId: reply.id });
    const ctx = await threadContext(db.sql, localViewer(carol.account.id), reply.id);
    expect(ctx?.ancestors.map((p) => p.id)).toEqual([internal.id]);
  });

  it("likes, boosts, bookmarks and pins are idempotent and notify once", async () => {
    const post = await createPost(db.sql, ORIGIN, alice.account.id, { text: "à aimer", visibility: "public" });
    await like(db.sql, ORIGIN, bob.account.id, post.id);
    const liked = await like(db.sql, ORIGIN, bob.account.id, post.id);
    expect(liked.counts.likes).toBe(1);
    expect(liked.viewer?.liked).toBe(true);
    const boosted = await boost(db.sql, ORIGIN, bob.account.id, post.id);
    expect(boosted.reblog?.id).toBe(post.id);
    expect((await boost(db.sql, ORIGIN, bob.account.id, post.id)).id).toBe(boosted.id);
    expect((await loadPost(db.sql, post.id, localViewer(bob.account.id)))?.counts.boosts).toBe(1);
    expect((await unboost(db.sql, bob.account.id, post.id)).counts.boosts).toBe(0);
    expect((await bookmark(db.sql, bob.account.id, post.id)).viewer?.bookmarked).toBe(true);
    expect((await pin(db.sql, alice.account.id, post.id)).viewer?.pinned).toBe(true);
    await expect(pin(db.sql, bob.account.id, post.id)).rejects.toMatchObject({ code: "not_yours" });
    const types = (await listNotifications(db.sql, alice.account.id)).items.filter((n) => n.postId === post.id).map((n) => n.type);
    expect(types.sort()).toEqual(["favourite", "reblog"]);
  });

  it("edits keep their history; deletes leave a tombstone", async () => {
    const post = await createPost(db.sql, ORIGIN, alice.account.id, { text: "v1", visibility: "public" });
    await expect(editPost(db.sql, ORIGIN, post.id, bob.account.id, { text: "hijack" })).rejects.toMatchObject({ status: 404 });
    const edited = await editPost(db.sql, ORIGIN, post.id, alice.account.id, { text: "v2" });
    expect(edited.editedAt).not.toBeNull();
    const history = await postHistory(db.sql, post.id, localViewer(bob.account.id));
    expect(history?.map((v) => v.contentHtml)).toEqual(["<p>v1</p>", "<p>v2</p>"]);
    await expect(deletePost(db.sql, post.id, bob.account.id, tmpdir())).rejects.toMatchObject({ status: 404 });
    await deletePost(db.sql, post.id, alice.account.id, tmpdir());
    expect(await loadPost(db.sql, post.id, localViewer(alice.account.id))).toBeNull();
    const [t] = await db.sql`SELECT iri FROM tombstones WHERE iri = ${post.iri}`;
    expect(t?.iri).toBe(post.iri);
    const jobs = await jobsOf(db.sql, "deliver", { iri: post.iri });
    expect(jobs.map((j) => j.data.kind)).toEqual(["delete-note"]);
  });

  it("remote posts: replays are idempotent, Delete before Create drops the Create, only the author deletes", async () => {
    const remote = await upsertRemoteAccount(db.sql, {
      iri: "https://lyon.example/users/dan", username: "dan", domain: "lyon.example", actorType: "Person",
      inboxUrl: "https://lyon.example/users/dan/inbox", sharedInboxUrl: "https://lyon.example/inbox",
      followersUrl: "https://lyon.example/users/dan/followers", followingUrl: null, url: null, displayName: "Dan", bioHtml: "",
      avatarUrl: null, headerUrl: null, locked: false, discoverable: true, followersCount: null, followingCount: null,
    });
    const input = (iri: string): RemotePostInput => ({
      iri, url: null, authorId: remote.id, origin: "https://lyon.example", visibility: "internal", inReplyToIri: null,
      contentHtml: "<p>salut</p>", contentText: "salut", summary: "", sensitive: false, language: "fr", createdAt: new Date(),
      editedAt: null, mentionIds: [alice.account.id], tags: ["lyon"], media: [],
    });
    const first = await storeRemotePost(db.sql, input("https://lyon.example/ap/note/1"));
    expect(first?.created).toBe(true);
    expect((await storeRemotePost(db.sql, input("https://lyon.example/ap/note/1")))?.created).toBe(false);
    const mentions = (await listNotifications(db.sql, alice.account.id)).items.filter((n) => n.postId === first!.id);
    expect(mentions.map((n) => n.type)).toEqual(["mention"]);

    await deleteRemotePost(db.sql, "https://lyon.example/ap/note/2", remote.id, "https://lyon.example");
    expect(await storeRemotePost(db.sql, input("https://lyon.example/ap/note/2"))).toBeNull();

    // A Delete naming another origin's object, or someone else's post, changes nothing (case 9).
    const local = await createPost(db.sql, ORIGIN, alice.account.id, { text: "mine", visibility: "public" });
    await deleteRemotePost(db.sql, local.iri, remote.id, "https://lyon.example");
    expect(await loadPost(db.sql, local.id, localViewer(alice.account.id))).not.toBeNull();
  });
});
