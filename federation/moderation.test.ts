// Reports and moderation across two real sibling instances over HTTPS, signatures on (issue #15 point 5): a Paris
// employee reports a Lyon post; the report reaches Lyon's moderation queue as a Flag; Lyon's moderator removes the
// post with a reason Bob reads, and the removal reaches Paris. Paris's moderators cannot remove Lyon's content;
// forged Flags (from outside the group, naming another server's objects) are refused and stored nowhere.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, signedFetchStatus, startSiblings, startTestInstance, type TestInstance } from "../test/instance.ts";
import { activity, deliver, newId, signedPost, startHostilePeer, type HostilePeer, inboxSettled } from "../test/hostile-peer.ts";
import { recordLogs } from "../test/log-records.ts";
import { createApiToken } from "../server/domain/accounts/tokens.ts";
import { postIdByIri } from "../server/domain/posts/post-views.ts";
import { createPost } from "../server/domain/posts/posts.ts";
import { canRead, localViewer, ANONYMOUS } from "../server/domain/audience/visibility.ts";
import { resolveHandle } from "./remote-actors.ts";
import { follow } from "../server/domain/follows/follows.ts";
import { localTimeline } from "../server/domain/timelines/timelines.ts";

const logs = process.env.RUCHE_TEST_LOG ? [] as ReturnType<typeof recordLogs> : recordLogs(["ruche", "federation", "moderation"], "info");

async function moderator(inst: TestInstance, username: string): Promise<{ id: string; token: string }> {
  const u = await inst.createUser(username);
  await inst.db.sql`UPDATE users SET role = 'moderator' WHERE account_id = ${u.account.id}`;
  return { id: u.account.id, token: await createApiToken(inst.db.sql, u.account.id, ["read", "write", "admin:read", "admin:write"]) };
}

function api(inst: TestInstance, token: string) {
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${inst.url}${path}`, {
      method, headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, json: (await res.json()) as any };
  };
}

describe("reports and moderation between sibling instances", () => {
  let paris: TestInstance, lyon: TestInstance;
  beforeAll(async () => {
    [paris, lyon] = await startSiblings("Paris", "Lyon");
  });
  afterAll(async () => {
    await Promise.all([paris?.close(), lyon?.close()]);
  });

  it("a Paris report of a Lyon post reaches Lyon's queue as a Flag; Lyon's removal reaches Paris, with the reason Bob reads", async () => {
    const alice = await paris.createUser("alice");
    const bob = await lyon.createUser("bob");
    const lea = await moderator(lyon, "lea");
    const marc = await moderator(paris, "marc");
    const post = await createPost(lyon.db.sql, lyon.origin, bob.account.id, { text: "Une blague de très mauvais goût", visibility: "internal" });
    const atParis = await eventually(() => postIdByIri(paris.db.sql, post.iri), 15_000, "Bob's post on Paris");
    const bobAtParis = (await resolveHandle(paris.instance.context(), `@bob@${lyon.host}`))!;

    // A report naming a post that is not Bob's is refused whole.
    const mine = await createPost(paris.db.sql, paris.origin, alice.account.id, { text: "le mien", visibility: "internal" });
    const wrong = await api(paris, alice.token)("POST", "/api/v1/reports", { account_id: bobAtParis.id, status_ids: [mine.id], comment: "x" });
    expect(wrong.status).toBe(422);
    expect(wrong.json.details.status_ids[0].description).toContain("not one of this account's posts");

    const made = await api(paris, alice.token)("POST", "/api/v1/reports", {
      account_id: bobAtParis.id, status_ids: [atParis], comment: "Propos déplacés envers une collègue", category: "violation",
    });
    expect(made.status).toBe(200);
    expect(made.json).toMatchObject({ forwarded: true, category: "violation", status_ids: [atParis], action_taken: false });
    expect(made.json.target_account.id).toBe(bobAtParis.id);

    // Lyon's queue has it: from Paris, naming Bob and his post, with Alice's comment and not her name.
    const lyonApi = api(lyon, lea.token);
    const queued = await eventually(async () => {
      const r = await lyonApi("GET", "/api/v1/admin/reports");
      return r.json.length > 0 ? r.json : null;
    }, 15_000, "the Flag in Lyon's queue");
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ comment: "Propos déplacés envers une collègue", account: null, ruche_origin_domain: paris.host });
    expect(queued[0].target_account.id).toBe(bob.account.id);
    expect(queued[0].statuses.map((s: { uri: string }) => s.uri)).toEqual([post.iri]);

    // Paris's moderator cannot delete Lyon's post (Lyon's moderators decide).
    const [parisReport] = (await api(paris, marc.token)("GET", "/api/v1/admin/reports")).json;
    const refused = await api(paris, marc.token)("POST", "/api/ruche/v1/admin/decisions", { action: "delete", report_id: parisReport.id, reason: "contenu" });
    expect(refused.status).toBe(422);
    expect(refused.json.error_code).toBe("remote_content");
    expect(await postIdByIri(paris.db.sql, post.iri)).toBe(atParis);

    // A decision needs a reason Bob will read.
    const noReason = await lyonApi("POST", "/api/ruche/v1/admin/decisions", { action: "delete", report_id: queued[0].id });
    expect(noReason.status).toBe(422);
    const decided = await lyonApi("POST", "/api/ruche/v1/admin/decisions", {
      action: "delete", report_id: queued[0].id, reason: "Message contraire à la charte (respect des collègues)",
    });
    expect(decided.status).toBe(200);
    expect(decided.json).toMatchObject({ action: "delete", report_id: queued[0].id, post_uris: [post.iri] });
    expect(await postIdByIri(lyon.db.sql, post.iri)).toBeNull();
    // The Delete reaches Paris.
    await eventually(async () => (await postIdByIri(paris.db.sql, post.iri)) === null, 15_000, "the post gone from Paris");

    // Bob reads the decision and its reason; the report is resolved; the log has it.
    const notices = await api(lyon, bob.token)("GET", "/api/ruche/v1/me/moderation");
    expect(notices.json).toEqual([expect.objectContaining({ action: "delete", reason: "Message contraire à la charte (respect des collègues)" })]);
    expect((await lyonApi("GET", "/api/v1/admin/reports")).json).toEqual([]);
    expect((await lyonApi("GET", "/api/v1/admin/reports?resolved=true")).json[0]).toMatchObject({ action_taken: true, ruche_action: "delete" });
    const log = (await lyonApi("GET", "/api/ruche/v1/admin/moderation_log")).json;
    expect(log[0]).toMatchObject({ action: "delete", moderator: expect.objectContaining({ username: "lea" }) });
    // A resolved report cannot be decided again.
    expect((await lyonApi("POST", "/api/ruche/v1/admin/decisions", { action: "dismiss", report_id: queued[0].id })).status).toBe(409);
    // Nobody but staff reads the queue.
    const notStaff = await api(lyon, bob.token)("GET", "/api/v1/admin/reports");
    expect(notStaff.status).toBe(403);
    expect(logs.some((r) => String(r.message).includes("in the moderation queue"))).toBe(true);
  });

  it("a suspended Lyon account can no longer sign in and nobody reads its posts, here or from Paris", async () => {
    const spam = await lyon.createUser("spam");
    const reader = await lyon.createUser("reader");
    const lea = await moderator(lyon, "lea2");
    const post = await createPost(lyon.db.sql, lyon.origin, spam.account.id, { text: "Achetez maintenant", visibility: "public" });
    expect(await canRead(lyon.db.sql, localViewer(reader.account.id), post.id)).toBe(true);
    expect(await signedFetchStatus(paris, post.iri)).toBe(200);
    const r = await api(lyon, lea.token)("POST", "/api/ruche/v1/admin/decisions", { action: "suspend", account_id: spam.account.id, reason: "Publicité" });
    expect(r.status).toBe(200);
    expect((await api(lyon, spam.token)("GET", "/api/v1/accounts/verify_credentials")).status).toBe(401);
    expect(await canRead(lyon.db.sql, localViewer(reader.account.id), post.id)).toBe(false);
    expect(await canRead(lyon.db.sql, ANONYMOUS, post.id)).toBe(false);
    expect(await signedFetchStatus(paris, post.iri)).not.toBe(200);
    // A moderator does not suspend staff, nor themselves.
    const other = await moderator(lyon, "lea3");
    expect((await api(lyon, lea.token)("POST", "/api/ruche/v1/admin/decisions", { action: "suspend", account_id: other.id, reason: "x" })).status).toBe(403);
    // Silencing leaves the account out of shared timelines but for its followers.
    const loud = await lyon.createUser("loud");
    const fan = await lyon.createUser("fan");
    await follow(lyon.db.sql, lyon.origin, fan.account.id, loud.account.id);
    const shout = await createPost(lyon.db.sql, lyon.origin, loud.account.id, { text: "Regardez-moi", visibility: "internal" });
    const inLocal = async (viewerId: string) => (await localTimeline(lyon.db.sql, localViewer(viewerId))).items.map((p) => p.id);
    expect(await inLocal(reader.account.id)).toContain(shout.id); // control
    expect((await api(lyon, lea.token)("POST", "/api/ruche/v1/admin/decisions", { action: "silence", account_id: loud.account.id, reason: "Trop de messages" })).status).toBe(200);
    expect(await inLocal(reader.account.id)).not.toContain(shout.id);
    expect(await inLocal(fan.account.id)).toContain(shout.id);
    // Lifting it restores reading.
    await api(lyon, lea.token)("POST", "/api/ruche/v1/admin/decisions", { action: "unsuspend", account_id: spam.account.id, reason: "Erreur" });
    expect(await canRead(lyon.db.sql, localViewer(reader.account.id), post.id)).toBe(true);
  });
});

describe("forged Flags", () => {
  let lyon: TestInstance, open: TestInstance, peer: HostilePeer;
  beforeAll(async () => {
    [lyon, open, peer] = await Promise.all([startTestInstance({ name: "Lyon" }), startTestInstance({ name: "Nice", federation: "open" }), startHostilePeer()]);
    await lyon.addSibling(peer.origin);
  });
  afterAll(async () => {
    await Promise.all([lyon?.close(), open?.close(), peer?.close()]);
  });

  it("a Flag from outside the group, or naming another server's objects, is refused and nothing is stored", async () => {
    const bob = await lyon.createUser("bob");
    const zoe = await open.createUser("zoe");
    const flagger = await peer.createActor("moderation");
    const flag = (objects: string[]) => activity({ id: newId(flagger.iri, "flag"), type: "Flag", actor: flagger.iri, object: objects, content: "spam" });

    // The peer is no sibling of Nice (open federation): refused by the handler.
    expect((await deliver(await signedPost(flagger, `${open.origin}/inbox`, flag([zoe.account.iri])))).status).toBe(202);
    await inboxSettled(open.db.sql);
    // A sibling of Lyon naming someone of another server along with Bob: refused whole.
    expect((await deliver(await signedPost(flagger, `${lyon.origin}/inbox`, flag([bob.account.iri, zoe.account.iri])))).status).toBe(202);
    await inboxSettled(lyon.db.sql);
    await eventually(async () => logs.filter((r) => r.level === "warning").length >= 2 ? true : null, 15_000, "both refusals logged");
    const warnings = logs.filter((r) => r.level === "warning").map((r) => r.message.join(""));
    expect(warnings.some((m) => m.includes("not a sibling instance"))).toBe(true);
    expect(warnings.some((m) => m.includes(zoe.account.iri) && m.includes("not one person of ours"))).toBe(true);
    expect((await open.db.sql`SELECT count(*)::int AS n FROM reports`)[0].n).toBe(0);
    expect((await lyon.db.sql`SELECT count(*)::int AS n FROM reports`)[0].n).toBe(0);

    // Control: the same sibling's well-formed Flag about Bob is taken.
    expect((await deliver(await signedPost(flagger, `${lyon.origin}/inbox`, flag([bob.account.iri])))).status).toBe(202);
    await eventually(async () => (await lyon.db.sql`SELECT count(*)::int AS n FROM reports`)[0].n === 1, 15_000, "the good Flag stored");
  });

  it("a suspended remote account and a blocked server are refused at the door", async () => {
    const spammer = await peer.createActor("spammer");
    const follow = (to: string) => activity({ id: newId(spammer.iri, "follow"), type: "Follow", actor: spammer.iri, object: to });
    const carol = await lyon.createUser("carol");
    expect((await deliver(await signedPost(spammer, `${lyon.origin}/inbox`, follow(carol.account.iri)))).status).toBe(202);
    await inboxSettled(lyon.db.sql);
    const [row] = await lyon.db.sql`SELECT id::text FROM accounts WHERE iri = ${spammer.iri}`;
    const mod = await moderator(lyon, "modo");
    expect((await api(lyon, mod.token)("POST", "/api/ruche/v1/admin/decisions", { action: "suspend", account_id: row.id, reason: "Spam" })).status).toBe(200);
    await eventually(async () => lyon.instance.data.siblings.isSuspendedActor(spammer.iri) || null, 15_000, "the policy reloaded");
    const refused = await deliver(await signedPost(spammer, `${lyon.origin}/inbox`, follow(carol.account.iri)));
    expect(refused.status).toBe(403);
    expect(refused.error).toContain("suspended");

    // Nice (open federation) blocks the peer's server: its deliveries get 403; a sibling cannot be blocked.
    const niceMod = await moderator(open, "modo");
    const zoe = await open.createUser("zoe2");
    expect((await deliver(await signedPost(spammer, `${open.origin}/inbox`, follow(zoe.account.iri)))).status).toBe(202); // control
    const blocked = await api(open, niceMod.token)("POST", "/api/v1/admin/domain_blocks", { domain: peer.host, private_comment: "spam" });
    expect(blocked.status).toBe(200);
    expect(blocked.json).toMatchObject({ domain: peer.host, severity: "suspend" });
    await eventually(async () => !open.instance.data.siblings.allows(peer.origin) || null, 15_000, "the block loaded");
    expect((await deliver(await signedPost(spammer, `${open.origin}/inbox`, follow(zoe.account.iri)))).status).toBe(403);
    const sibling = await api(lyon, mod.token)("POST", "/api/v1/admin/domain_blocks", { domain: peer.host });
    expect(sibling.status).toBe(422);
    expect(sibling.json.details.domain[0].description).toContain("sibling");
    // Lifted: deliveries are taken again.
    await api(open, niceMod.token)("DELETE", `/api/v1/admin/domain_blocks/${blocked.json.id}`);
    await eventually(async () => open.instance.data.siblings.allows(peer.origin) || null, 15_000, "the block lifted");
  });
});
