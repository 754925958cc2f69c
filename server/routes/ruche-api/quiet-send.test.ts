// Writing to someone who is off (issue #15 points 2–4), on real instances with a driven clock. Bob works 9:00–17:30
// in Paris; it is Thursday 22:00 there. Claire on Lyon sees that he is off on his profile, her composer says when he
// will get her message and sends it at his next working hour; scheduled statuses over the Mastodon API, with their
// refusals and their durable job; an urgent message from someone with the role reaches him at once and is audited.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRestAPIClient } from "masto";
import { eventually, startSiblings, type TestInstance } from "../../../test/instance.ts";
import { type PushReceiver, startPushReceiver } from "../../../test/push-receiver.ts";
import { signInOverHttp } from "../../../test/web-session.ts";
import { ManualClock } from "../../clock.ts";
import { createApiToken } from "../../domain/accounts/tokens.ts";
import { jobsOf } from "../../jobs/admin.ts";
import { findAccountByHandle } from "../../domain/accounts/accounts.ts";

const THURSDAY_22H = Date.UTC(2026, 11, 3, 21, 0);
const FRIDAY_9H = Date.UTC(2026, 11, 4, 8, 0);
const HOURS = { timezone: "Europe/Paris", days: Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [["09:00", "17:30"]]])) };

describe("writing to someone who is off", () => {
  const clock = new ManualClock(THURSDAY_22H);
  let paris: TestInstance, lyon: TestInstance, receiver: PushReceiver;
  const api = (inst: TestInstance, token: string) => async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${inst.origin}${path}`, {
      method, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: await res.json() as any };
  };
  let bob: Awaited<ReturnType<TestInstance["createUser"]>>;

  beforeAll(async () => {
    [[paris, lyon], receiver] = await Promise.all([startSiblings(clock, "Paris", "Lyon"), startPushReceiver()]);
    bob = await paris.createUser("bob", { displayName: "Bob Durand" });
    expect((await api(paris, bob.token)("PUT", "/api/ruche/v1/me/schedule", HOURS)).status).toBe(200);
  });
  afterAll(async () => {
    await Promise.all([paris?.close(), lyon?.close(), receiver?.close()]);
  });

  it("a Lyon colleague sees Paris Bob's availability (federated in his actor), on his profile and in her composer", async () => {
    const claire = await lyon.createUser("claire", { password: "claire-password-1" });
    await lyon.db.sql`UPDATE users SET time_zone = 'Europe/Paris' WHERE account_id = ${claire.account.id}`;
    // His schedule reached Lyon with the Update(Person) siblings get, through the signed refetch.
    const remote = await eventually(async () => {
      const a = await findAccountByHandle(lyon.db.sql, "bob", paris.host);
      if (!a) return null;
      const [p] = await lyon.db.sql`SELECT work_schedule FROM profiles WHERE account_id = ${a.id}`;
      return p?.work_schedule ? a : null;
    }, 30_000, "Bob's schedule on Lyon");
    const seen = await api(lyon, claire.token)("GET", `/api/ruche/v1/accounts/${remote.id}/availability`);
    expect(seen.json).toEqual({ state: "off_hours", until: new Date(FRIDAY_9H).toISOString(), leave_ends: null, timezone: "Europe/Paris" });

    const session = await signInOverHttp(lyon.origin, "claire", "claire-password-1");
    const profile = await (await session.get(`/@bob@${paris.host}`)).text();
    expect(profile).toContain("hors horaires jusqu'à demain 9 h");

    const composer = await (await session.get(`/messages/new?to=${encodeURIComponent(`bob@${paris.host}`)}`)).text();
    expect(composer).toContain("Bob Durand est hors horaires jusqu'à demain 9 h : sera remis à demain 9 h, heure de Bob Durand.");
    expect(composer).toContain("Envoyer maintenant");
    expect(composer).toContain("Envoyer à sa prochaine heure de travail");

    // "Send at his next working hour": stored as a scheduled status for Friday 9:00 Paris, nothing sent yet.
    const sent = await session.post("/messages", { to: `bob@${paris.host}`, text: "Peux-tu relire le devis ?", when: "later" });
    expect(sent.status).toBe(303);
    const scheduled = (await api(lyon, claire.token)("GET", "/api/v1/scheduled_statuses")).json;
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]).toMatchObject({ scheduled_at: new Date(FRIDAY_9H).toISOString(), params: { visibility: "direct", text: expect.stringContaining("Peux-tu relire le devis ?") } });
    expect(await lyon.db.sql`SELECT 1 FROM posts WHERE account_id = ${claire.account.id}`).toHaveLength(0);

    // 9:00 Friday: published, and Bob (at work now) is notified at once.
    clock.set(FRIDAY_9H);
    const note = await eventually(async () => {
      const [n] = (await api(paris, bob.token)("GET", "/api/v1/notifications?limit=1")).json;
      return n?.status?.content?.includes("relire le devis") ? n : null;
    }, 30_000, "Claire's message reaching Bob");
    expect(note.ruche_held_until).toBeNull();
    await eventually(async () => (await api(lyon, claire.token)("GET", "/api/v1/scheduled_statuses")).json.length === 0, 15_000, "Claire's scheduled message removed");
  });

  it("scheduled statuses: refused in the past or over a year ahead; listed, rescheduled, deleted; the job is durable", async () => {
    const dan = await lyon.createUser("dan");
    const call = api(lyon, dan.token);
    const now = clock.now();
    const past = await call("POST", "/api/v1/statuses", { status: "trop tard", scheduled_at: new Date(now - 60_000).toISOString() });
    expect(past).toMatchObject({ status: 422, json: { error_code: "scheduled_in_past" } });
    const far = await call("POST", "/api/v1/statuses", { status: "trop loin", scheduled_at: new Date(now + 10 * 365 * 86_400_000).toISOString() });
    expect(far).toMatchObject({ status: 422, json: { error_code: "scheduled_too_far" } });
    expect(await lyon.db.sql`SELECT 1 FROM scheduled_statuses WHERE account_id = ${dan.account.id}`).toHaveLength(0);

    const at = new Date(now + 3 * 3600_000);
    const created = await call("POST", "/api/v1/statuses", { status: "Rappel : réunion à 14 h", visibility: "unlisted", scheduled_at: at.toISOString() });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ id: expect.any(String), scheduled_at: at.toISOString(), params: { text: "Rappel : réunion à 14 h", visibility: "unlisted" } });
    expect((await call("GET", `/api/v1/scheduled_statuses/${created.json.id}`)).json).toEqual(created.json);
    const [job] = await jobsOf(lyon.db.sql, "scheduled-status", { scheduledStatusId: created.json.id });
    expect(job.state).toBe("created");

    const later = new Date(now + 5 * 3600_000);
    const moved = await call("PUT", `/api/v1/scheduled_statuses/${created.json.id}`, { scheduled_at: later.toISOString() });
    expect(moved.json.scheduled_at).toBe(later.toISOString());
    const jobs = await jobsOf(lyon.db.sql, "scheduled-status", { scheduledStatusId: created.json.id });
    expect(jobs.map((j) => j.id)).not.toContain(job.id);
    expect(jobs).toHaveLength(1);
    expect((await call("PUT", `/api/v1/scheduled_statuses/${created.json.id}`, { scheduled_at: "demain" })).json.error_code).toBe("scheduled_at_invalid");

    // The job lives in PostgreSQL (pg-boss), not in the process: made due as if the hours had passed while the
    // server was down, the worker that finds it publishes the status, once.
    await lyon.db.sql.unsafe(`UPDATE pgboss.job_common SET start_after = now() WHERE id = $1`, [jobs[0].id]);
    await eventually(async () => (await lyon.db.sql`SELECT 1 FROM posts WHERE account_id = ${dan.account.id} AND content_text LIKE 'Rappel%'`).length === 1, 30_000, "the scheduled status published by its job");
    // …and the scheduled status is gone once published (removed just after the post is written).
    await eventually(async () => (await call("GET", "/api/v1/scheduled_statuses")).json.length === 0, 15_000, "the scheduled status removed");
    expect(await lyon.db.sql`SELECT 1 FROM posts WHERE account_id = ${dan.account.id}`).toHaveLength(1);

    const other = await call("POST", "/api/v1/statuses", { status: "annulé", scheduled_at: later.toISOString() });
    expect((await call("DELETE", `/api/v1/scheduled_statuses/${other.json.id}`)).status).toBe(200);
    expect(await jobsOf(lyon.db.sql, "scheduled-status", { scheduledStatusId: other.json.id })).toEqual([]);
    expect((await call("GET", `/api/v1/scheduled_statuses/${other.json.id}`)).status).toBe(404);
  });

  it("urgent: refused without the role; with it, the message reaches Bob at once off hours, says urgent, and is in the admin log", async () => {
    // Evening again: Friday 20:00 in Paris.
    clock.set(Date.UTC(2026, 11, 4, 19, 0));
    const emma = await paris.createUser("emma", { displayName: "Emma Petit" });
    const admin = await paris.createUser("root", { admin: true });
    const adminToken = await createApiToken(paris.db.sql, admin.account.id, ["read", "write", "admin:read", "admin:write"]);
    const asEmma = api(paris, emma.token);
    const refused = await asEmma("POST", "/api/v1/statuses", { status: "@bob serveur en panne", visibility: "direct", ruche_urgent: true, ruche_urgent_reason: "Production arrêtée" });
    expect(refused).toMatchObject({ status: 403, json: { error_code: "urgent_not_allowed" } });
    expect(await paris.db.sql`SELECT 1 FROM posts WHERE account_id = ${emma.account.id}`).toHaveLength(0);
    expect((await api(paris, emma.token)("PUT", `/api/ruche/v1/admin/urgent_senders/${emma.account.id}`)).status).toBe(403);

    expect((await api(paris, adminToken)("PUT", `/api/ruche/v1/admin/urgent_senders/${emma.account.id}`)).json).toEqual({ account_id: emma.account.id, urgent: true });
    expect((await asEmma("POST", "/api/v1/statuses", { status: "@bob serveur en panne", visibility: "direct", ruche_urgent: true })).json.error_code).toBe("urgent_reason_required");

    // Bob's phone, and a non-urgent message first: held.
    const bobPush = await createApiToken(paris.db.sql, bob.account.id, ["read", "push"]);
    const phone = receiver.subscriber("bob-phone-2");
    await createRestAPIClient({ url: paris.origin, accessToken: bobPush }).v1.push.subscription.create({
      subscription: { endpoint: phone.endpoint, keys: phone.keys }, data: { alerts: { mention: true } }, policy: "all",
    });
    await asEmma("POST", "/api/v1/statuses", { status: "@bob ça peut attendre lundi", visibility: "direct" });
    const urgent = await asEmma("POST", "/api/v1/statuses", { status: "@bob le serveur de paie est en panne", visibility: "direct", ruche_urgent: true, ruche_urgent_reason: "Paie bloquée, virements ce soir" });
    expect(urgent.json).toMatchObject({ ruche_urgent: true, visibility: "direct" });

    const push = await eventually(async () => receiver.received.find((p) => p.subscriber === "bob-phone-2"), 30_000, "the urgent push");
    expect(push.json).toMatchObject({ title: "Emma Petit vous a mentionné·e", body: expect.stringContaining("serveur de paie") });
    const list = (await api(paris, bob.token)("GET", "/api/v1/notifications?limit=2")).json;
    expect(list.map((n: any) => [n.status.ruche_urgent, n.ruche_held_until === null])).toEqual([[true, true], [false, false]]);

    const log = await api(paris, adminToken)("GET", "/api/ruche/v1/admin/urgent_log");
    expect(log.json).toEqual([{
      id: expect.any(String), status_id: urgent.json.id, sender: "emma", recipients: ["bob"], reason: "Paie bloquée, virements ce soir", created_at: expect.any(String),
    }]);
    expect((await asEmma("GET", "/api/ruche/v1/admin/urgent_log")).status).toBe(403);
    expect(receiver.received.filter((p) => p.subscriber === "bob-phone-2")).toHaveLength(1);

    // Across instances: Frank on Lyon, off hours too. Lyon believes its sibling Paris that the message is urgent.
    const frank = await lyon.createUser("frank");
    await api(lyon, frank.token)("PUT", "/api/ruche/v1/me/schedule", HOURS);
    await asEmma("POST", "/api/v1/statuses", { status: `@frank@${lyon.host} pas urgent`, visibility: "direct" });
    await asEmma("POST", "/api/v1/statuses", { status: `@frank@${lyon.host} la paie est bloquée`, visibility: "direct", ruche_urgent: true, ruche_urgent_reason: "Paie bloquée" });
    const onLyon = await eventually(async () => {
      const l = (await api(lyon, frank.token)("GET", "/api/v1/notifications")).json;
      return l.length === 2 ? l : null;
    }, 30_000, "Frank's two notifications on Lyon");
    // Two posts may arrive in either order: each is told by its text.
    expect(onLyon.map((n: any) => [n.status.content.includes("bloquée"), n.status.ruche_urgent, n.ruche_held_until === null]).sort())
      .toEqual([[false, false, false], [true, true, true]]);
    const lyonAdmin = await lyon.createUser("lyonroot", { admin: true });
    const lyonLog = await api(lyon, await createApiToken(lyon.db.sql, lyonAdmin.account.id, ["admin:read"]))("GET", "/api/ruche/v1/admin/urgent_log");
    expect(lyonLog.json).toMatchObject([{ sender: "emma", recipients: ["frank"], reason: `urgent per ${paris.origin}` }]);
  });
});
