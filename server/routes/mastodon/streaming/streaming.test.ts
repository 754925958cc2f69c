// The streaming API as Mastodon apps use it: server-sent events and masto's WebSocket client, on real instances
// over HTTPS, fed by the event bus — a sibling's post over real federation, and a post made through another web
// process of the same instance.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRestAPIClient, createStreamingAPIClient, type mastodon } from "masto";
import WebSocket from "ws";
import { eventually, followAcross, startSiblings, startTestInstance, type TestInstance } from "../../../../test/instance.ts";
import { follow } from "../../../domain/follows/follows.ts";
import { disableUser } from "../../../domain/accounts/accounts.ts";
import { createApp, revokeAuthorizedApp } from "../../../domain/accounts/oauth.ts";
import { newSecret, storeApiToken } from "../../../domain/accounts/tokens.ts";
import { MAX_CHANNELS, MAX_ERRORS } from "./websocket.ts";

interface SseEvent { event: string; data: string }

/** An EventSource-like reader on fetch: every event received, in order, and a way to wait for one. */
async function openSse(url: string, token?: string) {
  const controller = new AbortController();
  const res = await fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {}, signal: controller.signal });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const state = { ended: false };
  if (res.ok) {
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    let opened!: () => void;
    const ready = new Promise<void>((r) => (opened = r));
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) {
          state.ended = true;
          return;
        }
        buffer += value;
        let cut;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          if (block.startsWith(":")) {
            comments.push(block.slice(1));
            opened();
            continue;
          }
          const field = (name: string) => block.split("\n").filter((l) => l.startsWith(`${name}:`)).map((l) => l.slice(name.length + 1).trimStart()).join("\n");
          events.push({ event: field("event"), data: field("data") });
        }
      }
    })();
    await ready; // the ":)" comment comes once the subscription is in place
  }
  return {
    res, events, comments, state,
    next: (test: (e: SseEvent) => boolean, what: string) => eventually(async () => events.find(test), 15_000, what),
    close: () => controller.abort(),
  };
}

const statusOf = (e: SseEvent) => JSON.parse(e.data) as { id: string; content: string; visibility: string };

describe("streaming API", () => {
  let paris: TestInstance, lyon: TestInstance;
  const rest = (inst: TestInstance, token: string, url = inst.origin): mastodon.rest.Client => createRestAPIClient({ url, accessToken: token });

  beforeAll(async () => {
    [paris, lyon] = await startSiblings("Paris", "Lyon");
  });
  afterAll(async () => {
    await Promise.all([paris?.close(), lyon?.close()]);
  });

  it("bob's home stream (SSE) gets alice's post, a Lyon colleague's post over federation, and his mentions as notifications", async () => {
    const alice = await paris.createUser("alice");
    const bob = await paris.createUser("bob");
    const carol = await lyon.createUser("carol");
    await follow(paris.db.sql, paris.origin, bob.account.id, alice.account.id);
    await followAcross(paris, bob.account.id, lyon, "carol");

    const home = await openSse(`${paris.url}/api/v1/streaming/user`, bob.token);
    expect(home.res.headers.get("content-type")).toContain("text/event-stream");
    expect(home.comments[0]).toBe(")");
    try {
      const own = await rest(paris, alice.token).v1.statuses.create({ status: "La réunion de 10 h est déplacée" });
      const update = await home.next((e) => e.event === "update" && statusOf(e).id === own.id, "alice's post on bob's home stream");
      expect(statusOf(update).content).toContain("La réunion de 10 h est déplacée");

      const fromLyon = await rest(lyon, carol.token).v1.statuses.create({ status: "Bonjour de Lyon" });
      const remote = await home.next((e) => e.event === "update" && statusOf(e).content.includes("Bonjour de Lyon"), "carol's post from Lyon");
      expect(JSON.parse(remote.data).account.acct).toBe(`carol@${lyon.host}`);
      // Paris's own copy of Lyon's post (ids are per instance and may coincide; the URI names the post).
      const copy = await rest(paris, bob.token).v1.statuses.$select(statusOf(remote).id).fetch();
      expect(copy.uri).toBe(fromLyon.uri);

      await rest(lyon, carol.token).v1.statuses.create({ status: `@bob@${paris.host} tu as vu le planning ?` });
      const mention = await home.next((e) => e.event === "notification", "the mention from Lyon as a notification");
      expect(JSON.parse(mention.data)).toMatchObject({ type: "mention", account: { acct: `carol@${lyon.host}` } });

      await rest(paris, alice.token).v1.statuses.$select(own.id).update({ status: "La réunion de 10 h est déplacée à 11 h" });
      const edit = await home.next((e) => e.event === "status.update", "the edit");
      expect(statusOf(edit)).toMatchObject({ id: own.id });
      expect(statusOf(edit).content).toContain("11 h");
      await rest(paris, alice.token).v1.statuses.$select(own.id).remove();
      await home.next((e) => e.event === "delete" && e.data === own.id, "the delete");

      await rest(paris, bob.token).v1.filters.create({ phrase: "cantine", context: ["home"] });
      await home.next((e) => e.event === "filters_changed", "filters_changed after a muted word");
    } finally {
      home.close();
    }
  });

  it("a followers-only post and a muted colleague's post never reach a non-follower's public streams, the next internal post does", async () => {
    const erin = await paris.createUser("erin");
    const frank = await paris.createUser("frank");
    const mallory = await paris.createUser("mallory");
    await rest(paris, frank.token).v1.accounts.$select(mallory.account.id).mute();
    const local = await openSse(`${paris.url}/api/v1/streaming/public/local`, frank.token);
    const tag = await openSse(`${paris.url}/api/v1/streaming/hashtag?tag=Planning`, frank.token);
    try {
      const erinApp = rest(paris, erin.token);
      const secret = await erinApp.v1.statuses.create({ status: "Pour mes abonnés #planning", visibility: "private" });
      await rest(paris, mallory.token).v1.statuses.create({ status: "Encore moi #planning" });
      const open = await erinApp.v1.statuses.create({ status: "Pour tout le groupe #planning" });
      await local.next((e) => e.event === "update" && statusOf(e).id === open.id, "the internal post on public:local");
      await tag.next((e) => e.event === "update" && statusOf(e).id === open.id, "the internal post on hashtag");
      for (const s of [local, tag]) expect(s.events.map((e) => statusOf(e).id)).toEqual([open.id]);
      expect(secret.id < open.id).toBe(true);
    } finally {
      local.close();
      tag.close();
    }
  });

  it("tokens and streams are checked with Mastodon's errors", async () => {
    const gina = await paris.createUser("gina");
    expect(await (await fetch(`${paris.url}/api/v1/streaming/health`)).text()).toBe("OK");
    const anonymous = await fetch(`${paris.url}/api/v1/streaming/user`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ error: "Missing access token" });
    const invalid = await fetch(`${paris.url}/api/v1/streaming/public?access_token=not-a-real-token-at-all-1234`);
    expect([invalid.status, await invalid.json()]).toEqual([401, { error: "Invalid access token" }]);
    const noTag = await fetch(`${paris.url}/api/v1/streaming/hashtag`, { headers: { Authorization: `Bearer ${gina.token}` } });
    expect([noTag.status, await noTag.json()]).toEqual([400, { error: "Missing tag name parameter" }]);
    // The query token works too (EventSource cannot send headers).
    const byQuery = await fetch(`${paris.url}/api/v1/streaming/public?access_token=${gina.token}`);
    expect(byQuery.status).toBe(200);
    await byQuery.body?.cancel();
    // Disabling the account ends its open streams (its token is revoked with it).
    const open = await openSse(`${paris.url}/api/v1/streaming/user`, gina.token);
    await disableUser(paris.db.sql, "gina");
    await eventually(async () => open.state.ended, 10_000, "gina's stream to end");
    expect((await fetch(`${paris.url}/api/v1/streaming/user`, { headers: { Authorization: `Bearer ${gina.token}` } })).status).toBe(401);

    const rejected = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${paris.url.replace("https", "wss")}/api/v1/streaming?access_token=wrong-token-wrong-token-wrong`);
      ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      ws.on("open", () => resolve(101));
    });
    expect(rejected).toBe(401);
  });

  it("a WebSocket flooding subscribe messages and unknown streams gets errors, keeps its streams, and others are served", async () => {
    const hal = await paris.createUser("hal");
    const ivy = await paris.createUser("ivy");
    const ws = new WebSocket(`${paris.url.replace("https", "wss")}/api/v1/streaming?stream=public:local`, [hal.token]);
    const messages: { error?: string; status?: number; event?: string; stream?: string[]; payload?: string }[] = [];
    ws.on("message", (data) => messages.push(JSON.parse(String(data))));
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    expect(ws.protocol).toBe(hal.token);
    try {
      ws.send("not json");
      ws.send(JSON.stringify({ type: "subscribe", stream: "everything" }));
      for (let i = 0; i < MAX_CHANNELS + 5; i++) ws.send(JSON.stringify({ type: "subscribe", stream: "hashtag", tag: `t${i}` }));
      await eventually(async () => messages.filter((m) => m.status === 429).length >= 6, 10_000, "the subscription cap");
      expect(messages.find((m) => m.error === "Unknown stream type")).toEqual({ error: "Unknown stream type", status: 400 });
      expect(messages.find((m) => m.status === 400 && m.error?.includes("JSON"))).toBeTruthy();
      expect(paris.instance.streaming.subscriptions()).toBeGreaterThanOrEqual(MAX_CHANNELS);

      // One that goes on sending garbage is answered each time, then closed with 1008 (policy violation).
      const garbage = new WebSocket(`${paris.url.replace("https", "wss")}/api/v1/streaming`, [hal.token]);
      const answers: string[] = [];
      garbage.on("message", (data) => answers.push(String(data)));
      const closed = new Promise<number>((resolve) => garbage.once("close", (code) => resolve(code)));
      await new Promise((resolve, reject) => garbage.once("open", resolve).once("error", reject));
      for (let i = 0; i < MAX_ERRORS + 10; i++) garbage.send(JSON.stringify({ type: "subscribe", stream: `nope${i}` }));
      expect(await closed).toBe(1008);
      expect(answers.length).toBeGreaterThanOrEqual(MAX_ERRORS);
      expect(JSON.parse(answers[0])).toEqual({ error: "Unknown stream type", status: 400 });

      // Another app on the same instance (masto's client) still gets its events, and so does the flooder.
      const masto = createStreamingAPIClient({ streamingApiUrl: paris.url.replace("https", "wss"), accessToken: ivy.token, retry: false });
      const sub = masto.public.local.subscribe();
      const before = paris.instance.streaming.subscriptions();
      const got = (async () => {
        for await (const e of sub) if (e.event === "update") return e.payload;
      })();
      await eventually(async () => paris.instance.streaming.subscriptions() > before, 10_000, "ivy's subscription");
      const post = await rest(paris, ivy.token).v1.statuses.create({ status: "Toujours là" });
      expect((await got)?.id).toBe(post.id);
      await eventually(async () => messages.find((m) => m.event === "update" && JSON.parse(m.payload!).id === post.id), 10_000, "the flooder's update");
      masto.close();
    } finally {
      ws.close();
    }
  });

  it("a token revoked by its app (/oauth/revoke) or in the settings ends its streams on every web process, not the others'", async () => {
    const second = await startTestInstance({ name: "Paris", webProcessOf: paris });
    const wss = (inst: TestInstance, token: string) => {
      const ws = new WebSocket(`${inst.url.replace("https", "wss")}/api/v1/streaming?stream=user`, [token]);
      const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
      return { ws, closed, open: new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject)) };
    };
    try {
      const lea = await paris.createUser("lea");
      const { app, clientSecret } = await createApp(paris.db.sql, { client_name: "Tusky", redirect_uris: "urn:ietf:wg:oauth:2.0:oob", scopes: "read write" });
      const appToken = newSecret();
      await storeApiToken(paris.db.sql, appToken, { accountId: lea.account.id, appId: app.id, scopes: ["read", "write"], name: app.name });
      const onFirst = wss(paris, appToken);
      const onSecond = await openSse(`${second.url}/api/v1/streaming/user`, appToken);
      const bystander = await openSse(`${second.url}/api/v1/streaming/user`, lea.token); // lea's CLI token, not revoked
      await onFirst.open;

      const res = await fetch(`${paris.url}/oauth/revoke`, { method: "POST", body: new URLSearchParams({ client_id: app.clientId, client_secret: clientSecret, token: appToken }) });
      expect(res.status).toBe(200);
      await eventually(async () => onSecond.state.ended, 10_000, "the SSE stream on the second process to end");
      expect(await onFirst.closed).toBeGreaterThanOrEqual(1000);
      expect(bystander.state.ended).toBe(false);
      // The bystander still gets lea's own posts: its stream is alive, not merely not yet closed.
      const post = await rest(paris, lea.token).v1.statuses.create({ status: "Toujours connectée" });
      await bystander.next((e) => e.event === "update" && statusOf(e).id === post.id, "lea's post on the CLI token's stream");

      // Settings › Authorised applications › revoke (here the CLI's tokens) ends that one too.
      await revokeAuthorizedApp(paris.db.sql, lea.account.id, "cli");
      await eventually(async () => bystander.state.ended, 10_000, "the CLI token's stream to end");
    } finally {
      await second.close();
    }
  });

  it("a post made through one web process reaches a client of another process of the same instance", async () => {
    const second = await startTestInstance({ name: "Paris", webProcessOf: paris });
    try {
      const jane = await paris.createUser("jane");
      const kim = await paris.createUser("kim");
      await follow(paris.db.sql, paris.origin, kim.account.id, jane.account.id);
      // urls.streaming names the instance's origin; this client goes to the second process directly.
      const instance = await rest(paris, kim.token).v2.instance.fetch();
      expect(instance.configuration.urls.streaming).toBe(paris.origin.replace("https", "wss"));
      const masto = createStreamingAPIClient({ streamingApiUrl: second.url.replace("https", "wss"), accessToken: kim.token, retry: false });
      const sub = masto.user.subscribe();
      const got = (async () => {
        for await (const e of sub) if (e.event === "update") return e.payload;
      })();
      await eventually(async () => second.instance.streaming.subscriptions() > 0, 10_000, "kim's subscription on the second process");
      await eventually(async () => paris.instance.streaming.subscriptions() === 0, 10_000, "no client left on the first process");
      const post = await rest(paris, jane.token).v1.statuses.create({ status: "Publié par le premier processus" });
      expect((await got)?.id).toBe(post.id);
      masto.close();
    } finally {
      await second.close();
    }
  });
});
