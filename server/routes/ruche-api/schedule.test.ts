// Working hours and quiet time on real instances (issue #15 point 2): Bob on Lyon works 9:00–17:30 Europe/Paris.
// At 22:00 Paris time Alice on Paris mentions him and writes him a direct message: both are stored and listed with
// ruche_held_until, his phone's push service receives nothing and his streaming clients hear nothing; when the
// clock reaches 9:00 one digest push arrives naming both, and the streaming events follow. The clock is driven.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRestAPIClient, type mastodon } from "masto";
import { eventually, startSiblings, type TestInstance } from "../../../test/instance.ts";
import { type PushReceiver, startPushReceiver } from "../../../test/push-receiver.ts";
import { ManualClock } from "../../clock.ts";
import { createApiToken } from "../../domain/accounts/tokens.ts";
import { jobsOf } from "../../jobs/admin.ts";
import { channelOf } from "../mastodon/streaming/streams.ts";
import type { StreamMessage } from "../mastodon/streaming/hub.ts";

// Thursday 3 December 2026, 22:00 in Paris (UTC+1).
const THURSDAY_22H = Date.UTC(2026, 11, 3, 21, 0);
const FRIDAY_9H = Date.UTC(2026, 11, 4, 8, 0);
const BOB_HOURS = { timezone: "Europe/Paris", days: Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [["09:00", "17:30"]]])) };

describe("working hours and quiet time", () => {
  const clock = new ManualClock(THURSDAY_22H);
  let paris: TestInstance, lyon: TestInstance, receiver: PushReceiver;
  const api = (inst: TestInstance, token: string) => async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${inst.origin}${path}`, {
      method, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: await res.json() as any };
  };

  beforeAll(async () => {
    [[paris, lyon], receiver] = await Promise.all([startSiblings(clock, "Paris", "Lyon"), startPushReceiver()]);
  });
  afterAll(async () => {
    await Promise.all([paris?.close(), lyon?.close(), receiver?.close()]);
  });

  it("refuses a schedule with an unknown zone, an end before its start or overlapping ranges, and stores nothing", async () => {
    const zoe = await lyon.createUser("zoe");
    const call = api(lyon, zoe.token);
    const cases = [
      [{ timezone: "Europe/Lyon", days: {} }, "unknown_time_zone"],
      [{ timezone: "Europe/Paris", days: { mon: [["17:30", "09:00"]] } }, "range_end_before_start"],
      [{ timezone: "Europe/Paris", days: { tue: [["09:00", "12:30"], ["12:00", "17:00"]] } }, "ranges_overlap"],
      [{ timezone: "Europe/Paris", days: { wed: [["9", "17:00"]] } }, "invalid_time"],
    ] as const;
    for (const [body, code] of cases) {
      const r = await call("PUT", "/api/ruche/v1/me/schedule", body);
      expect(r.status).toBe(422);
      expect(r.json.error_code).toBe(code);
      expect(r.json.error).toEqual(expect.any(String));
    }
    expect(await lyon.db.sql`SELECT 1 FROM work_schedules WHERE account_id = ${zoe.account.id}`).toHaveLength(0);
    expect((await call("GET", "/api/ruche/v1/me/schedule")).json).toMatchObject({ timezone: null, days: {}, source: "none", availability: null });
  });

  it("an admin's instance preset applies until the person sets their own; a department's preset wins over it", async () => {
    const admin = await lyon.createUser("root", { admin: true });
    const adminToken = await createApiToken(lyon.db.sql, admin.account.id, ["read", "write", "admin:read", "admin:write"]);
    const yann = await lyon.createUser("yann");
    await lyon.db.sql`INSERT INTO profiles (account_id, department) VALUES (${yann.account.id}, 'Logistique')
      ON CONFLICT (account_id) DO UPDATE SET department = 'Logistique'`;
    const asAdmin = api(lyon, adminToken);
    expect((await api(lyon, yann.token)("PUT", "/api/ruche/v1/admin/schedule_presets", BOB_HOURS)).status).toBe(403);
    expect((await asAdmin("PUT", "/api/ruche/v1/admin/schedule_presets", { ...BOB_HOURS, country: "FR" })).status).toBe(200);
    const viewOf = async (token: string) => (await api(lyon, token)("GET", "/api/ruche/v1/me/schedule")).json;
    expect(await viewOf(yann.token)).toMatchObject({ source: "instance", timezone: "Europe/Paris", country: "FR", days: { mon: [["09:00", "17:30"]] } });
    await asAdmin("PUT", "/api/ruche/v1/admin/schedule_presets", { department: "logistique", timezone: "Europe/Paris", days: { mon: [["06:00", "14:00"]] } });
    expect(await viewOf(yann.token)).toMatchObject({ source: "department", days: { mon: [["06:00", "14:00"]] } });
    // Thursday 22:00 is outside both: the availability says so.
    expect((await viewOf(yann.token)).availability).toMatchObject({ state: "off_hours", timezone: "Europe/Paris" });
    await asAdmin("DELETE", "/api/ruche/v1/admin/schedule_presets?department=Logistique");
    await asAdmin("DELETE", "/api/ruche/v1/admin/schedule_presets");
    expect(await viewOf(yann.token)).toMatchObject({ source: "none" });
  });

  it("at 22:00 Paris time alice's mention and message are held for bob: listed with ruche_held_until, no push, no stream; at 9:00 one digest", async () => {
    const alice = await paris.createUser("alice", { displayName: "Alice Martin" });
    const bob = await lyon.createUser("bob", { displayName: "Bob Durand" });
    const bobApp = await createApiToken(lyon.db.sql, bob.account.id, ["read", "write", "follow", "push"]);
    const bobClient = createRestAPIClient({ url: lyon.origin, accessToken: bobApp });
    const put = await api(lyon, bobApp)("PUT", "/api/ruche/v1/me/schedule", BOB_HOURS);
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ source: "own", timezone: "Europe/Paris", days: BOB_HOURS.days, availability: { state: "off_hours", until: new Date(FRIDAY_9H).toISOString() } });

    const phone = receiver.subscriber("bob-phone");
    const sub = await bobClient.v1.push.subscription.create({ subscription: { endpoint: phone.endpoint, keys: phone.keys }, data: { alerts: { mention: true } }, policy: "all" });
    // His notifications stream, as an app holds it open.
    const streamed: StreamMessage[] = [];
    const viewer = { accountId: bob.account.id, scopes: ["read"], user: bob };
    const channel = channelOf("user:notification", {}, viewer, { anonymousPublic: false });
    lyon.instance.streaming.add({ viewer, channels: () => [channel], send: (m) => void streamed.push(m), close: () => {} });

    const aliceClient = createRestAPIClient({ url: paris.origin, accessToken: alice.token });
    await aliceClient.v1.statuses.create({ status: `@bob@${lyon.host} le devis est prêt, on en parle demain ?`, visibility: "public" });
    await aliceClient.v1.statuses.create({ status: `@bob@${lyon.host} message privé : le chiffre est 42`, visibility: "direct" });

    // The positive signal: both are stored, listed and marked held until Friday 9:00.
    const held = await eventually(async () => {
      const list = (await api(lyon, bobApp)("GET", "/api/v1/notifications")).json as (mastodon.v1.Notification & { ruche_held_until: string | null })[];
      return list.length === 2 ? list : null;
    }, 30_000, "bob's two notifications");
    expect(held.map((n) => [n.type, n.ruche_held_until])).toEqual([["mention", new Date(FRIDAY_9H).toISOString()], ["mention", new Date(FRIDAY_9H).toISOString()]]);
    expect(held.map((n) => n.status?.visibility).sort()).toEqual(["direct", "public"]);
    // …and nothing left for a push: no job queued for his subscription, nothing at his push service, no stream
    // event, no badge (the unread count leaves held ones out); the release is queued for 9:00.
    expect(await jobsOf(lyon.db.sql, "push", { subscriptionId: sub.id })).toEqual([]);
    expect((await api(lyon, bobApp)("GET", "/api/v1/notifications/unread_count")).json).toEqual({ count: 0 });
    expect(await jobsOf(lyon.db.sql, "quiet-release", { at: new Date(FRIDAY_9H).toISOString() })).toHaveLength(1);
    expect(phone.requests).toEqual([]);
    expect(streamed).toEqual([]);

    // 9:00 in Paris: his working day starts.
    clock.set(FRIDAY_9H);
    const digest = await eventually(async () => receiver.received.find((p) => p.subscriber === "bob-phone"), 30_000, "bob's digest push");
    expect(digest.json).toMatchObject({
      access_token: bobApp, notification_type: "mention", preferred_locale: "fr",
      title: "2 notifications pendant votre absence",
      body: "Alice Martin vous a mentionné·e · Alice Martin vous a mentionné·e",
    });
    expect(held.map((n) => Number(n.id))).toContain(digest.json.notification_id);
    await eventually(async () => streamed.length === 2, 15_000, "the two streaming events");
    expect(streamed.map((m) => JSON.parse(m.payload!).id).sort()).toEqual(held.map((n) => n.id).sort());
    const after = (await api(lyon, bobApp)("GET", "/api/v1/notifications")).json as { ruche_held_until: string | null }[];
    expect(after.map((n) => n.ruche_held_until)).toEqual([null, null]);
    // One push for the two: the digest, not a burst.
    await eventually(async () => lyon.instance.pushCounts.sent >= 1, 10_000, "the push counted");
    expect(receiver.received.filter((p) => p.subscriber === "bob-phone")).toHaveLength(1);
    expect(receiver.errors).toEqual([]);
  });

  it("during working hours a notification arrives at once; changing one's schedule to be at work releases what was held", async () => {
    // Friday 9:00 now. Carole works afternoons only: a mention at 9:00 is held until 14:00…
    const carole = await lyon.createUser("carole");
    const dave = await lyon.createUser("dave");
    const call = api(lyon, carole.token);
    await call("PUT", "/api/ruche/v1/me/schedule", { timezone: "Europe/Paris", days: { fri: [["14:00", "18:00"]] } });
    await createRestAPIClient({ url: lyon.origin, accessToken: dave.token }).v1.statuses.create({ status: "@carole tu as une minute ?" });
    const [n] = (await call("GET", "/api/v1/notifications")).json;
    expect(n.ruche_held_until).toBe(new Date(Date.UTC(2026, 11, 4, 13, 0)).toISOString());
    // …until she says she works mornings too: released at once.
    const changed = await call("PUT", "/api/ruche/v1/me/schedule", { timezone: "Europe/Paris", days: { fri: [["08:30", "12:00"], ["14:00", "18:00"]] } });
    expect(changed.json).toMatchObject({ released: 1, availability: { state: "working" }, held_notifications: 0 });
    expect((await call("GET", "/api/v1/notifications")).json[0].ruche_held_until).toBeNull();
    // Bob is at work: a new mention is not held.
    const bobToken = await createApiToken(lyon.db.sql, (await lyon.db.sql`SELECT id::text FROM accounts WHERE username = 'bob' AND domain IS NULL`)[0].id, ["read"]);
    await createRestAPIClient({ url: lyon.origin, accessToken: dave.token }).v1.statuses.create({ status: "@bob bonjour !" });
    const [fresh] = (await api(lyon, bobToken)("GET", "/api/v1/notifications?limit=1")).json;
    expect(fresh.status.content).toContain("bonjour");
    expect(fresh.ruche_held_until).toBeNull();
  });

  it("leave: on leave until the 8th, notifications wait for Wednesday the 9th at 9:00", async () => {
    const eve = await lyon.createUser("eve");
    const call = api(lyon, eve.token);
    await call("PUT", "/api/ruche/v1/me/schedule", BOB_HOURS);
    expect((await call("POST", "/api/ruche/v1/me/leaves", { first_day: "2026-12-08", last_day: "2026-12-04" })).json.error_code).toBe("range_end_before_start");
    const leave = await call("POST", "/api/ruche/v1/me/leaves", { first_day: "2026-12-04", last_day: "2026-12-08" });
    expect(leave.status).toBe(200);
    const view = (await call("GET", "/api/ruche/v1/me/schedule")).json;
    expect(view.leaves).toEqual([{ id: leave.json.id, first_day: "2026-12-04", last_day: "2026-12-08" }]);
    expect(view.availability).toEqual({ state: "leave", until: new Date(Date.UTC(2026, 11, 9, 8)).toISOString(), leave_ends: "2026-12-08", timezone: "Europe/Paris" });
  });
});
