// ADR 0004/0006's promise under a crash: an instance SIGKILLed in the middle of delivering a batch of posts to a
// slow follower delivers every one of them after it restarts, each with the same activity id, and re-sends only
// the ones whose delivery the kill interrupted (a receiver drops those by id, as Ruche's and Mastodon's inboxes do).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./db.ts";
import { eventually } from "./instance.ts";
import { startProcessInstance, type ProcessInstance } from "./process-instance.ts";
import { startHostilePeer, type HostilePeer } from "./hostile-peer.ts";
import { createLocalUser, upsertRemoteAccount } from "../server/domain/accounts/accounts.ts";
import { receiveFollow } from "../server/domain/follows/follows.ts";
import { createPost } from "../server/domain/posts/posts.ts";
import { dueJobCount } from "../server/jobs/admin.ts";

const POSTS = 12;
const SLOW_MS = 700;

describe("delivery survives kill -9", () => {
  let db: TestDatabase, paris: ProcessInstance, peer: HostilePeer;
  /** Each Create the follower's inbox received: activity id, when it arrived. */
  const creates: { id: string; at: number }[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    peer = await startHostilePeer();
    peer.route("/inbox", async (_req, body) => {
      const activity = JSON.parse(body.toString("utf8"));
      if (activity.type === "Create") creates.push({ id: activity.id, at: Date.now() });
      await new Promise((r) => setTimeout(r, SLOW_MS));
      return { status: 202, body: "" };
    });
    paris = await startProcessInstance("paris", { RUCHE_FEDERATION: "open" }, { databaseUrl: db.url });
  }, 120_000);

  afterAll(async () => {
    await paris?.stop();
    await peer?.close();
    await db?.drop();
  });

  it("every post reaches the follower after a SIGKILL mid-batch; only interrupted deliveries are sent twice", async () => {
    const alice = await createLocalUser(db.sql, paris.origin, { username: "alice" });
    const follower = await peer.createActor("fiona");
    const fiona = await upsertRemoteAccount(db.sql, {
      iri: follower.iri, username: "fiona", domain: peer.host, actorType: "Person", inboxUrl: follower.inbox,
      sharedInboxUrl: peer.url("/inbox"), followersUrl: null, followingUrl: null, url: null, displayName: "Fiona",
      bioHtml: "", avatarUrl: null, headerUrl: null, locked: false, discoverable: true, followersCount: 0, followingCount: 0,
    });
    await receiveFollow(db.sql, { followIri: `${follower.iri}#follows/1`, followerId: fiona.id, targetId: alice.account.id });

    const posts = [];
    for (let i = 1; i <= POSTS; i++) posts.push(await createPost(db.sql, paris.origin, alice.account.id, { text: `Note ${i}`, visibility: "public" }));
    const expected = posts.map((p) => `${p.iri}/activity`);

    // Mid-batch: some delivered, some on the wire, the rest still queued.
    await eventually(async () => creates.length >= 3, 60_000, "the first deliveries");
    const killAt = Date.now();
    await paris.kill();
    const killedAt = Date.now();
    const beforeKill = creates.length;
    expect(beforeKill).toBeLessThan(POSTS);

    await paris.restart();
    await eventually(async () => new Set(creates.map((c) => c.id)).size === POSTS, 90_000, "every post delivered after the restart");
    // Paris has nothing left to do: no job due or running, nothing in Fedify's queue.
    await eventually(async () => {
      const [{ n }] = await db.sql`SELECT count(*)::int AS n FROM fedify_mq`;
      return n === 0 && (await dueJobCount(db.sql)) === 0;
    }, 60_000, "Paris's queues drained");

    const ids = creates.map((c) => c.id);
    // Nothing lost, ids stable: each post's Create arrived under the id it was first sent with.
    expect([...new Set(ids)].sort()).toEqual([...expected].sort());
    // Nothing doubled beyond what the kill cut off: a second copy only of deliveries still open at the kill.
    const counts = new Map<string, number>();
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    const doubled = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
    for (const id of doubled) {
      expect(counts.get(id)).toBe(2);
      const first = creates.find((c) => c.id === id)!;
      // It was on the wire, or answered but not yet acknowledged, when the kill was sent.
      expect(first.at).toBeGreaterThan(killAt - SLOW_MS - 1000);
      expect(first.at).toBeLessThanOrEqual(killedAt);
    }
    expect(ids.length - POSTS).toBe(doubled.length);
  }, 240_000);
});
