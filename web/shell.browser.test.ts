// The app shell in Chromium (issue #8 points 15, 19, 20): a sidebar on a 1280 px screen, a bottom bar with a
// "Plus" menu on a 390 px phone (opened by keyboard), the header's search and the person's menu, badges, the
// bookmarks and favourites pages, "copy link", muting with a confirmation and an undo, and axe on the main pages
// in French with no violation. Screenshots of home, profile and notifications, desktop and phone, in artifacts/.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startTestInstance, type TestInstance } from "../test/instance.ts";
import { ARTIFACTS, axeViolations, launchBrowser, shot } from "../test/browser.ts";
import { createPost } from "../server/domain/posts/posts.ts";
import { bookmark, like } from "../server/domain/posts/interactions.ts";
import { follow } from "../server/domain/follows/follows.ts";

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

async function context(browser: Browser, viewport: { width: number; height: number }, js = true): Promise<BrowserContext> {
  // Test instances use the throwaway test CA (docs/adr/0002), which this browser profile does not know.
  const phone = viewport.width < 500;
  return await browser.newContext({
    locale: "fr-FR", ignoreHTTPSErrors: true, viewport, javaScriptEnabled: js,
    ...(phone ? { deviceScaleFactor: 2, isMobile: true, hasTouch: true } : {}),
  });
}

async function logIn(page: Page, origin: string): Promise<void> {
  await page.goto(`${origin}/login`);
  await page.getByLabel("Nom d'utilisateur").fill("alice");
  await page.getByLabel("Mot de passe").fill("alice-password-1");
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.waitForURL((u) => u.pathname === "/");
}

/** Presses Tab until the focused element matches `selector` (at most 40 times), as a keyboard user would. */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

describe("the app shell in Chromium", () => {
  let paris: TestInstance, browser: Browser;
  let postPath: string;
  beforeAll(async () => {
    [paris, browser] = await Promise.all([startTestInstance({ name: "Paris" }), launchBrowser()]);
    const alice = await paris.createUser("alice", { password: "alice-password-1", displayName: "Alice Martin", locked: true });
    const bob = await paris.createUser("bob", { password: "bob-password-12", displayName: "Bob Durand" });
    const chloe = await paris.createUser("chloe", { displayName: "Chloé Petit" });
    // A follow request waiting for alice, a post of hers with links that bob likes (a notification whose excerpt
    // holds links), and bob's post that alice keeps.
    await follow(paris.db.sql, paris.origin, chloe.account.id, alice.account.id);
    const own = await createPost(paris.db.sql, paris.origin, alice.account.id, {
      text: "Le guide est là : https://intranet.example/guide — merci @bob ! #cybersécurité", visibility: "internal",
    });
    await like(paris.db.sql, paris.origin, bob.account.id, own.id);
    const bobs = await createPost(paris.db.sql, paris.origin, bob.account.id, { text: "Réunion d'équipe jeudi à 10 h, salle Seine.", visibility: "local" });
    await bookmark(paris.db.sql, alice.account.id, bobs.id);
    await like(paris.db.sql, paris.origin, alice.account.id, bobs.id);
    postPath = `/@alice/${own.id}`;
  });
  afterAll(async () => {
    await browser?.close();
    await paris?.close();
  });

  it("on a desktop: a sidebar of sections with badges, the header's search and the person's menu; axe finds nothing", { timeout: 90_000 }, async () => {
    const ctx = await context(browser, DESKTOP);
    const page = await ctx.newPage();
    await logIn(page, paris.origin);
    const nav = page.getByRole("navigation", { name: "Navigation principale" });
    for (const name of ["Accueil", "Filiale", "Groupe", "Annuaire", "Signets", "Favoris"]) {
      expect(await nav.getByRole("link", { name, exact: true }).isVisible(), name).toBe(true);
    }
    // The waiting follow request shows as a section with its count; Plus is a phone thing.
    expect(await nav.getByRole("link", { name: /^Demandes d'abonnement \(1\sdemande en attente\)$/ }).isVisible()).toBe(true);
    expect(await nav.getByRole("link", { name: /^Notifications \(2 notifications non lues\)$/ }).isVisible()).toBe(true);
    expect(await page.locator(".nav-more-button").isVisible()).toBe(false);
    const navBox = (await nav.boundingBox())!;
    const mainBox = (await page.locator("main").boundingBox())!;
    expect(navBox.x + navBox.width).toBeLessThanOrEqual(mainBox.x);
    await shot(page, "shell-home-desktop-fr");

    // The person's menu, by keyboard: its button is a <summary>.
    await page.locator(".account-menu-button").focus();
    await page.keyboard.press("Enter");
    const menu = page.locator(".account-menu-panel");
    for (const name of ["Profil", "Modifier le profil", "Langue"]) expect(await menu.getByRole("link", { name, exact: true }).isVisible()).toBe(true);
    expect(await menu.getByRole("button", { name: "Déconnexion" }).isVisible()).toBe(true);
    await page.keyboard.press("Escape");
    expect(await menu.isVisible()).toBe(false);

    // The search box is on every page and finds people (the group-wide search, issue #14).
    await page.getByRole("searchbox", { name: "Rechercher dans Ruche" }).fill("Chloé");
    await page.keyboard.press("Enter");
    await page.waitForURL((u) => u.pathname === "/knowledge/search");
    expect(await page.getByRole("link", { name: /Chloé Petit/ }).count()).toBeGreaterThan(0);

    const report: Record<string, string[]> = {};
    for (const [name, path] of [["home", "/"], ["profile", "/@alice"], ["directory", "/directory"], ["notifications", "/notifications"],
      ["thread", postPath], ["settings", "/settings/profile"], ["bookmarks", "/bookmarks"]] as const) {
      await page.goto(`${paris.origin}${path}`);
      if (name === "profile" || name === "notifications") await shot(page, `shell-${name}-desktop-fr`);
      if (name === "notifications") {
        // The excerpt keeps its links, and the way to the post is a link beside them, never around them.
        expect(await page.locator(".notification-excerpt a[href='https://intranet.example/guide']").count()).toBe(1);
        expect(await page.locator("a a").count()).toBe(0);
        expect(await page.getByRole("link", { name: "Voir le message" }).count()).toBe(1);
      }
      report[name] = await axeViolations(page);
    }
    expect(report).toEqual({ home: [], profile: [], directory: [], notifications: [], thread: [], settings: [], bookmarks: [] });
    await ctx.close();
  });

  it("on a phone: a bottom bar, the other sections in Plus, opened and followed by keyboard; axe finds nothing", { timeout: 90_000 }, async () => {
    const ctx = await context(browser, PHONE);
    const page = await ctx.newPage();
    await logIn(page, paris.origin);
    const nav = page.getByRole("navigation", { name: "Navigation principale" });
    const bar = (await nav.boundingBox())!;
    expect(bar.y + bar.height).toBeCloseTo(PHONE.height, 0);
    expect(bar.width).toBe(PHONE.width);
    for (const name of ["Accueil", "Filiale", "Annuaire"]) expect(await nav.getByRole("link", { name, exact: true }).isVisible(), name).toBe(true);
    const bookmarks = nav.getByRole("link", { name: "Signets", exact: true });
    expect(await bookmarks.isVisible()).toBe(false);
    // Nothing sticks out sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: join(ARTIFACTS, "shell-home-phone-fr.png") });

    await tabTo(page, "summary.nav-more-button");
    await page.keyboard.press("Enter");
    await bookmarks.waitFor({ state: "visible" });
    expect(await nav.getByRole("link", { name: /^Demandes d'abonnement/ }).isVisible()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, "shell-plus-menu-phone-fr.png") });
    await tabTo(page, ".nav-more-list a[href='/bookmarks']");
    await page.keyboard.press("Enter");
    await page.waitForURL((u) => u.pathname === "/bookmarks");
    expect(await page.getByText("Réunion d'équipe jeudi").isVisible()).toBe(true);
    // The current page shows on Plus, which holds it.
    expect(await page.locator("summary.nav-more-button.is-current").count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);

    for (const [name, path] of [["profile", "/@alice"], ["notifications", "/notifications"], ["directory", "/directory"]] as const) {
      await page.goto(`${paris.origin}${path}`);
      await page.screenshot({ path: join(ARTIFACTS, `shell-${name}-phone-fr.png`) });
      expect(await page.evaluate(() => document.documentElement.scrollWidth), name).toBeLessThanOrEqual(PHONE.width);
      expect(await axeViolations(page), name).toEqual([]);
    }
    await ctx.close();
  });

  it("lists favourites; copies a post's link; mutes only after a confirmation, with an undo", { timeout: 60_000 }, async () => {
    const ctx = await context(browser, DESKTOP);
    await ctx.grantPermissions(["clipboard-read", "clipboard-write"], { origin: paris.origin });
    const page = await ctx.newPage();
    await logIn(page, paris.origin);
    await page.goto(`${paris.origin}/favourites`);
    expect(await page.getByRole("heading", { name: "Favoris" }).isVisible()).toBe(true);
    const post = page.locator("article").filter({ hasText: "Réunion d'équipe jeudi" });
    await post.waitFor();

    await post.locator(".post-menu > summary").click();
    await post.getByRole("link", { name: "Copier le lien" }).click();
    await page.getByRole("status").filter({ hasText: "Lien copié." }).waitFor({ state: "attached" });
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(new RegExp(`^${paris.origin}/@bob/\\d+$`));

    await page.goto(`${paris.origin}/local`);
    const bobs = page.locator("article").filter({ hasText: "Réunion d'équipe jeudi" });
    await bobs.locator(".post-menu > summary").click();
    await bobs.getByText("Masquer \u2068Bob Durand\u2069").click();
    // Nothing is muted yet: the confirmation says what it will do.
    await bobs.getByText("Vous ne verrez plus les messages de").waitFor();
    await bobs.getByRole("button", { name: "Masquer", exact: true }).click();
    await page.waitForURL((u) => u.pathname === "/local");
    const notice = page.locator(".notice-undo");
    expect(await notice.textContent()).toContain("Bob Durand\u2069 est masqué·e");
    await page.screenshot({ path: join(ARTIFACTS, "shell-mute-undo-desktop-fr.png") });
    expect(await page.getByText("Réunion d'équipe jeudi").count()).toBe(0);
    await notice.getByRole("button", { name: "Annuler" }).click();
    await page.waitForURL((u) => u.pathname === "/local");
    expect(await page.getByRole("status").filter({ hasText: "n'est plus masqué·e" }).count()).toBe(1);
    expect(await page.getByText("Réunion d'équipe jeudi").count()).toBe(1);
    await ctx.close();
  });

  it("works without JavaScript: the Plus menu and the person's menu open, copy link is a link to the post", { timeout: 60_000 }, async () => {
    const ctx = await context(browser, PHONE, false);
    const page = await ctx.newPage();
    await logIn(page, paris.origin);
    await page.locator("summary.nav-more-button").click();
    await page.getByRole("link", { name: "Favoris", exact: true }).click();
    await page.waitForURL((u) => u.pathname === "/favourites");
    const post = page.locator("article").filter({ hasText: "Réunion d'équipe jeudi" });
    await post.locator(".post-menu > summary").click();
    expect(await post.getByRole("link", { name: "Copier le lien" }).getAttribute("href")).toMatch(/^\/@bob\/\d+$/);
    await page.locator(".account-menu-button").click();
    await page.getByRole("button", { name: "Déconnexion" }).click();
    await page.waitForURL((u) => u.pathname === "/");
    expect(await page.locator(".site-nav").count()).toBe(0);
    await ctx.close();
  });
});
