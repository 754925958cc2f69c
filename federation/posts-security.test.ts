// Hostile posts (security corpus cases 7, 8, 9, 24, 34 and replays), delivered by a sibling-allowed hostile peer to a
// running instance over real HTTPS with real signatures.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestInstance, type TestInstance } from "../test/instance.ts";
import { activity, deliver, inboxSettled, newId, type PeerActor, signedPost, startHostilePeer, type HostilePeer } from "../test/hostile-peer.ts";
import { createPost } from "../server/domain/posts/posts.ts";
import { loadPost } from "../server/domain/posts/post-views.ts";
import { localViewer } from "../server/domain/audience/visibility.ts";
import { recordLogs } from "../test/log-records.ts";

const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";
let inst: TestInstance, peer: HostilePeer, other: HostilePeer;
let mallory: PeerActor, eve: PeerActor, alice: string, aliceId: string;

const records = recordLogs(["ruche", "federation", "inbox"], "info");
beforeAll(async () => {
  [inst, peer, other] = await Promise.all([startTestInstance({ name: "Paris" }), startHostilePeer(), startHostilePeer()]);
  await inst.addSibling(peer.origin);
  await inst.addSibling(other.origin);
  [mallory, eve] = await Promise.all([peer.createActor("mallory"), other.createActor("eve")]);
  aliceId = (await inst.createUser("alice")).account.id;
  alice = `${inst.origin}/users/alice`;
});
afterAll(async () => {
  await Promise.all([inst?.close(), peer?.close(), other?.close()]);
});

function note(actor: PeerActor, fields: Record<string, unknown> = {}) {
  return { id: `${new URL(actor.iri).origin}/notes/${crypto.randomUUID()}`, type: "Note", attributedTo: actor.iri, to: [PUBLIC], content: "<p>hi</p>", ...fields };
}
async function send(actor: PeerActor, body: Record<string, unknown>) {
  const reply = await deliver(await signedPost(actor, `${inst.origin}/inbox`, activity(body)));
  expect(reply.status).toBeLessThan(300);
  await inboxSettled(inst.db.sql);
}
const create = (actor: PeerActor, object: Record<string, unknown>) => ({ id: newId(actor.iri), type: "Create", actor: actor.iri, object, to: object.to });
async function stored(iri: string) {
  const [row] = await inst.db.sql`SELECT content_html, visibility FROM posts WHERE iri = ${iri}`;
  return row as { content_html: string; visibility: string } | undefined;
}

describe("posts from a hostile sibling", () => {
  it("sanitises HTML (case 24) and stores a replayed Create once", async () => {
    const n = note(mallory, {
      content: '<p>ok <script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a><iframe src="https://e"></iframe><b style="color:red">b</b></p>',
    });
    await send(mallory, create(mallory, n));
    await send(mallory, create(mallory, n)); // same note, new activity id
    const row = await stored(n.id);
    expect(row?.content_html).toBe("<p>ok b</p>"); // the javascript: link goes, text and all
    const [{ c }] = await inst.db.sql`SELECT count(*)::int AS c FROM posts WHERE iri = ${n.id}`;
    expect(c).toBe(1);
  });

  it("never fetches tags or attachments given by URL, and keeps a post whose attachment claims absurd sizes", async () => {
    // Before: each URL was fetched (signed GETs to any origin, before the audience check) — a tarpit stalled the queue.
    const tarpit = Array.from({ length: 5 }, (_, i) => `${peer.origin}/tarpit/${i}`);
    for (const url of tarpit) peer.route(new URL(url).pathname, { status: 200, headers: { "Content-Type": "application/activity+json" }, body: "{}" });
    const n = note(mallory, {
      content: `<p>hello <a href="${alice}">@alice</a></p>`,
      tag: [{ type: "Mention", href: alice, name: "@alice" }, ...tarpit.slice(0, 3)],
      attachment: [...tarpit.slice(3), { type: "Document", mediaType: "image/png", url: `${peer.origin}/a.png`, width: 3e9, height: -4 }],
    });
    await send(mallory, create(mallory, n));
    expect((await stored(n.id))?.content_html).toContain("hello");
    const [media] = await inst.db.sql`SELECT a.width, a.height FROM attachments a JOIN posts p ON p.id = a.post_id WHERE p.iri = ${n.id}`;
    expect(media).toEqual({ width: null, height: null });
    const [mention] = await inst.db.sql`SELECT count(*)::int AS c FROM notifications WHERE account_id = ${aliceId} AND type = 'mention'
      AND post_id = (SELECT id FROM posts WHERE iri = ${n.id})`;
    expect(mention.c).toBeGreaterThan(0);
    expect(tarpit.map((u) => peer.hits(new URL(u).pathname))).toEqual([0, 0, 0, 0, 0]);
  });

  it("ignores a note embedded from another origin (case 7) or attributed to someone else", async () => {
    const foreign = note(eve);
    await send(mallory, create(mallory, foreign));
    expect(await stored(foreign.id)).toBeUndefined();
    const impersonated = note(mallory, { attributedTo: `${peer.origin}/users/someone-else` });
    await send(mallory, create(mallory, impersonated));
    expect(await stored(impersonated.id)).toBeUndefined();
  });

  it("an Update or Delete from another origin changes nothing (cases 8, 9); Delete before Create drops the Create", async () => {
    const n = note(mallory, { content: "<p>original</p>" });
    await send(mallory, create(mallory, n));
    await send(eve, { id: newId(eve.iri), type: "Update", actor: eve.iri, object: { ...n, content: "<p>forged</p>" } });
    await send(eve, { id: newId(eve.iri), type: "Delete", actor: eve.iri, object: n.id });
    expect((await stored(n.id))?.content_html).toBe("<p>original</p>");
    await send(mallory, { id: newId(mallory.iri), type: "Update", actor: mallory.iri, object: { ...n, content: "<p>edited</p>" } });
    expect((await stored(n.id))?.content_html).toBe("<p>edited</p>");

    const late = note(mallory);
    await send(mallory, { id: newId(mallory.iri), type: "Delete", actor: mallory.iri, object: { id: late.id, type: "Tombstone" } });
    await send(mallory, create(mallory, late));
    expect(await stored(late.id)).toBeUndefined();
  });

  it("an Announce or Like of a followers-only post by a non-follower gains nothing (case 34)", async () => {
    const secret = await createPost(inst.db.sql, inst.origin, aliceId, { text: "followers only", visibility: "followers" });
    await send(mallory, { id: newId(mallory.iri), type: "Announce", actor: mallory.iri, object: secret.iri, to: [PUBLIC] });
    await send(mallory, { id: newId(mallory.iri), type: "Like", actor: mallory.iri, object: secret.iri });
    const seen = await loadPost(inst.db.sql, secret.id, localViewer(aliceId));
    expect(seen?.counts).toEqual({ replies: 0, likes: 0, boosts: 0 });
    // A public post can be liked and boosted, once each however often it is sent.
    const open = await createPost(inst.db.sql, inst.origin, aliceId, { text: "public", visibility: "public" });
    const likeId = newId(mallory.iri);
    for (let i = 0; i < 2; i++) await send(mallory, { id: likeId, type: "Like", actor: mallory.iri, object: open.iri });
    await send(mallory, { id: newId(mallory.iri), type: "Announce", actor: mallory.iri, object: open.iri, to: [PUBLIC] });
    expect((await loadPost(inst.db.sql, open.id, localViewer(aliceId)))?.counts).toEqual({ replies: 0, likes: 1, boosts: 1 });
    await send(mallory, { id: newId(mallory.iri), type: "Undo", actor: mallory.iri, object: { id: likeId, type: "Like", actor: mallory.iri, object: open.iri } });
    expect((await loadPost(inst.db.sql, open.id, localViewer(aliceId)))?.counts.likes).toBe(0);
    void alice;
  });

  it("a poll vote and an object of another kind are not stored as posts; each refusal is logged with its reason or kind", async () => {
    const question = await createPost(inst.db.sql, inst.origin, aliceId, { text: "Cantine : pizza ou salade ?", visibility: "public" });
    // Mastodon's vote: a Note named after the option, without content, answering the poll.
    const vote = { id: `${peer.origin}/votes/${crypto.randomUUID()}`, type: "Note", attributedTo: mallory.iri, name: "pizza", inReplyTo: question.iri, to: [alice] };
    // Events (issue #12), articles and videos have their own homes; an Audio (a podcast episode) has none.
    const event = { id: `${peer.origin}/audio/${crypto.randomUUID()}`, type: "Audio", attributedTo: mallory.iri, name: "Afterwork", to: [PUBLIC] };
    records.length = 0;
    await send(mallory, create(mallory, vote));
    await send(mallory, create(mallory, event));
    expect(await stored(vote.id)).toBeUndefined();
    expect(await stored(event.id)).toBeUndefined();
    expect((await loadPost(inst.db.sql, question.id, localViewer(aliceId)))?.counts.replies).toBe(0);
    // The vote goes to the poll vote handler (create/vote.ts), which finds no poll of ours it answers.
    expect(records.filter((r) => String(r.rawMessage).includes("refused")).map((r) => [r.properties.why, r.properties.id]))
      .toEqual([["not an answer to one of our polls", vote.id]]);
    const refusals = records.filter((r) => String(r.rawMessage).includes("not handled")).map((r) => [r.properties.kind, r.properties.object]);
    expect(refusals).toEqual([["https://www.w3.org/ns/activitystreams#Audio", event.id]]);
    // A group's relay (FEP-1b12: Announce of a Create activity) is not a boost of a post we hold: logged, not lost silently.
    records.length = 0;
    const relayed = create(mallory, note(mallory));
    await send(mallory, { id: newId(mallory.iri), type: "Announce", actor: mallory.iri, object: relayed.id, to: [PUBLIC] });
    expect(records.filter((r) => String(r.rawMessage).includes("not a post we hold")).map((r) => r.properties.object)).toEqual([relayed.id]);
  });

  it("a remote poll (Question) is kept as a post with its poll (options given by URL not fetched), and replies to it keep their parent", async () => {
    const poll = {
      id: `${peer.origin}/polls/${crypto.randomUUID()}`, type: "Question", attributedTo: mallory.iri, to: [PUBLIC],
      content: "<p>Cantine vendredi ?</p>", endTime: new Date(Date.now() + 86_400_000).toISOString(),
      oneOf: [{ type: "Note", name: "Pizza <b>4 fromages</b>" }, { type: "Note", name: "Salade" }, `${peer.origin}/tarpit/option`],
    };
    await send(mallory, create(mallory, poll));
    const row = await stored(poll.id);
    expect(row?.content_html).toBe("<p>Cantine vendredi ?</p>");
    const [{ id: pollId }] = await inst.db.sql`SELECT id::text FROM posts WHERE iri = ${poll.id}`;
    const options = await inst.db.sql`SELECT title FROM poll_options WHERE post_id = ${pollId} ORDER BY position`;
    expect(options.map((o) => o.title)).toEqual(["Pizza <b>4 fromages</b>", "Salade"]); // text, shown escaped
    expect(peer.hits("/tarpit/option")).toBe(0);
    // Mastodon's tally push: Update(Question) with the same text and new totals is no edit, only new counts.
    const tally = {
      ...poll, votersCount: 3,
      oneOf: [{ type: "Note", name: "Pizza <b>4 fromages</b>", replies: { type: "Collection", totalItems: 2 } }, { type: "Note", name: "Salade", replies: { type: "Collection", totalItems: 1 } }],
    };
    await send(mallory, {
      "@context": ["https://www.w3.org/ns/activitystreams", { votersCount: "http://joinmastodon.org/ns#votersCount" }],
      id: newId(mallory.iri, "update"), type: "Update", actor: mallory.iri, object: tally, to: [PUBLIC],
    });
    const counted = await inst.db.sql`SELECT votes_count FROM poll_options WHERE post_id = ${pollId} ORDER BY position`;
    expect(counted.map((o) => o.votes_count)).toEqual([2, 1]);
    const [after] = await inst.db.sql`SELECT p.edited_at, pl.voters_count FROM posts p JOIN polls pl ON pl.post_id = p.id WHERE p.id = ${pollId}`;
    expect(after).toEqual({ edited_at: null, voters_count: 3 });
    // A Question that is no usable poll (one option, no deadline) still shows its options as text.
    const odd = { ...poll, id: `${peer.origin}/polls/${crypto.randomUUID()}`, endTime: undefined, oneOf: [{ type: "Note", name: "Seule <i>option</i>" }] };
    await send(mallory, create(mallory, odd));
    expect((await stored(odd.id))?.content_html).toBe("<p>Cantine vendredi ?</p><p>○ Seule &lt;i&gt;option&lt;/i&gt;</p>");
    const reply = note(mallory, { inReplyTo: poll.id, content: "<p>Pizza !</p>" });
    await send(mallory, create(mallory, reply));
    const [r] = await inst.db.sql`SELECT in_reply_to_id::text AS parent FROM posts WHERE iri = ${reply.id}`;
    const [p] = await inst.db.sql`SELECT id::text FROM posts WHERE iri = ${poll.id}`;
    expect(r.parent).toBe(p.id);
  });
});
