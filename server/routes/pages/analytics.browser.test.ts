// The engagement pages in the browser (issue #16 point 2): an administrator reads the week's figures, the trend
// chart and the breakdown with the small departments combined, gets the CSV, and is refused a 3-person department
// with a sentence; an employee sees their own weeks and opts out, which erases their recorded days. Real HTTPS
// instance, real PostgreSQL, real Chromium, axe.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startTestInstance, type TestInstance } from "../../../test/instance.ts";
import { axeViolations, launchBrowser, logInPage, newContext, shot } from "../../../test/browser.ts";
import { createPost } from "../../domain/posts/posts.ts";
import { recordVisit } from "../../domain/analytics/personal.ts";
import { rollupRecent } from "../../domain/analytics/rollup.ts";

describe("engagement pages", () => {
  let paris: TestInstance, browser: Browser;
  beforeAll(async () => {
    [paris, browser] = await Promise.all([startTestInstance({ name: "Paris" }), launchBrowser()]);
    await paris.createUser("rh", { admin: true, password: "rh-password-1", displayName: "Rachel RH" });
    const sizes: Record<string, number> = { Finance: 8, Ventes: 5, Juridique: 3 };
    for (const [dept, n] of Object.entries(sizes)) {
      for (let i = 0; i < n; i++) {
        const u = await paris.createUser(`${dept.toLowerCase()}${i}`, { password: "employee-password-1" });
        await paris.db.sql`INSERT INTO profiles (account_id, department, site) VALUES (${u.account.id}, ${dept}, 'Paris')
          ON CONFLICT (account_id) DO UPDATE SET department = EXCLUDED.department, site = EXCLUDED.site`;
        if (i < 2) await createPost(paris.db.sql, paris.origin, u.account.id, { text: `Bonjour de ${dept}`, visibility: "internal" });
        if (i < 4) await recordVisit(paris.db.sql, u.account.id);
      }
    }
    await rollupRecent(paris.db.sql, { now: Date.now(), retentionDays: 395 });
  });
  afterAll(async () => {
    await browser?.close();
    await paris?.close();
  });

  it("shows an administrator the week, the trend and the breakdown, as CSV too, and refuses a 3-person department", async () => {
    const page = await (await newContext(browser, "fr-FR")).newPage();
    await logInPage(page, paris.origin, "rh", "rh-password-1");
    await page.goto(`${paris.origin}/admin`);
    await page.getByRole("link", { name: "Participation" }).first().click();
    await page.getByRole("heading", { name: "Participation", level: 1 }).waitFor();
    // 16 employees and the administrator; 6 posted (2 per department), 12 came this week (+ the administrator now).
    const card = (label: string) => page.locator(".stat-card", { has: page.locator("dt", { hasText: new RegExp(`^${label}$`) }) }).locator(".stat-value");
    expect(await card("Personnes").textContent()).toBe("17");
    expect(await card("Contributeurs").textContent()).toBe("6");
    expect(await card("Messages").textContent()).toBe("6");
    expect(await page.locator(".trend-chart svg polyline, .trend-chart svg circle").count()).toBeGreaterThan(0);

    await page.getByLabel("Répartition").selectOption("department");
    await page.getByRole("button", { name: "Afficher" }).click();
    const table = page.getByRole("region", { name: "Tableau\u00a0: Répartition" });
    await table.waitFor();
    // Juridique (3) and the administrator without a department (1) are too few together: Ventes (5) joins them.
    expect(await table.locator("tbody th").allTextContents()).toEqual(["Finance", "Autres services (regroupés)"]);
    expect(await table.locator("tbody tr").nth(1).locator("td").first().textContent()).toBe("9");
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "analytics-admin-fr");

    const csv = await page.request.get(`${paris.origin}/admin/analytics.csv?group_by=department`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    const lines = (await csv.text()).trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^department,week,people,active,contributors/);
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(["Finance", "Autres services (regroupés)", "Total"]);
    expect(lines.some((l) => l.startsWith("Juridique"))).toBe(false);

    await page.getByLabel("Seulement ce service (facultatif)").fill("Juridique");
    await page.getByRole("button", { name: "Afficher" }).click();
    await page.getByRole("alert").getByText("Cette sélection compte moins de 5\u00a0personnes").waitFor();
    expect(await page.locator(".stat-card").count()).toBe(0);
    const refusedCsv = await page.request.get(`${paris.origin}/admin/analytics.csv?department=Juridique`);
    expect(refusedCsv.status()).toBe(422);
    expect(await axeViolations(page)).toEqual([]);
  }, 120_000);

  it("is refused to an employee, who sees their own weeks in English and opts out", async () => {
    const page = await (await newContext(browser, "en-US")).newPage();
    await logInPage(page, paris.origin, "finance0", "employee-password-1", true);
    const refused = await page.goto(`${paris.origin}/admin/analytics`);
    expect(refused?.status()).toBe(403);
    await page.getByText("This page is for administrators.").waitFor();

    await page.goto(`${paris.origin}/settings/analytics`);
    await page.getByRole("heading", { name: "My participation" }).waitFor();
    const thisWeek = page.getByRole("region", { name: "Table: Your last 12 weeks" }).locator("tbody tr").first();
    expect(await thisWeek.locator("td").nth(1).textContent()).toBe("1"); // one post this week
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "analytics-me-en");
    const finance0 = (await paris.db.sql`SELECT account_id FROM users u JOIN accounts a ON a.id = u.account_id WHERE a.username = 'finance0'`)[0].account_id;
    expect((await paris.db.sql`SELECT count(*)::int AS n FROM analytics_visits WHERE account_id = ${finance0}`)[0].n).toBeGreaterThan(0);

    await page.getByLabel("Leave me out of the engagement figures").check();
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("You are left out of the engagement figures.").waitFor();
    expect(await page.getByLabel("Leave me out of the engagement figures").isChecked()).toBe(true);
    expect((await paris.db.sql`SELECT analytics_opt_out FROM users WHERE account_id = ${finance0}`)[0].analytics_opt_out).toBe(true);
    expect((await paris.db.sql`SELECT count(*)::int AS n FROM analytics_visits WHERE account_id = ${finance0}`)[0].n).toBe(0);

    await page.getByLabel("Leave me out of the engagement figures").uncheck();
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("You are counted in the engagement figures again.").waitFor();
    expect((await paris.db.sql`SELECT analytics_opt_out FROM users WHERE account_id = ${finance0}`)[0].analytics_opt_out).toBe(false);
  }, 120_000);
});
