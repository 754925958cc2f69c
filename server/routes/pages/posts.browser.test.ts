// Posts in a real browser (issue #4): two sibling companies; alice (Paris) writes without JavaScript, bob (Lyon)
// reads, likes and answers with JavaScript; infinite scroll and the composer's character count; screenshots in
// French and English, desktop and a 390 px phone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { startSiblings, type TestInstance } from "../../../test/instance.ts";
import { join } from "node:path";
import { ARTIFACTS, launchBrowser, shot } from "../../../test/browser.ts";
import { createPost } from "../../domain/posts/posts.ts";
import { follow, followCounts } from "../../domain/follows/follows.ts";
import { resolveHandle } from "../../../federation/remote-actors.ts";

async function visible(locator: Locator, timeout = 10_000): Promise<Locator> {
  await locator.first().waitFor({ state: "visible", timeout });
  return locator;
}

async function context(browser: Browser, opts: { locale?: string; js?: boolean; phone?: boolean } = {}): Promise<BrowserContext> {
  // Test instances use the throwaway test CA (docs/adr/0002), which this browser profile does not know.
  return await browser.newContext({
    locale: opts.locale ?? "fr-FR", ignoreHTTPSErrors: true, javaScriptEnabled: opts.js ?? true,
    viewport: opts.phone ? { width: 390, height: 844 } : { width: 1280, height: 900 },
    ...(opts.phone ? { deviceScaleFactor: 2, isMobile: true, hasTouch: true } : {}),
  });
}

/** The visible part of the page only (a phone's screen), where a full-page shot of a long timeline says little. */
async function screen(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

async function logIn(page: Page, origin: string, username: string, password: string, english = false): Promise<void> {
  await page.goto(`${origin}/login`);
  await page.getByLabel(english ? "Username" : "Nom d'utilisateur").fill(username);
  await page.getByLabel(english ? "Password" : "Mot de passe").fill(password);
  await page.getByRole("button", { name: english ? "Log in" : "Se connecter" }).click();
  await page.waitForURL((u) => u.pathname === "/");
}

describe("posts, timelines and notifications in Chromium", () => {
  let paris: TestInstance, lyon: TestInstance, browser: Browser;
  let aliceId: string, bobId: string;
  beforeAll(async () => {
    [[paris, lyon], browser] = await Promise.all([startSiblings("Paris", "Lyon"), launchBrowser()]);
    const alice = await paris.createUser("alice", { password: "alice-password-1", displayName: "Alice Martin" });
    aliceId = alice.account.id;
    bobId = (await lyon.createUser("bob", { password: "bob-password-12", displayName: "Bob Durand" })).account.id;
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([paris?.close(), lyon?.close()]);
  });

  it("alice posts with a content warning without JavaScript; bob on Lyon sees it, likes it and answers; alice is told", { timeout: 60_000 }, async () => {
    // Bob follows alice first (the follow button itself is tested with the profile pages): her posts reach his
    // home timeline on Lyon from then on.
    const aliceOnLyon = await resolveHandle(lyon.instance.context(), `@alice@${paris.host}`);
    await follow(lyon.db.sql, lyon.origin, bobId, aliceOnLyon!.id);
    await expect.poll(async () => (await followCounts(lyon.db.sql, bobId)).following, { timeout: 15_000 }).toBe(1);
    const bobCtx = await context(browser, { locale: "en-GB" });
    const bob = await bobCtx.newPage();
    await logIn(bob, lyon.origin, "bob", "bob-password-12", true);

    const aliceCtx = await context(browser, { js: false });
    const alice = await aliceCtx.newPage();
    await logIn(alice, paris.origin, "alice", "alice-password-1");
    await visible(alice.getByRole("heading", { name: "Fil d'accueil" }));
    expect(await alice.getByLabel("Qui peut voir ce message").inputValue()).toBe("internal");
    await alice.getByLabel("Écrire un message").fill("Le bilan du trimestre est en ligne #finance");
    await alice.getByText("Avertissement de contenu", { exact: true }).first().click();
    await alice.getByRole("textbox", { name: "Avertissement de contenu" }).fill("Chiffres confidentiels");
    await alice.getByRole("button", { name: "Publier" }).click();
    const mine = alice.locator("article.post").filter({ hasText: "Chiffres confidentiels" });
    await visible(mine);
    // The content warning hides the text until opened (a <details>: no JavaScript needed).
    expect(await mine.getByText("Le bilan du trimestre").isVisible()).toBe(false);
    await mine.getByText("Afficher plus").click();
    expect(await mine.getByText("Le bilan du trimestre").isVisible()).toBe(true);
    await expect.poll(() => mine.locator(".scope").textContent()).toContain("Groupe");
    await shot(alice, "posts-home-composer-fr");

    // Bob, on Lyon, sees it once federation has delivered it.
    const theirs = bob.locator("article.post").filter({ hasText: "Chiffres confidentiels" });
    await expect.poll(async () => {
      await bob.goto(`${lyon.origin}/`);
      return await theirs.count();
    }, { timeout: 20_000 }).toBe(1);
    await theirs.getByText("Show more").click();
    await visible(theirs.getByText("Le bilan du trimestre est en ligne"));
    await shot(bob, "posts-home-en");
    // Like with JavaScript: the island sends the form and swaps the post in place.
    await theirs.getByRole("button", { name: "Like" }).click();
    await expect.poll(() => theirs.getByRole("button", { name: "Remove like" }).getAttribute("aria-pressed")).toBe("true");
    expect(new URL(bob.url()).pathname).toBe("/");
    await theirs.getByRole("link", { name: "Reply" }).click();
    await bob.getByLabel("Your reply").fill("Merci Alice, je transmets à l'équipe de Lyon.");
    await bob.getByRole("button", { name: "Reply", exact: true }).click();
    await visible(bob.locator(".thread-replies").getByText("je transmets à l'équipe de Lyon"));
    await shot(bob, "posts-thread-en");

    // Alice: the reply in her thread, and two notifications (a like and a reply).
    await expect.poll(async () => {
      await alice.goto(`${paris.origin}/notifications`);
      return await alice.locator(".notification").count();
    }, { timeout: 20_000 }).toBe(3);
    const text = await alice.locator("main").textContent();
    expect(text).toContain("Bob Durand vous suit");
    expect(text).toContain("Bob Durand a répondu à votre message");
    expect(text).toContain("Bob Durand a aimé votre message");
    expect(await alice.locator(".notification-unread").count()).toBe(3);
    await shot(alice, "posts-notifications-fr");
    // Opening the page marked them read.
    await alice.goto(`${paris.origin}/local`);
    expect(await alice.locator(".nav-count").count()).toBe(0);
    await alice.locator("article.post").filter({ hasText: "Chiffres confidentiels" }).locator("a.post-time").click();
    await visible(alice.locator(".thread-replies").getByText("je transmets à l'équipe de Lyon"));
    await alice.locator(".post-focus").getByText("Afficher plus").click();
    await shot(alice, "posts-thread-fr");
    // Editing, still without JavaScript: the "more" menu is a <details>.
    await alice.locator(".post-focus .post-menu > summary").click();
    await alice.getByRole("link", { name: "Modifier", exact: true }).click();
    await alice.getByLabel("Modifier le message").fill("Le bilan du trimestre est en ligne, version corrigée #finance");
    await alice.getByRole("button", { name: "Enregistrer" }).click();
    await alice.locator(".post-focus").getByText("Afficher plus").click();
    await visible(alice.locator(".post-focus").getByText("version corrigée"));
    expect(await alice.locator(".post-focus .post-edited").textContent()).toContain("modifié");
    await Promise.all([aliceCtx.close(), bobCtx.close()]);
  });

  it("scrolls the home timeline without end, counts characters as one types, and fits a phone", { timeout: 60_000 }, async () => {
    // Local posts: nothing to federate, so seeding stays quick.
    for (let batch = 0; batch < 5; batch++) {
      await Promise.all(Array.from({ length: 9 }, (_, k) => createPost(paris.db.sql, paris.origin, aliceId, {
        text: `Message de test n°${batch * 9 + k + 1} pour le défilement`, visibility: "local",
      })));
    }
    const ctx = await context(browser, { phone: true });
    const page = await ctx.newPage();
    await logIn(page, paris.origin, "alice", "alice-password-1");
    const items = page.locator("#feed > li");
    await visible(items);
    expect(await items.count()).toBe(20);
    for (const expected of [40, 45]) {
      await expect.poll(async () => {
        await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
        return await items.count();
      }, { timeout: 10_000 }).toBeGreaterThanOrEqual(expected);
    }
    await visible(page.getByText("Vous avez tout lu."));
    expect(await page.getByText("Message de test n°1 pour").count()).toBe(1);
    // Deleting with JavaScript removes the post in place, far down the scrolled list.
    const first = page.locator("article.post").filter({ hasText: "Message de test n°1 pour" });
    await first.locator(".post-menu > summary").click();
    await first.getByText("Supprimer", { exact: true }).click();
    await first.getByRole("button", { name: "Oui, supprimer" }).click();
    await expect.poll(() => page.getByText("Message de test n°1 pour").count()).toBe(0);
    expect(await items.count()).toBeGreaterThanOrEqual(44);

    await page.evaluate(() => window.scrollTo(0, 0));
    const count = page.locator("output.composer-count");
    expect((await count.textContent())?.replace(/\s/g, " ")).toBe("5 000 caractères restants");
    await page.getByLabel("Écrire un message").pressSequentially("Bonjour");
    await expect.poll(async () => (await count.textContent())?.replace(/\s/g, " ")).toBe("4 993 caractères restants");
    await page.getByLabel("Qui peut voir ce message").selectOption("local");
    await visible(page.getByText("Les salariés de votre filiale seulement"));
    await page.getByLabel("Avertissement de contenu").first().evaluate((e) => e.closest("details")?.setAttribute("open", ""));
    await screen(page, "posts-home-phone-fr");
    await page.getByText("Images", { exact: true }).click();
    await page.getByText("Image 1", { exact: true }).scrollIntoViewIfNeeded();
    await screen(page, "posts-composer-images-phone-fr");
    // An image with its description, posted from the same form.
    await page.locator("input[name=image1]").setInputFiles(join(import.meta.dirname, "../../../web/static/header-missing.png"));
    await page.getByLabel("Description de l'image 1 (texte alternatif)").fill("Bandeau couleur miel");
    await page.getByRole("button", { name: "Publier" }).click();
    const withImage = page.locator("article.post").filter({ hasText: "Bonjour" });
    await visible(withImage.getByRole("img", { name: "Bandeau couleur miel" }));
    expect(await withImage.locator(".scope").textContent()).toContain("Filiale");
    await withImage.scrollIntoViewIfNeeded();
    await screen(page, "posts-image-phone-fr");
    await page.goto(`${paris.origin}/tags/finance`);
    await visible(page.getByRole("heading", { name: "#finance" }));
    await page.getByRole("button", { name: "Suivre le mot-clé" }).click();
    await visible(page.getByRole("button", { name: "Ne plus suivre le mot-clé" }));
    await shot(page, "posts-hashtag-phone-fr");

    // Muting a word hides the posts that contain it.
    await page.goto(`${paris.origin}/settings/mutes`);
    await page.getByLabel("Mot ou expression").fill("défilement");
    await page.getByRole("button", { name: "Masquer un mot" }).click();
    await visible(page.getByText("défilement", { exact: true }));
    await page.goto(`${paris.origin}/`);
    await visible(page.locator("article.post").first());
    expect(await page.getByText("pour le défilement").count()).toBe(0);
    await page.goto(`${paris.origin}/settings/mutes`);
    await page.getByRole("button", { name: /Ne plus masquer/ }).click();
    await visible(page.getByText("Vous n'avez masqué aucun mot."));

    // The same person in English: notifications, and the thread with its menu open.
    await page.locator(".account-menu-button").click();
    await page.getByRole("button", { name: "English" }).click();
    await page.goto(`${paris.origin}/notifications`);
    await visible(page.getByText("Bob Durand replied to your post"));
    await shot(page, "posts-notifications-phone-en");
    await page.locator(".notification-reply article.post a.post-time").click();
    await visible(page.locator(".post-focus"));
    await page.locator(".post-focus .post-menu > summary").click();
    await screen(page, "posts-thread-phone-en");
    await ctx.close();
  });
});
