// Knowledge-base articles through the API on a real instance (issue #14): write, edit, conflict with both versions,
// history, diff, restore, and the refusals (a 10 MB article, a revision of another article, an edit without
// rights, an article a non-member of its project cannot read), with their stable codes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestInstance, type TestInstance } from "../../../test/instance.ts";

describe("knowledge-base articles (API)", () => {
  let paris: TestInstance;
  let alice: string, bob: string, carol: string;
  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${paris.url}${path}`, {
      method, headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: res.status, json: await res.json().catch(() => null) as any };
  };
  /** A project group owned by `owner` with `members` accepted. */
  async function project(name: string, owner: string, members: string[]): Promise<string> {
    const g = await call(owner, "POST", "/api/ruche/v1/groups", { name, kind: "project" });
    expect(g.status).toBe(200);
    for (const m of members) {
      const me = await call(m, "GET", "/api/v1/accounts/verify_credentials");
      const inv = await call(owner, "POST", `/api/ruche/v1/groups/${g.json.id}/invitations`, { account_id: me.json.id });
      expect((await call(m, "POST", `/api/ruche/v1/groups/invitations/${inv.json.id}/accept`)).json.state).toBe("accepted");
    }
    return g.json.id;
  }

  beforeAll(async () => {
    paris = await startTestInstance({ name: "Paris" });
    [alice, bob, carol] = (await Promise.all(["alice", "bob", "carol"].map((u) => paris.createUser(u)))).map((u) => u.token);
  });
  afterAll(async () => {
    await paris?.close();
  });

  it("writes an article, edits it, shows its history and a diff, and restores the first revision", async () => {
    const created = await call(alice, "POST", "/api/ruche/v1/articles", {
      title: "Déployer sur Kubernetes", body: "## Étapes\n\nComment **déployer** le service.\n\nVoir [[Astreinte]].", tags: ["kubernetes", "#Ops"], visibility: "internal",
    });
    expect(created.status).toBe(200);
    expect(created.json).toEqual({ id: expect.any(String), url: `${paris.origin}/knowledge/articles/${created.json.id}`, revision_id: expect.any(String) });
    const id = created.json.id, first = created.json.revision_id;

    const shown = await call(bob, "GET", `/api/ruche/v1/articles/${id}`);
    expect(shown.json).toMatchObject({ title: "Déployer sur Kubernetes", tags: ["kubernetes", "ops"], revision_id: first, editable: true });
    expect(shown.json.content).toContain('<h2 id="h-etapes">Étapes</h2>');
    expect(shown.json.content).toContain('<a href="/knowledge/wiki/Astreinte"');
    expect(shown.json.toc).toEqual([{ level: 2, id: "h-etapes", text: "Étapes" }]);

    const edit = await call(bob, "PUT", `/api/ruche/v1/articles/${id}`, { body: "## Étapes\n\nComment **déployer** le service sans coupure.", base_revision_id: first, summary: "sans coupure" });
    expect(edit.status).toBe(200);
    expect(edit.json.revision_id).not.toBe(first);

    const revisions = await call(carol, "GET", `/api/ruche/v1/articles/${id}/revisions`);
    expect(revisions.json.map((r: any) => [r.id, r.author.username, r.summary])).toEqual([[edit.json.revision_id, "bob", "sans coupure"], [first, "alice", ""]]);

    const diff = await call(carol, "GET", `/api/ruche/v1/articles/${id}/diff?from=${first}&to=${edit.json.revision_id}`);
    expect(diff.json.patch).toContain("+Comment **déployer** le service sans coupure.");
    expect(diff.json.patch).toContain("-Comment **déployer** le service.");
    expect(diff.json.parts.some((p: any) => p.kind === "removed" && p.text.includes("[[Astreinte]]"))).toBe(true);

    const restored = await call(carol, "POST", `/api/ruche/v1/articles/${id}/revisions/${first}/restore`);
    expect(restored.status).toBe(200);
    const after = await call(alice, "GET", `/api/ruche/v1/articles/${id}`);
    expect(after.json).toMatchObject({ body: "## Étapes\n\nComment **déployer** le service.\n\nVoir [[Astreinte]].", revision_id: restored.json.revision_id });
  });

  it("answers 409 with both versions when the edit is based on an old revision, and saves nothing", async () => {
    const { json: { id, revision_id: base } } = await call(alice, "POST", "/api/ruche/v1/articles", { title: "Astreinte", body: "v1" });
    const [a, b] = await Promise.all([
      call(alice, "PUT", `/api/ruche/v1/articles/${id}`, { body: "alice's v2", base_revision_id: base, summary: "a" }),
      call(bob, "PUT", `/api/ruche/v1/articles/${id}`, { body: "bob's v2", base_revision_id: base, summary: "b" }),
    ]);
    // Two saves based on the same revision at once: the row lock lets exactly one through.
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const [won, lost, lostBody] = a.status === 200 ? [a, b, "bob's v2"] : [b, a, "alice's v2"];
    expect(lost.json).toMatchObject({
      code: "edit_conflict", latest: { revision_id: won.json.revision_id, body: won === a ? "alice's v2" : "bob's v2" }, yours: { base_revision_id: base, body: lostBody },
    });
    const revisions = await call(alice, "GET", `/api/ruche/v1/articles/${id}/revisions`);
    expect(revisions.json).toHaveLength(2);
    // A second, sequential stale save is refused as well.
    const stale = await call(carol, "PUT", `/api/ruche/v1/articles/${id}`, { body: "carol", base_revision_id: base });
    expect(stale).toMatchObject({ status: 409, json: { code: "edit_conflict" } });
  });

  it("refuses a 10 MB article, a revision of another article, script injection and pathological tags", async () => {
    const big = await call(alice, "POST", "/api/ruche/v1/articles", { title: "Gros", body: "x".repeat(10 * 1024 * 1024) });
    expect(big.status).toBe(413);
    expect(big.json.code).toBe("payload_too_large");
    const justOver = await call(alice, "POST", "/api/ruche/v1/articles", { title: "Gros", body: "é".repeat(600 * 1024) });
    expect(justOver).toMatchObject({ status: 413, json: { code: "article_too_large" } });

    const one = await call(alice, "POST", "/api/ruche/v1/articles", { title: "One", body: "one" });
    const two = await call(alice, "POST", "/api/ruche/v1/articles", { title: "Two", body: "two" });
    const graft = await call(alice, "PUT", `/api/ruche/v1/articles/${one.json.id}`, { body: "x", base_revision_id: two.json.revision_id });
    expect(graft).toMatchObject({ status: 422, json: { code: "revision_not_of_article" } });
    const restoreOther = await call(alice, "POST", `/api/ruche/v1/articles/${one.json.id}/revisions/${two.json.revision_id}/restore`);
    expect(restoreOther.status).toBe(422);

    const xss = await call(alice, "POST", "/api/ruche/v1/articles", {
      title: "<script>alert(1)</script>", body: "<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n<style>*{}</style>",
    });
    const page = await call(bob, "GET", `/api/ruche/v1/articles/${xss.json.id}`);
    // Raw HTML is shown as text; the javascript: link is no link.
    expect(page.json.content).not.toMatch(/<script|<img|<style|href="javascript:|<[^>]*onerror/i);
    expect(page.json.content).toContain("&lt;script&gt;");
    const badTag = await call(alice, "POST", "/api/ruche/v1/articles", { title: "T", body: "b", tags: ["a b;DROP"] });
    expect(badTag).toMatchObject({ status: 422 });
  });

  it("keeps a project's articles to its members: a non-member neither reads nor edits them", async () => {
    const group = await project("apollo", alice, [bob]);
    const art = await call(alice, "POST", "/api/ruche/v1/articles", { title: "Plan Apollo", body: "secret", group_id: group, visibility: "internal" });
    expect(art.status).toBe(200);
    expect((await call(bob, "GET", `/api/ruche/v1/articles/${art.json.id}`)).json).toMatchObject({ visibility: "group", group_id: group, editable: true });
    expect((await call(carol, "GET", `/api/ruche/v1/articles/${art.json.id}`)).status).toBe(404);
    expect((await call(carol, "GET", `/api/ruche/v1/articles/${art.json.id}/revisions`)).status).toBe(404);
    const edit = await call(carol, "PUT", `/api/ruche/v1/articles/${art.json.id}`, { body: "pwned", base_revision_id: art.json.revision_id });
    expect(edit.status).toBe(404);
    const [{ source }] = await paris.db.sql`SELECT source FROM articles WHERE id = ${art.json.id}`;
    expect(source).toBe("secret");
    // Writing in a project's space needs membership too.
    const intrude = await call(carol, "POST", "/api/ruche/v1/articles", { title: "x", body: "x", group_id: group });
    expect(intrude).toMatchObject({ status: 403, json: { code: "forbidden" } });
  });

  it("lists backlinks: pages whose [[links]] name this one", async () => {
    const target = await call(alice, "POST", "/api/ruche/v1/articles", { title: "Glossaire", body: "Les termes." });
    await call(bob, "POST", "/api/ruche/v1/articles", { title: "Accueil", body: "Lire le [[glossaire|Glossaire des termes]]." });
    const links = await call(carol, "GET", `/api/ruche/v1/articles/${target.json.id}/backlinks`);
    expect(links.json.map((l: any) => l.title)).toEqual(["Accueil"]);
  });
});
