// Storing a remote post is all or nothing: a failure after the first INSERT leaves no half-stored post, so the
// sender's retry stores it whole, mention notification included.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/db.ts";
import { createLocalUser, type LocalUser, upsertRemoteAccount } from "../accounts/accounts.ts";
import { listNotifications } from "../notifications/notifications.ts";
import { deleteRemotePost, type RemotePostInput, storeRemotePost, updateRemotePost } from "./posts-remote.ts";
import { postHistory } from "./posts.ts";
import { localViewer } from "../audience/visibility.ts";

describe("remote posts", () => {
  let db: TestDatabase, alice: LocalUser, danId: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    alice = await createLocalUser(db.sql, "https://paris.example", { username: "alice" });
    danId = (await upsertRemoteAccount(db.sql, {
      iri: "https://lyon.example/users/dan", username: "dan", domain: "lyon.example", actorType: "Person",
      inboxUrl: "https://lyon.example/users/dan/inbox", sharedInboxUrl: null, followersUrl: null, followingUrl: null,
      url: null, displayName: "Dan", bioHtml: "", avatarUrl: null, headerUrl: null, locked: false, discoverable: true,
      followersCount: null, followingCount: null,
    })).id;
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("a failure while writing the attachments leaves nothing, and the retry stores the post with its mention", async () => {
    const iri = "https://lyon.example/notes/atomic";
    const input = (width: number): RemotePostInput => ({
      iri, url: null, authorId: danId, origin: "https://lyon.example", visibility: "internal", inReplyToIri: null,
      contentHtml: "<p>@alice salut</p>", contentText: "@alice salut", summary: "", sensitive: false, language: "fr",
      createdAt: new Date(), editedAt: null, mentionIds: [alice.account.id], tags: [],
      media: [{ url: "https://lyon.example/a.png", contentType: "image/png", description: "", width, height: 10 }],
    });
    await expect(storeRemotePost(db.sql, input(3e9))).rejects.toThrow(/out of range/);
    const [{ n }] = await db.sql`SELECT count(*)::int AS n FROM posts WHERE iri = ${iri}`;
    expect(n).toBe(0);
    expect((await storeRemotePost(db.sql, input(640)))?.created).toBe(true);
    const types = (await listNotifications(db.sql, alice.account.id)).items.map((x) => x.type);
    expect(types).toEqual(["mention"]);
  });
  const note = (iri: string, over: Partial<RemotePostInput> = {}): RemotePostInput => ({
    iri, url: null, authorId: danId, origin: "https://lyon.example", visibility: "internal", inReplyToIri: null,
    contentHtml: "<p>x</p>", contentText: "x", summary: "", sensitive: false, language: "fr",
    createdAt: new Date(), editedAt: null, mentionIds: [], tags: [], media: [], ...over,
  });

  it("stores tags and mentions once, answers a replay with created: false, and refuses a tombstoned IRI", async () => {
    const iri = "https://lyon.example/notes/tags";
    const input = note(iri, { tags: ["Achats", "achats", "Budget"], mentionIds: [alice.account.id, alice.account.id] });
    const first = await storeRemotePost(db.sql, input);
    expect(first?.created).toBe(true);
    expect((await db.sql`SELECT tag FROM post_tags WHERE post_id = ${first!.id} ORDER BY tag`).map((r) => r.tag)).toEqual(["achats", "budget"]);
    expect((await db.sql`SELECT account_id::text FROM mentions WHERE post_id = ${first!.id}`).map((r) => r.account_id)).toEqual([alice.account.id]);
    expect(await storeRemotePost(db.sql, input)).toEqual({ id: first!.id, created: false });
    await deleteRemotePost(db.sql, "https://lyon.example/notes/deleted-first", danId, "https://lyon.example");
    expect(await storeRemotePost(db.sql, note("https://lyon.example/notes/deleted-first"))).toBeNull();
    const [{ n }] = await db.sql`SELECT count(*)::int AS n FROM posts WHERE iri = 'https://lyon.example/notes/deleted-first'`;
    expect(n).toBe(0);
  });

  it("links a reply to its parent, in either order of arrival", async () => {
    const parentIri = "https://lyon.example/notes/parent";
    const early = await storeRemotePost(db.sql, note("https://lyon.example/notes/early-reply", { inReplyToIri: parentIri }));
    const parent = await storeRemotePost(db.sql, note(parentIri));
    const late = await storeRemotePost(db.sql, note("https://lyon.example/notes/late-reply", { inReplyToIri: parentIri }));
    const rows = await db.sql`SELECT id::text, in_reply_to_id::text, in_reply_to_account_id::text FROM posts
      WHERE id IN (${early!.id}, ${late!.id}) ORDER BY id`;
    expect(rows.map((r) => [r.in_reply_to_id, r.in_reply_to_account_id])).toEqual([[parent!.id, danId], [parent!.id, danId]]);
  });
  it("keeps every version when Updates run side by side, arrive twice or arrive late", async () => {
    const iri = "https://lyon.example/notes/edited";
    const t0 = Date.parse("2026-12-01T09:00:00Z");
    const version = (n: number) => note(iri, { contentHtml: `<p>Version ${n}</p>`, contentText: `Version ${n}`, createdAt: new Date(t0), editedAt: n === 1 ? null : new Date(t0 + n * 1000) });
    const stored = await storeRemotePost(db.sql, version(1));
    // Two Updates processed at once (a backlog flushed together), one of them twice.
    await Promise.all([updateRemotePost(db.sql, version(2)), updateRemotePost(db.sql, version(3)), updateRemotePost(db.sql, version(3))]);
    const texts = async () => (await postHistory(db.sql, stored!.id, localViewer(alice.account.id)))!.map((v) => v.contentHtml);
    const after = await texts();
    // Whatever order the three ran in, version 3 is current, each version is there once, in time order.
    expect(after).toEqual(["<p>Version 1</p>", "<p>Version 2</p>", "<p>Version 3</p>"]);
    // A replay of version 2 changes nothing; version 4 then moves on.
    expect(await updateRemotePost(db.sql, version(2))).toBe(true);
    expect(await texts()).toEqual(after);
    await updateRemotePost(db.sql, version(4));
    expect((await texts()).at(-1)).toBe("<p>Version 4</p>");
  });
});
