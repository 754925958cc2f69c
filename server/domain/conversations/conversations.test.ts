// Conversations against a real PostgreSQL: direct posts grouped by thread and participant set, local and received
// alike, read markers, remove, mute, leave — and nothing for anyone not addressed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/db.ts";
import { createLocalUser, type LocalUser, upsertRemoteAccount } from "../accounts/accounts.ts";
import { listNotifications } from "../notifications/notifications.ts";
import { createPost, deletePost } from "../posts/posts.ts";
import { storeRemotePost } from "../posts/posts-remote.ts";
import { block } from "../blocks/blocks.ts";
import {
  activeParticipants, conversationMessages, getConversation, leaveConversation, listConversations, markConversationRead,
  removeConversation, setConversationMuted, unreadConversations,
} from "./conversations.ts";

const ORIGIN = "https://paris.example";

describe("conversations", () => {
  let db: TestDatabase;
  let alice: LocalUser, bob: LocalUser, carol: LocalUser, eve: LocalUser;
  let danId: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    [alice, bob, carol, eve] = await Promise.all(["alice", "bob", "carol", "eve"].map((u) => createLocalUser(db.sql, ORIGIN, { username: u })));
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

  const only = async (u: LocalUser) => (await listConversations(db.sql, u.account.id)).items;
  const dm = (author: LocalUser, text: string, inReplyToId?: string) =>
    createPost(db.sql, ORIGIN, author.account.id, { text, visibility: "direct", inReplyToId: inReplyToId ?? null });

  it("a direct post opens one conversation per participant, unread for the addressed, read for the author; a reply stays in it", async () => {
    const first = await dm(alice, "@bob @carol réunion demain ?");
    const [forBob] = await only(bob);
    expect(forBob.accounts.map((a) => a.username)).toEqual(["alice", "carol"]);
    expect(forBob.lastPostId).toBe(first.id);
    expect(forBob.unread).toBe(true);
    const [forAlice] = await only(alice);
    expect(forAlice.unread).toBe(false);
    expect(forAlice.accounts.map((a) => a.username)).toEqual(["bob", "carol"]);
    // Eve, not addressed, has nothing.
    expect(await only(eve)).toEqual([]);

    const answer = await dm(bob, "@alice @carol oui, 10 h", first.id);
    const bobs = await only(bob);
    expect(bobs).toHaveLength(1);
    expect(bobs[0].lastPostId).toBe(answer.id);
    expect(bobs[0].unread).toBe(false); // his own message is read for him
    const [again] = await only(alice);
    expect(again.id).toBe(forAlice.id);
    expect(again.unread).toBe(true);
    expect(await conversationMessages(db.sql, alice.account.id, again.id)).toEqual([first.id, answer.id]);
    expect(await unreadConversations(db.sql, carol.account.id)).toBe(1);

    // Read marker: marking read clears it until the next message by someone else.
    await markConversationRead(db.sql, alice.account.id, again.id);
    expect((await getConversation(db.sql, alice.account.id, again.id))?.unread).toBe(false);
    await dm(carol, "@alice @bob parfait", answer.id);
    expect((await getConversation(db.sql, alice.account.id, again.id))?.unread).toBe(true);
    // Someone else's conversation id reads as nothing.
    expect(await getConversation(db.sql, eve.account.id, again.id)).toBeNull();
    expect(await markConversationRead(db.sql, eve.account.id, again.id)).toBeNull();
    expect(await conversationMessages(db.sql, eve.account.id, again.id)).toEqual([]);
  });

  it("another participant set is another conversation; non-direct posts make none", async () => {
    await createPost(db.sql, ORIGIN, alice.account.id, { text: "@eve annonce", visibility: "internal" });
    expect(await only(eve)).toEqual([]);
    await dm(alice, "@eve à toi seule");
    const eves = await only(eve);
    expect(eves.map((c) => c.accounts.map((a) => a.username))).toEqual([["alice"]]);
    expect((await only(alice)).length).toBe(2);
  });

  it("a received direct message lands in the conversation in the same transaction; paging by last message", async () => {
    const stored = await storeRemotePost(db.sql, {
      iri: "https://lyon.example/notes/dm1", url: null, authorId: danId, origin: "https://lyon.example", visibility: "direct",
      inReplyToIri: null, contentHtml: "<p>@alice @bob bonjour de Lyon</p>", contentText: "@alice @bob bonjour de Lyon", summary: "",
      sensitive: false, language: "fr", createdAt: new Date(), editedAt: null, mentionIds: [alice.account.id, bob.account.id], tags: [], media: [],
    });
    const mine = await only(alice);
    expect(mine[0].lastPostId).toBe(stored!.id);
    expect(mine[0].accounts.map((a) => a.username)).toEqual(["bob", "dan"]);
    // Pages: newest first, max_id / min_id on the last message's id.
    const page1 = await listConversations(db.sql, alice.account.id, { limit: 1 });
    expect(page1.items.map((c) => c.id)).toEqual([mine[0].id]);
    const page2 = await listConversations(db.sql, alice.account.id, { limit: 1, maxId: page1.nextMaxId! });
    expect(page2.items.map((c) => c.id)).toEqual([mine[1].id]);
    const back = await listConversations(db.sql, alice.account.id, { limit: 5, minId: page2.items[0].lastPostId });
    expect(back.items.map((c) => c.id)).toEqual([mine[0].id]);
  });

  it("remove hides until the next message; mute keeps it listed without notifications; leave hides it for good", async () => {
    const first = await dm(carol, "@eve @bob sujet B");
    const [c] = (await only(eve)).filter((x) => x.lastPostId === first.id);
    expect(await removeConversation(db.sql, eve.account.id, c.id)).toBe(true);
    expect((await only(eve)).some((x) => x.lastPostId === first.id)).toBe(false);
    const second = await dm(bob, "@eve @carol encore", first.id);
    const back = (await only(eve)).find((x) => x.lastPostId === second.id);
    expect(back?.unread).toBe(true);

    // Mute: listed, no notification for the next message (the other participant still gets one).
    expect(await setConversationMuted(db.sql, eve.account.id, back!.id, true)).toBe(true);
    const third = await dm(carol, "@eve @bob toujours", second.id);
    expect((await only(eve)).find((x) => x.id === back!.id)?.lastPostId).toBe(third.id);
    const notes = async (u: LocalUser) => (await listNotifications(db.sql, u.account.id)).items.filter((n) => n.postId === third.id);
    expect(await notes(bob)).toHaveLength(1);
    expect(await notes(eve)).toHaveLength(0);

    // Leave: gone from the list, no notification, and the next message does not bring it back; others stop addressing.
    await setConversationMuted(db.sql, eve.account.id, back!.id, false);
    expect(await leaveConversation(db.sql, eve.account.id, back!.id)).toBe(true);
    const bobsRow = (await only(bob)).find((x) => x.lastPostId === third.id)!;
    expect((await activeParticipants(db.sql, bob.account.id, bobsRow.id)).map((a) => a.username)).toEqual(["carol"]);
    const fourth = await dm(carol, "@eve @bob tu es partie ?", third.id);
    expect((await only(eve)).some((x) => x.id === back!.id)).toBe(false);
    expect((await listNotifications(db.sql, eve.account.id)).items.some((n) => n.postId === fourth.id)).toBe(false);
    expect(await getConversation(db.sql, eve.account.id, back!.id)).toBeNull();
  });

  it("a deleted last message gives way to the one before; a blocked sender's messages leave the list", async () => {
    const a = await dm(alice, "@carol un");
    const b = await dm(alice, "@carol deux", a.id);
    const row = (await only(carol)).find((x) => x.lastPostId === b.id)!;
    await deletePost(db.sql, b.id, alice.account.id, "/tmp");
    expect((await getConversation(db.sql, carol.account.id, row.id))?.lastPostId).toBe(a.id);
    await block(db.sql, ORIGIN, carol.account.id, alice.account.id);
    expect(await getConversation(db.sql, carol.account.id, row.id)).toBeNull();
  });
});
