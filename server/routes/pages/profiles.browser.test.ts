// Profiles and the directory in Chromium: a Lyon employee (English) fills in expertise and career, is told inline
// what is wrong, saves; a Paris employee (French) finds her by expertise in the directory, opens her profile and sees
// the contact card, the career and the manager chain across the two subsidiaries.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { eventually, startSiblings, type TestInstance } from "../../../test/instance.ts";
import { launchBrowser, newContext, shot } from "../../../test/browser.ts";
import { updateLocalProfile } from "../../domain/profiles/profiles.ts";

async function logIn(page: Page, origin: string, username: string, password: string, labels: [string, string, string]): Promise<void> {
  await page.goto(`${origin}/login`);
  await page.getByLabel(labels[0]).fill(username);
  await page.getByLabel(labels[1]).fill(password);
  await page.getByRole("button", { name: labels[2] }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
}

describe("profiles and directory in the browser", () => {
  let paris: TestInstance, lyon: TestInstance, browser: Browser;
  beforeAll(async () => {
    [[paris, lyon], browser] = await Promise.all([startSiblings("Paris", "Lyon"), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([paris?.close(), lyon?.close()]);
  });

  it("Lyon edits expertise and career with inline errors; Paris finds her by expertise and sees card and manager chain", async () => {
    const marc = await lyon.createUser("marc", { displayName: "Marc Girard" });
    await updateLocalProfile(lyon.db.sql, marc.account.id, { jobTitle: "Directeur technique" });
    await lyon.createUser("eloise", { displayName: "Éloïse Lefèvre", password: "eloise-password-1" });
    await paris.createUser("alice", { displayName: "Alice Martin", password: "alice-password-1" });

    const lyonCtx = await newContext(browser, "en-GB");
    const edit = await lyonCtx.newPage();
    await logIn(edit, lyon.origin, "eloise", "eloise-password-1", ["Username", "Password", "Log in"]);
    await edit.goto(`${lyon.origin}/settings/profile`);
    await edit.getByRole("textbox", { name: "Job title", exact: true }).fill("Platform engineer");
    await edit.getByRole("textbox", { name: "Department", exact: true }).fill("Infrastructure");
    await edit.getByRole("textbox", { name: "Site / office", exact: true }).fill("Lyon Part-Dieu");
    await edit.getByRole("textbox", { name: "Work phone", exact: true }).fill("+33 4 72 00 00 42");
    await edit.getByRole("textbox", { name: "Manager", exact: true }).fill("marc");
    await edit.getByRole("textbox", { name: "Areas of expertise", exact: true }).fill("Kubernetes, Droit social, ###");
    await edit.getByRole("textbox", { name: "Languages spoken", exact: true }).fill("fr, en");
    const first = edit.getByRole("group", { name: "Position 1" });
    await first.getByLabel("Role").fill("SRE");
    await first.getByLabel("Organisation").fill("Acme Lyon");
    await first.getByLabel("From (YYYY-MM)").fill("2021-01");
    const second = edit.getByRole("group", { name: "Position 2" });
    await second.getByLabel("Role").fill("Sysadmin");
    await second.getByLabel("From (YYYY-MM)").fill("2015-09");
    await second.getByLabel("To (YYYY-MM, empty if current)").fill("2014-12");
    await edit.getByRole("button", { name: "Save" }).click();
    // Inline errors next to the fields, what was typed kept.
    await expect.poll(() => edit.getByText("Use letters, digits and dashes for each tag").count()).toBe(1);
    await expect.poll(() => edit.getByText("The end is before the start.").count()).toBe(1);
    expect(await edit.getByRole("textbox", { name: "Job title", exact: true }).inputValue()).toBe("Platform engineer");
    await shot(edit, "profiles-edit-errors-en");
    await edit.getByRole("textbox", { name: "Areas of expertise", exact: true }).fill("Kubernetes, Droit social");
    await edit.getByRole("group", { name: "Position 2" }).getByLabel("To (YYYY-MM, empty if current)").fill("2020-12");
    await edit.getByRole("button", { name: "Save" }).click();
    await edit.getByText("Your profile has been saved.").waitFor();
    await edit.goto(`${lyon.origin}/@eloise`);
    await edit.getByRole("link", { name: "#droit-social" }).waitFor();
    await shot(edit, "profiles-own-profile-en");

    // Paris, in French: the directory, "qui connaît… kubernetes".
    const parisCtx = await newContext(browser, "fr-FR");
    const dir = await parisCtx.newPage();
    await logIn(dir, paris.origin, "alice", "alice-password-1", ["Nom d'utilisateur", "Mot de passe", "Se connecter"]);
    await dir.getByRole("link", { name: "Annuaire" }).click();
    await dir.getByLabel("Qui connaît…").fill("KUBERNETES");
    await eventually(async () => {
      await dir.getByRole("button", { name: "Rechercher" }).click();
      return (await dir.getByRole("link", { name: /Éloïse Lefèvre/ }).count()) > 0;
    }, 15_000, "Éloïse in the Paris directory");
    await shot(dir, "profiles-directory-fr");
    await dir.getByRole("link", { name: /Éloïse Lefèvre/ }).click();
    const card = dir.getByRole("region", { name: "Contact" });
    await card.getByText("+33 4 72 00 00 42").waitFor();
    expect(await card.getByText("Lyon Part-Dieu").count()).toBe(1);
    expect(await card.getByText("français, anglais").count()).toBe(1);
    const org = dir.getByRole("region", { name: "Organisation" });
    expect(await org.getByRole("link", { name: /Marc Girard/ }).textContent()).toContain("Directeur technique");
    expect(await dir.getByRole("region", { name: "Parcours" }).getByText("janvier 2021 – aujourd'hui").count()).toBe(1);
    await shot(dir, "profiles-remote-profile-fr");
    // An expertise chip searches the directory for that tag.
    await dir.getByRole("link", { name: "#droit-social" }).click();
    expect(new URL(dir.url()).searchParams.get("knows")).toBe("droit-social");
    await dir.getByRole("link", { name: /Éloïse Lefèvre/ }).waitFor();
    await lyonCtx.close();
    await parisCtx.close();
  }, 90_000);
});
