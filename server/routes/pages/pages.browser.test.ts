// The web UI in a real browser: two employees on two sibling instances, in French, without any JavaScript of ours.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import type { Browser, Locator } from "playwright-core";
import { startSiblings, type TestInstance } from "../../../test/instance.ts";
import { launchBrowser, newContext, shot } from "../../../test/browser.ts";
import { findAccountByIri } from "../../domain/accounts/accounts.ts";

/** Waits until the element is visible (fails the test after 10 s) and returns it. */
async function visible(locator: Locator): Promise<Locator> {
  await locator.waitFor({ state: "visible", timeout: 10_000 });
  return locator;
}

describe("web UI flows in Chromium", () => {
  let paris: TestInstance, lyon: TestInstance, browser: Browser;
  beforeAll(async () => {
    [[paris, lyon], browser] = await Promise.all([startSiblings("Paris", "Lyon"), launchBrowser()]);
    await paris.createUser("alice", { password: "alice-password-1" });
    await lyon.createUser("bob", { password: "bob-password-12", locked: true, displayName: "Bob Durand" });
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([paris?.close(), lyon?.close()]);
  });

  it("alice logs in, edits her profile with a picture, finds bob on Lyon and asks to follow him; bob accepts", { timeout: 90_000 }, async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await page.goto(`${paris.origin}/login`);
    await page.getByLabel("Nom d'utilisateur").fill("alice");
    await page.getByLabel("Mot de passe").fill("wrong-password");
    await page.getByRole("button", { name: "Se connecter" }).click();
    expect(await visible(page.getByRole("alert")).then((l) => l.textContent())).toContain("Nom d'utilisateur ou mot de passe incorrect");
    await page.getByLabel("Mot de passe").fill("alice-password-1");
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.locator(".account-menu-button").click();
    await visible(page.getByRole("link", { name: "Modifier le profil" }));
    await shot(page, "ui-home-fr");

    await page.goto(`${paris.origin}/settings/profile`);
    await page.getByLabel("Nom affiché").fill("Alice Martin");
    await page.getByLabel("Présentation").fill("Achats, site de Paris.\nhttps://intranet.example/achats");
    await page.getByLabel("Photo de profil").setInputFiles(join(import.meta.dirname, "../../../web/static/avatar-missing.png"));
    await page.getByRole("button", { name: "Enregistrer" }).click();
    await visible(page.getByText("Votre profil a été enregistré."));
    await page.goto(`${paris.origin}/@alice`);
    await visible(page.getByRole("heading", { name: "Alice Martin" }));
    await visible(page.locator("a[href='https://intranet.example/achats']"));
    const avatar = await page.locator("img").first().getAttribute("src");
    expect(avatar).toMatch(/^\/media\/avatars\/[0-9a-f]+\.png$/);
    expect((await page.request.get(`${paris.origin}${avatar}`)).status()).toBe(200);
    await shot(page, "ui-profile-fr");

    await page.goto(`${paris.origin}/search?q=${encodeURIComponent(`@bob@${lyon.host}`)}`);
    await page.getByRole("link", { name: /Bob Durand/ }).first().click();
    await visible(page.getByText("Compte verrouillé", { exact: false }));
    await page.getByRole("button", { name: "Demander à suivre" }).click();
    await visible(page.getByText("Demande envoyée"));
    await shot(page, "ui-remote-profile-requested-fr");

    // Bob, on Lyon, in English.
    const bobCtx = await newContext(browser, "en-GB");
    const bobPage = await bobCtx.newPage();
    await bobPage.goto(`${lyon.origin}/login?next=/follow-requests`);
    await bobPage.getByLabel("Username").fill("bob");
    await bobPage.getByLabel("Password").fill("bob-password-12");
    await bobPage.getByRole("button", { name: "Log in" }).click();
    await expect.poll(async () => {
      await bobPage.reload();
      return await bobPage.getByText(`@alice@${paris.host}`).count();
    }, { timeout: 15_000 }).toBeGreaterThan(0);
    await shot(bobPage, "ui-follow-requests-en");
    await bobPage.getByRole("button", { name: /^Accept/ }).click();
    await visible(bobPage.getByText("No pending requests."));

    await expect.poll(async () => {
      await page.reload();
      return await page.getByRole("button", { name: "Ne plus suivre" }).count();
    }, { timeout: 15_000 }).toBe(1);
    // Alice's new name reached Lyon with her Update(Person).
    await expect.poll(async () => (await findAccountByIri(lyon.db.sql, `${paris.origin}/users/alice`))?.displayName, { timeout: 15_000 }).toBe("Alice Martin");
    await ctx.close();
    await bobCtx.close();
  });

  it("switches language, refuses forged forms and keeps anonymous visitors out of private pages", async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await page.goto(`${paris.origin}/`);
    await page.getByRole("button", { name: "English" }).click();
    await visible(page.getByRole("link", { name: "Log in" }).first());
    await shot(page, "ui-home-en-signed-out");
    // A POST without the form's CSRF token.
    const forged = await page.request.post(`${paris.origin}/login`, { form: { username: "alice", password: "alice-password-1" } });
    expect(forged.status()).toBe(403);
    await page.goto(`${paris.origin}/follow-requests`);
    expect(new URL(page.url()).pathname).toBe("/login");
    await ctx.close();
  });
});
