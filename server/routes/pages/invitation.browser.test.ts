// An imported employee follows their invitation link in Chromium, chooses a password (told inline when it is too
// short), lands signed in, and later changes it in the settings; the used link no longer works (issue #8 point 5).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startTestInstance, type TestInstance } from "../../../test/instance.ts";
import { axeViolations, launchBrowser, newContext, shot } from "../../../test/browser.ts";
import { importUsers } from "../../domain/profiles/user-import.ts";
import { createInvitation } from "../../domain/accounts/invitations.ts";
import { authenticate } from "../../domain/accounts/accounts.ts";

async function atWidths(page: Page, name: string): Promise<void> {
  await shot(page, `${name}-desktop`);
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, `${name}-phone`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe("invitation links in the browser", () => {
  let paris: TestInstance, browser: Browser;
  beforeAll(async () => {
    [paris, browser] = await Promise.all([startTestInstance({ name: "Paris" }), launchBrowser()]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await paris?.close();
  });

  it("Camille, imported from the HR file, chooses her password from the link and is signed in", async () => {
    const report = await importUsers(paris.db.sql, paris.origin, "username,name,department\ncamille,Camille Roux,RH\n");
    const invitation = await createInvitation(paris.db.sql, paris.origin, report.createdUsers[0].accountId);
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    const opened = await page.goto(invitation.url);
    expect(opened?.headers()["referrer-policy"]).toBe("no-referrer");
    await page.getByRole("heading", { name: "Choisissez votre mot de passe" }).waitFor();
    expect(await page.getByLabel("Nom d'utilisateur").inputValue()).toBe("camille");
    expect(await axeViolations(page)).toEqual([]);
    await atWidths(page, "ui-invitation-fr");

    await page.getByLabel("Nouveau mot de passe", { exact: true }).fill("court");
    await page.getByLabel("Nouveau mot de passe, à nouveau").fill("court");
    await page.getByRole("button", { name: "Enregistrer et me connecter" }).click();
    await page.getByText("Un mot de passe compte au moins 10 caractères.").waitFor();
    expect(await page.getByLabel("Nouveau mot de passe", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    expect(await axeViolations(page)).toEqual([]);
    await atWidths(page, "ui-invitation-error-fr");

    await page.getByLabel("Nouveau mot de passe", { exact: true }).fill("ruche de la rue de Lyon");
    await page.getByLabel("Nouveau mot de passe, à nouveau").fill("ruche de la rue de Lyon");
    await page.getByRole("button", { name: "Enregistrer et me connecter" }).click();
    await page.waitForURL(`${paris.origin}/`);
    await page.locator(".account-menu-button").click(); // the avatar menu: signed in
    await page.getByRole("link", { name: "Modifier le profil" }).waitFor();
    expect(await authenticate(paris.db.sql, "camille", "ruche de la rue de Lyon")).not.toBeNull();

    // The settings page changes it again; the link, once used, is dead.
    await page.getByRole("link", { name: "Mot de passe" }).click();
    await page.getByRole("heading", { name: "Changer de mot de passe" }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel("Mot de passe actuel").fill("ruche de la rue de Lyon");
    await page.getByLabel("Nouveau mot de passe", { exact: true }).fill("ruche de la place Bellecour");
    await page.getByLabel("Nouveau mot de passe, à nouveau").fill("ruche de la place Bellecour");
    await page.getByRole("button", { name: "Changer le mot de passe" }).click();
    await page.getByText("Votre mot de passe a été changé.").waitFor();
    await atWidths(page, "ui-password-saved-fr");

    const again = await page.goto(invitation.url);
    expect(again?.status()).toBe(404);
    await page.getByText("Ce lien d'invitation ne fonctionne plus").waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "ui-invitation-used-fr");
    await ctx.close();
  }, 120_000); // axe four times and seven screenshots: slow on a busy machine

  it("shows the page in English to an English browser", async () => {
    const report = await importUsers(paris.db.sql, paris.origin, "username,name\ndavid,David Stone\n");
    const invitation = await createInvitation(paris.db.sql, paris.origin, report.createdUsers[0].accountId);
    const ctx = await newContext(browser, "en-GB");
    const page = await ctx.newPage();
    await page.goto(invitation.url);
    await page.getByRole("heading", { name: "Choose your password" }).waitFor();
    await page.getByRole("button", { name: "Save and sign in" }).waitFor();
    await shot(page, "ui-invitation-en-desktop");
    await ctx.close();
  });

  it("after too many failed attempts, the sign-in page says how long to wait", async () => {
    await paris.db.sql`INSERT INTO login_failures (scope, key) SELECT 'account', 'camille' FROM generate_series(1, 10)`;
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await page.goto(`${paris.origin}/login`);
    await page.getByLabel("Nom d'utilisateur").fill("camille");
    await page.getByLabel("Mot de passe").fill("ruche de la place Bellecour");
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.getByRole("alert").filter({ hasText: "Trop de tentatives de connexion. Réessayez dans 15\u00a0min." }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await atWidths(page, "ui-login-too-many-fr");
    await ctx.close();
  });
});
