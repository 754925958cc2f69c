// Engagement analytics (issue #16 point 2) on a real database: weekly cells from real activity, no row under
// 5 people, small departments combined (with the smallest shown one when they are fewer than 5 together), a
// 3-person cohort refused, opt-out and retention, and what siblings publish and accept.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/db.ts";
import { createLocalUser, type LocalUser } from "../accounts/accounts.ts";
import { createPost } from "../posts/posts.ts";
import { DomainError } from "../errors.ts";
import { publishedAggregates, storeSiblingAggregates } from "./exchange.ts";
import { personalFigures, recordVisit, setAnalyticsOptOut } from "./personal.ts";
import { analyticsReport, type ReportQuery } from "./report.ts";
import { rollupRecent, weekOf } from "./rollup.ts";

const ORIGIN = "https://paris.example";
const LYON = "https://lyon.example";

describe("engagement analytics", () => {
  let db: TestDatabase;
  const people: Record<string, LocalUser[]> = {};
  const now = () => Date.now();
  const week = () => weekOf(now());
  const query = (q: Partial<ReportQuery> = {}): ReportQuery => ({ scope: "instance", groupBy: "none", week: week(), weeks: 4, ...q });

  beforeAll(async () => {
    db = await createTestDatabase();
    // Finance 12 (5 of them managers: each has a report), Ventes 6, Juridique 3, Achats 1.
    const sizes: Record<string, number> = { Finance: 12, Ventes: 6, Juridique: 3, Achats: 1 };
    for (const [dept, n] of Object.entries(sizes)) {
      people[dept] = [];
      for (let i = 0; i < n; i++) {
        const u = await createLocalUser(db.sql, ORIGIN, { username: `${dept.toLowerCase()}${i}`, deferKeys: true });
        await db.sql`INSERT INTO profiles (account_id, department, site) VALUES (${u.account.id}, ${dept}, 'Paris')
          ON CONFLICT (account_id) DO UPDATE SET department = EXCLUDED.department, site = EXCLUDED.site`;
        people[dept].push(u);
      }
    }
    const finance = people.Finance;
    for (let i = 0; i < 5; i++) {
      await db.sql`UPDATE profiles SET manager_iri = ${finance[i].account.iri} WHERE account_id = ${finance[i + 5].account.id}`;
    }
    // This week: 3 Finance people post (two of them managers), 4 more only read; one Ventes person posts.
    for (const u of [finance[0], finance[1], finance[6]]) await createPost(db.sql, ORIGIN, u.account.id, { text: "Bonjour", visibility: "internal" });
    await createPost(db.sql, ORIGIN, finance[0].account.id, { text: "Encore", visibility: "internal" });
    await createPost(db.sql, ORIGIN, people.Ventes[0].account.id, { text: "Hello", visibility: "internal" });
    // A direct message is no contribution to the network's public life.
    await createPost(db.sql, ORIGIN, people.Ventes[1].account.id, { text: "@finance0 psst", visibility: "direct" });
    for (const u of [finance[2], finance[3], finance[7], finance[8], finance[0]]) await recordVisit(db.sql, u.account.id);
    await rollupRecent(db.sql, { now: now(), retentionDays: 395 });
  });
  afterAll(async () => db?.drop());

  it("counts contributors and readers per department, never showing a row under 5 people", async () => {
    const r = await analyticsReport(db.sql, query({ groupBy: "department" }));
    expect(r.totals.people).toBe(22);
    expect(r.totals.posts).toBe(5); // the direct message is not counted
    expect(r.totals.contributors).toBe(4);
    // Juridique (3) and Achats (1) make 4, too few: Ventes (6), the smallest shown, joins them.
    expect(r.rows.map((x) => x.key)).toEqual(["Finance"]);
    expect(r.other!.people).toBe(10);
    const finance = r.rows[0].figures;
    expect(finance).toMatchObject({ people: 12, contributors: 3, active: 7, readers: 4, posts: 4, managers: 5, managersActive: 4 });
    for (const row of [...r.rows.map((x) => x.figures), r.other!, r.totals]) expect(row.people).toBeGreaterThanOrEqual(5);
  });

  it("refuses a 3-person cohort, and a department nobody belongs to, with the same answer", async () => {
    for (const department of ["Juridique", "juridique", "Nowhere"]) {
      const error = await analyticsReport(db.sql, query({ department })).catch((e) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: "cohort_too_small", status: 422 });
    }
    const ok = await analyticsReport(db.sql, query({ department: "finance" }));
    expect(ok.totals.people).toBe(12);
  });

  it("shows the managers' share only where there are 5 managers or more", async () => {
    const r = await analyticsReport(db.sql, query({ groupBy: "manager" }));
    const managers = r.rows.find((x) => x.key === "managers")!;
    expect(managers.figures).toMatchObject({ people: 5, active: 4, managers: 5, managersActive: 4 });
    const ventesOnly = await analyticsReport(db.sql, query({ department: "Ventes" }));
    expect(ventesOnly.totals.managers).toBeNull();
  });

  it("publishes to siblings only figures of 5 people or more, and accepts only such figures from them", async () => {
    const doc = await publishedAggregates(db.sql, { origin: ORIGIN, now: now() });
    const peopleCounts: number[] = [];
    JSON.stringify(doc, (k, v) => (k === "people" && peopleCounts.push(v), v));
    expect(peopleCounts.length).toBeGreaterThan(0);
    expect(Math.min(...peopleCounts)).toBeGreaterThanOrEqual(5);
    expect(JSON.stringify(doc)).not.toContain("Juridique");

    await db.sql`INSERT INTO siblings (origin) VALUES (${LYON}) ON CONFLICT DO NOTHING`;
    const lyon = structuredClone(doc);
    lyon.origin = LYON;
    await expect(storeSiblingAggregates(db.sql, "https://evil.example", lyon)).rejects.toThrow(/claim/);
    const small = structuredClone(lyon);
    small.weeks[0].total.people = 3;
    await expect(storeSiblingAggregates(db.sql, LYON, small)).rejects.toThrow();
    const [{ n }] = await db.sql`SELECT count(*)::int AS n FROM analytics_sibling_weekly`;
    expect(n).toBe(0);

    expect(await storeSiblingAggregates(db.sql, LYON, lyon)).toBe(doc.weeks.length);
    const group = await analyticsReport(db.sql, query({ scope: "group", groupBy: "instance" }));
    expect(group.totals.people).toBe(44);
    expect(group.rows.map((x) => x.key).sort()).toEqual(["", LYON]);
    const byDept = await analyticsReport(db.sql, query({ scope: "group", groupBy: "department" }));
    expect(byDept.rows).toEqual([{ key: "Finance", figures: expect.objectContaining({ people: 24, managers: 10 }) }]);
    expect(byDept.other!.people).toBe(20);
    await expect(analyticsReport(db.sql, query({ scope: "group", groupBy: "site" }))).rejects.toMatchObject({ code: "unsupported_grouping" });
  });

  it("a person sees their own figures, and opting out erases their days and leaves them out", async () => {
    const me = people.Finance[0];
    const mine = await personalFigures(db.sql, me.account.id, { now: now(), weeks: 12 });
    expect(mine.weeks).toHaveLength(12);
    expect(mine.weeks.at(-1)).toMatchObject({ week: week(), posts: 2, daysActive: 1 });

    await setAnalyticsOptOut(db.sql, me.account.id, true);
    const [{ n }] = await db.sql`SELECT count(*)::int AS n FROM analytics_visits WHERE account_id = ${me.account.id}`;
    expect(n).toBe(0);
    await recordVisit(db.sql, me.account.id);
    expect((await personalFigures(db.sql, me.account.id, { now: now(), weeks: 1 })).weeks[0].daysActive).toBe(0);
    await rollupRecent(db.sql, { now: now(), retentionDays: 395 });
    const r = await analyticsReport(db.sql, query());
    expect(r.totals).toMatchObject({ people: 21, posts: 3 });
    await setAnalyticsOptOut(db.sql, me.account.id, false);
  });

  it("erases raw days older than the retention period and keeps the weekly figures", async () => {
    const someone = people.Ventes[2];
    await db.sql`INSERT INTO analytics_visits (day, account_id) VALUES (current_date - 400, ${someone.account.id}), (current_date - 10, ${someone.account.id})`;
    const [{ before }] = await db.sql`SELECT count(*)::int AS before FROM analytics_weekly`;
    await rollupRecent(db.sql, { now: now(), retentionDays: 395 });
    const days = await db.sql`SELECT (current_date - day)::int AS age FROM analytics_visits WHERE account_id = ${someone.account.id}`;
    expect(days.map((d) => d.age)).toEqual([10]);
    const [{ after }] = await db.sql`SELECT count(*)::int AS after FROM analytics_weekly`;
    expect(after).toBeGreaterThanOrEqual(before);
  });
});
