// The usage charter as people meet it (issue #15 point 1, "Done when"): the administrator publishes version 1 in
// the browser; Alice is sent to it at her next page view and accepts it; version 2 published through the API takes
// effect: her app gets 403 charter_not_accepted until she accepts it at her next page view; HR downloads who accepted
// what. Real HTTPS instance, real Chromium, axe on both pages.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startTestInstance, type TestInstance } from "../../../test/instance.ts";
import { axeViolations, launchBrowser, newContext, shot } from "../../../test/browser.ts";
import { createApiToken } from "../../domain/accounts/tokens.ts";

async function signIn(page: Page, origin: string, username: string, password: string, next = "/") {
  await page.goto(`${origin}/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel("Nom d'utilisateur").fill(username);
  await page.getByLabel("Mot de passe").fill(password);
  await page.getByRole("button", { name: "Se connecter" }).click();
}

describe("usage charter", () => {
  let paris: TestInstance, browser: Browser;
  let aliceToken: string, adminToken: string;
  beforeAll(async () => {
    [paris, browser] = await Promise.all([startTestInstance({ name: "Paris" }), launchBrowser()]);
    const admin = await paris.createUser("admin", { admin: true, password: "admin-password-1" });
    aliceToken = (await paris.createUser("alice", { password: "alice-password-1", displayName: "Alice Martin" })).token;
    adminToken = await createApiToken(paris.db.sql, admin.account.id, ["read", "write", "admin:read", "admin:write"]);
  });
  afterAll(async () => {
    await browser?.close();
    await paris?.close();
  });

  const api = (path: string, token: string, init: RequestInit = {}) =>
    fetch(`${paris.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init.headers } });

  it("publishing, accepting at the next page view, a new version blocking apps until accepted, HR's export", async () => {
    // Before any charter, apps work.
    expect((await api("/api/v1/timelines/home", aliceToken)).status).toBe(200);

    // The administrator publishes version 1 from the admin page.
    const adminCtx = await newContext(browser, "fr-FR");
    const adminPage = await adminCtx.newPage();
    await signIn(adminPage, paris.origin, "admin", "admin-password-1", "/admin/charter");
    await adminPage.getByRole("heading", { name: "Charte d'utilisation — publier une version" }).waitFor();
    await adminPage.getByLabel("Texte en français").fill("# Droit à la déconnexion\n\nPersonne n'est tenu de répondre **hors de ses horaires**.");
    await adminPage.getByLabel("Texte en anglais").fill("# Right to disconnect\n\nNobody has to answer **outside their working hours**.");
    expect(await axeViolations(adminPage)).toEqual([]);
    await shot(adminPage, "charter-admin-fr");
    await adminPage.getByRole("button", { name: "Publier cette version" }).click();
    await adminPage.getByText("La version 1 est publiée.").waitFor();
    // The administrator who published it is not asked to accept it.
    expect(new URL(adminPage.url()).pathname).toBe("/admin/charter");

    // Alice's next page view: the charter first, then where she was going.
    const ctx = await newContext(browser, "fr-FR");
    const page = await ctx.newPage();
    await signIn(page, paris.origin, "alice", "alice-password-1", "/notifications");
    await page.waitForURL(/\/charter\?next=%2Fnotifications$/);
    await page.getByRole("heading", { name: "Droit à la déconnexion" }).waitFor();
    expect(await page.getByText("Avant d'utiliser le réseau, lisez la charte et acceptez-la.").count()).toBe(1);
    expect(await page.locator(".charter-text strong").textContent()).toBe("hors de ses horaires");
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "charter-accept-fr");
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, "charter-accept-fr-phone");
    await page.setViewportSize({ width: 1280, height: 900 });
    // Her app is refused meanwhile, with the documented error; the charter's own endpoints answer.
    const refused = await api("/api/v1/timelines/home", aliceToken);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error_code: "charter_not_accepted" });
    expect(await (await api("/api/ruche/v1/charter", aliceToken)).json()).toMatchObject({ version: 1, accepted_at: null });
    await page.getByRole("button", { name: "J'ai lu la charte et je l'accepte" }).click();
    await page.waitForURL(`${paris.origin}/notifications`);
    expect((await api("/api/v1/timelines/home", aliceToken)).status).toBe(200);

    // Version 2 through the API, in force at once.
    const put = await api("/api/ruche/v1/admin/charter", adminToken, {
      method: "PUT", body: JSON.stringify({ text_fr: "# Charte v2\n\nLes messages urgents sont tracés.", text_en: "# Charter v2\n\nUrgent messages are logged.", effective_at: new Date().toISOString() }),
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ version: 2, replaces_version: 1 });
    // A person who is not an administrator cannot publish.
    expect((await api("/api/ruche/v1/admin/charter", aliceToken, { method: "PUT", body: JSON.stringify({ text_fr: "x", text_en: "x" }) })).status).toBe(403);
    const blocked = await api("/api/v1/accounts/verify_credentials", aliceToken);
    expect(blocked.status).toBe(403);
    expect((await blocked.json()).error_code).toBe("charter_not_accepted");
    // Mastodon's terms-of-service shape, for apps.
    const tos = await (await fetch(`${paris.url}/api/v1/instance/terms_of_service`, { headers: { "accept-language": "en" } })).json();
    expect(tos).toMatchObject({ effective: true, succeeded_by: null });
    expect(tos.content).toContain("<h2>Charter v2</h2>");

    await page.goto(`${paris.origin}/`);
    await page.waitForURL(/\/charter\?next=%2F$/);
    expect(await page.getByText("remplace la version 1").count()).toBe(1);
    await page.getByRole("button", { name: "J'ai lu la charte et je l'accepte" }).click();
    await page.waitForURL(`${paris.origin}/`);
    expect(await (await api("/api/ruche/v1/charter", aliceToken)).json()).toMatchObject({ version: 2, accepted_at: expect.any(String) });

    // HR: who accepted which version and when.
    const csv = await (await api("/api/ruche/v1/admin/charter/acceptances?format=csv", adminToken)).text();
    const rows = csv.trim().split("\r\n").slice(1).map((l) => l.split(",").slice(0, 3).join(","));
    expect(rows.sort()).toEqual(["admin,,1", "admin,,2", "alice,Alice Martin,1", "alice,Alice Martin,2"]);
    const download = await adminPage.request.get(`${paris.origin}/admin/charter/acceptances.csv`);
    expect(download.headers()["content-type"]).toContain("text/csv");
    expect(await download.text()).toContain("alice,Alice Martin,2,");
    await adminCtx.close();
    await ctx.close();
  }, 90_000);

  it("refuses the admin page to others, and a date that is not one", async () => {
    const ctx = await newContext(browser, "fr-FR");
    const page = await ctx.newPage();
    await signIn(page, paris.origin, "alice", "alice-password-1", "/admin/charter");
    expect(await page.getByText("Cette page est réservée aux administrateurs.").count()).toBe(1);
    const r = await api("/api/ruche/v1/admin/charter", adminToken, { method: "PUT", body: JSON.stringify({ text_fr: "x", text_en: "y", effective_at: "2020-01-01T00:00:00Z" }) });
    expect(r.status).toBe(422);
    expect((await r.json()).error).toMatch(/effective.at/i);
    await ctx.close();
  });
});
