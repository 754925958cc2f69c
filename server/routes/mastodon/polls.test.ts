// Polls through the Mastodon API, driven by masto (a real client) against a real instance: create, vote, read
// own_votes, hidden totals, Mastodon's errors, the poll-ended notification and the streaming status.update.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRestAPIClient, createStreamingAPIClient, type mastodon } from "masto";
import { eventually, startTestInstance, type TestInstance } from "../../../test/instance.ts";
import { closePoll } from "../../domain/polls/polls.ts";

type Failure = { statusCode: number; message: string };
const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as Failure);

describe("polls through the Mastodon API", () => {
  let paris: TestInstance;
  let alice: mastodon.rest.Client, bob: mastodon.rest.Client, carol: mastodon.rest.Client;
  let bobToken: string;
  beforeAll(async () => {
    paris = await startTestInstance({ name: "Paris" });
    const users = await Promise.all(["alice", "bob", "carol"].map((u) => paris.createUser(u)));
    bobToken = users[1].token;
    [alice, bob, carol] = users.map((u) => createRestAPIClient({ url: paris.origin, accessToken: u.token }));
  });
  afterAll(async () => {
    await paris?.close();
  });

  it("creates a poll, takes votes, reports voted and own_votes per reader, and refuses what Mastodon refuses", async () => {
    const status = await alice.v1.statuses.create({
      status: "Quel jour pour le séminaire ?", poll: { options: ["Lundi", "Mardi", "Jeudi"], expiresIn: 86_400, multiple: true },
    });
    expect(status.poll).toMatchObject({
      id: status.id, expired: false, multiple: true, votesCount: 0, votersCount: 0, voted: false, ownVotes: [], emojis: [],
      options: [{ title: "Lundi", votesCount: 0 }, { title: "Mardi", votesCount: 0 }, { title: "Jeudi", votesCount: 0 }],
    });
    expect(Date.parse(status.poll!.expiresAt!) - Date.now()).toBeGreaterThan(86_000_000);

    const afterBob = await bob.v1.polls.$select(status.id).votes.create({ choices: [0, 2] });
    expect(afterBob).toMatchObject({ voted: true, ownVotes: [0, 2], votesCount: 2, votersCount: 1 });
    await carol.v1.polls.$select(status.id).votes.create({ choices: [2] });

    const seenByCarol = await carol.v1.polls.$select(status.id).fetch();
    expect(seenByCarol).toMatchObject({ voted: true, ownVotes: [2], votesCount: 3, votersCount: 2 });
    expect(seenByCarol.options.map((o) => o.votesCount)).toEqual([1, 0, 2]);
    // The poll inside the status, as each reader reads it.
    expect((await alice.v1.statuses.$select(status.id).fetch()).poll).toMatchObject({ voted: false, ownVotes: [], votersCount: 2 });
    expect((await bob.v1.statuses.$select(status.id).fetch()).poll).toMatchObject({ voted: true, ownVotes: [0, 2] });

    expect(await failure(bob.v1.polls.$select(status.id).votes.create({ choices: [1] })))
      .toMatchObject({ statusCode: 422, message: "Validation failed: You have already voted on this poll" });
    expect(await failure(alice.v1.polls.$select(status.id).votes.create({ choices: [1] })))
      .toMatchObject({ statusCode: 422, message: "Validation failed: You cannot vote in your own poll" });
    const dave = createRestAPIClient({ url: paris.origin, accessToken: (await paris.createUser("dave")).token });
    expect(await failure(dave.v1.polls.$select(status.id).votes.create({ choices: [7] })))
      .toMatchObject({ statusCode: 422, message: "Validation failed: The chosen vote option does not exist" });
    expect(await failure(dave.v1.polls.$select(status.id).votes.create({ choices: [] })))
      .toMatchObject({ statusCode: 422, message: "Validation failed: Choices can't be blank" });
    expect(await failure(dave.v1.polls.$select("999999").fetch())).toMatchObject({ statusCode: 404 });
    expect((await carol.v1.polls.$select(status.id).fetch()).votersCount).toBe(2); // nothing counted by the refusals
  });

  it("refuses polls outside the limits with Mastodon's 422 and keeps no post", async () => {
    const before = (await alice.v1.accounts.verifyCredentials()).statusesCount;
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ options: ["a"], expiresIn: 3600 }, /^Validation failed: Poll needs at least 2 options$/],
      [{ options: Array.from({ length: 21 }, (_, i) => `o${i}`), expiresIn: 3600 }, /at most 20 options/],
      [{ options: ["a".repeat(201), "b"], expiresIn: 3600 }, /at most 200 characters/],
      [{ options: ["a", "b"], expiresIn: 60 }, /at least 5 minutes/],
      [{ options: ["a", "b"], expiresIn: 7_776_001 }, /within 90 days/],
      [{ options: ["a", "a"], expiresIn: 3600 }, /duplicates/],
    ];
    for (const [poll, message] of cases) {
      const e = await failure(alice.v1.statuses.create({ status: "Sondage", poll } as never));
      expect(e?.statusCode).toBe(422);
      expect(e?.message).toMatch(message);
    }
    expect((await alice.v1.accounts.verifyCredentials()).statusesCount).toBe(before);
  });

  it("hides totals while open when asked, then shows them; author and voters get the poll-ended notification", async () => {
    const status = await alice.v1.statuses.create({
      status: "Note anonyme du trimestre ?", poll: { options: ["Bien", "Moyen"], expiresIn: 300, hideTotals: true },
    });
    await bob.v1.polls.$select(status.id).votes.create({ choices: [0] });
    const hidden = await bob.v1.polls.$select(status.id).fetch();
    expect(hidden.options.map((o) => o.votesCount)).toEqual([null, null]);
    expect(hidden.ownVotes).toEqual([0]);

    // The deadline passes (moved, rather than waited for) and the queued close job runs.
    await paris.db.sql`UPDATE polls SET expires_at = now() - interval '1 second' WHERE post_id = ${status.id}`;
    expect(await closePoll(paris.db.sql, status.id)).toBe("closed");
    const ended = await bob.v1.polls.$select(status.id).fetch();
    expect(ended).toMatchObject({ expired: true, votersCount: 1 });
    expect(ended.options.map((o) => o.votesCount)).toEqual([1, 0]);
    expect(await failure(carol.v1.polls.$select(status.id).votes.create({ choices: [1] })))
      .toMatchObject({ statusCode: 422, message: "Validation failed: The poll has already ended" });
    for (const client of [alice, bob]) {
      const notes = await client.v1.notifications.list({ types: ["poll"] });
      expect(notes.map((n) => [n.type, n.status?.id, n.account?.username])).toContainEqual(["poll", status.id, "alice"]);
    }
    expect((await carol.v1.notifications.list({ types: ["poll"] })).some((n) => n.status?.id === status.id)).toBe(false);
  });

  it("the poll-close job queued with the poll closes it at its deadline on the worker", async () => {
    const status = await alice.v1.statuses.create({ status: "Vite !", poll: { options: ["Oui", "Non"], expiresIn: 300 } });
    await bob.v1.polls.$select(status.id).votes.create({ choices: [1] });
    // Bring the deadline and the queued job forward to now: the running worker takes it.
    await paris.db.sql`UPDATE polls SET expires_at = now() WHERE post_id = ${status.id}`;
    await paris.db.sql`UPDATE pgboss.job_common SET start_after = now() WHERE name = 'poll-close' AND data->>'postId' = ${status.id}`;
    const note = await eventually(async () => (await bob.v1.notifications.list({ types: ["poll"] })).find((n) => n.status?.id === status.id), 15_000, "the poll-ended notification");
    expect(note.status?.poll?.expired).toBe(true);
  });

  it("a vote refreshes the post on the readers' streams (status.update with the new counts)", async () => {
    const status = await alice.v1.statuses.create({ status: "Pizza ou sushi ?", poll: { options: ["Pizza", "Sushi"], expiresIn: 3600 } });
    const stream = createStreamingAPIClient({ streamingApiUrl: paris.url.replace("https", "wss"), accessToken: bobToken, retry: false });
    try {
      const sub = stream.public.local.subscribe();
      const got = (async () => {
        for await (const e of sub) if (e.event === "status.update" && e.payload.id === status.id) return e.payload;
      })();
      await eventually(async () => paris.instance.streaming.subscriptions() > 0, 10_000, "bob's subscription");
      await carol.v1.polls.$select(status.id).votes.create({ choices: [1] });
      const updated = await got;
      expect(updated?.poll?.votersCount).toBe(1);
      expect(updated?.poll?.options.map((o) => o.votesCount)).toEqual([0, 1]);
    } finally {
      stream.close();
    }
  });
});
