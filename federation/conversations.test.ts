// Issue #9 point 2 across three real instances over HTTPS: a three-person conversation, two on Paris and one on
// Lyon (siblings), reaches exactly its participants and stays in one conversation on every side; a fourth person on
// each instance and an outsider server read it by no path — pages, API (status, context, timelines, account
// statuses, conversations, search, notifications), ActivityPub object fetch — while the participants read it by each.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRestAPIClient, type mastodon } from "masto";
import { eventually, startTestInstance, type TestInstance } from "../test/instance.ts";
import { allSettled } from "../test/hostile-peer.ts";
import { signInOverHttp, type WebSession } from "../test/web-session.ts";
import { postIdByIri } from "../server/domain/posts/post-views.ts";
import { listConversations } from "../server/domain/conversations/conversations.ts";

type User = Awaited<ReturnType<TestInstance["createUser"]>>;

describe("a conversation across three instances", () => {
  let paris: TestInstance, lyon: TestInstance, outsider: TestInstance;
  beforeAll(async () => {
    [paris, lyon, outsider] = await Promise.all([
      startTestInstance({ name: "Paris", federation: "open" }),
      startTestInstance({ name: "Lyon", federation: "open" }),
      startTestInstance({ name: "Outsider", federation: "open" }),
    ]);
    await paris.addSibling(lyon.origin);
    await lyon.addSibling(paris.origin);
  });
  afterAll(async () => {
    await Promise.all([paris?.close(), lyon?.close(), outsider?.close()]);
  });

  const rest = (inst: TestInstance, u: User): mastodon.rest.Client => createRestAPIClient({ url: inst.origin, accessToken: u.token });

  /** A signed GET of `iri` by `username` on `from` (its own key, not the server's): the status it got. */
  async function signedFetchBy(from: TestInstance, username: string, iri: string): Promise<number> {
    const loader = await from.instance.context().getDocumentLoader({ identifier: username });
    try {
      await loader(iri);
      return 200;
    } catch (e) {
      return Number(/HTTP (\d{3})/.exec(String(e))?.[1] ?? 0);
    }
  }

  /** Every API read path a person has, each asked for the secret word or the message's id. */
  async function apiReads(inst: TestInstance, u: User, localId: string | null, word: string) {
    const c = rest(inst, u);
    const has = (list: { id?: string; content?: string }[]) => list.some((s) => s.id === localId || (s.content ?? "").includes(word));
    const status = localId ? await fetch(`${inst.url}/api/v1/statuses/${localId}`, { headers: { Authorization: `Bearer ${u.token}` } }) : null;
    const context = localId ? await fetch(`${inst.url}/api/v1/statuses/${localId}/context`, { headers: { Authorization: `Bearer ${u.token}` } }) : null;
    const search = await c.v2.search.list({ q: word, type: "statuses", resolve: false });
    return {
      status: status?.status ?? 404,
      context: context?.status ?? 404,
      home: has(await c.v1.timelines.home.list({ limit: 40 })),
      group: has(await c.v1.timelines.public.list({ limit: 40 })),
      local: has(await c.v1.timelines.public.list({ limit: 40, local: true })),
      search: has(search.statuses),
      conversations: (await c.v1.conversations.list()).some((x) => has(x.lastStatus ? [x.lastStatus] : [])),
      notifications: (await c.v1.notifications.list({ limit: 40 })).some((n) => (n.status ? has([n.status]) : false)),
    };
  }

  it("two on Paris and one on Lyon talk; a fourth person on each side and an outsider read it by no path", async () => {
    const [alice, bob, pat] = await Promise.all(["alice", "bob", "pat"].map((u) => paris.createUser(u, { password: "motdepasse-long-1" })));
    const [carol, lou] = await Promise.all(["carol", "lou"].map((u) => lyon.createUser(u, { password: "motdepasse-long-1" })));
    const olga = await outsider.createUser("olga");
    // Everyone public-facing is known around (the fourth people follow the authors where they can).
    const first = await rest(paris, alice).v1.statuses.create({
      status: `@bob @carol@${lyon.host} ordre du jour confidentiel zanzibar`, visibility: "direct",
    });
    // It reaches Lyon, where carol's conversation lists both Paris participants (bob resolved through the sibling).
    const onLyon = await eventually(async () => postIdByIri(lyon.db.sql, `${paris.origin}/ap/note/${first.id}`), 20_000, "the message on Lyon");
    const carolsRow = await eventually(async () => (await listConversations(lyon.db.sql, carol.account.id)).items[0], 10_000, "carol's conversation");
    expect(carolsRow.accounts.map((a) => a.username).sort()).toEqual(["alice", "bob"]);
    expect(carolsRow.unread).toBe(true);

    // Carol answers from Lyon, addressing both; it lands in the same conversation for alice and bob on Paris.
    const reply = await rest(lyon, carol).v1.statuses.create({
      status: `@alice@${paris.host} @bob@${paris.host} d'accord pour zanzibar`, visibility: "direct", inReplyToId: onLyon,
    });
    const replyOnParis = await eventually(async () => postIdByIri(paris.db.sql, `${lyon.origin}/ap/note/${reply.id}`), 20_000, "carol's answer on Paris");
    for (const u of [alice, bob]) {
      const list = await rest(paris, u).v1.conversations.list();
      expect(list).toHaveLength(1);
      expect(list[0].lastStatus?.id).toBe(replyOnParis);
      expect(list[0].accounts.map((a) => a.username).sort()).toEqual(u === alice ? ["bob", "carol"] : ["alice", "carol"]);
    }
    await Promise.all([allSettled(paris.db.sql), allSettled(lyon.db.sql), allSettled(outsider.db.sql)]);

    // The participants read it by every path (the positive side of each check below).
    const bobReads = await apiReads(paris, bob, first.id, "zanzibar");
    expect(bobReads).toMatchObject({ status: 200, context: 200, search: true, conversations: true, notifications: true });
    const carolReads = await apiReads(lyon, carol, onLyon, "zanzibar");
    expect(carolReads).toMatchObject({ status: 200, context: 200, search: true, conversations: true, notifications: true });
    expect(await signedFetchBy(lyon, "carol", `${paris.origin}/ap/note/${first.id}`)).toBe(200);

    // Pat (Paris) and lou (Lyon) read it by no API path; the outsider never received it.
    const none = { status: 404, context: 404, home: false, group: false, local: false, search: false, conversations: false, notifications: false };
    expect(await apiReads(paris, pat, first.id, "zanzibar")).toEqual(none);
    expect(await apiReads(paris, pat, replyOnParis, "zanzibar")).toEqual(none);
    expect(await apiReads(lyon, lou, onLyon, "zanzibar")).toEqual(none);
    expect(await postIdByIri(outsider.db.sql, `${paris.origin}/ap/note/${first.id}`)).toBeNull();
    expect(await postIdByIri(outsider.db.sql, `${lyon.origin}/ap/note/${reply.id}`)).toBeNull();
    expect(await apiReads(outsider, olga, null, "zanzibar")).toEqual(none);

    // ActivityPub: signed by a non-participant of a sibling, or by the outsider (person or server) → refused.
    for (const iri of [`${paris.origin}/ap/note/${first.id}`]) {
      expect(await signedFetchBy(lyon, "lou", iri)).toBeOneOf([403, 404]);
      expect(await signedFetchBy(outsider, "olga", iri)).toBeOneOf([403, 404]);
    }
    expect(await signedFetchBy(paris, "pat", `${lyon.origin}/ap/note/${reply.id}`)).toBeOneOf([403, 404]);
    expect(await signedFetchBy(outsider, "olga", `${lyon.origin}/ap/note/${reply.id}`)).toBeOneOf([403, 404]);
    const unsigned = await fetch(`${paris.origin}/ap/note/${first.id}`, { headers: { Accept: "application/activity+json" } });
    expect(unsigned.status).toBe(401);

    // Pages: the participants see the message in its thread and in their messages; the fourth people get 404s.
    const sessions: Record<string, WebSession> = {};
    for (const [inst, u] of [[paris, bob], [paris, pat], [lyon, carol], [lyon, lou]] as const) {
      sessions[u.account.username] = await signInOverHttp(inst.url, u.account.username, "motdepasse-long-1");
    }
    const thread = `/@alice/${first.id}`;
    expect((await sessions.bob.get(thread)).status).toBe(200);
    expect(await (await sessions.bob.get("/messages")).text()).toContain("zanzibar");
    expect((await sessions.pat.get(thread)).status).toBe(404);
    expect(await (await sessions.pat.get("/messages")).text()).not.toContain("zanzibar");
    const bobsConv = (await rest(paris, bob).v1.conversations.list())[0].id;
    expect((await sessions.bob.get(`/messages/${bobsConv}`)).status).toBe(200);
    expect((await sessions.pat.get(`/messages/${bobsConv}`)).status).toBe(404);
    expect(await (await sessions.pat.get("/search?q=zanzibar")).text()).not.toContain("ordre du jour");
    expect(await (await sessions.pat.get("/notifications")).text()).not.toContain("zanzibar");
    expect(await (await sessions.pat.get("/@alice")).text()).not.toContain("zanzibar");
    expect(await (await sessions.carol.get("/messages")).text()).toContain("zanzibar");
    const lyonThread = `/@alice@${paris.host}/${onLyon}`;
    expect((await sessions.carol.get(lyonThread)).status).toBe(200);
    expect((await sessions.lou.get(lyonThread)).status).toBe(404);
    expect(await (await sessions.lou.get("/messages")).text()).not.toContain("zanzibar");
    expect(await (await sessions.lou.get("/search?q=zanzibar")).text()).not.toContain("ordre du jour");
    // Anonymous visitors (open mode) are sent to the sign-in page, as for any post they may not read.
    const anonymous = await fetch(`${paris.url}${thread}`, { headers: { Accept: "text/html" }, redirect: "manual" });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("location")).toMatch(/^\/login/);
    expect(await anonymous.text()).not.toContain("zanzibar");
  }, 240_000);
});
