// Group pages in Chromium (issue #10): a project lead creates a project from "Mes groupes" and writes in it, in
// French; a colleague, in English, finds a community in the directory and joins it, and cannot see inside the
// project. Screenshots on a wide screen and a phone; axe finds nothing on any of them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Locator, Page } from "playwright-core";
import { startTestInstance, type TestInstance } from "../../../test/instance.ts";
import { axeViolations, launchBrowser, shot } from "../../../test/browser.ts";
import { createGroup } from "../../domain/groups/groups.ts";
import { groupIris } from "../../../federation/uris.ts";

async function visible(locator: Locator): Promise<Locator> {
  await locator.waitFor({ state: "visible", timeout: 10_000 });
  return locator;
}

async function signIn(page: Page, origin: string, username: string, password: string, next: string) {
  await page.goto(`${origin}/login?next=${encodeURIComponent(next)}`);
  await page.locator("input[name=username]").fill(username);
  await page.locator("input[name=password]").fill(password);
  await page.locator("form[action='/login'] button[type=submit]").click();
  await page.waitForURL((u) => u.pathname === next);
}

describe("group pages in Chromium", () => {
  let paris: TestInstance, browser: Browser;
  beforeAll(async () => {
    [paris, browser] = await Promise.all([startTestInstance({ name: "Paris" }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await paris?.close();
  });

  it("a lead creates a project and posts in it; a colleague joins a community and sees nothing of the project", { timeout: 90_000 }, async () => {
    const lead = await paris.createUser("lead", { password: "lead-password-1", displayName: "Léa Martin" });
    await paris.createUser("colin", { password: "colin-password-1", displayName: "Colin Petit" });
    await createGroup(paris.db.sql, lead.account.id, { name: "cafe", display_name: "Le café des Parisiens", kind: "community", description: "On parle de tout." },
      groupIris(paris.origin, "cafe"));

    const fr = await browser.newContext({ locale: "fr-FR", ignoreHTTPSErrors: true, viewport: { width: 1280, height: 900 } });
    const page = await fr.newPage();
    await signIn(page, paris.origin, "lead", "lead-password-1", "/groups");
    await visible(page.getByRole("link", { name: "Mes groupes" }).first());
    await page.getByRole("link", { name: "Créer un groupe" }).click();
    await page.getByLabel("Nom", { exact: true }).fill("Migration Lyon");
    await page.getByLabel("Nom court").fill("migration_lyon");
    await page.getByLabel("Description").fill("Bascule du SI de Lyon");
    await page.getByLabel("Projet").check();
    await shot(page, "ui-group-create-fr");
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Créer le groupe" }).click();
    await visible(page.getByRole("heading", { name: "Migration Lyon" }));
    await page.getByLabel("Écrire un message").fill("Lancement de la migration lundi");
    await page.locator("form.composer button[type=submit]").first().click();
    const post = await visible(page.getByText("Lancement de la migration lundi"));
    expect(await post.isVisible()).toBe(true);
    await visible(page.getByText("Membres du groupe").first());
    await visible(page.getByText("Propriétaire"));
    await shot(page, "ui-group-project-fr");
    expect(await axeViolations(page)).toEqual([]);

    const en = await browser.newContext({ locale: "en-GB", ignoreHTTPSErrors: true, viewport: { width: 390, height: 844 } });
    const phone = await en.newPage();
    await signIn(phone, paris.origin, "colin", "colin-password-1", "/groups");
    await visible(phone.getByRole("heading", { name: "Groups to join" }));
    // The community is listed; the project (nobody invited Colin) is not.
    await visible(phone.getByRole("link", { name: /Le café des Parisiens/ }));
    expect(await phone.getByText("Migration Lyon").count()).toBe(0);
    await shot(phone, "ui-groups-directory-en-phone");
    expect(await axeViolations(phone)).toEqual([]);
    await phone.getByRole("link", { name: /Le café des Parisiens/ }).click();
    await phone.getByRole("button", { name: "Join" }).click();
    await visible(phone.getByRole("button", { name: "Leave the group" }));
    await visible(phone.getByRole("region", { name: "Members" }).getByRole("link", { name: /Colin Petit/ }));
    await shot(phone, "ui-group-community-en-phone");
    expect(await axeViolations(phone)).toEqual([]);
    // The project's page tells him it is private and shows neither posts nor members.
    await phone.goto(`${paris.origin}/groups/migration_lyon`);
    await visible(phone.getByText("This project is private"));
    expect(await phone.getByText("Lancement de la migration lundi").count()).toBe(0);
    await visible(phone.getByRole("button", { name: "Ask to join" }));
    expect(await axeViolations(phone)).toEqual([]);
  });
});
