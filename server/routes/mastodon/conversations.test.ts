// /api/v1/conversations and the `direct` stream as Mastodon apps use them (masto's REST and WebSocket clients, the
// SSE endpoint), on a real instance over HTTPS.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRestAPIClient, createStreamingAPIClient, type mastodon } from "masto";
import { eventually, startTestInstance, type TestInstance } from "../../../test/instance.ts";
import { createApiToken } from "../../domain/accounts/tokens.ts";

describe("conversations API", () => {
  let paris: TestInstance;
  const rest = (token: string): mastodon.rest.Client => createRestAPIClient({ url: paris.origin, accessToken: token });
  const api = (path: string, token: string | null, init: RequestInit = {}) =>
    fetch(`${paris.url}${path}`, { ...init, headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...init.headers } });

  beforeAll(async () => {
    paris = await startTestInstance({ name: "Paris" });
  });
  afterAll(async () => {
    await paris?.close();
  });

  it("a direct status makes a conversation for each participant: list, Link pages, read, remove, and back with the next message", async () => {
    const [alice, bob, carol, dora] = await Promise.all(["alice", "bob", "carol", "dora"].map((u) => paris.createUser(u)));
    const first = await rest(alice.token).v1.statuses.create({ status: "@bob @carol point budget", visibility: "direct" });
    expect(first.visibility).toBe("direct");
    const other = await rest(dora.token).v1.statuses.create({ status: "@bob question", visibility: "direct" });

    const list = await rest(bob.token).v1.conversations.list();
    expect(list.map((c) => c.lastStatus?.id)).toEqual([other.id, first.id]);
    const [withDora, withAlice] = list;
    expect(withAlice.unread).toBe(true);
    expect(withAlice.accounts.map((a) => a.acct).sort()).toEqual(["alice", "carol"]);
    expect(withDora.accounts.map((a) => a.acct)).toEqual(["dora"]);
    expect((await rest(alice.token).v1.conversations.list())[0].unread).toBe(false);

    // Pages: limit=1 gives a Link header whose next page is the older conversation; since_id / min_id page up.
    const res = await api("/api/v1/conversations?limit=1", bob.token);
    const link = res.headers.get("link")!;
    expect((await res.json()).map((c: { id: string }) => c.id)).toEqual([withDora.id]);
    const next = /<([^>]+)>; rel="next"/.exec(link)![1];
    expect(new URL(next).searchParams.get("max_id")).toBe(other.id);
    const older = await (await api(new URL(next).pathname + new URL(next).search, bob.token)).json();
    expect(older.map((c: { id: string }) => c.id)).toEqual([withAlice.id]);
    const newer = await (await api(`/api/v1/conversations?since_id=${first.id}`, bob.token)).json();
    expect(newer.map((c: { id: string }) => c.id)).toEqual([withDora.id]);
    // masto's paginator follows the Link headers page by page.
    const pages: string[][] = [];
    for await (const page of rest(bob.token).v1.conversations.list({ limit: 1 })) {
      pages.push(page.map((c) => c.id));
      if (pages.length === 3) break;
    }
    expect(pages).toEqual([[withDora.id], [withAlice.id], []]); // a full page links to a next one, as on Mastodon

    const read = await rest(bob.token).v1.conversations.$select(withAlice.id).read();
    expect(read.unread).toBe(false);
    expect(read.lastStatus?.id).toBe(first.id);
    await rest(bob.token).v1.conversations.$select(withAlice.id).remove();
    expect((await rest(bob.token).v1.conversations.list()).map((c) => c.id)).toEqual([withDora.id]);
    const reply = await rest(carol.token).v1.statuses.create({ status: "@alice @bob d'accord", visibility: "direct", inReplyToId: first.id });
    const back = (await rest(bob.token).v1.conversations.list())[0];
    expect(back.lastStatus?.id).toBe(reply.id);
    expect(back.unread).toBe(true);
    // Alice's conversation kept its id: the reply stayed in it.
    const alices = await rest(alice.token).v1.conversations.list();
    expect(alices).toHaveLength(1);
    expect(alices[0].lastStatus?.id).toBe(reply.id);
    // Nobody else reads it through this API: dora sees only her own conversation; someone else's id is a 404.
    expect((await rest(dora.token).v1.conversations.list()).map((c) => c.lastStatus?.id)).toEqual([other.id]);
    const stranger = await api(`/api/v1/conversations/${alices[0].id}/read`, dora.token, { method: "POST" });
    expect(stranger.status).toBe(404);
    expect(await stranger.json()).toEqual({ error: "Record not found" });
    expect((await api(`/api/v1/conversations/${alices[0].id}`, dora.token, { method: "DELETE" })).status).toBe(404);
  });

  it("scopes as Mastodon: read:statuses lists, write:conversations changes; no token is 401", async () => {
    const erin = await paris.createUser("erin");
    const noRead = await createApiToken(paris.db.sql, erin.account.id, ["read:notifications"]);
    const readOnly = await createApiToken(paris.db.sql, erin.account.id, ["read:statuses"]);
    const writeOnly = await createApiToken(paris.db.sql, erin.account.id, ["write:conversations"]);
    expect((await api("/api/v1/conversations", null)).status).toBe(401);
    const refused = await api("/api/v1/conversations", noRead);
    expect(refused.status).toBe(403);
    expect(Object.keys(await refused.json())).toEqual(["error"]);
    expect((await api("/api/v1/conversations", readOnly)).status).toBe(200);
    const sent = await rest(erin.token).v1.statuses.create({ status: "@erin note à moi-même et @bob", visibility: "direct" });
    const [mine] = await rest(erin.token).v1.conversations.list();
    expect(mine.lastStatus?.id).toBe(sent.id);
    expect((await api(`/api/v1/conversations/${mine.id}/read`, readOnly, { method: "POST" })).status).toBe(403);
    expect((await api(`/api/v1/conversations/${mine.id}/read`, writeOnly, { method: "POST" })).status).toBe(200);
    expect((await api(`/api/v1/streaming/direct`, noRead)).status).toBe(401);
    expect((await api("/api/v1/conversations?max_id=abc", readOnly)).status).toBe(422);
  });

  it("the direct stream sends a conversation event with the Conversation entity, to its participants only", async () => {
    const [fred, gina, hugo] = await Promise.all(["fred", "gina", "hugo"].map((u) => paris.createUser(u)));
    const streaming = (token: string) => createStreamingAPIClient({ streamingApiUrl: paris.url.replace("https", "wss"), accessToken: token, retry: false });
    const ginaStream = streaming(gina.token), hugoStream = streaming(hugo.token);
    const firstConversation = (sub: AsyncIterable<mastodon.streaming.Event>) => (async () => {
      for await (const e of sub) if (e.event === "conversation") return e.payload;
    })();
    const before = paris.instance.streaming.subscriptions();
    const ginaGot = firstConversation(ginaStream.direct.subscribe());
    const hugoGot = firstConversation(hugoStream.direct.subscribe());
    await eventually(async () => paris.instance.streaming.subscriptions() >= before + 2, 10_000, "both direct subscriptions");
    try {
      const toGina = await rest(fred.token).v1.statuses.create({ status: "@gina rien que pour toi", visibility: "direct" });
      const toHugo = await rest(fred.token).v1.statuses.create({ status: "@hugo et pour toi ceci", visibility: "direct" });
      const g = await ginaGot;
      expect(g?.lastStatus?.id).toBe(toGina.id);
      expect(g?.unread).toBe(true);
      expect(g?.accounts.map((a) => a.acct)).toEqual(["fred"]);
      // Hugo's first conversation event is his own message: gina's, sent before, never reached his stream.
      expect((await hugoGot)?.lastStatus?.id).toBe(toHugo.id);
    } finally {
      ginaStream.close();
      hugoStream.close();
    }
  });
});
