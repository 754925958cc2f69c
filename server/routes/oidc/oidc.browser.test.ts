// Company sign-in in Chromium against a real OpenID Connect provider (oidc-provider), as an employee does it
// (issue #16 point 1): the sign-in page's company button, the provider's own login and consent pages, back to Ruche
// signed in, with the account created from the provider's claims; the next sign-in follows the provider's changes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startTestInstance, type TestInstance } from "../../../test/instance.ts";
import { axeViolations, launchBrowser, newContext, shot } from "../../../test/browser.ts";
import { prepareTestIdp, type TestIdp } from "../../../test/oidc-idp.ts";

describe("company sign-in (OpenID Connect) in the browser", () => {
  let paris: TestInstance, idp: TestIdp, browser: Browser;
  beforeAll(async () => {
    idp = await prepareTestIdp();
    [paris, browser] = await Promise.all([
      startTestInstance({
        name: "Paris",
        env: {
          RUCHE_OIDC_ISSUER: idp.issuer, RUCHE_OIDC_CLIENT_ID: idp.clientId, RUCHE_OIDC_CLIENT_SECRET: idp.clientSecret,
          RUCHE_OIDC_NAME: "Acme",
        },
      }),
      launchBrowser(),
    ]);
    await idp.start(`${paris.origin}/auth/oidc/callback`, `${paris.origin}/auth/oidc/backchannel-logout`);
    idp.people.set("jeanne", {
      preferred_username: "Jeanne.Dupont", name: "Jeanne Dupont", email: "jeanne.dupont@acme.example", email_verified: true,
      department: "Finance", site: "Lyon", job_title: "Contrôleuse de gestion",
    });
  });
  afterAll(async () => {
    await browser?.close();
    await paris?.close();
    await idp?.close();
  });

  async function signInAtIdp(page: import("playwright-core").Page, login: string, button = "Se connecter avec Acme") {
    await page.goto(`${paris.origin}/login?next=${encodeURIComponent("/settings/profile")}`);
    await page.getByRole("link", { name: button }).click();
    // The provider's development pages: a login form, then a consent form.
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill("anything");
    await page.locator('button[type="submit"]').click();
    const consent = page.locator('button:has-text("Continue")');
    if (await consent.count()) await consent.click();
  }

  it("a new employee signs in with the company account and lands where they were going, profile filled from the claims", async () => {
    const ctx = await newContext(browser, "fr-FR");
    const page = await ctx.newPage();
    await page.goto(`${paris.origin}/login`);
    expect(await page.getByRole("link", { name: "Se connecter avec Acme" }).count()).toBe(1);
    // The password form is still there (local passwords are on by default), below "ou".
    expect(await page.getByLabel("Mot de passe").count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "oidc-login-fr");
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, "oidc-login-fr-phone");
    await page.setViewportSize({ width: 1280, height: 900 });

    await signInAtIdp(page, "jeanne");
    await page.waitForURL(`${paris.origin}/settings/profile`);
    const [row] = await paris.db.sql`SELECT a.username, a.display_name, u.email, u.role, u.password_hash, p.department, p.site, p.job_title,
        i.issuer, i.subject
      FROM accounts a JOIN users u ON u.account_id = a.id JOIN profiles p ON p.account_id = a.id
      JOIN oidc_identities i ON i.account_id = a.id WHERE a.domain IS NULL AND a.username = 'jeanne_dupont'`;
    expect(row).toMatchObject({
      display_name: "Jeanne Dupont", email: "jeanne.dupont@acme.example", role: "user", password_hash: null,
      department: "Finance", site: "Lyon", job_title: "Contrôleuse de gestion", issuer: idp.issuer, subject: "jeanne",
    });
    // Signed in: her own profile form, with the department the provider gave.
    expect(await page.locator('input[name="department"]').inputValue()).toBe("Finance");
    await ctx.close();
  });

  it("the next sign-in follows the identity provider: a new department, the same account", async () => {
    idp.people.set("jeanne", { ...idp.people.get("jeanne"), department: "Audit interne" });
    const ctx = await newContext(browser, "en-GB");
    const page = await ctx.newPage();
    await signInAtIdp(page, "jeanne", "Sign in with Acme");
    await page.waitForURL(`${paris.origin}/settings/profile`);
    const rows = await paris.db.sql`SELECT a.username, p.department FROM oidc_identities i JOIN accounts a ON a.id = i.account_id
      JOIN profiles p ON p.account_id = a.id WHERE i.subject = 'jeanne'`;
    expect(rows).toEqual([{ username: "jeanne_dupont", department: "Audit interne" }]);
    await ctx.close();
  });

  it("signing out at the company's provider signs the person out of Ruche too (back-channel logout)", async () => {
    const ctx = await newContext(browser, "fr-FR");
    const page = await ctx.newPage();
    await signInAtIdp(page, "jeanne");
    await page.waitForURL(`${paris.origin}/settings/profile`);
    const [acct] = await paris.db.sql`SELECT account_id::text AS id FROM oidc_identities WHERE subject = 'jeanne'`;
    expect((await paris.db.sql`SELECT count(*)::int AS n FROM sessions WHERE account_id = ${acct.id}`)[0].n).toBeGreaterThan(0);
    // The provider's own sign-out page (RP-initiated logout), confirmed by the person.
    await page.goto(`${idp.issuer}/session/end`);
    await page.locator('button[autofocus], button[type="submit"]').first().click();
    await expect.poll(async () => (await paris.db.sql`SELECT count(*)::int AS n FROM sessions WHERE account_id = ${acct.id}`)[0].n).toBe(0);
    await page.goto(`${paris.origin}/settings/profile`);
    expect(new URL(page.url()).pathname).toBe("/login");
    await ctx.close();
  });
});
