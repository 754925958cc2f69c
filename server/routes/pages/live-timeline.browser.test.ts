// Live timelines in Chromium (issue #9): Alice has her home page open; Bob, whom she follows, posts twice and a
// "2 nouveaux messages — afficher" button appears on top of the list without a reload; a click puts both posts on
// top, newest first, with focus on it. On the company timeline a colleague she does not follow shows up the same
// way. Without JavaScript the page has no button and stays as rendered. Screenshots (desktop, phone) in artifacts/.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startTestInstance, type TestInstance } from "../../../test/instance.ts";
import { axeViolations, launchBrowser, shot } from "../../../test/browser.ts";
import { follow } from "../../domain/follows/follows.ts";
import { createPost } from "../../domain/posts/posts.ts";

describe("live timelines in Chromium", () => {
  let paris: TestInstance, browser: Browser;
  beforeAll(async () => {
    [paris, browser] = await Promise.all([startTestInstance({ name: "Paris" }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await paris?.close();
  });

  async function signIn(page: Page, username: string, password: string) {
    await page.goto(`${paris.url}/login`);
    await page.getByLabel("Nom d'utilisateur").fill(username);
    await page.getByLabel("Mot de passe").fill(password);
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.waitForURL((u) => u.pathname === "/");
  }

  it("new posts wait behind a 'N nouveaux messages' button on home and on the company timeline, and go on top on click", async () => {
    const alice = await paris.createUser("alice", { password: "alice-password-1", displayName: "Alice Martin" });
    const bob = await paris.createUser("bob", { displayName: "Bob Durand" });
    const chloe = await paris.createUser("chloe", { displayName: "Chloé Petit" });
    await follow(paris.db.sql, paris.origin, alice.account.id, bob.account.id);
    await createPost(paris.db.sql, paris.origin, bob.account.id, { text: "Un message d'avant", visibility: "internal" });

    for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
      const phone = viewport.width < 500;
      const context = await browser.newContext({ locale: "fr-FR", ignoreHTTPSErrors: true, viewport });
      const page = await context.newPage();
      await signIn(page, "alice", "alice-password-1");
      const button = page.locator(".live-banner-button");
      expect(await button.isVisible()).toBe(false);
      const before = paris.instance.streaming.subscriptions();
      await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
      // The page's stream is open once the badge's and the timeline's subscriptions are both in (2 per page).
      await expect.poll(() => paris.instance.streaming.subscriptions(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);

      const first = await createPost(paris.db.sql, paris.origin, bob.account.id, { text: `Réunion à 14 h (${viewport.width})`, visibility: "internal" });
      await expect.poll(() => button.textContent(), { timeout: 10_000 }).toBe("1 nouveau message — afficher");
      const second = await createPost(paris.db.sql, paris.origin, bob.account.id, { text: `Salle B finalement (${viewport.width})`, visibility: "internal" });
      await expect.poll(() => button.textContent(), { timeout: 10_000 }).toBe("2 nouveaux messages — afficher");
      // Nothing moved yet: the list still starts with what was rendered.
      expect(await page.locator("#feed > li").count()).toBe(phone ? 3 : 1);
      expect(await axeViolations(page)).toEqual([]);
      await shot(page, `live-timeline-${phone ? "phone" : "desktop"}-fr`);

      await button.click();
      await expect.poll(() => page.locator("#feed > li article").first().getAttribute("id")).toBe(`post-${second.id}`);
      expect(await page.locator("#feed > li article").nth(1).getAttribute("id")).toBe(`post-${first.id}`);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe(`post-${second.id}`);
      expect(await button.isVisible()).toBe(false);
      expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
      await shot(page, `live-timeline-inserted-${phone ? "phone" : "desktop"}-fr`);
      expect(await axeViolations(page)).toEqual([]);

      // The company timeline: Chloé, whom Alice does not follow, posts for the whole company.
      await page.goto(`${paris.url}/local`);
      await expect.poll(() => paris.instance.streaming.subscriptions(), { timeout: 10_000 }).toBeGreaterThanOrEqual(before);
      await expect.poll(async () => {
        await createPost(paris.db.sql, paris.origin, chloe.account.id, { text: `Pot de départ vendredi (${viewport.width})`, visibility: "local" });
        return await button.isVisible();
      }, { timeout: 15_000, interval: 1000 }).toBe(true);
      await button.click();
      await expect.poll(() => page.locator("#feed > li").first().textContent()).toContain("Pot de départ vendredi");
      await context.close();
    }
  }, 120_000);

  it("without JavaScript the timeline has no live button and shows what was rendered", async () => {
    await paris.createUser("dora", { password: "dora-password-1" });
    const context = await browser.newContext({ locale: "fr-FR", ignoreHTTPSErrors: true, javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, "dora", "dora-password-1");
    await page.goto(`${paris.url}/local`);
    expect(await page.getByRole("heading", { level: 1 }).count()).toBe(1);
    expect(await page.locator(".live-banner-button").isVisible()).toBe(false);
    expect(await page.locator("#feed > li").count()).toBeGreaterThan(0);
    await context.close();
  });
});
