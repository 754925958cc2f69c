// The navigation's notification badge, live (issue #9): alice has her home page open in Chromium; bob mentions her,
// then a Lyon colleague does over federation, and the badge goes up by one each time without a reload — in French, with no
// axe violation. Screenshots (desktop, phone) in artifacts/.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { followAcross, startSiblings, type TestInstance } from "../../../test/instance.ts";
import { axeViolations, launchBrowser, shot } from "../../../test/browser.ts";
import { createPost } from "../../domain/posts/posts.ts";
import { createRestAPIClient } from "masto";

describe("live notification badge in Chromium", () => {
  let paris: TestInstance, lyon: TestInstance, browser: Browser;
  beforeAll(async () => {
    [[paris, lyon], browser] = await Promise.all([startSiblings("Paris", "Lyon"), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([paris?.close(), lyon?.close()]);
  });

  it("counts a new mention from Paris and one from Lyon without reloading the page", async () => {
    const alice = await paris.createUser("alice", { password: "alice-password-1", displayName: "Alice Martin" });
    const bob = await paris.createUser("bob", { displayName: "Bob Durand" });
    const carol = await lyon.createUser("carol");
    await followAcross(lyon, carol.account.id, paris, "alice");
    for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
      const context = await browser.newContext({ locale: "fr-FR", ignoreHTTPSErrors: true, viewport });
      const page = await context.newPage();
      await page.goto(`${paris.url}/login`);
      await page.getByLabel("Nom d'utilisateur").fill("alice");
      await page.getByLabel("Mot de passe").fill("alice-password-1");
      await page.getByRole("button", { name: "Se connecter" }).click();
      await page.waitForURL((u) => u.pathname === "/");
      const nav = page.getByRole("navigation", { name: /./ }).first();
      const link = nav.locator('a[data-section="notifications"]');
      await expect.poll(() => paris.instance.streaming.subscriptions(), { timeout: 10_000 }).toBeGreaterThan(0);
      // Carol's follow is already counted (1) on the first pass; the second pass also has the first pass's two mentions.
      const before = Number((await link.locator('.nav-count [aria-hidden="true"]').textContent()) ?? 0);
      expect(before).toBe(viewport.width < 500 ? 3 : 1);
      const marker = await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

      await createPost(paris.db.sql, paris.origin, bob.account.id, { text: "@alice le compte rendu est prêt", visibility: "internal" });
      const badge = () => link.locator(".nav-count").textContent({ timeout: 1000 }).then((t) => t?.trim()).catch(() => null);
      await expect.poll(badge, { timeout: 10_000 }).toBe(`${before + 1}(${before + 1} notifications non lues)`);
      await createRestAPIClient({ url: lyon.origin, accessToken: carol.token }).v1.statuses.create({ status: `@alice@${paris.host} merci !` });
      await expect.poll(badge, { timeout: 15_000 }).toBe(`${before + 2}(${before + 2} notifications non lues)`);
      // Still the same page (no reload happened).
      expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(marker);
      await shot(page, `live-badge-${viewport.width < 500 ? "phone" : "desktop"}-fr`);
      expect(await axeViolations(page)).toEqual([]);
      await context.close();
    }
  }, 120_000);
});
