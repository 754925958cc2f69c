// Web Push subscriptions and the jobs notify() queues for them (issue #9 point 4), on a real database with no
// worker running: what a committed notification leaves in the `push` queue is the whole story of what will be
// sent, so alerts, policy and crash safety are checked there, in the notification's own transaction.
import { createECDH, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/db.ts";
import { createLocalUser, disableUser, type LocalUser } from "../accounts/accounts.ts";
import { createApiToken, verifyApiToken } from "../accounts/tokens.ts";
import { revokeTokenById } from "../accounts/oauth.ts";
import { follow } from "../follows/follows.ts";
import { jobsOf } from "../../jobs/admin.ts";
import { notify } from "../notifications/notifications.ts";
import { DomainError } from "../errors.ts";
import {
  checkSubscriptionKeys, createPushSubscription, findPushSubscription, type PushData, pushTarget, updatePushAlerts,
} from "./subscriptions.ts";
import { vapidKeys } from "./vapid.ts";

const ORIGIN = "https://paris.example";

function browserKeys() {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  return { p256dh: ecdh.getPublicKey().toString("base64url"), auth: randomBytes(16).toString("base64url") };
}

describe("push subscriptions", () => {
  let db: TestDatabase;
  let alice: LocalUser, bruno: LocalUser, chloe: LocalUser;

  beforeAll(async () => {
    db = await createTestDatabase();
    [alice, bruno, chloe] = await Promise.all(["alice", "bruno", "chloe"].map((u) => createLocalUser(db.sql, ORIGIN, { username: u })));
  });
  afterAll(async () => {
    await db?.drop();
  });

  /** A token of `user` with its push subscription. */
  async function subscribe(user: LocalUser, data: PushData) {
    const token = await createApiToken(db.sql, user.account.id, ["read", "push"]);
    const tokenId = (await verifyApiToken(db.sql, token))!.tokenId;
    const s = await createPushSubscription(db.sql, {
      accountId: user.account.id, tokenId, accessToken: token, endpoint: `https://push.example/${tokenId}`, ...browserKeys(), ...data,
    });
    return { ...s, token, tokenId };
  }

  const pushJobs = async (notificationId: string) => (await jobsOf(db.sql, "push", { notificationId })).map((j) => j.data.subscriptionId).sort();

  it("keeps one VAPID key pair per instance, made on first need", async () => {
    const [a, b] = await Promise.all([vapidKeys(db.sql), vapidKeys(db.sql)]);
    expect(a).toEqual(b);
    expect(Buffer.from(a.publicKey, "base64url")).toHaveLength(65);
    expect(Buffer.from(a.privateKey, "base64url")).toHaveLength(32);
  });

  it("refuses keys that are not a P-256 point and a 16-byte secret, and stores nothing", async () => {
    const good = browserKeys();
    const offCurve = Buffer.alloc(65, 7);
    offCurve[0] = 4;
    const cases: [string, string, string][] = [
      [Buffer.alloc(66, 4).toString("base64url"), good.auth, "keys.p256dh"],
      [offCurve.toString("base64url"), good.auth, "keys.p256dh"],
      [good.p256dh, randomBytes(17).toString("base64url"), "keys.auth"],
      ["A".repeat(10_000), good.auth, "keys.p256dh"],
      [good.p256dh, "not base64!", "keys.auth"],
    ];
    const token = await createApiToken(db.sql, chloe.account.id, ["push"]);
    const tokenId = (await verifyApiToken(db.sql, token))!.tokenId;
    for (const [p256dh, auth, field] of cases) {
      const error = await createPushSubscription(db.sql, {
        accountId: chloe.account.id, tokenId, accessToken: token, endpoint: "https://push.example/x", p256dh, auth, alerts: ["mention"], policy: "all",
      }).catch((e) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ status: 422, field });
    }
    expect(await findPushSubscription(db.sql, tokenId)).toBeNull();
    // Padded and plain base64, as some apps send them, are the same keys.
    const padded = { p256dh: Buffer.from(good.p256dh, "base64url").toString("base64"), auth: Buffer.from(good.auth, "base64url").toString("base64") };
    expect(checkSubscriptionKeys(padded.p256dh, padded.auth)).toEqual(good);
  });

  it("has one subscription per token: a new one replaces it; update replaces alerts and policy", async () => {
    const first = await subscribe(chloe, { alerts: ["mention"], policy: "all" });
    const again = await createPushSubscription(db.sql, {
      accountId: chloe.account.id, tokenId: first.tokenId, accessToken: first.token, endpoint: "https://push.example/new", ...browserKeys(),
      alerts: ["follow", "favourite"], policy: "followed",
    });
    expect(again.id).not.toBe(first.id);
    expect(await findPushSubscription(db.sql, first.tokenId)).toMatchObject({
      id: again.id, endpoint: "https://push.example/new", policy: "followed",
      alerts: { follow: true, favourite: true, mention: false, reblog: false, "admin.sign_up": false },
    });
    const updated = await updatePushAlerts(db.sql, first.tokenId, { alerts: ["reblog"], policy: "all" });
    expect(updated).toMatchObject({ policy: "all", alerts: { reblog: true, follow: false, favourite: false } });
  });

  it("queues a push per subscription whose alert is on, in the notification's transaction", async () => {
    const mentions = await subscribe(alice, { alerts: ["mention", "follow"], policy: "all" });
    const followsOnly = await subscribe(alice, { alerts: ["follow"], policy: "all" });
    const mention = await notify(db.sql, { accountId: alice.account.id, type: "mention", fromAccountId: bruno.account.id });
    expect(mention).not.toBeNull();
    expect(await pushJobs(mention!)).toEqual([mentions.id]);
    // A reply is Mastodon's mention: the same alert.
    const reply = await notify(db.sql, { accountId: alice.account.id, type: "reply", fromAccountId: chloe.account.id });
    expect(await pushJobs(reply!)).toEqual([mentions.id]);
    const followed = await notify(db.sql, { accountId: alice.account.id, type: "follow", fromAccountId: bruno.account.id });
    expect(await pushJobs(followed!)).toEqual([mentions.id, followsOnly.id].sort());
    // A revoked token's subscription gets nothing, the other still does.
    await revokeTokenById(db.sql, followsOnly.tokenId);
    const request = await notify(db.sql, { accountId: alice.account.id, type: "follow", fromAccountId: chloe.account.id });
    expect(await pushJobs(request!)).toEqual([mentions.id]);
    expect(await pushTarget(db.sql, followsOnly.id)).toBeNull();
    // Revoking deleted the subscription, and the copy of the token it kept.
    expect((await db.sql`SELECT count(*)::int AS n FROM push_subscriptions WHERE id = ${followsOnly.id}`)[0].n).toBe(0);
    expect(await pushTarget(db.sql, mentions.id)).toMatchObject({ accessToken: mentions.token, endpoint: mentions.endpoint });
  });

  it("applies the policy: followed (she follows the sender), follower (the sender follows her), none", async () => {
    const dora = await createLocalUser(db.sql, ORIGIN, { username: "dora" });
    const [followed, follower, none, all] = await Promise.all((["followed", "follower", "none", "all"] as const).map((policy) => subscribe(dora, { alerts: ["mention"], policy })));
    const fromBruno = await notify(db.sql, { accountId: dora.account.id, type: "mention", fromAccountId: bruno.account.id });
    expect(await pushJobs(fromBruno!)).toEqual([all.id]);
    await follow(db.sql, ORIGIN, dora.account.id, bruno.account.id); // Dora follows Bruno
    await follow(db.sql, ORIGIN, chloe.account.id, dora.account.id); // Chloe follows Dora
    // Bruno again (a reply: the same `mention` alert; notify() writes one notification per type, sender and post).
    const fromBrunoNow = await notify(db.sql, { accountId: dora.account.id, type: "reply", fromAccountId: bruno.account.id });
    expect(await pushJobs(fromBrunoNow!)).toEqual([followed.id, all.id].sort());
    const fromChloe = await notify(db.sql, { accountId: dora.account.id, type: "mention", fromAccountId: chloe.account.id });
    expect(await pushJobs(fromChloe!)).toEqual([follower.id, all.id].sort());
    // `none` never appears above: nothing is queued for it, whoever notifies.
    expect((await jobsOf(db.sql, "push", { subscriptionId: none.id }))).toEqual([]);
  });

  it("disabling a person deletes every push subscription they had, with the tokens' copies", async () => {
    const gus = await createLocalUser(db.sql, ORIGIN, { username: "gus" });
    await subscribe(gus, { alerts: ["mention"], policy: "all" });
    await subscribe(gus, { alerts: ["follow"], policy: "all" });
    const count = async () => (await db.sql`SELECT count(*)::int AS n FROM push_subscriptions WHERE account_id = ${gus.account.id}`)[0].n;
    expect(await count()).toBe(2);
    await disableUser(db.sql, "gus");
    expect(await count()).toBe(0);
  });

  it("a notification rolled back leaves no push; one committed always has its push job", async () => {
    const erin = await createLocalUser(db.sql, ORIGIN, { username: "erin" });
    const s = await subscribe(erin, { alerts: ["favourite"], policy: "all" });
    let written: string | null = null;
    await db.sql.begin(async (tx) => {
      written = await notify(tx, { accountId: erin.account.id, type: "favourite", fromAccountId: bruno.account.id });
      // Inside the transaction the job is there already…
      expect((await jobsOf(tx, "push", { notificationId: written! })).length).toBe(1);
      throw new Error("crash before commit");
    }).catch((e) => expect(String(e)).toContain("crash before commit"));
    // …and after the rollback neither the notification nor its push exists.
    expect(await pushJobs(written!)).toEqual([]);
    expect((await db.sql`SELECT count(*)::int AS n FROM notifications WHERE id = ${written!}`)[0].n).toBe(0);
    const committed = await notify(db.sql, { accountId: erin.account.id, type: "favourite", fromAccountId: bruno.account.id });
    const jobs = await jobsOf(db.sql, "push", { notificationId: committed! });
    expect(jobs).toEqual([expect.objectContaining({ state: "created", data: { subscriptionId: s.id, notificationId: committed } })]);
  });
});
