// Group-wide search on a real instance (issue #14 point 4): French and English stems with accents ignored, exact
// title first, highlighted and escaped snippets, filters, the statuses half of /api/v2/search, pathological
// queries, and the read path — a result never shows what the reader cannot read (a project's article and post to
// a non-member, anything to an anonymous outsider).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestInstance, type TestInstance } from "../../../test/instance.ts";
import { search } from "../../domain/search/search.ts";
import { ANONYMOUS, localViewer } from "../../domain/audience/visibility.ts";

describe("group-wide search", () => {
  let paris: TestInstance;
  let alice: string, bob: string, carol: string;
  let aliceId: string, carolId: string;
  const call = async (token: string | null, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${paris.url}${path}`, {
      method, headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: await res.json().catch(() => null) as any };
  };
  const find = async (token: string | null, q: string, extra = "") =>
    await call(token, "GET", `/api/ruche/v1/search?q=${encodeURIComponent(q)}${extra}`);

  let projectArticle: string, projectPost: string, article: string, post: string;
  beforeAll(async () => {
    paris = await startTestInstance({ name: "Paris" });
    const users = await Promise.all(["alice", "bob", "carol"].map((u) => paris.createUser(u)));
    [alice, bob, carol] = users.map((u) => u.token);
    [aliceId, , carolId] = users.map((u) => u.account.id);
    const g = await call(alice, "POST", "/api/ruche/v1/groups", { name: "hermes", kind: "project" });
    const inv = await call(alice, "POST", `/api/ruche/v1/groups/${g.json.id}/invitations`, { account_id: users[1].account.id });
    await call(bob, "POST", `/api/ruche/v1/groups/invitations/${inv.json.id}/accept`);

    article = (await call(alice, "POST", "/api/ruche/v1/articles", {
      title: "Guide de déploiement", body: "Pour déployer le service <b>paie</b>, lancer la chaîne.", tags: ["ops"],
    })).json.id;
    await call(carol, "POST", "/api/ruche/v1/articles", { title: "Notes", body: "On parle de déploiement ici aussi, longuement, déploiement." });
    await call(carol, "POST", "/api/ruche/v1/articles", { title: "Deploying on Fridays", body: "We deployed the payroll service." });
    projectArticle = (await call(alice, "POST", "/api/ruche/v1/articles", { title: "Déploiement secret Hermès", body: "Plan de déploiement confidentiel.", group_id: g.json.id })).json.id;
    post = (await call(alice, "POST", "/api/v1/statuses", { status: "Les déploiements de vendredi sont annulés", visibility: "internal" })).json.id;
    projectPost = (await call(alice, "POST", "/api/v1/statuses", { status: "Déploiement Hermès prévu lundi", ruche_group_id: g.json.id, visibility: "group" })).json.id;
    expect(projectPost).toBeTruthy();
  });
  afterAll(async () => {
    await paris?.close();
  });

  it("finds déployer by searching deploiements: another inflection, no accents; the exact title first", async () => {
    const r = await find(bob, "deploiements");
    expect(r.status).toBe(200);
    const ids = r.json.results.map((x: any) => `${x.kind}:${x.id}`);
    expect(ids).toContain(`article:${article}`);
    expect(ids).toContain(`post:${post}`);
    const guide = r.json.results.find((x: any) => x.id === article && x.kind === "article");
    expect(guide).toEqual({ kind: "article", id: article, url: `${paris.origin}/knowledge/articles/${article}`, title: "Guide de déploiement", snippet: expect.stringContaining("<mark>") });
    // The body's "<b>" never becomes markup in the snippet (ts_headline drops tag-like words; the rest is escaped).
    expect(guide.snippet).not.toContain("<b>");

    const exact = await find(bob, "guide de deploiement");
    expect(exact.json.results[0]).toMatchObject({ kind: "article", id: article });
    // English stems: "deploy" finds "Deploying" and "deployed".
    const en = await find(bob, "deploy", "&kind=article");
    expect(en.json.results.map((x: any) => x.title)).toContain("Deploying on Fridays");
    // A prefix.
    expect((await find(bob, "payr*", "&kind=article")).json.results.map((x: any) => x.title)).toEqual(["Deploying on Fridays"]);
  });

  it("applies filters: kind, author, tag, date", async () => {
    expect((await find(bob, "deploiement", "&kind=post")).json.results.every((x: any) => x.kind === "post")).toBe(true);
    const byCarol = await find(bob, "deploiement", `&author=${carolId}`);
    expect(byCarol.json.results.map((x: any) => x.title)).toEqual(["Notes"]);
    expect((await find(bob, "deploiement", "&tag=ops")).json.results.map((x: any) => x.id)).toEqual([article]);
    expect((await find(bob, "deploiement", "&until=2000-01-01")).json.results).toEqual([]);
    expect((await find(bob, "deploiement", `&author=${aliceId}&kind=article`)).json.results.map((x: any) => x.id)).toContain(projectArticle);
  });

  it("never shows a project's article or post to a non-member, nor anything internal to an outsider", async () => {
    const member = (await find(bob, "hermes")).json.results.map((x: any) => `${x.kind}:${x.id}`);
    expect(member).toEqual(expect.arrayContaining([`article:${projectArticle}`, `post:${projectPost}`]));
    const nonMember = await find(carol, "hermes");
    expect(nonMember.status).toBe(200);
    expect(nonMember.json.results.filter((x: any) => x.kind !== "profile")).toEqual([]);
    // Anonymous: no token, no search; and the domain itself, asked as an outsider, finds nothing internal.
    expect((await find(null, "deploiements")).status).toBe(401);
    expect((await search(paris.db.sql, ANONYMOUS, "deploiements")).results).toEqual([]);
    expect((await search(paris.db.sql, localViewer(carolId), "confidentiel")).results).toEqual([]);
    // Mastodon's search as well.
    const statuses = await call(carol, "GET", `/api/v2/search?type=statuses&q=hermes`);
    expect(statuses.json.statuses).toEqual([]);
    const bobStatuses = await call(bob, "GET", `/api/v2/search?type=statuses&q=hermes`);
    expect(bobStatuses.json.statuses.map((s: any) => s.id)).toEqual([projectPost]);
  });

  it("backs /api/v2/search statuses with the text search: q, account_id, min_id/max_id, offset", async () => {
    const more = [];
    for (const n of [1, 2, 3]) more.push((await call(carol, "POST", "/api/v1/statuses", { status: `Réunion numéro ${n} sur les déploiements`, visibility: "public" })).json.id);
    const all = await call(bob, "GET", `/api/v2/search?type=statuses&q=deploiement`);
    // Bob is in the project: its post is his to find too.
    expect(all.json.statuses.map((s: any) => s.id)).toEqual([...more].reverse().concat([projectPost, post]));
    const carols = await call(bob, "GET", `/api/v2/search?type=statuses&q=deploiement&account_id=${carolId}`);
    expect(carols.json.statuses.map((s: any) => s.id)).toEqual([...more].reverse());
    const older = await call(bob, "GET", `/api/v2/search?type=statuses&q=deploiement&max_id=${more[1]}`);
    expect(older.json.statuses.map((s: any) => s.id)).toEqual([more[0], projectPost, post]);
    const newer = await call(bob, "GET", `/api/v2/search?type=statuses&q=deploiement&min_id=${more[0]}&limit=1`);
    expect(newer.json.statuses.map((s: any) => s.id)).toEqual([more[1]]);
    const page2 = await call(bob, "GET", `/api/v2/search?type=statuses&q=deploiement&offset=1&limit=2`);
    expect(page2.json.statuses.map((s: any) => s.id)).toEqual([more[1], more[0]]);
  });

  it("answers pathological queries with no results or a clear error, and breaks nothing", async () => {
    for (const q of ["&&&", "\"unbalanced", "'; DROP TABLE posts; --", "!!!(((", "a & | ! <->", "%_\\", "*", "le la les"]) {
      const r = await find(bob, q);
      expect(r.status, q).toBe(200);
      expect(Array.isArray(r.json.results), q).toBe(true);
      const m = await call(bob, "GET", `/api/v2/search?type=statuses&q=${encodeURIComponent(q)}`);
      expect(m.status, q).toBe(200);
    }
    const long = await find(bob, "deploy ".repeat(200));
    expect(long).toMatchObject({ status: 422, json: { code: "query_too_long" } });
    expect((await find(bob, "a".repeat(10_000))).json.code).toBe("query_too_long");
    expect((await call(bob, "GET", `/api/v2/search?type=statuses&q=${"a".repeat(10_000)}`)).status).toBe(422);
    const [{ n }] = await paris.db.sql`SELECT count(*)::int AS n FROM posts`;
    expect(n).toBeGreaterThan(0);
  });
});
