// The knowledge base across subsidiaries, on real instances over HTTPS with signatures (issue #14 point 3): a Lyon
// engineer writes an article; Paris stores the Article (name, summary, HTML content, Markdown source, url, tags) and
// a Paris colleague finds it by searching "deploiements" when it says "déployer"; each new revision reaches Paris as
// an Update and shows in its history there; a hostile sibling's Update of Lyon's article, an article in another's
// name and script in an article change nothing or are sanitised.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, startSiblings, type TestInstance } from "../test/instance.ts";
import { activity, deliver, inboxSettled, newId, type PeerActor, signedPost, startHostilePeer, type HostilePeer } from "../test/hostile-peer.ts";

let paris: TestInstance, lyon: TestInstance, peer: HostilePeer, mallory: PeerActor;
let lea: string, paul: string;
const call = async (inst: TestInstance, token: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${inst.url}${path}`, {
    method, headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json().catch(() => null) as any };
};

beforeAll(async () => {
  [[paris, lyon], peer] = await Promise.all([startSiblings("Paris", "Lyon"), startHostilePeer()]);
  await paris.addSibling(peer.origin);
  mallory = await peer.createActor("mallory");
  [lea, paul] = (await Promise.all([lyon.createUser("lea", { displayName: "Léa" }), paris.createUser("paul")])).map((u) => u.token);
});
afterAll(async () => {
  await Promise.all([paris?.close(), lyon?.close(), peer?.close()]);
});

async function parisCopy(iri: string) {
  const [row] = await paris.db.sql`SELECT id::text, title, source, content_html, summary, visibility, local,
      ARRAY(SELECT tag FROM article_tags WHERE article_id = articles.id ORDER BY tag) AS tags,
      (SELECT count(*)::int FROM article_revisions r WHERE r.article_id = articles.id) AS revisions
    FROM articles WHERE iri = ${iri}`;
  return row as { id: string; title: string; source: string; content_html: string; summary: string; visibility: string; local: boolean; tags: string[]; revisions: number } | undefined;
}

describe("articles across subsidiaries", () => {
  it("a Lyon engineer's article reaches Paris, where a colleague finds it without accents in another inflection; revisions follow", async () => {
    const body = "## Procédure\n\nPour **déployer** l'application de paie, lancer la chaîne `deploy`.";
    const created = await call(lyon, lea, "POST", "/api/ruche/v1/articles", { title: "Mise en production", body, tags: ["ops"], visibility: "internal" });
    expect(created.status).toBe(200);
    const iri = `${lyon.origin}/ap/article/${created.json.id}`;

    const copy = await eventually(() => parisCopy(iri), 30_000, "Lyon's article on Paris");
    expect(copy).toMatchObject({ title: "Mise en production", source: body, visibility: "internal", local: false, tags: ["ops"], revisions: 1 });
    expect(copy.content_html).toContain("<strong>déployer</strong>");
    expect(copy.summary).toContain("Pour déployer");

    const found = await call(paris, paul, "GET", "/api/ruche/v1/search?q=deploiements");
    expect(found.json.results).toContainEqual({
      kind: "article", id: copy.id, url: `${paris.origin}/knowledge/articles/${copy.id}`, title: "Mise en production", snippet: expect.stringContaining("<mark>déployer</mark>"),
    });
    // Read-only here: edited on its own instance.
    const edit = await call(paris, paul, "PUT", `/api/ruche/v1/articles/${copy.id}`, { body: "x", base_revision_id: "1" });
    expect(edit).toMatchObject({ status: 422, json: { code: "not_local" } });
    expect((await parisCopy(iri))?.source).toBe(body);

    const next = await call(lyon, lea, "PUT", `/api/ruche/v1/articles/${created.json.id}`, {
      body: `${body}\n\nPuis vérifier les journaux.`, base_revision_id: created.json.revision_id, summary: "journaux",
    });
    expect(next.status).toBe(200);
    const updated = await eventually(async () => ((await parisCopy(iri))?.revisions === 2 ? await parisCopy(iri) : null), 30_000, "the Update on Paris");
    expect(updated.source).toContain("vérifier les journaux");
    const history = await call(paris, paul, "GET", `/api/ruche/v1/articles/${copy.id}/revisions`);
    expect(history.json).toHaveLength(2);
    const diff = await call(paris, paul, "GET", `/api/ruche/v1/articles/${copy.id}/diff?from=${history.json[1].id}&to=${history.json[0].id}`);
    expect(diff.json.patch).toContain("+Puis vérifier les journaux.");
  });

  it("a project's article reaches its Paris member and nobody else; its Update follows", async () => {
    const [lead, zoe] = await Promise.all([lyon.createUser("lead"), paris.createUser("zoe")]);
    const group = (await call(lyon, lead.token, "POST", "/api/ruche/v1/groups", { name: "bascule", display_name: "Bascule", kind: "project" })).json;
    const paulOnLyon = (await call(lyon, lead.token, "GET", `/api/v2/search?q=${encodeURIComponent(`@paul@${paris.host}`)}&resolve=true`)).json.accounts[0];
    await call(lyon, lead.token, "POST", `/api/ruche/v1/groups/${group.id}/invitations`, { account_id: paulOnLyon.id });
    const invitation = await eventually(async () => (await call(paris, paul, "GET", "/api/ruche/v1/groups/invitations")).json.find((i: any) => i.group.url === group.url), 30_000, "the invitation on Paris");
    await call(paris, paul, "POST", `/api/ruche/v1/groups/invitations/${invitation.id}/accept`);
    await eventually(async () => (await call(lyon, lead.token, "GET", `/api/ruche/v1/groups/${group.id}/members`)).json.length === 2, 30_000, "Paul a member on Lyon");
    await eventually(async () => {
      const [rel] = (await call(paris, paul, "GET", `/api/v1/accounts/relationships?id[]=${invitation.group.id}`)).json;
      return rel?.following;
    }, 30_000, "the group's Accept on Paris");

    const created = await call(lyon, lead.token, "POST", "/api/ruche/v1/articles", {
      title: "Plan de bascule", body: "Il faut **déployer** le nouveau SI de Lyon un samedi.", group_id: group.id,
    });
    expect(created.status).toBe(200);
    const iri = `${lyon.origin}/ap/article/${created.json.id}`;
    const copy = await eventually(() => parisCopy(iri), 30_000, "the project's article on Paris");
    expect(copy.visibility).toBe("group");
    const found = await call(paris, paul, "GET", "/api/ruche/v1/search?q=deploiements%20bascule");
    expect(found.json.results.map((r: any) => `${r.kind}:${r.id}`)).toContain(`article:${copy.id}`);
    // A Paris colleague outside the project finds nothing and cannot open it.
    expect((await call(paris, zoe.token, "GET", "/api/ruche/v1/search?q=deploiements%20bascule")).json.results.filter((r: any) => r.kind !== "profile")).toEqual([]);
    expect((await call(paris, zoe.token, "GET", `/api/ruche/v1/articles/${copy.id}`)).status).toBe(404);

    await call(lyon, lead.token, "PUT", `/api/ruche/v1/articles/${created.json.id}`, { body: "Il faut **déployer** le nouveau SI un dimanche.", base_revision_id: created.json.revision_id });
    await eventually(async () => ((await parisCopy(iri))?.revisions === 2 ? true : null), 30_000, "the project's Update on Paris");
    expect((await parisCopy(iri))?.source).toContain("dimanche");
  });

  it("refuses a hostile sibling's Update of Lyon's article and an article in someone else's name; sanitises its own", async () => {
    const created = await call(lyon, lea, "POST", "/api/ruche/v1/articles", { title: "Sauvegardes", body: "Chaque nuit.", visibility: "internal" });
    const iri = `${lyon.origin}/ap/article/${created.json.id}`;
    await eventually(() => parisCopy(iri), 30_000, "Lyon's article on Paris");
    const send = async (body: Record<string, unknown>) => {
      const reply = await deliver(await signedPost(mallory, `${paris.origin}/inbox`, activity(body)));
      expect(reply.status).toBeLessThan(300);
      await inboxSettled(paris.db.sql);
    };
    const internal = `${peer.origin}/ap/audiences/internal`;
    const forged = { id: iri, type: "Article", attributedTo: `${lyon.origin}/users/lea`, name: "Sauvegardes", content: "<p>Jamais.</p>", to: [internal] };
    await send({ id: newId(mallory.iri), type: "Update", actor: mallory.iri, object: forged });
    expect((await parisCopy(iri))?.content_html).toContain("Chaque nuit.");

    const impostor = { id: `${peer.origin}/articles/${crypto.randomUUID()}`, type: "Article", attributedTo: `${lyon.origin}/users/lea`, name: "Faux", content: "<p>x</p>", to: [internal] };
    await send({ id: newId(mallory.iri), type: "Create", actor: mallory.iri, object: impostor });
    expect(await parisCopy(impostor.id)).toBeUndefined();

    const own = {
      id: `${peer.origin}/articles/${crypto.randomUUID()}`, type: "Article", attributedTo: mallory.iri, name: "Astuces",
      content: '<p>ok<script>alert(1)</script><img src=x onerror=alert(1)></p>',
      to: [internal],
    };
    await send({ id: newId(mallory.iri), type: "Create", actor: mallory.iri, object: own });
    const stored = await parisCopy(own.id);
    expect(stored).toMatchObject({ title: "Astuces", visibility: "internal" });
    expect(stored!.content_html).not.toMatch(/<script|<img|onerror/);
  });
});
