// Polls in a real browser, without JavaScript (issue #11): alice writes a poll in the composer (French), bob votes
// from the post's page (English) and sees the results with their percentages; a second vote is refused with a
// clear page. Screenshots in both languages and on a 390 px phone; axe on every page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startTestInstance, type TestInstance } from "../../../test/instance.ts";
import { closePoll } from "../../domain/polls/polls.ts";
import { axeViolations, launchBrowser, logInPage as logIn, shot } from "../../../test/browser.ts";

async function context(browser: Browser, opts: { locale?: string; phone?: boolean } = {}): Promise<BrowserContext> {
  return await browser.newContext({
    locale: opts.locale ?? "fr-FR", ignoreHTTPSErrors: true, javaScriptEnabled: false,
    viewport: opts.phone ? { width: 390, height: 844 } : { width: 1280, height: 900 },
    ...(opts.phone ? { deviceScaleFactor: 2, isMobile: true, hasTouch: true } : {}),
  });
}

/** axe needs script: the same page, in a context with JavaScript and the same session. */
async function axeOf(browser: Browser, page: Page, prepare?: (js: Page) => Promise<void>): Promise<string[]> {
  const ctx = await browser.newContext({
    ignoreHTTPSErrors: true, locale: "fr-FR", storageState: await page.context().storageState(), viewport: page.viewportSize() ?? undefined,
  });
  try {
    const js = await ctx.newPage();
    await js.goto(page.url());
    await prepare?.(js);
    return await axeViolations(js);
  } finally {
    await ctx.close();
  }
}

describe("polls in Chromium, without JavaScript", () => {
  let paris: TestInstance, browser: Browser;
  beforeAll(async () => {
    [paris, browser] = await Promise.all([startTestInstance({ name: "Paris" }), launchBrowser()]);
    await paris.createUser("alice", { password: "alice-password-1", displayName: "Alice Martin" });
    await paris.createUser("bob", { password: "bob-password-12", displayName: "Bob Durand" });
  });
  afterAll(async () => {
    await browser?.close();
    await paris?.close();
  });

  it("alice writes a poll in the composer; bob votes from the post's page and sees the results", { timeout: 90_000 }, async () => {
    const aliceCtx = await context(browser);
    const alice = await aliceCtx.newPage();
    await logIn(alice, paris.origin, "alice", "alice-password-1");
    await alice.getByLabel("Écrire un message").fill("Où organise-t-on le séminaire d'équipe ?");
    await alice.getByText("Sondage", { exact: true }).click();
    await alice.getByLabel("Réponse 1").fill("Lyon");
    await alice.getByLabel("Réponse 2").fill("Paris");
    await alice.getByLabel("Réponse 3").fill("Nantes");
    await alice.getByLabel("Ouvert pendant").selectOption("259200");
    await shot(alice, "polls-composer-fr");
    expect(await axeOf(browser, alice, async (js) => {
      await js.getByText("Sondage", { exact: true }).click();
      await js.getByLabel("Réponse 1").waitFor();
    })).toEqual([]);
    await alice.getByRole("button", { name: "Publier" }).click();
    const mine = alice.locator("article.post").filter({ hasText: "séminaire d'équipe" });
    await mine.first().waitFor();
    // The author sees the results, not a vote form.
    await expect.poll(() => mine.locator(".poll-results").count()).toBe(1);
    expect(await mine.locator("form.poll").count()).toBe(0);
    const [{ id }] = await paris.db.sql`SELECT post_id::text AS id FROM polls ORDER BY post_id DESC LIMIT 1`;
    const [{ expires_in }] = await paris.db.sql`SELECT extract(epoch FROM expires_at - now())::int AS expires_in FROM polls WHERE post_id = ${id}`;
    expect(Math.abs(expires_in - 259_200)).toBeLessThan(120);

    // Bob (English) votes on the post's page: radio buttons in a fieldset, keyboard first.
    const bobCtx = await context(browser, { locale: "en-GB" });
    const bob = await bobCtx.newPage();
    await logIn(bob, paris.origin, "bob", "bob-password-12", true);
    await bob.goto(`${paris.origin}/@alice/${id}`);
    const stale = await bobCtx.newPage(); // the same form open in a second tab, submitted after the vote
    await stale.goto(`${paris.origin}/@alice/${id}`);
    const form = bob.locator("form.poll");
    expect(await form.getByRole("group", { name: "Choose one answer" }).count()).toBe(1);
    await form.getByLabel("Paris").focus();
    await bob.keyboard.press("Space");
    expect(await form.getByLabel("Paris").isChecked()).toBe(true);
    await shot(bob, "polls-vote-form-en");
    expect(await axeOf(browser, bob)).toEqual([]);
    await form.getByRole("button", { name: "Vote" }).click();
    const results = bob.locator(".poll-results");
    await results.waitFor();
    const paris_ = results.locator("li").filter({ hasText: "Paris" });
    expect(await paris_.textContent()).toContain("100 %");
    expect(await paris_.textContent()).toContain("your choice");
    expect(await results.textContent()).toContain("1 person voted");
    await shot(bob, "polls-results-en");
    expect(await axeOf(browser, bob)).toEqual([]);

    // A second vote (the stale tab's form) is refused with a clear page, and nothing more is counted.
    await stale.locator("form.poll").getByLabel("Lyon").check();
    const [answer] = await Promise.all([stale.waitForResponse((r) => r.url().endsWith("/vote")), stale.locator("form.poll").getByRole("button", { name: "Vote" }).click()]);
    expect(answer.status()).toBe(422);
    expect(await stale.locator("main").textContent()).toContain("You have already voted in this poll.");
    const [{ voters }] = await paris.db.sql`SELECT count(*)::int AS voters FROM poll_votes WHERE post_id = ${id}`;
    expect(voters).toBe(1);

    // On a phone, in French, alice sees bob's vote.
    const phoneCtx = await context(browser, { phone: true });
    const phone = await phoneCtx.newPage();
    await logIn(phone, paris.origin, "alice", "alice-password-1");
    await phone.goto(`${paris.origin}/@alice/${id}`);
    const onPhone = phone.locator(".poll-results");
    expect(await onPhone.textContent()).toContain("1 personne a voté");
    expect(await onPhone.locator("li").filter({ hasText: "Paris" }).textContent()).toContain("100 %");
    await shot(phone, "polls-results-phone-fr");
    expect(await axeOf(browser, phone)).toEqual([]);

    // The poll ends (its deadline moved to now, the close job run): alice and bob are told, each in their words.
    await paris.db.sql`UPDATE polls SET expires_at = now() - interval '1 second' WHERE post_id = ${id}`;
    expect(await closePoll(paris.db.sql, id)).toBe("closed");
    await phone.goto(`${paris.origin}/notifications`);
    expect(await phone.locator("main").textContent()).toContain("Votre sondage est terminé");
    await bob.goto(`${paris.origin}/notifications`);
    expect(await bob.locator("main").textContent()).toContain("A poll you took part in has ended");
    await bob.goto(`${paris.origin}/@alice/${id}`);
    expect(await bob.locator(".poll-results").textContent()).toContain("Ended");
    await Promise.all([aliceCtx.close(), bobCtx.close(), phoneCtx.close()]);
  });
});
