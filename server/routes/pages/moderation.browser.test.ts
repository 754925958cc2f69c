// Reports and moderation as people meet them (issue #15 point 5), in real Chromium on a real HTTPS instance: Alice
// reports one of Bob's messages from its menu; the moderator finds it in the queue, removes it with a reason; Bob is
// told on his next page and reads the reason; the log keeps the decision. axe on every page, phone width too.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startTestInstance, type TestInstance } from "../../../test/instance.ts";
import { axeViolations, launchBrowser, logInPage, newContext, shot } from "../../../test/browser.ts";
import { createPost } from "../../domain/posts/posts.ts";
import { postIdByIri } from "../../domain/posts/post-views.ts";

describe("reports and moderation in the browser", () => {
  let paris: TestInstance, browser: Browser;
  beforeAll(async () => {
    [paris, browser] = await Promise.all([startTestInstance({ name: "Paris" }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await paris?.close();
  });

  it("Alice reports a message; the moderator removes it with a reason; Bob reads why", async () => {
    await paris.createUser("alice", { password: "alice-password-1", displayName: "Alice Martin" });
    const bob = await paris.createUser("bob", { password: "bob-password-12", displayName: "Bob Durand" });
    const mod = await paris.createUser("claire", { password: "claire-password-1", displayName: "Claire Modé" });
    await paris.db.sql`UPDATE users SET role = 'moderator' WHERE account_id = ${mod.account.id}`;
    const post = await createPost(paris.db.sql, paris.origin, bob.account.id, { text: "Un message insultant", visibility: "internal" });

    const alice = await (await newContext(browser, "fr-FR")).newPage();
    await logInPage(alice, paris.origin, "alice", "alice-password-1");
    await alice.goto(`${paris.origin}/posts/${post.id}`);
    await alice.locator(".post-menu summary").first().click();
    await alice.getByRole("link", { name: "Signaler" }).click();
    await alice.getByRole("heading", { name: "Signaler" }).waitFor();
    expect(await alice.getByText("Un message insultant").count()).toBe(1);
    await alice.getByLabel("Contraire à la charte d'utilisation").check();
    await alice.getByLabel("Précisions (facultatif)").fill("Propos blessants envers l'équipe");
    expect(await axeViolations(alice)).toEqual([]);
    await shot(alice, "report-form-fr");
    await alice.getByRole("button", { name: "Envoyer le signalement" }).click();
    await alice.getByText("Merci. Votre signalement a été transmis à l'équipe de modération.").waitFor();

    // Alice is no moderator: the queue is not hers.
    const refused = await alice.goto(`${paris.origin}/admin/reports`);
    expect(refused?.status()).toBe(403);

    const claire = await (await newContext(browser, "fr-FR")).newPage();
    await logInPage(claire, paris.origin, "claire", "claire-password-1");
    await claire.goto(`${paris.origin}/admin/reports`);
    await claire.getByRole("link", { name: "Examiner le signalement concernant Bob Durand" }).click();
    expect(await claire.getByText("Propos blessants envers l'équipe").count()).toBe(1);
    expect(await claire.getByText("Signalé par Alice Martin").count()).toBe(1);
    expect(await axeViolations(claire)).toEqual([]);
    await shot(claire, "report-decision-fr");
    // Without a reason the decision is refused, and nothing is deleted.
    await claire.getByLabel("Supprimer les messages signalés").check();
    await claire.getByRole("button", { name: "Enregistrer la décision" }).click();
    await claire.getByText("Indiquez le motif que la personne lira.").waitFor();
    expect(await postIdByIri(paris.db.sql, post.iri)).toBe(post.id);
    await claire.getByLabel("Supprimer les messages signalés").check();
    await claire.getByLabel("Motif communiqué à la personne").fill("Message contraire à la charte : respect des collègues.");
    await claire.getByRole("button", { name: "Enregistrer la décision" }).click();
    await claire.getByText("La décision est enregistrée.").waitFor();
    expect(await postIdByIri(paris.db.sql, post.iri)).toBeNull();
    await claire.goto(`${paris.origin}/admin/moderation-log`);
    expect(await claire.locator(".report-item strong", { hasText: "Supprimer les messages signalés" }).count()).toBe(1);
    expect(await claire.getByText("par Claire Modé").count()).toBe(1);
    expect(await axeViolations(claire)).toEqual([]);
    await claire.setViewportSize({ width: 390, height: 844 });
    await shot(claire, "moderation-log-fr-phone");

    const bobPage = await (await newContext(browser, "fr-FR")).newPage();
    await logInPage(bobPage, paris.origin, "bob", "bob-password-12");
    await bobPage.getByText("Une décision de modération vous concerne.").waitFor();
    await bobPage.getByRole("link", { name: "La lire" }).click();
    await bobPage.getByText("Message contraire à la charte : respect des collègues.").waitFor();
    expect(await axeViolations(bobPage)).toEqual([]);
    await shot(bobPage, "moderation-notices-fr");
    // Read: the banner is gone from the next page.
    await bobPage.goto(`${paris.origin}/`);
    expect(await bobPage.getByText("Une décision de modération vous concerne.").count()).toBe(0);
  });
});
