// Issue #10's "Done when", over real HTTPS between real instances with signatures on: a Paris project lead
// creates a private project, invites a Lyon colleague who accepts from Lyon, and a Paris colleague who asks and is
// approved; all three post and reply in the project; a fourth employee on each instance, a sibling with no member,
// an outsider server's signed fetch and an unsigned (Mastodon-style) fetch see nothing of it; the Lyon member
// leaves and the group's relay stops going to Lyon. With the hostile cases: a non-member posting to the project, a
// forged relay of a group's post, a Remove by someone who is not the group, a member who left still delivering.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Announce, Create, Note, Remove } from "@fedify/vocab";
import { eventually, signedFetchStatus, startSiblings, startTestInstance, type TestInstance } from "../test/instance.ts";
import { allSettled, inboxSettled } from "../test/hostile-peer.ts";
import { recordLogs } from "../test/log-records.ts";
import { postIdByIri } from "../server/domain/posts/post-views.ts";
import { findAccountByIri } from "../server/domain/accounts/accounts.ts";
import { groupRecipients } from "./outbox-groups.ts";
import { recipientOf } from "./recipients.ts";

const logs = recordLogs(["ruche"]);

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

async function api(inst: TestInstance, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${inst.url}${path}`, {
    method, headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : {} };
}

async function ok(inst: TestInstance, token: string, method: string, path: string, body?: unknown): Promise<Json> {
  const r = await api(inst, token, method, path, body);
  if (r.status !== 200) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

const refused = (what: RegExp) => logs.some((r) => what.test(r.message.map(String).join("")));

describe("a private project across Paris and Lyon", () => {
  let paris: TestInstance, lyon: TestInstance, marseille: TestInstance, outsider: TestInstance;
  beforeAll(async () => {
    [paris, lyon, marseille] = await startSiblings("Paris", "Lyon", "Marseille");
    outsider = await startTestInstance({ name: "Outsider", federation: "open" });
  });
  afterAll(async () => {
    await Promise.all([paris?.close(), lyon?.close(), marseille?.close(), outsider?.close()]);
  });

  it("is created, joined by invitation and by request, written in from both instances, seen by nobody else, and left", async () => {
    const lead = await paris.createUser("lead");
    const paul = await paris.createUser("paul");
    const fanny = await paris.createUser("fanny");
    const lea = await lyon.createUser("lea");
    const fred = await lyon.createUser("fred");

    // The lead creates the project; its actor is a Group at /groups/{name}, found by WebFinger both ways.
    const group = await ok(paris, lead.token, "POST", "/api/ruche/v1/groups", { name: "migration_lyon", display_name: "Migration Lyon", kind: "project" });
    expect(group).toMatchObject({ name: "migration_lyon", kind: "project", url: `${paris.origin}/groups/migration_lyon` });
    for (const resource of [`acct:migration_lyon@${paris.host}`, `acct:!migration_lyon@${paris.host}`]) {
      const wf = await (await fetch(`${paris.url}/.well-known/webfinger?resource=${encodeURIComponent(resource)}`)).json();
      expect(wf.links.find((l: Json) => l.rel === "self").href).toBe(group.url);
    }
    // A name a person has is refused (one handle space), with Mastodon's error shape.
    const clash = await api(paris, lead.token, "POST", "/api/ruche/v1/groups", { name: "paul", kind: "community" });
    expect(clash.status).toBe(409);
    expect(clash.json.error).toMatch(/already taken/);

    // Invitation of a Lyon colleague (as Paris knows her), accepted from Lyon.
    const leaOnParis = await ok(paris, lead.token, "GET", `/api/v2/search?q=${encodeURIComponent(`@lea@${lyon.host}`)}&resolve=true`);
    await ok(paris, lead.token, "POST", `/api/ruche/v1/groups/${group.id}/invitations`, { account_id: leaOnParis.accounts[0].id });
    // Only a moderator invites.
    expect((await api(paris, paul.token, "POST", `/api/ruche/v1/groups/${group.id}/invitations`, { account_id: fanny.account.id })).status).toBe(403);
    const invitations = await eventually(async () => {
      const list = await ok(lyon, lea.token, "GET", "/api/ruche/v1/groups/invitations");
      return list.length > 0 ? list : null;
    }, 20_000, "the invitation on Lyon");
    expect(invitations[0].group).toMatchObject({ group: true, url: group.url });
    // The group as Lyon knows it, found by its URL: an account with group: true.
    const found = await ok(lyon, lea.token, "GET", `/api/v2/search?q=${encodeURIComponent(group.url)}&resolve=true`);
    const lyonGroup = found.accounts[0];
    expect(lyonGroup).toMatchObject({ group: true, locked: true });
    await ok(lyon, lea.token, "POST", `/api/ruche/v1/groups/invitations/${invitations[0].id}/accept`);
    await eventually(async () => {
      const [rel] = await ok(lyon, lea.token, "GET", `/api/v1/accounts/relationships?id[]=${lyonGroup.id}`);
      return rel.following;
    }, 20_000, "the group's Accept on Lyon");

    // A Paris colleague asks; the request waits for a moderator, who approves it.
    const asked = await ok(paris, paul.token, "POST", `/api/v1/accounts/${group.id}/follow`);
    expect(asked).toMatchObject({ following: false, requested: true });
    expect((await api(paris, paul.token, "POST", `/api/ruche/v1/groups/${group.id}/requests/${paul.account.id}/accept`)).status).toBe(403);
    await ok(paris, lead.token, "POST", `/api/ruche/v1/groups/${group.id}/requests/${paul.account.id}/accept`);
    const members = await ok(paris, lead.token, "GET", `/api/ruche/v1/groups/${group.id}/members`);
    expect(members.map((m: Json) => [m.account.acct, m.role]).sort()).toEqual([[`lea@${lyon.host}`, "member"], ["lead", "owner"], ["paul", "member"]]);

    // All three post and reply, each on their own instance.
    const kickoff = await ok(paris, lead.token, "POST", "/api/v1/statuses", { status: "Lancement de la migration #bascule", ruche_group_id: group.id });
    expect(kickoff.ruche_visibility).toBe("group");
    const kickoffOnLyon = await eventually(async () => postIdByIri(lyon.db.sql, kickoff.uri), 20_000, "the relayed post on Lyon");
    const leaPost = await ok(lyon, lea.token, "POST", "/api/v1/statuses", { status: "Lyon est prête #bascule", ruche_group_id: lyonGroup.id });
    expect(leaPost.ruche_visibility).toBe("group");
    const leaReply = await ok(lyon, lea.token, "POST", "/api/v1/statuses", { status: "Bien reçu", in_reply_to_id: kickoffOnLyon });
    expect(leaReply.ruche_visibility).toBe("group");
    const leaPostOnParis = await eventually(async () => postIdByIri(paris.db.sql, leaPost.uri), 20_000, "Lea's post on Paris");
    const paulReply = await ok(paris, paul.token, "POST", "/api/v1/statuses", { status: "Super, merci Léa", in_reply_to_id: leaPostOnParis });
    expect(paulReply.ruche_visibility).toBe("group");
    // Paul's answer to a Lyon post reaches Lyon through the group; Lea's reply reaches Paris.
    await eventually(async () => postIdByIri(lyon.db.sql, paulReply.uri), 20_000, "Paul's reply on Lyon");
    await eventually(async () => postIdByIri(paris.db.sql, leaReply.uri), 20_000, "Lea's reply on Paris");
    for (const [inst, token] of [[paris, lead.token], [paris, paul.token], [lyon, lea.token]] as const) {
      const gid = inst === paris ? group.id : lyonGroup.id;
      const timeline = await ok(inst, token, "GET", `/api/ruche/v1/groups/${gid}/statuses`);
      expect(timeline.map((s: Json) => s.uri).sort(), `${inst.origin}`).toEqual([kickoff.uri, leaPost.uri, leaReply.uri, paulReply.uri].sort());
      expect(timeline.every((s: Json) => s.ruche_group_id === gid)).toBe(true);
      expect(timeline.every((s: Json) => s.ruche_visibility === "group")).toBe(true);
    }

    // An edit and a deletion in the project reach the members' servers too.
    await ok(paris, lead.token, "PUT", `/api/v1/statuses/${kickoff.id}`, { status: "Lancement de la migration lundi #bascule" });
    await eventually(async () => {
      const [row] = await lyon.db.sql`SELECT content_text FROM posts WHERE iri = ${kickoff.uri}`;
      return String(row?.content_text).includes("lundi");
    }, 20_000, "the edit on Lyon");
    await ok(paris, paul.token, "DELETE", `/api/v1/statuses/${paulReply.id}`);
    await eventually(async () => (await postIdByIri(lyon.db.sql, paulReply.uri)) == null, 20_000, "the deletion on Lyon");

    // Nobody else sees any of it: the fourth employee on each instance (by id, in the tag, in search) …
    await allSettled(paris.db.sql);
    await allSettled(lyon.db.sql);
    for (const [inst, token, uris] of [[paris, fanny.token, [kickoff.uri, leaPost.uri]], [lyon, fred.token, [kickoff.uri, leaPost.uri]]] as const) {
      for (const uri of uris) {
        const id = await postIdByIri(inst.db.sql, uri);
        expect(id, `${uri} is stored on ${inst.origin}`).not.toBeNull();
        expect((await api(inst, token, "GET", `/api/v1/statuses/${id}`)).status).toBe(404);
      }
      expect(await ok(inst, token, "GET", "/api/v1/timelines/tag/bascule")).toEqual([]);
      expect((await ok(inst, token, "GET", `/api/v2/search?q=bascule&type=statuses`)).statuses).toEqual([]);
      expect((await api(inst, token, "GET", `/api/ruche/v1/groups/${inst === paris ? group.id : lyonGroup.id}/statuses`)).status).toBe(403);
    }
    // … nor boosted by a member (a boost would carry it beyond the group).
    expect((await api(paris, lead.token, "POST", `/api/v1/statuses/${kickoff.id}/reblog`)).status).toBeGreaterThanOrEqual(400);
    // … a sibling with no member, an outsider server, an unsigned fetch; the members' server may.
    expect(await signedFetchStatus(marseille, kickoff.uri)).toBeGreaterThanOrEqual(403);
    expect(await signedFetchStatus(outsider, kickoff.uri)).toBe(403);
    expect((await fetch(kickoff.uri, { headers: { Accept: "application/activity+json" } })).status).toBe(401);
    expect(await signedFetchStatus(lyon, kickoff.uri)).toBe(200);
    expect(await postIdByIri(marseille.db.sql, kickoff.uri)).toBeNull();

    // Hostile: a Lyon employee who is not a member delivers a post to the project (signed as herself) → refused.
    const lyonCtx = lyon.instance.context();
    const parisGroupRecipient = recipientOf((await findAccountByIri(lyon.db.sql, group.url))!);
    const intruderNote = `${lyon.origin}/ap/note/990001`;
    await lyonCtx.sendActivity({ identifier: "fred" }, parisGroupRecipient, new Create({
      id: new URL(`${intruderNote}/activity`), actor: new URL(fred.account.iri), to: new URL(group.url),
      object: new Note({ id: new URL(intruderNote), attribution: new URL(fred.account.iri), content: "Je m'invite", to: new URL(group.url), audience: new URL(group.url) }),
    }));
    await eventually(async () => refused(/990001.*not a member/), 20_000, "Paris refusing the non-member's post");
    expect(await postIdByIri(paris.db.sql, intruderNote)).toBeNull();

    // Hostile: a Paris person (not the group) relays a made-up project post to Lyon → refused, nothing stored.
    const parisCtx = paris.instance.context();
    const leaRecipient = recipientOf((await findAccountByIri(paris.db.sql, lea.account.iri))!);
    const forgedNote = `${paris.origin}/ap/note/990002`;
    await parisCtx.sendActivity({ identifier: "paul" }, leaRecipient, new Announce({
      id: new URL(`${paris.origin}/activities/forged-announce`), actor: new URL(paul.account.iri), to: new URL(`${group.url}/followers`),
      object: new Create({
        id: new URL(`${forgedNote}/activity`), actor: new URL(lead.account.iri),
        object: new Note({ id: new URL(forgedNote), attribution: new URL(lead.account.iri), content: "Faux", to: new URL(group.url), audience: new URL(group.url) }),
      }),
    }));
    await eventually(async () => refused(/forged-announce|990002/), 20_000, "Lyon refusing the forged relay");
    expect(await postIdByIri(lyon.db.sql, forgedNote)).toBeNull();

    // Hostile: a Remove of Lea by a Paris person (even the group's owner, in person) → refused; Lea stays a member.
    await parisCtx.sendActivity({ identifier: "lead" }, leaRecipient, new Remove({
      id: new URL(`${paris.origin}/activities/forged-remove`), actor: new URL(lead.account.iri), object: new URL(lea.account.iri),
      target: new URL(`${group.url}/followers`),
    }));
    await eventually(async () => refused(/Remove by .*lead refused/), 20_000, "Lyon refusing the Remove");
    const [still] = await ok(lyon, lea.token, "GET", `/api/v1/accounts/relationships?id[]=${lyonGroup.id}`);
    expect(still.following).toBe(true);

    // A moderator removes a member (a member who is not one cannot): the removed member's server hears it (Remove,
    // signed by the group), and what the removed member still delivers is refused.
    const fredOnParis = (await ok(paris, lead.token, "GET", `/api/v2/search?q=${encodeURIComponent(`@fred@${lyon.host}`)}&resolve=true`)).accounts[0];
    await ok(paris, lead.token, "POST", `/api/ruche/v1/groups/${group.id}/invitations`, { account_id: fredOnParis.id });
    const [fredInvitation] = await eventually(async () => {
      const list = await ok(lyon, fred.token, "GET", "/api/ruche/v1/groups/invitations");
      return list.length > 0 ? list : null;
    }, 20_000, "Fred's invitation on Lyon");
    await ok(lyon, fred.token, "POST", `/api/ruche/v1/groups/invitations/${fredInvitation.id}/accept`);
    const fredFollows = async () => (await ok(lyon, fred.token, "GET", `/api/v1/accounts/relationships?id[]=${lyonGroup.id}`))[0].following;
    await eventually(fredFollows, 20_000, "Fred a member on Lyon");
    const denied = await api(paris, paul.token, "DELETE", `/api/ruche/v1/groups/${group.id}/members/${fredOnParis.id}`);
    expect(denied.status).toBe(403);
    expect(denied.json.error).toMatch(/moderators/);
    await ok(paris, lead.token, "DELETE", `/api/ruche/v1/groups/${group.id}/members/${fredOnParis.id}`);
    await eventually(async () => !(await fredFollows()), 20_000, "the group's Remove on Lyon");
    const removedNote = `${lyon.origin}/ap/note/990004`;
    await lyonCtx.sendActivity({ identifier: "fred" }, parisGroupRecipient, new Create({
      id: new URL(`${removedNote}/activity`), actor: new URL(fred.account.iri), to: new URL(group.url),
      object: new Note({ id: new URL(removedNote), attribution: new URL(fred.account.iri), content: "Toujours là", to: new URL(group.url), audience: new URL(group.url) }),
    }));
    await eventually(async () => refused(/990004.*not a member/), 20_000, "Paris refusing the removed member's post");
    expect(await postIdByIri(paris.db.sql, removedNote)).toBeNull();

    // The Lyon member leaves: Paris's relay no longer goes to Lyon …
    expect((await groupRecipients(parisCtx, group.id)).map((r) => r.id?.href)).toContain(lea.account.iri);
    await ok(lyon, lea.token, "POST", `/api/v1/accounts/${lyonGroup.id}/unfollow`);
    await eventually(async () => (await groupRecipients(parisCtx, group.id)).length === 0, 20_000, "Lyon leaving the group's recipients");
    // … her own server no longer lets her post there …
    expect((await api(lyon, lea.token, "POST", "/api/v1/statuses", { status: "Encore moi", ruche_group_id: lyonGroup.id })).status).toBe(403);
    // … and a delivery in her name is refused by the group's home (she is no longer a member).
    const lateNote = `${lyon.origin}/ap/note/990003`;
    await lyonCtx.sendActivity({ identifier: "lea" }, parisGroupRecipient, new Create({
      id: new URL(`${lateNote}/activity`), actor: new URL(lea.account.iri), to: new URL(group.url),
      object: new Note({ id: new URL(lateNote), attribution: new URL(lea.account.iri), content: "Après mon départ", to: new URL(group.url), audience: new URL(group.url) }),
    }));
    await eventually(async () => refused(/990003.*not a member/), 20_000, "Paris refusing the former member's post");
    expect(await postIdByIri(paris.db.sql, lateNote)).toBeNull();
    // A post made after she left is relayed to nobody on Lyon.
    const after = await ok(paris, lead.token, "POST", "/api/v1/statuses", { status: "Point d'étape", ruche_group_id: group.id });
    await allSettled(paris.db.sql);
    await inboxSettled(lyon.db.sql);
    expect(await postIdByIri(lyon.db.sql, after.uri)).toBeNull();
  }, 120_000);
});
