// The knowledge base in Chromium (issue #14), in French: an engineer writes an article with a preview, a colleague
// edits it, the history compares the two revisions; a stale edit shows both versions; a question suggests the
// expert, who is asked and answers, and the asker accepts; the search page finds the article without accents.
// Screenshots on a wide screen and a phone; axe finds nothing on any page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { startTestInstance, type TestInstance } from "../../../test/instance.ts";
import { axeViolations, launchBrowser, logInPage, newContext, shot } from "../../../test/browser.ts";

async function visible(locator: Locator): Promise<Locator> {
  await locator.waitFor({ state: "visible", timeout: 15_000 });
  return locator;
}
async function check(page: Page, name: string) {
  await shot(page, name);
  expect(await axeViolations(page), name).toEqual([]);
}

describe("knowledge-base pages in Chromium", () => {
  let paris: TestInstance, browser: Browser;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    [paris, browser] = await Promise.all([startTestInstance({ name: "Paris" }), launchBrowser()]);
    await paris.createUser("lea", { password: "lea-password-12", displayName: "Léa Martin" });
    await paris.createUser("paul", { password: "paul-password-1", displayName: "Paul Durand" });
    const dave = await paris.createUser("dave", { password: "dave-password-1", displayName: "Dave Ops" });
    await fetch(`${paris.url}/api/ruche/v1/profiles/me`, {
      method: "PATCH", headers: { Authorization: `Bearer ${dave.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ job_title: "SRE", expertise: ["kubernetes"] }),
    });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await paris?.close();
  });
  async function as(username: string, password: string): Promise<Page> {
    const ctx = await newContext(browser);
    contexts.push(ctx);
    const page = await ctx.newPage();
    await logInPage(page, paris.origin, username, password);
    return page;
  }

  it("write, preview, edit, history and diff, conflict, search", { timeout: 180_000 }, async () => {
    const lea = await as("lea", "lea-password-12");
    await lea.goto(`${paris.origin}/knowledge`);
    await check(lea, "ui-knowledge-home-empty-fr");
    await lea.getByRole("link", { name: "Nouvel article" }).first().click();
    await lea.getByLabel("Titre").fill("Déployer la paie");
    await lea.getByLabel("Texte (Markdown)").fill("## Préparer\n\nVérifier les accès.\n\n## Déployer\n\nLancer `deploy paie`. Voir [[Astreinte]].\n\n<script>alert(1)</script>");
    await lea.getByLabel("Mots-clés").fill("ops kubernetes");
    await lea.getByRole("button", { name: "Aperçu" }).click();
    await visible(lea.locator(".kb-preview h2", { hasText: "Préparer" }));
    expect(await lea.locator(".kb-preview script").count()).toBe(0);
    await check(lea, "ui-knowledge-editor-preview-fr");
    await lea.getByRole("button", { name: "Enregistrer" }).click();
    await visible(lea.getByRole("heading", { level: 1, name: "Déployer la paie" }));
    await visible(lea.getByRole("navigation", { name: "Sommaire" }));
    await check(lea, "ui-knowledge-article-fr");
    const articleUrl = lea.url();

    // Paul opens the editor; Léa saves first; Paul's save is a conflict showing both versions, nothing lost.
    const paul = await as("paul", "paul-password-1");
    await paul.goto(`${articleUrl}/edit`);
    await lea.goto(`${articleUrl}/edit`);
    await lea.getByLabel("Texte (Markdown)").fill("## Préparer\n\nVérifier les accès et le ticket.\n\n## Déployer\n\nLancer `deploy paie`.");
    await lea.getByLabel("Ce que vous avez changé (facultatif)").fill("ticket");
    await lea.getByRole("button", { name: "Enregistrer" }).click();
    await visible(lea.getByText("Vérifier les accès et le ticket."));
    await paul.getByLabel("Texte (Markdown)").fill("Version de Paul");
    await paul.getByRole("button", { name: "Enregistrer" }).click();
    await visible(paul.getByRole("heading", { name: "Quelqu'un a enregistré cet article entre-temps" }));
    await visible(paul.locator(".kb-source", { hasText: "et le ticket" }));
    expect(await paul.getByLabel("Texte (Markdown)").inputValue()).toBe("Version de Paul");
    await check(paul, "ui-knowledge-conflict-fr");
    await paul.getByRole("button", { name: "Enregistrer" }).click(); // based on the latest now: saved
    await visible(paul.getByText("Version de Paul"));

    await paul.getByRole("link", { name: "3 versions" }).click();
    await visible(paul.getByRole("heading", { name: "Historique de « Déployer la paie »" }));
    await check(paul, "ui-knowledge-history-fr");
    await paul.getByRole("button", { name: "Comparer les deux versions" }).click();
    await visible(paul.locator(".kb-diff ins", { hasText: "Version de Paul" }));
    await check(paul, "ui-knowledge-diff-fr");

    await paul.goto(`${paris.origin}/knowledge/search?q=${encodeURIComponent("deploiements paie")}`);
    await visible(paul.getByRole("link", { name: "Déployer la paie" }));
    await check(paul, "ui-knowledge-search-fr");
    await paul.setViewportSize({ width: 390, height: 844 });
    await check(paul, "ui-knowledge-search-phone-fr");
    await paul.goto(articleUrl);
    await check(paul, "ui-knowledge-article-phone-fr");
  });

  it("a question suggests the expert, who is asked, answers, and is accepted", { timeout: 180_000 }, async () => {
    const lea = await as("lea", "lea-password-12");
    await lea.goto(`${paris.origin}/knowledge/questions/new`);
    await lea.getByLabel("Votre question").fill("Comment redémarrer un pod ?");
    await lea.getByLabel("Mots-clés").fill("kubernetes");
    await check(lea, "ui-knowledge-ask-fr");
    await lea.getByRole("button", { name: "Poser la question" }).click();
    await visible(lea.getByRole("heading", { name: "Collègues qui connaissent le sujet" }));
    await lea.getByRole("button", { name: "Demander une réponse à Dave Ops" }).click();
    await visible(lea.getByText("Demandé"));
    await check(lea, "ui-knowledge-question-asked-fr");
    const questionUrl = lea.url();

    const dave = await as("dave", "dave-password-1");
    await dave.goto(`${paris.origin}/notifications`);
    await visible(dave.getByText("vous demande de répondre à une question"));
    await dave.getByRole("link", { name: "Voir la question" }).click();
    await dave.getByLabel("Votre réponse").fill("`kubectl rollout restart`");
    await dave.getByRole("button", { name: "Répondre" }).click();
    await visible(dave.locator(".kb-answer code", { hasText: "kubectl rollout restart" }));

    await lea.goto(questionUrl);
    await lea.getByRole("button", { name: "La réponse de Dave Ops est utile" }).click();
    await lea.getByRole("button", { name: "Accepter la réponse de Dave Ops" }).click();
    await visible(lea.getByText("Réponse acceptée"));
    await check(lea, "ui-knowledge-question-accepted-fr");
    await lea.goto(`${paris.origin}/knowledge/questions?state=answered`);
    await visible(lea.getByRole("link", { name: "Comment redémarrer un pod ?" }));
    await check(lea, "ui-knowledge-questions-fr");
    await lea.goto(`${paris.origin}/knowledge`);
    await check(lea, "ui-knowledge-home-fr");
  });
});
