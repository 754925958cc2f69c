// Polls across real instances over HTTPS with signatures (issue #11): Paris and Lyon are siblings; Paris runs in open
// mode, so an outsider's server (a hostile peer) can deliver to it — and its votes meet the audience rule.
// Corpus cases 28–31 and the forged tally Update, each against the live inbox.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRestAPIClient, type mastodon } from "masto";
import { eventually, startTestInstance, type TestInstance } from "../test/instance.ts";
import { activity, deliver, inboxSettled, newId, type PeerActor, signedPost, startHostilePeer, type HostilePeer } from "../test/hostile-peer.ts";
import { loadPost, postIdByIri } from "../server/domain/posts/post-views.ts";
import { localViewer } from "../server/domain/audience/visibility.ts";
import { jobsOf } from "../server/jobs/admin.ts";
import { recordLogs } from "../test/log-records.ts";

const records = recordLogs(["ruche", "federation", "inbox"], "info");

describe("polls between two siblings and an outsider", () => {
  let paris: TestInstance, lyon: TestInstance, peer: HostilePeer, olga: PeerActor;
  const api = (i: TestInstance, token: string) => createRestAPIClient({ url: i.origin, accessToken: token });
  beforeAll(async () => {
    [paris, lyon, peer] = await Promise.all([startTestInstance({ name: "Paris", federation: "open" }), startTestInstance({ name: "Lyon" }), startHostilePeer()]);
    await paris.addSibling(lyon.origin);
    await lyon.addSibling(paris.origin);
    olga = await peer.createActor("olga");
  });
  afterAll(async () => {
    await Promise.all([paris?.close(), lyon?.close(), peer?.close()]);
  });

  /** The copy of `iri` on `on`, as `viewerId` reads it, once its poll satisfies `test`. */
  const pollOn = (on: TestInstance, iri: string, viewerId: string, test: (p: NonNullable<Awaited<ReturnType<typeof loadPost>>>["poll"]) => boolean, what: string) =>
    eventually(async () => {
      const id = await postIdByIri(on.db.sql, iri);
      const post = id ? await loadPost(on.db.sql, id, localViewer(viewerId)) : null;
      return post?.poll && test(post.poll) ? post : null;
    }, 20_000, what);

  it("Lyon employees vote on a Paris poll: Paris counts them, and its batched Update(Question) brings the tally to Lyon", async () => {
    const alice = await paris.createUser("alice");
    const lyonUsers = await Promise.all(["bob", "chloe", "dan"].map((u) => lyon.createUser(u)));
    const status = await api(paris, alice.token).v1.statuses.create({
      status: "Séminaire : Lyon ou Paris ?", visibility: "internal" as never, poll: { options: ["Lyon", "Paris"], expiresIn: 3600 },
    });
    // The poll reaches Lyon as a Question (shared inbox: internal goes to every sibling).
    const copy = await pollOn(lyon, status.uri, lyonUsers[0].account.id, (p) => p!.options.length === 2, "the poll on Lyon");
    expect(copy.poll).toMatchObject({ multiple: false, expired: false, votersCount: 0 });
    expect(copy.contentHtml).toContain("Séminaire");

    // Three Lyon employees vote at once through Lyon's Mastodon API (masto), as their apps would.
    const clients: mastodon.rest.Client[] = lyonUsers.map((u) => api(lyon, u.token));
    const voted = await Promise.all(clients.map((c, i) => c.v1.polls.$select(copy.id).votes.create({ choices: [i % 2] })));
    expect(voted.map((p) => p.ownVotes)).toEqual([[0], [1], [0]]);

    // Paris counts each vote once, from the right people.
    const counted = await pollOn(paris, status.uri, alice.account.id, (p) => p!.votersCount === 3, "three votes counted on Paris");
    expect(counted.poll!.options.map((o) => o.votesCount)).toEqual([2, 1]);
    const voters = await paris.db.sql`SELECT a.iri FROM poll_voters v JOIN accounts a ON a.id = v.account_id WHERE v.post_id = ${status.id} ORDER BY a.iri`;
    expect(voters.map((v) => v.iri)).toEqual(lyonUsers.map((u) => `${lyon.origin}/users/${u.account.username}`).sort());
    // No reply was stored from the votes (a vote is not a post).
    expect((await paris.db.sql`SELECT count(*)::int AS n FROM posts WHERE in_reply_to_iri = ${status.uri}`)[0].n).toBe(0);

    // Lyon's copy settles on Paris's tally, sent in fewer Updates than there were votes.
    const settled = await pollOn(lyon, status.uri, lyonUsers[1].account.id, (p) => p!.votersCount === 3 && p!.options[0].votesCount === 2, "Paris's tally on Lyon");
    expect(settled.poll).toMatchObject({ votersCount: 3, ownVotes: [1] });
    expect(settled.poll!.options.map((o) => o.votesCount)).toEqual([2, 1]);
    expect(settled.editedAt).toBeNull(); // new tallies are no edit
    const tallies = await jobsOf(paris.db.sql, "poll-tally", { postId: status.id });
    expect(tallies.length).toBeGreaterThan(0);
    expect(tallies.length).toBeLessThan(3);
  }, 60_000);

  it("a Paris employee votes on a Lyon poll: Lyon counts it and Paris shows Lyon's tally", async () => {
    const eric = await lyon.createUser("eric");
    const fanny = await lyon.createUser("fanny");
    const gael = await paris.createUser("gael");
    const status = await api(lyon, eric.token).v1.statuses.create({
      status: "Quels ateliers ?", visibility: "internal" as never, poll: { options: ["Rust", "SQL", "Design"], expiresIn: 3600, multiple: true },
    });
    const copy = await pollOn(paris, status.uri, gael.account.id, (p) => p!.multiple, "Lyon's poll on Paris");
    const mine = await api(paris, gael.token).v1.polls.$select(copy.id).votes.create({ choices: [0, 2] });
    expect(mine).toMatchObject({ voted: true, ownVotes: [0, 2] });
    // Lyon counts one voter and two votes (one Create(Note{name}) per option).
    await eventually(async () => (await api(lyon, eric.token).v1.polls.$select(status.id).fetch()).votesCount === 2, 20_000, "gael's two votes on Lyon");
    const onLyon = await api(lyon, eric.token).v1.polls.$select(status.id).fetch();
    expect(onLyon.options.map((o) => o.votesCount)).toEqual([1, 0, 1]);
    // A Lyon colleague votes too: Paris can only learn it from Lyon's Update(Question).
    await api(lyon, fanny.token).v1.polls.$select(status.id).votes.create({ choices: [1] });
    const fresh = await pollOn(paris, status.uri, gael.account.id, (p) => p!.votersCount === 2, "Lyon's tally on Paris");
    expect(fresh.poll!.options.map((o) => o.votesCount)).toEqual([1, 1, 1]);
    expect(fresh.poll!.ownVotes).toEqual([0, 2]);
  }, 60_000);

  it("refuses an outsider's vote on an internal poll, spoofed and late votes, and a forged tally Update; counts an outsider's vote on a public poll", async () => {
    const hugo = await paris.createUser("hugo");
    const hugoApi = api(paris, hugo.token);
    const internal = await hugoApi.v1.statuses.create({ status: "Interne ?", visibility: "internal" as never, poll: { options: ["Oui", "Non"], expiresIn: 3600 } });
    const pub = await hugoApi.v1.statuses.create({ status: "Public ?", visibility: "public", poll: { options: ["Oui", "Non"], expiresIn: 3600 } });
    const vote = (poll: string, name: string, over: { id?: string; attributedTo?: string } = {}) => {
      const id = over.id ?? `${peer.origin}/users/olga#votes/${crypto.randomUUID()}`;
      return activity({
        id: over.id ? newId(olga.iri, "create") : `${id}/activity`, type: "Create", actor: olga.iri, to: `${paris.origin}/users/hugo`,
        object: { id, type: "Note", name, inReplyTo: poll, attributedTo: over.attributedTo ?? olga.iri, to: `${paris.origin}/users/hugo` },
      });
    };
    const send = async (body: Record<string, unknown>) => {
      const reply = await deliver(await signedPost(olga, `${paris.origin}/users/hugo/inbox`, body));
      expect(reply.status, reply.text).toBeLessThan(300);
      await inboxSettled(paris.db.sql);
    };
    const counts = async (postId: string) => {
      const { poll } = (await loadPost(paris.db.sql, postId, localViewer(hugo.account.id)))!;
      return [poll!.votersCount, ...poll!.options.map((o) => o.votesCount)];
    };

    await send(vote(internal.uri, "Oui")); // case 28: outside the internal poll's audience
    await send(vote(pub.uri, "Peut-être")); // no such option (case 30)
    await send(vote(pub.uri, "Oui", { attributedTo: `${lyon.origin}/users/bob` })); // case 31: in another's name
    await send(vote(pub.uri, "Oui", { id: `${lyon.origin}/users/bob#votes/1` })); // the Note on another origin (case 7)
    expect(await counts(internal.id)).toEqual([0, 0, 0]);
    expect(await counts(pub.id)).toEqual([0, 0, 0]);
    // Positive control: the same outsider's genuine vote on the public poll counts, once, however often it is replayed;
    // a second choice on this single-choice poll does not (case 29).
    const genuine = vote(pub.uri, "Non");
    await send(genuine);
    await send(genuine);
    await send(vote(pub.uri, "Oui"));
    expect(await counts(pub.id)).toEqual([1, 0, 1]);
    const why = records.map((r) => r.properties.why).filter((w) => typeof w === "string");
    expect(why).toEqual(expect.arrayContaining(["not in the poll's audience", "no such option", "vote attributed to someone else", "You have already voted on this poll"]));

    // Late: after the deadline nothing counts (case 30).
    const closing = await hugoApi.v1.statuses.create({ status: "Fini ?", visibility: "public", poll: { options: ["Oui", "Non"], expiresIn: 300 } });
    await paris.db.sql`UPDATE polls SET expires_at = now() - interval '1 second' WHERE post_id = ${closing.id}`;
    await send(vote(closing.uri, "Oui"));
    expect(await counts(closing.id)).toEqual([0, 0, 0]);
    expect(records.some((r) => r.properties.why === "The poll has already ended")).toBe(true);

    // A tally Update(Question) of a Lyon poll sent by the outsider changes nothing on Paris (case 8).
    const jules = await lyon.createUser("jules");
    const lyonPoll = await api(lyon, jules.token).v1.statuses.create({ status: "Lyon ?", visibility: "internal" as never, poll: { options: ["A", "B"], expiresIn: 3600 } });
    const copy = await pollOn(paris, lyonPoll.uri, hugo.account.id, () => true, "Lyon's poll on Paris");
    await send(activity({
      id: newId(olga.iri, "update"), type: "Update", actor: olga.iri,
      object: { id: lyonPoll.uri, type: "Question", attributedTo: `${lyon.origin}/users/jules`, content: "<p>Lyon ?</p>", votersCount: 999,
        oneOf: [{ type: "Note", name: "A", replies: { type: "Collection", totalItems: 999 } }, { type: "Note", name: "B", replies: { type: "Collection", totalItems: 0 } }] },
    }));
    expect(await counts(copy.id)).toEqual([0, 0, 0]);
  }, 60_000);
});
