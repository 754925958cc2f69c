// Filters and lists in Chromium (issue #9 point 5): Claire makes a "Sport" filter that folds
// posts about « foot » and a "Café" one that hides « café »; her home shows Bruno's match folded behind
// « Filtré : Sport » (a <details>, opened by a click) and not the café post. She makes a list, adds Bruno and reads
// its timeline. French, desktop and a 390 px phone; axe finds nothing on any page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startTestInstance, type TestInstance } from "../../../test/instance.ts";
import { axeViolations, launchBrowser, shot } from "../../../test/browser.ts";
import { follow } from "../../domain/follows/follows.ts";
import { createPost } from "../../domain/posts/posts.ts";
import { listFilters } from "../../domain/timelines/filters.ts";

async function context(browser: Browser, phone = false, js = true): Promise<BrowserContext> {
  return await browser.newContext({
    locale: "fr-FR", ignoreHTTPSErrors: true, javaScriptEnabled: js,
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

describe("filters and lists in the web pages", () => {
  let paris: TestInstance, browser: Browser;
  let claireId: string, brunoId: string;
  beforeAll(async () => {
    [paris, browser] = await Promise.all([startTestInstance({ name: "Paris" }), launchBrowser()]);
    claireId = (await paris.createUser("claire", { password: "claire-password-1", displayName: "Claire Petit" })).account.id;
    brunoId = (await paris.createUser("bruno", { displayName: "Bruno Roy" })).account.id;
    await follow(paris.db.sql, paris.origin, claireId, brunoId);
  });
  afterAll(async () => {
    await browser?.close();
    await paris?.close();
  });

  it("Claire folds « foot » and hides « café » on her home; the folded post opens without JavaScript", { timeout: 90_000 }, async () => {
    const page = await (await context(browser)).newPage();
    await logIn(page, paris.origin, "claire", "claire-password-1");
    await page.goto(`${paris.origin}/settings/filters`);
    await page.getByLabel("Nom du filtre").fill("Sport");
    await page.getByLabel("Mots ou expressions, un par ligne").fill("foot");
    await page.getByLabel("Pendant combien de temps").selectOption("86400");
    await page.getByRole("button", { name: "Créer le filtre" }).click();
    await page.waitForURL((u) => u.pathname === "/settings/filters");
    expect(await page.getByText("Sport", { exact: true }).isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "filters-settings-fr-desktop");
    const [sport] = await listFilters(paris.db.sql, claireId);
    expect(sport).toMatchObject({ title: "Sport", action: "warn", context: ["home", "notifications", "public", "thread"] });
    expect(sport.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 86_000_000);

    await page.getByLabel("Nom du filtre").fill("Café");
    await page.getByLabel("Mots ou expressions, un par ligne").fill("café");
    await page.getByLabel("Masquer complètement").check();
    await page.getByRole("button", { name: "Créer le filtre" }).click();
    await page.waitForURL((u) => u.pathname === "/settings/filters");
    // An empty form is refused with a readable message, nothing stored.
    await page.getByLabel("Nom du filtre").fill("Vide");
    await page.getByLabel("Mots ou expressions, un par ligne").fill("   ");
    await page.getByRole("button", { name: "Créer le filtre" }).click();
    expect((await listFilters(paris.db.sql, claireId)).map((f) => f.title)).toEqual(["Sport", "Café"]);

    const foot = await createPost(paris.db.sql, paris.origin, brunoId, { text: "Le foot ce soir ?" });
    await createPost(paris.db.sql, paris.origin, brunoId, { text: "Un café à 16 h ?" });
    const plain = await createPost(paris.db.sql, paris.origin, brunoId, { text: "Le planning est prêt" });
    await page.goto(`${paris.origin}/home`);
    expect(await page.getByText("Le planning est prêt").isVisible()).toBe(true);
    expect(await page.getByText("Un café à 16 h ?").count()).toBe(0);
    const folded = page.locator("details.post-filtered");
    expect(await folded.locator("> summary").innerText()).toContain("Filtré\u00a0: Sport");
    expect(await page.getByText("Le foot ce soir ?").isVisible()).toBe(false);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "filters-home-folded-fr-desktop");
    expect(foot.id < plain.id).toBe(true);
    await page.context().close();

    // Without JavaScript, the folded post opens with a click on its summary (<details>).
    const noJs = await (await context(browser, true, false)).newPage();
    await logIn(noJs, paris.origin, "claire", "claire-password-1");
    await noJs.goto(`${paris.origin}/home`);
    expect(await noJs.getByText("Le foot ce soir ?").isVisible()).toBe(false);
    await noJs.locator("details.post-filtered > summary").click();
    expect(await noJs.getByText("Le foot ce soir ?").isVisible()).toBe(true);
    await shot(noJs, "filters-home-open-nojs-fr-phone");
    await noJs.context().close();
  });

  it("Claire makes a list, adds Bruno, reads its timeline (desktop and phone)", { timeout: 90_000 }, async () => {
    for (const phone of [false, true]) {
      const page = await (await context(browser, phone)).newPage();
      await logIn(page, paris.origin, "claire", "claire-password-1");
      await page.goto(`${paris.origin}/lists`);
      expect(await page.locator('[data-section="lists"]').first().getAttribute("href")).toBe("/lists");
      await page.getByLabel("Nom de la liste").fill(phone ? "Équipe mobile" : "Projet Ruche");
      await page.getByRole("button", { name: "Créer la liste" }).click();
      await page.waitForURL((u) => /^\/lists\/\d+$/.test(u.pathname));
      expect(await page.getByText("Personne dans cette liste pour l'instant.").isVisible()).toBe(true);
      await page.getByLabel("Ajouter une personne que vous suivez").selectOption(brunoId);
      await page.getByRole("button", { name: "Ajouter", exact: true }).click();
      await page.waitForURL((u) => /^\/lists\/\d+$/.test(u.pathname));
      expect(await page.getByRole("region", { name: "Membres" }).getByText("Bruno Roy").isVisible()).toBe(true);
      expect(await page.getByText("Le planning est prêt").isVisible()).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      await shot(page, `lists-timeline-fr-${phone ? "phone" : "desktop"}`);
      await page.goto(`${paris.origin}/lists`);
      expect(await axeViolations(page)).toEqual([]);
      await shot(page, `lists-index-fr-${phone ? "phone" : "desktop"}`);
      await page.context().close();
    }
  });
});
