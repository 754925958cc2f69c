// Deleting one's account in the browser (issue #16 point 3): the typed confirmation, the planned date with a banner
// on every page, and keeping the account before the date. Real HTTPS instance, real Chromium, axe.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startTestInstance, type TestInstance } from "../../../test/instance.ts";
import { axeViolations, launchBrowser, logInPage, newContext, shot } from "../../../test/browser.ts";

describe("deleting one's account", () => {
  let paris: TestInstance, browser: Browser;
  beforeAll(async () => {
    [paris, browser] = await Promise.all([startTestInstance({ name: "Paris" }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await paris?.close();
  });

  it("asks for the username, shows the date and a banner, and keeps the account on request", async () => {
    const dora = await paris.createUser("dora", { password: "dora-password-1", displayName: "Dora Petit" });
    const page = await (await newContext(browser, "fr-FR")).newPage();
    await logInPage(page, paris.origin, "dora", "dora-password-1");
    await page.goto(`${paris.origin}/settings/delete`);
    await page.getByRole("heading", { name: "Supprimer mon compte" }).waitFor();
    expect(await page.getByText("La suppression a lieu 14 jours après votre demande").count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "deletion-fr");
    await page.getByLabel("Pour confirmer, tapez votre nom d'utilisateur (dora)").fill("dor");
    await page.getByRole("button", { name: "Supprimer mon compte" }).click();
    await page.getByText("Tapez exactement votre nom d'utilisateur pour confirmer.").waitFor();
    expect((await paris.db.sql`SELECT deletion_due_at FROM users WHERE account_id = ${dora.account.id}`)[0].deletion_due_at).toBeNull();
    await page.getByLabel("Pour confirmer, tapez votre nom d'utilisateur (dora)").fill("dora");
    await page.getByRole("button", { name: "Supprimer mon compte" }).click();
    await page.getByText("Votre compte sera supprimé le").waitFor();
    expect((await paris.db.sql`SELECT deletion_due_at FROM users WHERE account_id = ${dora.account.id}`)[0].deletion_due_at).not.toBeNull();
    await page.goto(`${paris.origin}/`);
    await page.getByText("Votre compte sera bientôt supprimé.").waitFor();
    await page.getByRole("link", { name: "Le garder" }).click();
    await page.getByRole("button", { name: "Garder mon compte" }).click();
    await page.getByText("Votre compte est conservé.").waitFor();
    expect((await paris.db.sql`SELECT deletion_due_at FROM users WHERE account_id = ${dora.account.id}`)[0].deletion_due_at).toBeNull();
    expect(await axeViolations(page)).toEqual([]);
  });
});
