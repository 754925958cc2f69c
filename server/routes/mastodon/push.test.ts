// Web Push as an app sees it (issue #9 point 4): a Paris employee's app subscribes through the Mastodon API with
// masto.js, a Lyon colleague mentions her, and the push her push service receives — a local HTTPS receiver —
// decrypts here with her subscription's private key (test/push-receiver.ts, our own RFC 8291 code). Alerts and
// policy decide what is queued, in the notification's transaction; the push service's answers decide retries and
// deletion; bad input is refused with Mastodon's error shapes and leaves nothing behind.
import { createECDH, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRestAPIClient, type mastodon } from "masto";
import { eventually, startSiblings, startTestInstance, type TestInstance } from "../../../test/instance.ts";
import { type PushReceiver, type ReceivedPush, startPushReceiver } from "../../../test/push-receiver.ts";
import type { LocalUser } from "../../domain/accounts/accounts.ts";
import { createApiToken } from "../../domain/accounts/tokens.ts";
import { jobsOf } from "../../jobs/admin.ts";

describe("Web Push", () => {
  let paris: TestInstance, lyon: TestInstance, receiver: PushReceiver;
  const clientFor = (inst: TestInstance, token: string): mastodon.rest.Client => createRestAPIClient({ url: inst.origin, accessToken: token });
  /** An app's token with the `push` scope, as the OAuth flow gives one for `read write follow push`. */
  const pushApp = async (inst: TestInstance, user: LocalUser) => {
    const token = await createApiToken(inst.db.sql, user.account.id, ["read", "write", "follow", "push"]);
    return { token, client: clientFor(inst, token) };
  };
  const pushesTo = (name: string) => receiver.received.filter((p) => p.subscriber === name);
  // 30 s: room for a retry's back-off (5 s, jittered) and the job system's polling on a loaded machine.
  const pushFor = (name: string, notificationId: string) =>
    eventually(async () => pushesTo(name).find((p) => String(p.json.notification_id) === notificationId), 30_000, `the push to ${name}`);
  const latestNotification = async (client: mastodon.rest.Client) =>
    await eventually(async () => (await client.v1.notifications.list({ limit: 1 }))[0], 15_000, "the notification");

  beforeAll(async () => {
    [[paris, lyon], receiver] = await Promise.all([startSiblings("Paris", "Lyon"), startPushReceiver()]);
  });
  afterAll(async () => {
    await Promise.all([paris?.close(), lyon?.close(), receiver?.close()]);
  });

  it("alice's app on Paris subscribes; a Lyon colleague's mention reaches her push service encrypted, and decrypts here", async () => {
    const alice = await paris.createUser("alice");
    const bob = await lyon.createUser("bob", { displayName: "Bob Durand" });
    const app = await pushApp(paris, alice);
    const phone = receiver.subscriber("alice-phone");

    const serverKey = (await clientFor(paris, alice.token).v2.instance.fetch()).configuration.vapid.publicKey;
    const registered = await createRestAPIClient({ url: paris.origin }).v1.apps.create({ clientName: "Phone", redirectUris: "urn:ietf:wg:oauth:2.0:oob", scopes: "read push" });
    expect(registered.vapidKey).toBe(serverKey);

    const created = await app.client.v1.push.subscription.create({
      subscription: { endpoint: phone.endpoint, keys: phone.keys },
      data: { alerts: { mention: true, follow: true } },
      policy: "all",
    });
    expect(created).toMatchObject({ endpoint: phone.endpoint, serverKey, policy: "all", alerts: { mention: true, follow: true, favourite: false, reblog: false } });
    expect(typeof created.id).toBe("string");
    expect(await app.client.v1.push.subscription.fetch()).toEqual(created);

    await clientFor(lyon, bob.token).v1.statuses.create({ status: `@alice@${paris.host} la réunion est déplacée à 15 h` });
    const notification = await latestNotification(app.client);
    expect(notification.type).toBe("mention");
    const push = await pushFor("alice-phone", notification.id);
    expect(push.json).toEqual({
      access_token: app.token,
      preferred_locale: "fr",
      notification_id: Number(notification.id),
      notification_type: "mention",
      icon: expect.stringMatching(/^https:\/\//),
      title: "Bob Durand vous a mentionné·e",
      body: expect.stringContaining("la réunion est déplacée à 15 h"),
    });
    // Signed with the instance's VAPID key, for this push service, by this instance; kept two days at most.
    expect(push.vapidKey).toBe(serverKey);
    expect(push.claims).toMatchObject({ aud: receiver.origin, sub: paris.origin });
    expect(push.headers).toMatchObject({ ttl: "172800", urgency: "normal", "content-encoding": "aes128gcm" });
    expect(receiver.errors).toEqual([]);
    // The handler counts the push once the receiver's answer is back.
    await eventually(async () => paris.instance.pushCounts.sent >= 1, 5_000, "the push counted as sent");
  });

  it("an alert turned off queues nothing, the one on is sent; update turns it on, delete ends it", async () => {
    const claire = await paris.createUser("claire");
    const dan = await paris.createUser("dan", { displayName: "Dan" });
    const [mentions, followsOnly] = [await pushApp(paris, claire), await pushApp(paris, claire)];
    const [laptop, tablet] = [receiver.subscriber("claire-laptop"), receiver.subscriber("claire-tablet")];
    const laptopSub = await mentions.client.v1.push.subscription.create({ subscription: { endpoint: laptop.endpoint, keys: laptop.keys }, data: { alerts: { mention: true } }, policy: "all" });
    const tabletSub = await followsOnly.client.v1.push.subscription.create({ subscription: { endpoint: tablet.endpoint, keys: tablet.keys }, data: { alerts: { follow: true } }, policy: "all" });
    const danApp = clientFor(paris, dan.token);

    await danApp.v1.statuses.create({ status: "@claire premier point" });
    const first = await latestNotification(mentions.client);
    await pushFor("claire-laptop", first.id);
    // Queued in the notification's transaction: the laptop's job is there, the tablet has none, and never will.
    expect((await jobsOf(paris.db.sql, "push", { notificationId: first.id })).map((j) => j.data.subscriptionId)).toEqual([laptopSub.id]);
    expect(tablet.requests).toEqual([]);

    const updated = await followsOnly.client.v1.push.subscription.update({ data: { alerts: { mention: true, follow: true } } });
    expect(updated.alerts).toMatchObject({ mention: true, follow: true, favourite: false });
    await danApp.v1.statuses.create({ status: "@claire second point" });
    const second = await latestNotification(mentions.client);
    expect(second.id).not.toBe(first.id);
    const [onLaptop, onTablet] = await Promise.all([pushFor("claire-laptop", second.id), pushFor("claire-tablet", second.id)]);
    expect(onTablet.json).toMatchObject({ access_token: followsOnly.token, title: "Dan vous a mentionné·e" });
    expect(onLaptop.json).toMatchObject({ access_token: mentions.token, body: "@claire second point" });

    await followsOnly.client.v1.push.subscription.remove();
    await expect(followsOnly.client.v1.push.subscription.fetch()).rejects.toMatchObject({ statusCode: 404 });
    expect((await mentions.client.v1.push.subscription.fetch()).id).toBe(laptopSub.id);
    expect(tabletSub.id).not.toBe(laptopSub.id);
  });

  it("a push service's 503 is retried by the job system; a 410 deletes the subscription", async () => {
    const emma = await paris.createUser("emma");
    const felix = await paris.createUser("felix", { displayName: "Félix" });
    await paris.db.sql`UPDATE users SET locale = 'en' WHERE account_id = ${emma.account.id}`;
    const [busyApp, goneApp] = [await pushApp(paris, emma), await pushApp(paris, emma)];
    const [busy, gone] = [receiver.subscriber("emma-busy"), receiver.subscriber("emma-gone")];
    busy.answers.push(503);
    gone.answers.push(410);
    await busyApp.client.v1.push.subscription.create({ subscription: { endpoint: busy.endpoint, keys: busy.keys }, data: { alerts: { favourite: true } }, policy: "all" });
    await goneApp.client.v1.push.subscription.create({ subscription: { endpoint: gone.endpoint, keys: gone.keys }, data: { alerts: { favourite: true } }, policy: "all" });

    const post = await busyApp.client.v1.statuses.create({ status: "Compte rendu de la réunion" });
    await clientFor(paris, felix.token).v1.statuses.$select(post.id).favourite();
    const notification = await latestNotification(busyApp.client);
    const push: ReceivedPush = await pushFor("emma-busy", notification.id);
    expect(busy.requests.map((r) => r.status)).toEqual([503, 201]);
    expect(push.json).toMatchObject({ preferred_locale: "en", notification_type: "favourite", title: "Félix liked your post", body: "Compte rendu de la réunion" });
    await eventually(async () => (await goneApp.client.v1.push.subscription.fetch().then(() => false, (e) => e.statusCode === 404)), 15_000, "the gone subscription deleted");
    expect(gone.requests.map((r) => r.status)).toEqual([410]);
    expect(paris.instance.pushCounts.gone).toBeGreaterThanOrEqual(1);
  }, 60_000);

  describe("bad input", () => {
    let guarded: TestInstance;
    beforeAll(async () => {
      // An instance outside test mode's address rule: private push endpoints are refused there.
      guarded = await startTestInstance({ name: "Nice", env: { RUCHE_ALLOW_PRIVATE_ADDRESS: "false" } });
    });
    afterAll(async () => {
      await guarded?.close();
    });

    const call = async (inst: TestInstance, token: string, method: string, body?: unknown) => {
      const res = await fetch(`${inst.origin}/api/v1/push/subscription`, {
        method, headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, json: await res.json() as { error?: string; details?: Record<string, unknown> } & Record<string, unknown> };
    };
    const keys = () => {
      const ecdh = createECDH("prime256v1");
      ecdh.generateKeys();
      return { p256dh: ecdh.getPublicKey().toString("base64url"), auth: randomBytes(16).toString("base64url") };
    };

    it("a token without the push scope gets 403 on every method", async () => {
      const gina = await paris.createUser("gina"); // read write follow
      for (const method of ["POST", "GET", "PUT", "DELETE"]) {
        const r = await call(paris, gina.token, method, method === "POST" ? { subscription: { endpoint: "https://push.example/x", keys: keys() } } : undefined);
        expect(r).toEqual({ status: 403, json: { error: "This action is outside the authorized scopes" } });
      }
      expect((await paris.db.sql`SELECT count(*)::int AS n FROM push_subscriptions WHERE account_id = ${gina.account.id}`)[0].n).toBe(0);
    });

    it("a private endpoint, an http one, or bad keys get 422 and change nothing", async () => {
      const hugo = await guarded.createUser("hugo");
      const { token } = await pushApp(guarded, hugo);
      // A public address is taken (nothing is contacted until a notification): the refusals below are the address's.
      const kept = await call(guarded, token, "POST", { subscription: { endpoint: "https://93.184.215.14/push/hugo", keys: keys() }, data: { alerts: { mention: true } } });
      expect(kept).toMatchObject({ status: 200, json: { endpoint: "https://93.184.215.14/push/hugo", alerts: expect.objectContaining({ mention: true }) } });
      for (const endpoint of ["https://127.0.0.1:9150/push", "https://localhost/push", "https://[::1]/push", "https://169.254.169.254/latest", "https://10.1.2.3/push"]) {
        const r = await call(guarded, token, "POST", { subscription: { endpoint, keys: keys() } });
        expect(r, endpoint).toEqual({ status: 422, json: { error: "Validation failed: Endpoint is not a public address", details: { endpoint: [{ error: "ERR_INVALID", description: "is not a public address" }] } } });
      }
      const http = await call(guarded, token, "POST", { subscription: { endpoint: "http://93.184.215.14/push", keys: keys() } });
      expect(http.status).toBe(422);
      expect(http.json.error).toMatch(/^Validation failed: Subscription endpoint must be an https URL/);
      const good = keys();
      const badKeys = [
        { p256dh: Buffer.alloc(66, 4).toString("base64url"), auth: good.auth },
        { p256dh: Buffer.from([4, ...Buffer.alloc(64, 9)]).toString("base64url"), auth: good.auth },
        { p256dh: "B".repeat(100_000), auth: good.auth },
        { p256dh: good.p256dh, auth: randomBytes(32).toString("base64url") },
      ];
      for (const k of badKeys) {
        const r = await call(guarded, token, "POST", { subscription: { endpoint: "https://93.184.215.14/push/other", keys: k } });
        expect(r.status).toBe(422);
        expect(r.json.error).toMatch(/^Validation failed: Keys (p256dh|auth) /);
      }
      // The subscription made first is still the token's, unchanged.
      expect(await call(guarded, token, "GET")).toMatchObject({ status: 200, json: { id: kept.json.id, endpoint: "https://93.184.215.14/push/hugo" } });
      expect((await guarded.db.sql`SELECT count(*)::int AS n FROM push_subscriptions`)[0].n).toBe(1);
      // A form-encoded update, as Tusky sends it: `data` replaces alerts and policy as a whole.
      const form = await fetch(`${guarded.origin}/api/v1/push/subscription`, {
        method: "PUT", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/x-www-form-urlencoded" },
        body: "data[policy]=follower&data[alerts][admin.sign_up]=true&data[alerts][favourite]=1",
      });
      expect(form.status).toBe(200);
      expect(await form.json()).toMatchObject({ policy: "follower", alerts: { "admin.sign_up": true, favourite: true, mention: false } });
      const badPolicy = await call(guarded, token, "PUT", { data: { policy: "everyone" } });
      expect(badPolicy.status).toBe(422);
      expect((await call(guarded, token, "GET")).json).toMatchObject({ policy: "follower" });
      // Without a subscription, GET and PUT are 404; DELETE answers {} as Mastodon does.
      expect(await call(guarded, token, "DELETE")).toEqual({ status: 200, json: {} });
      expect(await call(guarded, token, "GET")).toEqual({ status: 404, json: { error: "Record not found" } });
      expect(await call(guarded, token, "PUT", { data: { alerts: { mention: true } } })).toEqual({ status: 404, json: { error: "Record not found" } });
    });
  });
});
