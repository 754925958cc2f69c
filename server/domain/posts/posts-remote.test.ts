// Storing a remote post is all or nothing: a failure after the first INSERT leaves no half-stored post, so the
// sender's retry stores it whole, mention notification included.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/db.ts";
import { createLocalUser, type LocalUser, upsertRemoteAccount } from "../accounts/accounts.ts";
import { listNotifications } from "../notifications/notifications.ts";
import { type RemotePostInput, storeRemotePost } from "./posts-remote.ts";

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
});
