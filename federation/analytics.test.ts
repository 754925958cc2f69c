// Engagement analytics between two real sibling instances over HTTPS, signatures on (issue #16 point 2): Lyon
// serves its aggregates only to a request signed by a sibling, Paris's hourly job pulls them, and Paris's HR
// dashboard (the API an administrator's app uses) shows contributors and managers for Paris and for the group with
// Lyon's figures; a 3-person cohort is refused with error_code "cohort_too_small"; nobody but an administrator reads it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, signedFetchStatus, startSiblings, startTestInstance, type TestInstance } from "../test/instance.ts";
import { createApiToken } from "../server/domain/accounts/tokens.ts";
import { createPost } from "../server/domain/posts/posts.ts";
import { recordVisit } from "../server/domain/analytics/personal.ts";
import { runAnalyticsJob } from "./analytics-exchange.ts";

async function populate(inst: TestInstance, sizes: Record<string, number>, managersOf: string, posters: number) {
  const made = [];
  for (const [dept, n] of Object.entries(sizes)) {
    for (let i = 0; i < n; i++) {
      const u = await inst.createUser(`${dept.toLowerCase()}${i}`);
      await inst.db.sql`INSERT INTO profiles (account_id, department) VALUES (${u.account.id}, ${dept})
        ON CONFLICT (account_id) DO UPDATE SET department = EXCLUDED.department`;
      made.push({ dept, u });
    }
  }
  const managed = made.filter((m) => m.dept === managersOf);
  // The first five of that department manage the next five.
  for (let i = 0; i < 5; i++) await inst.db.sql`UPDATE profiles SET manager_iri = ${managed[i].u.account.iri} WHERE account_id = ${managed[i + 5].u.account.id}`;
  for (let i = 0; i < posters; i++) await createPost(inst.db.sql, inst.origin, made[i].u.account.id, { text: `Note ${i}`, visibility: "internal" });
  for (const m of made.slice(posters, posters + 3)) await recordVisit(inst.db.sql, m.u.account.id);
  return made;
}

describe("engagement analytics across siblings", { timeout: 120_000 }, () => {
  let paris: TestInstance, lyon: TestInstance, outsider: TestInstance;
  let hr: string, employee: string;
  const get = async (inst: TestInstance, path: string, token?: string) => {
    const res = await fetch(`${inst.url}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    return { status: res.status, json: (await res.json().catch(() => null)) as any };
  };

  beforeAll(async () => {
    [paris, lyon] = await startSiblings("Paris", "Lyon");
    outsider = await startTestInstance({ name: "Ailleurs" });
    await populate(paris, { Finance: 10, Ventes: 3 }, "Finance", 4);
    await populate(lyon, { Usine: 12, Qualite: 6 }, "Usine", 7);
    const admin = await paris.createUser("rh", { admin: true });
    hr = await createApiToken(paris.db.sql, admin.account.id, ["read", "admin:read"]);
    employee = (await paris.createUser("salarie")).token;
  });
  afterAll(async () => {
    await Promise.all([paris?.close(), lyon?.close(), outsider?.close()]);
  });

  it("Lyon's aggregates go only to a signed sibling request", async () => {
    const url = `${lyon.origin}/ap/analytics`;
    expect((await get(lyon, "/ap/analytics")).status).toBe(401);
    expect(await signedFetchStatus(outsider, url)).toBe(403);
    expect(await signedFetchStatus(paris, url)).toBe(200);
  });

  it("Paris's dashboard shows Paris and the group with Lyon's figures, and refuses a 3-person cohort", async () => {
    await runAnalyticsJob(lyon.instance.context());
    await runAnalyticsJob(paris.instance.context());
    // One next run is queued, later (the worker's first run, or the one the job queued an hour on), never a pile.
    const next = await paris.db.sql`SELECT start_after > now() AS later FROM pgboss.job_common WHERE name = 'analytics' AND state = 'created'`;
    expect(next).toEqual([{ later: true }]);

    const local = await get(paris, "/api/ruche/v1/admin/analytics?group_by=department", hr);
    expect(local.status).toBe(200);
    // Paris: 13 people + the two accounts of this test; Ventes (3) and the 2 without a department are combined as "other".
    expect(local.json.totals).toMatchObject({ people: 15, contributors: 4, managers: 5 });
    expect(local.json.rows).toEqual([expect.objectContaining({ department: "Finance", people: 10, managers: 5, managers_active_share: expect.any(Number) })]);
    expect(local.json.other.people).toBe(5);
    for (const row of local.json.rows) expect(row.people).toBeGreaterThanOrEqual(5);

    const group = await get(paris, "/api/ruche/v1/admin/analytics?scope=group&group_by=instance", hr);
    expect(group.status).toBe(200);
    expect(group.json.totals.people).toBe(15 + 18);
    expect(group.json.totals.contributors).toBe(4 + 7);
    expect(group.json.totals.managers).toBe(10);
    const lyonRow = group.json.rows.find((r: any) => r.instance === lyon.origin);
    expect(lyonRow).toMatchObject({ people: 18, contributors: 7 });
    expect(group.json.instances.map((i: any) => i.origin)).toEqual([null, lyon.origin]);

    const cohort = await get(paris, "/api/ruche/v1/admin/analytics?department=Ventes", hr);
    expect(cohort.status).toBe(422);
    expect(cohort.json.error_code).toBe("cohort_too_small");
    const bad = await get(paris, "/api/ruche/v1/admin/analytics?week=2026-12-02", hr);
    expect(bad.status).toBe(422);
    expect(bad.json.error_code).toBe("invalid_parameter");

    expect((await get(paris, "/api/ruche/v1/admin/analytics", employee)).status).toBe(403);
  });

  it("a Lyon sibling that is down keeps its last figures and does not stop Paris's job", async () => {
    lyon.setReachable(false);
    try {
      await runAnalyticsJob(paris.instance.context());
    } finally {
      lyon.setReachable(true);
    }
    const group = await eventually(async () => {
      const r = await get(paris, "/api/ruche/v1/admin/analytics?scope=group", hr);
      return r.status === 200 ? r : null;
    });
    expect(group.json.totals.people).toBe(33);
  });
});
