// The administrators' page in the browser (issue #15 point 6): link a sibling subsidiary (a wrong address is refused
// with a clear message), add a rule, write the description apps read, unlink the sibling. Real HTTPS instances,
// real Chromium, axe at desktop and phone widths.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startTestInstance, type TestInstance } from "../../../test/instance.ts";
import { axeViolations, launchBrowser, logInPage, newContext, shot } from "../../../test/browser.ts";
import { listSiblings } from "../../domain/instance/siblings.ts";

describe("administration page", () => {
  let paris: TestInstance, lyon: TestInstance, browser: Browser;
  beforeAll(async () => {
    [paris, lyon, browser] = await Promise.all([startTestInstance({ name: "Paris" }), startTestInstance({ name: "Lyon" }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([paris?.close(), lyon?.close()]);
  });

  it("siblings, rules and description, by an administrator only", async () => {
    await paris.createUser("admin", { admin: true, password: "admin-password-1" });
    await paris.createUser("eve", { password: "eve-password-12" });
    const eve = await (await newContext(browser, "fr-FR")).newPage();
    await logInPage(eve, paris.origin, "eve", "eve-password-12");
    expect((await eve.goto(`${paris.origin}/admin`))?.status()).toBe(403);

    const page = await (await newContext(browser, "fr-FR")).newPage();
    await logInPage(page, paris.origin, "admin", "admin-password-1");
    await page.goto(`${paris.origin}/admin`);
    await page.getByRole("heading", { name: "Filiales du groupe" }).waitFor();
    expect(await page.getByText("Aucune filiale reliée pour l'instant.").count()).toBe(1);

    await page.getByLabel("Adresse du site d'une filiale").fill(`${lyon.origin}/chemin`);
    await page.getByRole("button", { name: "Relier cette filiale" }).click();
    await page.getByText("Indiquez l'adresse du site, par exemple https://lyon.example.com (sans chemin).").waitFor();
    expect(await listSiblings(paris.db.sql)).toEqual([]);
    await page.getByLabel("Adresse du site d'une filiale").fill(lyon.origin);
    await page.getByRole("button", { name: "Relier cette filiale" }).click();
    await page.getByText("La filiale est reliée").waitFor();
    expect(await listSiblings(paris.db.sql)).toEqual([lyon.origin]);
    expect(paris.instance.data.siblings.isSibling(lyon.origin)).toBe(true);

    await page.getByLabel("Nouvelle règle").fill("Respecter le droit à la déconnexion des collègues");
    await page.getByRole("button", { name: "Ajouter la règle" }).click();
    await page.getByText("La règle est ajoutée.").waitFor();
    await page.getByLabel("Ce que les salariés et les applications lisent de ce site").fill("Le réseau social de la filiale de Paris.");
    await page.getByRole("button", { name: "Enregistrer la présentation" }).click();
    await page.getByText("La présentation est enregistrée.").waitFor();
    const instance = await (await fetch(`${paris.url}/api/v2/instance`)).json() as { description: string; rules: { text: string }[] };
    expect(instance.description).toBe("Le réseau social de la filiale de Paris.");
    expect(instance.rules.map((r) => r.text)).toEqual(["Respecter le droit à la déconnexion des collègues"]);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "admin-fr");
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "admin-fr-phone");

    await page.getByRole("button", { name: /^Délier / }).click();
    await page.getByText("La filiale est déliée.").waitFor();
    expect(await listSiblings(paris.db.sql)).toEqual([]);
  });
});
