// Delivery that one bad peer cannot stop (issue #7): a sibling that answers in 10 s, a follower whose host does
// not resolve, twelve profile refreshes and a directory pull against the slow one, and Creates whose tags point
// at a tarpit do not delay a post to another sibling beyond a few seconds; a sibling down for maintenance gets
// its backlog, in order, soon after it answers again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, startTestInstance, type TestInstance } from "../test/instance.ts";
import { activity, deliver, newId, signedPost, startHostilePeer, type HostilePeer, type PeerActor } from "../test/hostile-peer.ts";
import { follow, listFollowing, receiveFollow } from "../server/domain/follows/follows.ts";
import { upsertRemoteAccount } from "../server/domain/accounts/accounts.ts";
import { createPost, editPost, postHistory } from "../server/domain/posts/posts.ts";
import { loadPost, postIdByIri } from "../server/domain/posts/post-views.ts";
import { homeTimeline } from "../server/domain/timelines/timelines.ts";
import { localViewer } from "../server/domain/audience/visibility.ts";
import { enqueueOutbox } from "../server/domain/outbox.ts";
import { resolveHandle } from "./remote-actors.ts";

const SLOW_MS = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("delivery that one bad peer cannot stop", () => {
  let paris: TestInstance, lyon: TestInstance, slow: HostilePeer;
  let sam: PeerActor;
  beforeAll(async () => {
    [paris, lyon, slow] = await Promise.all([startTestInstance({ name: "Paris" }), startTestInstance({ name: "Lyon" }), startHostilePeer()]);
    await paris.addSibling(lyon.origin);
    await lyon.addSibling(paris.origin);
    sam = await slow.createActor("sam");
    // What the slow sibling serves takes 10 s — its inbox, its directory feed, the people it asks to refresh, the
    // tarpit its notes' tags point at — except sam's own actor document (his key), so his Creates get in.
    const slowly = (body: unknown) => async () => {
      await sleep(SLOW_MS);
      return { body };
    };
    slow.route("/inbox", async () => {
      await sleep(SLOW_MS);
      return { status: 202, body: "" };
    });
    slow.route("/ap/directory/people", slowly({ type: "OrderedCollectionPage", orderedItems: [] }));
    for (let i = 1; i <= 12; i++) slow.route(`/users/p${i}`, slowly({ id: slow.url(`/users/p${i}`), type: "Person" }));
    for (let i = 1; i <= 40; i++) slow.route(`/tarpit/${i}`, slowly({ type: "Hashtag", name: `#t${i}` }));
    // Paris counts the slow peer as a sibling: adding it queues a directory pull against it.
    await paris.addSibling(slow.origin);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([paris?.close(), lyon?.close(), slow?.close()]);
  });

  async function followAcross(from: TestInstance, followerId: string, to: TestInstance, username: string) {
    const target = await resolveHandle(from.instance.context(), `@${username}@${to.host}`);
    await follow(from.db.sql, from.origin, followerId, target!.id);
    await eventually(async () => (await listFollowing(from.db.sql, followerId)).items.length === 1, 15_000, `the Accept from ${to.origin}`);
  }

  it("a slow sibling, an unresolvable follower and a tarpit do not delay a post to another sibling", async () => {
    const alice = await paris.createUser("alice");
    const bob = await lyon.createUser("bob");
    await followAcross(lyon, bob.account.id, paris, "alice");
    // Two bad followers of alice: the slow sibling's sam, and someone on a host that does not resolve.
    const remote = (iri: string, inbox: string, shared: string | null) => upsertRemoteAccount(paris.db.sql, {
      iri, username: new URL(iri).pathname.split("/").at(-1)!, domain: new URL(iri).host, actorType: "Person",
      inboxUrl: inbox, sharedInboxUrl: shared, followersUrl: null, followingUrl: null, url: null, displayName: "",
      bioHtml: "", avatarUrl: null, headerUrl: null, locked: false, discoverable: true, followersCount: 0, followingCount: 0,
    });
    const samRow = await remote(sam.iri, sam.inbox, slow.url("/inbox"));
    const lost = await remote("https://paris-annexe.invalid/users/lost", "https://paris-annexe.invalid/users/lost/inbox", null);
    for (const f of [samRow, lost]) await receiveFollow(paris.db.sql, { followIri: `${f.iri}#follow`, followerId: f.id, targetId: alice.account.id });
    // Twelve profile refreshes against the slow sibling, as twelve Update(Person) from it would queue.
    for (let i = 1; i <= 12; i++) await enqueueOutbox(paris.db.sql, { kind: "refresh-profile", iri: slow.url(`/users/p${i}`), origin: slow.origin });
    // Four Creates from the slow sibling whose tags all point at its tarpit.
    const tarpit = [1, 2, 3, 4].map((n) => signedPost(sam, `${paris.origin}/inbox`, activity({
      id: newId(sam.iri, "create"), type: "Create", actor: sam.iri, to: ["https://www.w3.org/ns/activitystreams#Public"],
      object: {
        id: slow.url(`/notes/${n}`), type: "Note", attributedTo: sam.iri, content: `tarpit ${n}`,
        to: ["https://www.w3.org/ns/activitystreams#Public"],
        tag: Array.from({ length: 10 }, (_, i) => slow.url(`/tarpit/${n * 10 - i}`)),
      },
    })).then((out) => deliver(out, { timeoutMs: 60_000 })));
    // The first posts to everyone occupy the slow and unresolvable deliveries.
    // More of them than Fedify's queue has slots (12).
    for (let i = 1; i <= 15; i++) await createPost(paris.db.sql, paris.origin, alice.account.id, { text: `Échauffement ${i}`, visibility: "internal" });
    await sleep(500);

    const started = Date.now();
    const post = await createPost(paris.db.sql, paris.origin, alice.account.id, { text: "Réunion à 14 h", visibility: "internal" });
    await eventually(async () => (await homeTimeline(lyon.db.sql, bob.account.id)).items.some((p) => p.iri === post.iri), 30_000, "the post on Lyon");
    const ms = Date.now() - started;
    expect(ms).toBeLessThan(5_000);
    // The bad peers were really in the way: the slow sibling was being contacted while this went through.
    expect(slow.received.filter((r) => r.path.startsWith("/users/p")).length).toBeGreaterThan(0);
    expect(slow.received.some((r) => r.path === "/inbox" && r.method === "POST")).toBe(true);
    for (const r of await Promise.all(tarpit)) expect(r.status).toBeLessThan(300);
    expect(slow.received.filter((r) => r.path.startsWith("/tarpit/")).length).toBe(0);
  }, 120_000);

  it("a sibling down for maintenance gets its backlog in order soon after it answers again", async () => {
    const claire = await paris.createUser("claire");
    const dan = await lyon.createUser("dan");
    await followAcross(lyon, dan.account.id, paris, "claire");

    lyon.setReachable(false);
    const post = await createPost(paris.db.sql, paris.origin, claire.account.id, { text: "Version 1", visibility: "internal" });
    const others: { iri: string }[] = [];
    for (let i = 1; i <= 4; i++) others.push(await createPost(paris.db.sql, paris.origin, claire.account.id, { text: `Note ${i}`, visibility: "internal" }));
    await editPost(paris.db.sql, paris.origin, post.id, claire.account.id, { text: "Version 2" });
    // Paris builds an Update from the post as it is when the job runs: let the one for version 2 reach Fedify's queue
    // before editing again, or both jobs could carry version 3 (a person editing twice within milliseconds).
    await eventually(async () => {
      const [row] = await paris.db.sql`SELECT 1 FROM fedify_mq WHERE message::text LIKE ${"%Version 2%"}`;
      return row ?? null;
    }, 30_000, "the Update carrying version 2 queued");
    await editPost(paris.db.sql, paris.origin, post.id, claire.account.id, { text: "Version 3" });
    // Down long enough for Paris to stop trying (its circuit for Lyon opens after 5 failures).
    await eventually(async () => {
      const [row] = await paris.db.sql`SELECT value FROM fedify_kv WHERE key::text LIKE ${"%circuit%"} AND value::text LIKE ${'%"open"%'}`;
      return row ?? null;
    }, 60_000, "Paris's circuit for Lyon open");
    await sleep(20_000);

    lyon.setReachable(true);
    const back = Date.now();
    const seen = await eventually(async () => {
      const id = await postIdByIri(lyon.db.sql, post.iri);
      if (!id) return null;
      const p = await loadPost(lyon.db.sql, id, localViewer(dan.account.id));
      return p?.contentHtml.includes("Version 3") ? p : null;
    }, 90_000, "the backlog on Lyon");
    const ms = Date.now() - back;
    expect(ms).toBeLessThan(60_000);
    // In order: the edits arrived after the Create and one after the other (Lyon's history: 1, 2, then now 3).
    const history = await postHistory(lyon.db.sql, seen.id, localViewer(dan.account.id));
    expect(history!.map((v) => v.contentHtml.replace(/<[^>]+>/g, ""))).toEqual(["Version 1", "Version 2", "Version 3"]);
    await eventually(async () => {
      const home = await homeTimeline(lyon.db.sql, dan.account.id);
      return others.every((o) => home.items.some((p) => p.iri === o.iri));
    }, 30_000, "the other notes on Lyon");
  }, 240_000);
});
