// Who reads which profile field, on every read path (issue #8 points 1, 26 and 27): the profile page, the Mastodon
// API (account lookup, the instance's contact account), /api/ruche/v1/profiles (one profile, search, filters), and
// the actor document. Paris federates openly, so signed-out visitors and token-less API calls are served; Lyon is
// its sibling. One rule decides (server/domain/profiles/profile-visibility.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, startTestInstance, type TestInstance } from "../test/instance.ts";
import { AP_JSON } from "../test/hostile-peer.ts";
import { updateProfile } from "../server/domain/accounts/accounts.ts";
import { createSession } from "../server/domain/accounts/tokens.ts";
import { updateLocalProfile } from "../server/domain/profiles/profiles.ts";

describe("profile fields are read by the audience they were given to", () => {
  let paris: TestInstance, lyon: TestInstance;
  let employee: { token: string; cookie: string };
  beforeAll(async () => {
    [paris, lyon] = await Promise.all([startTestInstance({ name: "Paris", federation: "open" }), startTestInstance({ name: "Lyon" })]);
    await paris.addSibling(lyon.origin);
    await lyon.addSibling(paris.origin);
    const denis = await paris.createUser("denis");
    employee = { token: denis.token, cookie: `ruche_session=${(await createSession(paris.db.sql, denis.account.id)).cookie}` };
  });
  afterAll(async () => {
    await Promise.all([paris?.close(), lyon?.close()]);
  });

  const page = async (path: string, cookie?: string) => {
    const res = await fetch(`${paris.origin}${path}`, { headers: { Accept: "text/html", ...(cookie ? { Cookie: cookie } : {}) } });
    expect(res.status).toBe(200);
    return await res.text();
  };
  const api = async (path: string, token?: string) => {
    const res = await fetch(`${paris.origin}${path}`, token ? { headers: { Authorization: `Bearer ${token}` } } : {});
    expect(res.status).toBe(200);
    return await res.json() as any;
  };

  it("point 1: a signed-out visitor reads only the public fields of a local profile, the bio included, on every path", async () => {
    const claire = await paris.createUser("claire", { displayName: "Claire Dubois", admin: true });
    const marc = await paris.createUser("marc", { displayName: "Marc Girard" });
    await updateProfile(paris.db.sql, claire.account.id, { bio: "Présentation de Claire, pour les collègues" });
    await updateLocalProfile(paris.db.sql, claire.account.id, {
      department: "Direction juridique", site: "Paris La Défense", expertise: ["fusions"], manager: marc.account.iri,
      visibility: { site: "public" },
    });
    const hidden = ["Présentation de Claire", "Direction juridique", "fusions"];

    const anonymous = [
      await page("/@claire"),
      JSON.stringify(await api("/api/v1/accounts/lookup?acct=claire")),
      JSON.stringify((await api("/api/v1/instance")).contact_account),
      JSON.stringify((await api("/api/v2/instance")).contact.account),
      JSON.stringify(await api(`/api/ruche/v1/profiles/${claire.account.id}`)),
      await (await fetch(`${paris.origin}/users/claire`, { headers: { Accept: AP_JSON } })).text(),
    ];
    for (const text of anonymous) {
      for (const h of hidden) expect(text).not.toContain(h);
      expect(text).toContain("Paris La D"); // the public site is there (é may be escaped)
    }
    // Who manages whom is internal too: the org chart gives the public no link Claire kept internal.
    const chart = (id: string, token?: string) => api(`/api/ruche/v1/profiles/${id}/org_chart`, token);
    expect(await chart(claire.account.id)).toEqual({ managers: [], reports: [] });
    expect((await chart(marc.account.id)).reports).toEqual([]);
    expect((await chart(claire.account.id, employee.token)).managers.map((e: any) => e.account.username)).toEqual(["marc"]);
    expect((await chart(marc.account.id, employee.token)).reports.map((e: any) => e.account.username)).toEqual(["claire"]);
    // Employees read everything, on the page and through the API.
    for (const text of [await page("/@claire", employee.cookie), JSON.stringify(await api("/api/v1/accounts/lookup?acct=claire", employee.token))]) {
      for (const h of hidden) expect(text).toContain(h);
    }
    // Made public, the bio reaches signed-out visitors too.
    await updateLocalProfile(paris.db.sql, claire.account.id, { visibility: { site: "public", bio: "public" } });
    expect(await page("/@claire")).toContain("Présentation de Claire");
    expect((await api("/api/v1/accounts/lookup?acct=claire")).note).toContain("Présentation de Claire");
  });

  it("point 26: a sibling's internal bio, fetched with a signed request, is shown to employees only", async () => {
    const bruno = await lyon.createUser("bruno", { displayName: "Bruno Lambert" });
    await updateProfile(lyon.db.sql, bruno.account.id, { bio: "Présentation interne de Bruno" });
    await updateLocalProfile(lyon.db.sql, bruno.account.id, { department: "Achats Lyon" });
    // Lyon's Update makes Paris refetch Bruno with a signed request: the internal profile, stored as internal.
    const iri = `${lyon.origin}/users/bruno`;
    await eventually(async () => {
      const [row] = await paris.db.sql`SELECT a.bio_html, a.bio_audience, p.department FROM accounts a JOIN profiles p ON p.account_id = a.id
        WHERE a.iri = ${iri}`;
      return row?.department === "Achats Lyon" && String(row.bio_html).includes("Présentation interne de Bruno") && row.bio_audience === "internal";
    }, 15_000, "Bruno's internal profile on Paris");

    const handle = `bruno@${lyon.host}`;
    const anonymousPage = await page(`/@${handle}`);
    expect(anonymousPage).toContain("Bruno Lambert");
    const anonymousApi = await api(`/api/v1/accounts/lookup?acct=${handle}`);
    expect(anonymousApi.note).toBe("");
    for (const text of [anonymousPage, JSON.stringify(anonymousApi)]) {
      expect(text).not.toContain("Présentation interne de Bruno");
      expect(text).not.toContain("Achats Lyon");
    }
    expect(await page(`/@${handle}`, employee.cookie)).toContain("Présentation interne de Bruno");
    expect((await api(`/api/v1/accounts/lookup?acct=${handle}`, employee.token)).note).toContain("Présentation interne de Bruno");
  });

  it("point 27: the directory offers, filters and searches signed-out callers on public fields only", async () => {
    const values = (facets: any) => [...facets.departments, ...facets.sites, ...facets.expertise].map((f: any) => f.value);
    const open = values(await api("/api/ruche/v1/profiles/facets"));
    expect(open).toContain("Paris La Défense");
    for (const v of ["Direction juridique", "fusions", "Achats Lyon"]) expect(open).not.toContain(v);
    expect(values(await api("/api/ruche/v1/profiles/facets", employee.token))).toEqual(
      expect.arrayContaining(["Paris La Défense", "Direction juridique", "fusions", "Achats Lyon"]));

    const who = async (query: string, token?: string) =>
      (await api(`/api/ruche/v1/profiles/search?${query}`, token)).map((e: any) => e.account.username);
    // Filtering or searching on a hidden value finds no one: no oracle.
    for (const q of ["department=Direction%20juridique", "expertise=fusions", "knows=fusions", "q=juridique", "q=fusions", "q=rh%20fusions",
      "department=Achats%20Lyon", "q=achats"]) {
      expect(await who(q), q).toEqual([]);
    }
    // Public values and names still find people.
    expect(await who("site=Paris%20La%20D%C3%A9fense")).toEqual(["claire"]);
    expect(await who("q=claire")).toEqual(["claire"]);
    expect(await who("q=la%20defense")).toEqual(["claire"]);
    // Employees find by every field.
    expect(await who("department=Direction%20juridique", employee.token)).toEqual(["claire"]);
    expect(await who("knows=fusions", employee.token)).toEqual(["claire"]);
    expect(await who("q=achats", employee.token)).toEqual(["bruno"]);
  });
});
