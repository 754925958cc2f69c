// Messages in Chromium (issue #9 point 2): alice (Paris) writes to bob (Paris) and carol (Lyon) with an image from
// the new-message form, then keeps the conversation open; carol's answer from Lyon (over federation) and bob's
// appear in it without a reload, and her list shows the conversation. French, no axe violation on any page;
// screenshots (desktop and phone) in artifacts/.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { createRestAPIClient } from "masto";
import { eventually, startSiblings, type TestInstance } from "../../../test/instance.ts";
import { axeViolations, launchBrowser, shot } from "../../../test/browser.ts";
import { createPost } from "../../domain/posts/posts.ts";
import { postIdByIri } from "../../domain/posts/post-views.ts";

describe("messages in Chromium", () => {
  let paris: TestInstance, lyon: TestInstance, browser: Browser;
  beforeAll(async () => {
    [[paris, lyon], browser] = await Promise.all([startSiblings("Paris", "Lyon"), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([paris?.close(), lyon?.close()]);
  });

  async function signIn(page: Page, username: string, password: string) {
    await page.goto(`${paris.url}/login`);
    await page.getByLabel("Nom d'utilisateur").fill(username);
    await page.getByLabel("Mot de passe").fill(password);
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.waitForURL((u) => u.pathname === "/");
  }

  it("writes to two colleagues with an image, and their answers appear live in the open conversation", async () => {
    await paris.createUser("alice", { password: "alice-password-1", displayName: "Alice Martin" });
    const bob = await paris.createUser("bob", { displayName: "Bob Durand" });
    const carol = await lyon.createUser("carol", { displayName: "Carol Petit" });
    const context = await browser.newContext({ locale: "fr-FR", ignoreHTTPSErrors: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signIn(page, "alice", "alice-password-1");

    await page.getByRole("navigation", { name: "Navigation principale" }).getByRole("link", { name: "Messages" }).click();
    await page.waitForURL((u) => u.pathname === "/messages");
    expect(await axeViolations(page)).toEqual([]);
    expect(await page.getByText("Aucune conversation pour l'instant.", { exact: false }).count()).toBe(1);
    // From bob's profile, "Écrire un message" opens the form addressed to him; alice adds carol of Lyon.
    await page.goto(`${paris.url}/@bob`);
    await page.getByRole("link", { name: "Écrire un message" }).click();
    await page.waitForURL((u) => u.pathname === "/messages/new");
    expect(await page.getByLabel("À", { exact: true }).inputValue()).toBe(`bob@${paris.host}`);
    await page.getByLabel("À", { exact: true }).fill(`bob@${paris.host}, carol@${lyon.host}`);
    await page.getByLabel("Message", { exact: true }).fill("Le devis du projet Orion, pour relecture.");
    await page.getByText("Images", { exact: true }).click();
    await page.locator("input[name=image1]").setInputFiles(join(import.meta.dirname, "../../../web/static/header-missing.png"));
    await page.getByLabel("Description de l'image 1").fill("Le devis");
    await shot(page, "messages-new-desktop-fr");
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Envoyer" }).click();
    await page.waitForURL((u) => /^\/messages\/\d+$/.test(u.pathname));
    const log = page.getByRole("log");
    await expect.poll(() => page.locator("#messages > li").count()).toBe(1);
    expect(await log.getByRole("img", { name: "Le devis" }).count()).toBe(1);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Conversation avec Bob Durand et Carol Petit");
    await expect.poll(() => paris.instance.streaming.subscriptions(), { timeout: 10_000 }).toBeGreaterThan(0);
    const marker = await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

    // Carol answers from Lyon (the message reached her there); it appears in alice's open page.
    const [first] = await createRestAPIClient({ url: paris.origin, accessToken: bob.token }).v1.conversations.list();
    const onLyon = await eventually(async () => postIdByIri(lyon.db.sql, `${paris.origin}/ap/note/${first.lastStatus!.id}`), 20_000, "the message on Lyon");
    await createRestAPIClient({ url: lyon.origin, accessToken: carol.token }).v1.statuses.create({
      status: `@alice@${paris.host} @bob@${paris.host} Relu, c'est bon pour moi.`, visibility: "direct", inReplyToId: onLyon,
    });
    await expect.poll(() => log.getByText("Relu, c'est bon pour moi.").count(), { timeout: 20_000 }).toBe(1);
    // Bob answers on Paris; it appears too, read at once since alice is looking at it.
    await createPost(paris.db.sql, paris.origin, bob.account.id, {
      text: `@alice @carol@${lyon.host} Parfait, je l'envoie au client.`, visibility: "direct", inReplyToId: first.lastStatus!.id,
    });
    await expect.poll(() => log.getByText("Parfait, je l'envoie au client.").count(), { timeout: 10_000 }).toBe(1);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(marker);
    expect(await page.locator("#messages > li").count()).toBe(3);
    await shot(page, "messages-conversation-desktop-fr");
    expect(await axeViolations(page)).toEqual([]);

    // The list: one conversation, read (alice saw every message), with the last one's excerpt.
    await page.goto(`${paris.url}/messages`);
    const entries = page.locator("#conversations > li");
    expect(await entries.count()).toBe(1);
    expect(await entries.first().textContent()).toContain("Parfait, je l'envoie au client.");
    await shot(page, "messages-list-desktop-fr");

    // On a phone: the list, the conversation (the Messages section is in the "Plus" menu), and mute from its menu.
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, "messages-list-phone-fr");
    expect(await axeViolations(page)).toEqual([]);
    await entries.first().getByRole("link").click();
    await page.waitForURL((u) => /^\/messages\/\d+$/.test(u.pathname));
    await shot(page, "messages-conversation-phone-fr");
    expect(await axeViolations(page)).toEqual([]);
    await page.getByText("Réglages de la conversation").click();
    await page.getByRole("button", { name: "Mettre en sourdine" }).click();
    await page.waitForURL((u) => /^\/messages\/\d+$/.test(u.pathname));
    expect(await page.getByText("En sourdine : cette conversation ne vous envoie aucune notification.").count()).toBe(1);
    await page.goto(`${paris.url}/messages/new`);
    await shot(page, "messages-new-phone-fr");
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  }, 240_000);
});
