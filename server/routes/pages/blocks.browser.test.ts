// Blocking in Chromium (issue #8 point 14): Claire opens Bruno's profile menu, is asked to confirm, blocks him; the
// profile says so and offers to unblock; her settings list him beside the muted people, and unblock him there.
// French, desktop and a 390 px phone (the menu and its confirmation are <details> disclosures: no script needed);
// axe finds nothing on either page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startTestInstance, type TestInstance } from "../../../test/instance.ts";
import { axeViolations, launchBrowser, shot } from "../../../test/browser.ts";
import { relationships } from "../../domain/follows/follows.ts";

async function context(browser: Browser, phone = false): Promise<BrowserContext> {
  return await browser.newContext({
    locale: "fr-FR", ignoreHTTPSErrors: true,
    viewport: phone ? { width: 390, height: 844 } : { width: 1280, height: 900 },
    ...(phone ? { deviceScaleFactor: 2, isMobile: true, hasTouch: true } : {}),
  });
}

async function logIn(page: Page, origin: string, username: string, password: string): Promise<void> {
  await page.goto(`${origin}/login`);
  await page.getByLabel("Nom d'utilisateur").fill(username);
  await page.getByLabel("Mot de passe").fill(password);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.waitForURL((u) => u.pathname === "/");
}

describe("blocking from a profile, unblocking from the settings", () => {
  let paris: TestInstance, browser: Browser;
  let claireId: string, brunoId: string;
  beforeAll(async () => {
    [paris, browser] = await Promise.all([startTestInstance({ name: "Paris" }), launchBrowser()]);
    claireId = (await paris.createUser("claire", { password: "claire-password-1", displayName: "Claire Petit" })).account.id;
    brunoId = (await paris.createUser("bruno", { displayName: "Bruno Roy" })).account.id;
  });
  afterAll(async () => {
    await browser?.close();
    await paris?.close();
  });

  it("Claire blocks Bruno after confirming, sees him in her blocked list, and unblocks him", { timeout: 60_000 }, async () => {
    for (const phone of [false, true]) {
      const page = await (await context(browser, phone)).newPage();
      await logIn(page, paris.origin, "claire", "claire-password-1");
      await page.goto(`${paris.origin}/@bruno`);
      await page.getByLabel("Autres actions").click();
      // Names are wrapped in Unicode isolates (names.ts isolate()): matched with a regular expression.
      await page.getByText(/^Bloquer \u2068Bruno Roy\u2069$/).click();
      const confirm = page.getByRole("button", { name: "Bloquer", exact: true });
      await confirm.waitFor({ state: "visible" });
      expect(await page.getByText(/Vous ne verrez plus les messages de \u2068Bruno Roy\u2069/).isVisible()).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      await shot(page, `blocks-confirm-fr-${phone ? "phone" : "desktop"}`);
      await confirm.click();
      await page.waitForURL((u) => u.pathname === "/@bruno");
      expect(await page.getByText("Vous avez bloqué cette personne.").isVisible()).toBe(true);
      expect(await page.getByRole("button", { name: "Suivre" }).count()).toBe(0);
      expect((await relationships(paris.db.sql, claireId, [brunoId]))[0].blocking).toBe(true);

      await page.goto(`${paris.origin}/settings/mutes`);
      const section = page.getByRole("region", { name: "Personnes bloquées" });
      expect(await section.getByText("Bruno Roy").isVisible()).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      await shot(page, `blocks-settings-fr-${phone ? "phone" : "desktop"}`);
      await section.getByRole("button", { name: /^Débloquer \u2068?Bruno Roy\u2069?$/ }).click();
      await page.waitForURL((u) => u.pathname === "/settings/mutes");
      expect(await page.getByRole("region", { name: "Personnes bloquées" }).getByText("Vous n'avez bloqué personne.").isVisible()).toBe(true);
      expect((await relationships(paris.db.sql, claireId, [brunoId]))[0].blocking).toBe(false);
      await page.context().close();
    }
  });
});
