// OAuth in Chromium with a real client library (masto.js): an app registers, sends Camille (signed out, French) to
// the consent page, she signs in, comes back to it, authorises; the app exchanges the code with its PKCE verifier,
// reads her account and posts. `force_login` makes her sign in again; Settings › Applications lists and revokes.
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { createOAuthAPIClient, createRestAPIClient } from "masto";
import { startTestInstance, type TestInstance } from "../../../test/instance.ts";
import { axeViolations, launchBrowser, newContext, shot } from "../../../test/browser.ts";

const CALLBACK = "https://client.example/callback";

describe("OAuth authorization in the browser", () => {
  let paris: TestInstance, browser: Browser;
  beforeAll(async () => {
    [paris, browser] = await Promise.all([startTestInstance({ name: "Paris" }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await paris?.close();
  });

  it("masto registers, Camille signs in and consents in French, the code (PKCE S256) becomes a token that posts", async () => {
    await paris.createUser("camille", { displayName: "Camille Roux", password: "camille-password-1" });
    const anonymous = createRestAPIClient({ url: paris.origin });
    const app = await anonymous.v1.apps.create({ clientName: "Tusky", redirectUris: CALLBACK, scopes: "read write", website: "https://tusky.example" });
    expect(app.clientId).toBeTruthy();
    const verifier = randomBytes(32).toString("base64url");
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const authorize = `${paris.origin}/oauth/authorize?${new URLSearchParams({
      client_id: app.clientId!, redirect_uri: CALLBACK, response_type: "code", scope: "read write", state: "st-42",
      code_challenge: challenge, code_challenge_method: "S256",
    })}`;

    const ctx = await newContext(browser, "fr-FR");
    const page = await ctx.newPage();
    // The application's redirect target is read from the consent's redirect (Playwright does not route the target
    // of a redirect), as a native app reads its callback URL.
    let callback: URL | null = null;
    page.on("response", (r) => {
      const location = r.status() === 303 ? r.headers().location : undefined;
      if (location?.startsWith(CALLBACK)) callback = new URL(location);
    });
    await page.goto(authorize);
    await page.getByLabel("Nom d'utilisateur").fill("camille");
    await page.getByLabel("Mot de passe").fill("camille-password-1");
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.getByRole("heading", { name: "Autoriser une application" }).waitFor();
    expect(await page.getByText(/Tusky demande à utiliser votre compte @camille@/).count()).toBe(1);
    expect(await page.getByText("Lire toutes les données de votre compte").count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "oauth-consent-fr");
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, "oauth-consent-fr-phone");
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole("button", { name: "Autoriser" }).click();
    await expect.poll(() => callback?.searchParams.get("code") ?? null).not.toBeNull();
    expect(callback!.searchParams.get("state")).toBe("st-42");

    const oauth = createOAuthAPIClient({ url: paris.origin });
    const token = await oauth.token.create({
      grantType: "authorization_code", clientId: app.clientId!, clientSecret: app.clientSecret!, redirectUri: CALLBACK,
      code: callback!.searchParams.get("code")!, codeVerifier: verifier,
    } as Parameters<typeof oauth.token.create>[0]);
    expect(token.scope).toBe("read write");
    const client = createRestAPIClient({ url: paris.origin, accessToken: token.accessToken });
    expect((await client.v1.accounts.verifyCredentials()).username).toBe("camille");
    const status = await client.v1.statuses.create({ status: "Publié depuis Tusky", visibility: "public" });
    expect(status.content).toContain("Publié depuis Tusky");
    expect(status.application?.name ?? "Tusky").toBe("Tusky");

    // Settings › Applications: Tusky, its access and last use; revoking ends the token.
    await page.goto(`${paris.origin}/settings/applications`);
    const item = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Tusky" }) });
    await item.getByText(/Dernière utilisation le/).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "oauth-apps-fr");
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, "oauth-apps-fr-phone");
    await page.setViewportSize({ width: 1280, height: 900 });
    await item.getByRole("button", { name: "Retirer l'accès de Tusky" }).click();
    await page.getByText("L'accès de Tusky a été retiré.").waitFor();
    const refused = await client.v1.accounts.verifyCredentials().then(() => null, (e: { statusCode: number }) => e);
    expect(refused?.statusCode).toBe(401);

    // force_login: signed in already, she is asked to sign in again, then sees the consent.
    await page.goto(`${authorize}&force_login=true`);
    await page.getByLabel("Nom d'utilisateur").waitFor();
    expect(new URL(page.url()).pathname).toBe("/login");
    await page.getByLabel("Nom d'utilisateur").fill("camille");
    await page.getByLabel("Mot de passe").fill("camille-password-1");
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.getByRole("heading", { name: "Autoriser une application" }).waitFor();
    await page.getByRole("button", { name: "Refuser" }).click();
    await expect.poll(() => callback?.searchParams.get("error") ?? null).toBe("access_denied");
    await ctx.close();
  }, 90_000);
});
