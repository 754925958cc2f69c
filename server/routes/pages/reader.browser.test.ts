// The reader's side of issue #8 in a real Chromium: `next` with a control character never leaves the site after a
// genuine sign-in (point 25); a signed-out employee opening an internal post's link signs in and lands on it (point
// 11); a Paris reader sees a 17:50 UTC post at 18:50, in French (point 16); and a new employee's empty home welcomes
// them (point 18); an internal post is shared from its page, the boost staying internal (point 17). Screenshots of each at desktop and phone widths; axe finds nothing on them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startTestInstance, type TestInstance } from "../../../test/instance.ts";
import { axeViolations, launchBrowser, shot } from "../../../test/browser.ts";
import { createPost } from "../../domain/posts/posts.ts";
import { updateLocalProfile } from "../../domain/profiles/profiles.ts";

async function context(browser: Browser, opts: { timezoneId?: string; js?: boolean; phone?: boolean } = {}): Promise<BrowserContext> {
  // Test instances use the throwaway test CA (docs/adr/0002), which this browser profile does not know.
  return await browser.newContext({
    locale: "fr-FR", timezoneId: opts.timezoneId ?? "UTC", ignoreHTTPSErrors: true, javaScriptEnabled: opts.js ?? true,
    viewport: opts.phone ? { width: 390, height: 844 } : { width: 1280, height: 900 },
    ...(opts.phone ? { deviceScaleFactor: 2, isMobile: true, hasTouch: true } : {}),
  });
}

async function fillSignIn(page: Page, username: string): Promise<void> {
  await page.getByLabel("Nom d'utilisateur").fill(username);
  await page.getByLabel("Mot de passe").fill(`${username}-password-1`);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.waitForLoadState("load");
}

describe("reading Ruche in Chromium", () => {
  let paris: TestInstance, browser: Browser, internalPath: string;
  beforeAll(async () => {
    [paris, browser] = await Promise.all([startTestInstance({ name: "Paris" }), launchBrowser()]);
    const alice = await paris.createUser("alice", { password: "alice-password-1", displayName: "Alice Martin" });
    for (const u of ["bruno", "carla", "dora"]) await paris.createUser(u, { password: `${u}-password-1` });
    const post = await createPost(paris.db.sql, paris.origin, alice.account.id, { text: "Réunion d'équipe à 18 h 50 #projet", visibility: "internal" });
    await paris.db.sql`UPDATE posts SET created_at = '2026-12-03T17:50:00Z' WHERE id = ${post.id}`;
    internalPath = `/@alice/${post.id}`;
  });
  afterAll(async () => {
    await browser?.close();
    await paris?.close();
  });

  it("a `next` with a tab or a newline stays on the site after a genuine sign-in (point 25)", { timeout: 60_000 }, async () => {
    const ctx = await context(browser);
    const page = await ctx.newPage();
    // As a link would carry it…
    await page.goto(`${paris.origin}/login?next=${encodeURIComponent("/\t/evil.example")}`);
    await fillSignIn(page, "bruno");
    expect(new URL(page.url()).origin).toBe(paris.origin);
    expect(new URL(page.url()).pathname).toBe("/");
    await ctx.clearCookies();
    // …and written into the form itself, past what the sign-in page echoes.
    for (const evil of ["/\t/evil.example", "/\n/evil.example", "/\\evil.example"]) {
      await page.goto(`${paris.origin}/login`);
      await page.locator('form[action="/login"] input[name="next"]').evaluate((el, v) => { (el as HTMLInputElement).value = v; }, evil);
      await fillSignIn(page, "bruno");
      expect(new URL(page.url()).origin, JSON.stringify(evil)).toBe(paris.origin);
      await ctx.clearCookies();
    }
    await ctx.close();
  });

  it("a signed-out employee opening an internal post's link signs in and lands on the post (point 11)", { timeout: 60_000 }, async () => {
    const ctx = await context(browser);
    const page = await ctx.newPage();
    const res = await page.goto(`${paris.origin}${internalPath}`);
    expect(res?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe("/login");
    await fillSignIn(page, "carla");
    expect(new URL(page.url()).pathname).toBe(internalPath);
    await page.getByText("Réunion d'équipe").first().waitFor();
    await ctx.close();
  });

  it("a Paris reader sees the 17:50 UTC post at 18:50, in French (point 16)", { timeout: 90_000 }, async () => {
    for (const phone of [false, true]) {
      const ctx = await context(browser, { timezoneId: "Europe/Paris", phone });
      const page = await ctx.newPage();
      await page.goto(`${paris.origin}/login?next=${encodeURIComponent(internalPath)}`);
      await fillSignIn(page, "dora");
      expect(new URL(page.url()).pathname).toBe(internalPath);
      const time = page.locator("article.post-focus .post-time time");
      expect(await time.textContent()).toBe("jeudi 3 décembre 2026 à 18:50 UTC+1");
      expect(await time.getAttribute("datetime")).toBe("2026-12-03T17:50:00.000Z");
      expect(await time.getAttribute("title")).toBe("jeudi 3 décembre 2026 à 18:50 UTC+1");
      await shot(page, `reader-post-time-fr${phone ? "-phone" : ""}`);
      if (!phone) {
        expect(await axeViolations(page)).toEqual([]);
        // The zone the browser told at sign-in is the setting, which can be changed by hand.
        await page.goto(`${paris.origin}/settings/language`);
        expect(await page.getByLabel("Fuseau horaire").inputValue()).toBe("Europe/Paris");
        await shot(page, "reader-settings-time-zone-fr");
        expect(await axeViolations(page)).toEqual([]);
      }
      await ctx.close();
    }
  });

  it("a new employee's empty home welcomes them, and the follow buttons work without JavaScript (point 18)", { timeout: 90_000 }, async () => {
    const nina = await paris.createUser("nina", { password: "nina-password-1" });
    await updateLocalProfile(paris.db.sql, nina.account.id, { department: "Finance", site: "Lyon" });
    for (const [u, name, department, site, jobTitle] of [["lea", "Léa Martin", "Finance", "Lyon", "Comptable"], ["marc", "Marc Petit", "Finance", "Paris", "Contrôleur de gestion"],
      ["zoe", "Zoé Roux", "Ventes", "Lyon", "Commerciale"]]) {
      const p = await paris.createUser(u, { displayName: name, password: `${u}-password-1` });
      await updateLocalProfile(paris.db.sql, p.account.id, { department, site, jobTitle });
      await createPost(paris.db.sql, paris.origin, p.account.id, { text: `Bienvenue à l'équipe #accueil #${u === "lea" ? "budget" : "ventes"}`, visibility: "internal" });
    }
    for (const phone of [false, true]) {
      const ctx = await context(browser, { phone, js: !phone });
      const page = await ctx.newPage();
      await page.goto(`${paris.origin}/login`);
      await fillSignIn(page, "nina");
      const welcome = page.locator("section.onboarding");
      await welcome.getByRole("heading", { name: "Bienvenue sur Ruche" }).waitFor();
      expect(await welcome.getByRole("link", { name: "#accueil" }).count()).toBe(1);
      await shot(page, `reader-home-onboarding-fr${phone ? "-phone" : ""}`);
      if (!phone) expect(await axeViolations(page)).toEqual([]);
      else {
        // Without JavaScript: the button is a form that comes back home, Léa then followed.
        await welcome.getByRole("button", { name: "Suivre \u2068Léa Martin\u2069" }).click();
        await page.waitForLoadState("load");
        expect(new URL(page.url()).pathname).toBe("/");
        await page.getByText("#budget").first().waitFor();
        expect(await page.locator("section.onboarding").count()).toBe(0);
        await shot(page, "reader-home-after-follow-fr-phone");
      }
      await ctx.close();
    }
  });

  it("an internal post can be shared from its page, with and without JavaScript; the boost keeps its audience (point 17)", { timeout: 90_000 }, async () => {
    const [alice] = await paris.db.sql`SELECT id::text FROM accounts WHERE username = 'alice' AND domain IS NULL`;
    const followersOnly = await createPost(paris.db.sql, paris.origin, alice.id, { text: "Pour mes abonnés seulement", visibility: "followers" });
    await paris.db.sql`INSERT INTO follows (follower_id, following_id, state, iri)
      SELECT a.id, ${alice.id}, 'accepted', ${`${paris.origin}/f/reader-17`} FROM accounts a WHERE a.username = 'bruno' AND a.domain IS NULL`;
    for (const [username, js] of [["bruno", true], ["carla", false]] as const) {
      const ctx = await context(browser, { js });
      const page = await ctx.newPage();
      await page.goto(`${paris.origin}/login?next=${encodeURIComponent(internalPath)}`);
      await fillSignIn(page, username);
      await page.getByRole("button", { name: "Partager" }).first().click();
      await page.getByRole("button", { name: "Annuler le partage" }).first().waitFor();
      const [boost] = await paris.db.sql`SELECT b.visibility FROM posts b JOIN accounts a ON a.id = b.account_id
        WHERE a.username = ${username} AND b.reblog_of_id = ${internalPath.split("/").pop()!}`;
      expect(boost?.visibility, username).toBe("internal");
      if (js) {
        // A followers-only post offers no share button, only the reason.
        await page.goto(`${paris.origin}/@alice/${followersOnly.id}`);
        await page.getByText("Pour mes abonnés seulement").first().waitFor();
        expect(await page.getByRole("button", { name: "Partager" }).count()).toBe(0);
        expect(await page.locator(".post-action-disabled").count()).toBeGreaterThan(0);
        expect(await axeViolations(page)).toEqual([]);
      }
      await ctx.close();
    }
  });
});
