// The event bus on a real PostgreSQL: events published in a transaction arrive at commit and never for a rollback,
// malformed ones are refused and counted, and every notification goes through notify() — follows included,
// with the recipient's mutes applied (the SQL trigger that wrote follow notifications ignored them).
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db.ts";
import { eventually } from "../../test/instance.ts";
import { createLocalUser, upsertRemoteAccount } from "../domain/accounts/accounts.ts";
import { authorizeFollowRequest, follow, receiveFollow } from "../domain/follows/follows.ts";
import { listNotifications } from "../domain/notifications/notifications.ts";
import { muteAccount } from "../domain/timelines/mutes.ts";
import { createPost, deletePost, editPost } from "../domain/posts/posts.ts";
import { EVENT_CHANNEL, EventBus, publish, type RucheEvent } from "./bus.ts";

const ORIGIN = "https://paris.example";

describe("event bus", () => {
  let db: TestDatabase, bus: EventBus;
  const heard: RucheEvent[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    bus = await EventBus.start(db.sql);
    bus.subscribe("account.changed", (e) => void heard.push(e));
    bus.subscribe("notification.created", (e) => void heard.push(e));
  });
  afterAll(async () => {
    await bus?.stop();
    await db?.drop();
  });

  it("delivers at commit, never for a rolled-back change; refuses malformed events", async () => {
    await expect(db.sql.begin(async (tx) => {
      await publish(tx, { type: "account.changed", accountId: "1" });
      throw new Error("rolled back");
    })).rejects.toThrow("rolled back");
    await db.sql.begin(async (tx) => {
      await publish(tx, { type: "account.changed", accountId: "2" });
      // Not heard before the commit.
      expect(heard).toEqual([]);
    });
    await eventually(async () => heard.length > 0, 5_000, "the committed event");
    expect(heard).toEqual([{ type: "account.changed", accountId: "2" }]);

    await expect(publish(db.sql, { type: "account.changed", accountId: "x" } as never)).rejects.toThrow();
    const malformed = bus.counts.malformed;
    await db.sql`SELECT pg_notify(${EVENT_CHANNEL}, ${JSON.stringify({ type: "account.changed", accountId: 12 })})`;
    await db.sql`SELECT pg_notify(${EVENT_CHANNEL}, 'not json')`;
    await eventually(async () => bus.counts.malformed === malformed + 2, 5_000, "two refusals");
    expect(heard).toHaveLength(1);
  });

  it("follow notifications come from notify(): published, replaced on acceptance, and muted followers stay silent", async () => {
    heard.length = 0;
    const alice = await createLocalUser(db.sql, ORIGIN, { username: "alice" });
    const bob = await createLocalUser(db.sql, ORIGIN, { username: "bob", locked: true });
    const types = async (accountId: string) => (await listNotifications(db.sql, accountId)).items.map((n) => `${n.type}:${n.from.username}`);

    // A local follow of a locked account: a request, then a follow once authorized.
    await follow(db.sql, ORIGIN, alice.account.id, bob.account.id);
    expect(await types(bob.account.id)).toEqual(["follow_request:alice"]);
    await authorizeFollowRequest(db.sql, bob.account.id, alice.account.id);
    expect(await types(bob.account.id)).toEqual(["follow:alice"]);
    await eventually(async () => heard.filter((e) => e.type === "notification.created").length === 2, 5_000, "two notification events");
    expect(heard.every((e) => e.type === "notification.created" && e.accountId === bob.account.id)).toBe(true);

    // A remote follower alice muted (with notifications): the follow is stored, no notification is written.
    const remote = (name: string) => upsertRemoteAccount(db.sql, {
      iri: `https://lyon.example/users/${name}`, username: name, domain: "lyon.example", actorType: "Person",
      inboxUrl: `https://lyon.example/users/${name}/inbox`, sharedInboxUrl: null, followersUrl: null, followingUrl: null,
      url: null, displayName: name, bioHtml: "", avatarUrl: null, headerUrl: null, locked: false, discoverable: true,
      followersCount: 0, followingCount: 0,
    });
    const spammer = await remote("spammer");
    const carol = await remote("carol");
    await muteAccount(db.sql, alice.account.id, spammer.id, { notifications: true });
    expect(await receiveFollow(db.sql, { followIri: `${spammer.iri}#f`, followerId: spammer.id, targetId: alice.account.id })).toBe("accepted");
    expect(await receiveFollow(db.sql, { followIri: `${carol.iri}#f`, followerId: carol.id, targetId: alice.account.id })).toBe("accepted");
    // A repeated Follow (the remote side lost our Accept) does not notify twice.
    await receiveFollow(db.sql, { followIri: `${carol.iri}#f2`, followerId: carol.id, targetId: alice.account.id });
    expect(await types(alice.account.id)).toEqual(["follow:carol"]);
    const [{ n }] = await db.sql`SELECT count(*)::int AS n FROM follows WHERE following_id = ${alice.account.id}`;
    expect(n).toBe(2);
  });

  it("posts publish created, updated and deleted with their id and author", async () => {
    const posts: RucheEvent[] = [];
    const offs = (["post.created", "post.updated", "post.deleted"] as const).map((t) => bus.subscribe(t, (e) => void posts.push(e)));
    const dora = await createLocalUser(db.sql, ORIGIN, { username: "dora" });
    const post = await createPost(db.sql, ORIGIN, dora.account.id, { text: "Bonjour" });
    await editPost(db.sql, ORIGIN, post.id, dora.account.id, { text: "Bonjour à tous" });
    await deletePost(db.sql, post.id, dora.account.id, tmpdir());
    await eventually(async () => posts.length === 3, 5_000, "three post events");
    expect(posts).toEqual(["post.created", "post.updated", "post.deleted"].map((type) => ({ type, postId: post.id, accountId: dora.account.id })));
    for (const off of offs) off();
  });
});
