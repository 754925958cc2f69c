// Settings › Working hours in a real Chromium (issue #15): Bob fills in his hours with the keyboard, a period that
// ends before it starts is refused with a message and nothing is stored, the saved hours show what they mean now,
// leave is added; with JavaScript off the form works the same. Axe on the page; screenshots at desktop and phone width.
// Then Alice's message composer when she writes to him off hours.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startTestInstance, type TestInstance } from "../../../test/instance.ts";
import { axeViolations, launchBrowser, logInPage, shot } from "../../../test/browser.ts";
import { ManualClock } from "../../clock.ts";

/** A browser in Paris: the pages speak in its time zone (saved at sign-in). */
const parisContext = (browser: Browser) =>
  browser.newContext({ locale: "fr-FR", timezoneId: "Europe/Paris", ignoreHTTPSErrors: true, viewport: { width: 1280, height: 900 } });

// Thursday 3 December 2026, 22:00 in Paris.
const clock = new ManualClock(Date.UTC(2026, 11, 3, 21, 0));

describe("working hours settings page", () => {
  let paris: TestInstance, browser: Browser;
  beforeAll(async () => {
    [paris, browser] = await Promise.all([startTestInstance({ name: "Paris", clock }), launchBrowser()]);
    await paris.createUser("bob", { password: "bob-password-1", displayName: "Bob Durand" });
    await paris.createUser("alice", { password: "alice-password-1", displayName: "Alice Martin" });
    await paris.createUser("admin", { password: "admin-password-1", admin: true });
  });
  afterAll(async () => {
    await browser?.close();
    await paris?.close();
  });

  it("Bob sets his hours by keyboard; a bad period is refused; leave is added; axe finds nothing", async () => {
    const ctx = await parisContext(browser);
    const page = await ctx.newPage();
    await logInPage(page, paris.origin, "bob", "bob-password-1");
    await page.goto(`${paris.origin}/settings/schedule`);
    await page.getByRole("heading", { name: "Horaires de travail" }).waitFor({ timeout: 8_000 });
    expect(await page.getByText("Vous n'avez pas d'horaires : les notifications arrivent toujours aussitôt.").count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByLabel("Fuseau horaire").selectOption("Europe/Paris");
    // Monday: 17:30 to 09:00 — refused. Filled in, then Enter on the focused button.
    await page.getByLabel("lundi — De", { exact: true }).fill("17:30");
    await page.getByLabel("lundi — à", { exact: true }).first().fill("09:00");
    await page.getByRole("button", { name: "Enregistrer mes horaires" }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("alert").getByText("Une période se termine avant de commencer.").waitFor({ timeout: 8_000 });
    expect(await paris.db.sql`SELECT 1 FROM work_schedules`).toHaveLength(0);
    // What was typed is still there to fix.
    expect(await page.getByLabel("lundi — De", { exact: true }).inputValue()).toBe("17:30");

    for (const day of ["lundi", "mardi", "mercredi", "jeudi", "vendredi"]) {
      await page.getByLabel(`${day} — De`, { exact: true }).fill("09:00");
      await page.getByLabel(`${day} — à`, { exact: true }).first().fill("17:30");
    }
    await page.getByLabel("Jours fériés").selectOption("FR");
    await page.getByRole("button", { name: "Enregistrer mes horaires" }).click();
    await page.getByText("Vos horaires de travail sont enregistrés.").waitFor({ timeout: 8_000 });
    await page.getByText("En ce moment : hors horaires jusqu'à demain 9 h").waitFor({ timeout: 8_000 });
    const [row] = await paris.db.sql`SELECT time_zone, days, country FROM work_schedules`;
    expect(row).toMatchObject({ time_zone: "Europe/Paris", country: "FR", days: { mon: [[540, 1050]], fri: [[540, 1050]] } });

    await page.getByLabel("Premier jour").fill("2026-12-21");
    await page.getByLabel("Dernier jour").fill("2026-12-31");
    await page.getByRole("button", { name: "Ajouter ce congé" }).click();
    await page.getByText("du 2026-12-21 au 2026-12-31").first().waitFor({ timeout: 8_000 });
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "schedule-settings-fr");
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, "schedule-settings-fr-phone");
    await ctx.close();
  });

  it("works without JavaScript", async () => {
    const ctx = await browser.newContext({ locale: "fr-FR", timezoneId: "Europe/Paris", ignoreHTTPSErrors: true, javaScriptEnabled: false });
    const page = await ctx.newPage();
    await logInPage(page, paris.origin, "alice", "alice-password-1");
    await page.goto(`${paris.origin}/settings/schedule`);
    await page.getByLabel("Fuseau horaire").selectOption("Europe/Paris");
    await page.getByLabel("samedi — De", { exact: true }).fill("10:00");
    await page.getByLabel("samedi — à", { exact: true }).first().fill("12:00");
    await page.getByRole("button", { name: "Enregistrer mes horaires" }).click();
    await page.getByText("Vos horaires de travail sont enregistrés.").waitFor({ timeout: 8_000 });
    const [row] = await paris.db.sql`SELECT s.days FROM work_schedules s JOIN accounts a ON a.id = s.account_id WHERE a.username = 'alice'`;
    expect(row.days).toEqual({ sat: [[600, 720]] });
    await ctx.close();
  });

  it("Alice's composer tells her when Bob will get her message, with both choices", async () => {
    const ctx = await parisContext(browser);
    const page = await ctx.newPage();
    await logInPage(page, paris.origin, "alice", "alice-password-1");
    await page.goto(`${paris.origin}/@bob`);
    await page.getByText("hors horaires jusqu'à demain 9 h").waitFor({ timeout: 8_000 });
    await page.getByRole("link", { name: "Écrire un message" }).click();
    await page.getByText("Bob Durand est hors horaires jusqu'à demain 9 h : sera remis à demain 9 h, heure de Bob Durand.").waitFor({ timeout: 8_000 });
    expect(await page.getByRole("button", { name: "Envoyer maintenant" }).count()).toBe(1);
    expect(await page.getByRole("button", { name: "Envoyer à sa prochaine heure de travail" }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "composer-quiet-fr");
    await ctx.close();
  });

  it("the administrator gives Alice the urgent role; her urgent message shows as urgent and in the log", async () => {
    const ctx = await parisContext(browser);
    const page = await ctx.newPage();
    await logInPage(page, paris.origin, "admin", "admin-password-1");
    await page.goto(`${paris.origin}/admin/urgent`);
    await page.getByText("Personne n'a le rôle « urgent ».").waitFor({ timeout: 8_000 });
    await page.getByLabel("Nom d'utilisateur").fill("nobody");
    await page.getByRole("button", { name: "Donner le rôle « urgent »" }).click();
    await page.getByRole("alert").getByText("Personne ici ne s'appelle nobody.").waitFor({ timeout: 8_000 });
    await page.getByLabel("Nom d'utilisateur").fill("alice");
    await page.getByRole("button", { name: "Donner le rôle « urgent »" }).click();
    await page.getByText("@alice").first().waitFor({ timeout: 8_000 });

    const [alice] = await paris.db.sql`SELECT a.id::text FROM accounts a WHERE a.username = 'alice' AND a.domain IS NULL`;
    const { createApiToken } = await import("../../domain/accounts/tokens.ts");
    const token = await createApiToken(paris.db.sql, alice.id, ["read", "write"]);
    const res = await fetch(`${paris.origin}/api/v1/statuses`, {
      method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ status: "@bob le client attend ta réponse ce soir", visibility: "direct", ruche_urgent: true, ruche_urgent_reason: "Client bloqué" }),
    });
    expect(res.status).toBe(200);
    await page.reload();
    await page.getByRole("cell", { name: "Client bloqué" }).waitFor({ timeout: 8_000 });
    expect(await page.getByRole("cell", { name: "@bob" }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "urgent-admin-fr");

    // Bob's conversation shows the message as urgent.
    const bobCtx = await parisContext(browser);
    const bobPage = await bobCtx.newPage();
    await logInPage(bobPage, paris.origin, "bob", "bob-password-1");
    await bobPage.goto(`${paris.origin}/messages`);
    await bobPage.getByRole("link", { name: /Alice Martin/ }).first().click();
    await bobPage.locator(".badge-urgent").getByText("Message urgent").waitFor({ timeout: 8_000 });
    expect(await axeViolations(bobPage)).toEqual([]);
    await shot(bobPage, "urgent-message-fr");

    // Alice, who holds the role now, marks one urgent from the composer; without a reason it is refused.
    const aliceCtx = await parisContext(browser);
    const alicePage = await aliceCtx.newPage();
    await logInPage(alicePage, paris.origin, "alice", "alice-password-1");
    await alicePage.goto(`${paris.origin}/messages/new?to=bob`);
    await alicePage.getByLabel("Message", { exact: true }).fill("Le serveur de démo est tombé");
    await alicePage.getByLabel("Urgent", { exact: true }).check();
    await alicePage.getByRole("button", { name: "Envoyer maintenant" }).click();
    await alicePage.getByRole("alert").getByText("Dites pourquoi ce message ne peut pas attendre.").waitFor({ timeout: 8_000 });
    await alicePage.getByLabel("Urgent", { exact: true }).check();
    await alicePage.getByLabel("Pourquoi cela ne peut pas attendre").fill("Démo client à 8 h");
    expect(await axeViolations(alicePage)).toEqual([]);
    await alicePage.getByRole("button", { name: "Envoyer maintenant" }).click();
    await alicePage.locator(".badge-urgent").first().waitFor({ timeout: 8_000 });
    expect((await paris.db.sql`SELECT reason FROM urgent_posts ORDER BY id`).map((r) => r.reason)).toEqual(["Client bloqué", "Démo client à 8 h"]);
    await Promise.all([ctx.close(), bobCtx.close(), aliceCtx.close()]);
  });
});
