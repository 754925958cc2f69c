// Signing in, over real HTTPS against two web processes of one instance sharing one database (issue #8 point 5):
// the failed-attempt limits hold across processes, and passwords are changed from the settings page.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestInstance, type TestInstance } from "../../../test/instance.ts";
import { formClient } from "../../../test/web-form.ts";
import { LOGIN_LIMITS } from "../../domain/accounts/login-limits.ts";

async function signIn(baseUrl: string, username: string, password: string) {
  const browser = formClient(baseUrl);
  await browser.get("/login");
  return { browser, ...(await browser.post("/login", { username, password, next: "/" })) };
}

describe("sign-in limits and passwords", () => {
  let web1: TestInstance, web2: TestInstance;
  beforeAll(async () => {
    web1 = await startTestInstance({ name: "Paris" });
    web2 = await startTestInstance({ name: "Paris", webProcessOf: web1 });
    await web1.createUser("alice", { password: "alice-password-1" });
    await web1.createUser("bob", { password: "bob-password-12" });
  }, 60_000);
  afterAll(async () => {
    await web2?.close();
    await web1?.close();
  });
  beforeEach(async () => {
    await web1.db.sql`DELETE FROM login_failures`;
  });

  it("refuses an account after 10 failures spread over two web processes, with 429 and a French message", async () => {
    for (let i = 0; i < LOGIN_LIMITS.perAccount; i++) {
      const r = await signIn(i % 2 ? web2.url : web1.url, "alice", `wrong-${i}`);
      expect(r.status).toBe(401);
      expect(r.html).toContain("Nom d'utilisateur ou mot de passe incorrect");
    }
    for (const url of [web1.url, web2.url]) {
      // Even the right password: the account is resting.
      const r = await signIn(url, "Alice", "alice-password-1");
      expect(r.status).toBe(429);
      expect(r.html).toMatch(/Trop de tentatives de connexion\. Réessayez dans 15\u00a0min\./);
      expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(14 * 60);
    }
    // Another account from the same address is not blocked (10 of the address's 50).
    expect((await signIn(web2.url, "bob", "bob-password-12")).status).toBe(303);
    // Once the window has passed (moved back by the database clock), alice signs in again.
    await web1.db.sql`UPDATE login_failures SET failed_at = failed_at - make_interval(secs => ${LOGIN_LIMITS.windowSeconds + 1})`;
    const ok = await signIn(web2.url, "alice", "alice-password-1");
    expect(ok.status).toBe(303);
    expect(ok.headers.get("location")).toBe("/");
  });

  it("refuses an address after 50 failures on any accounts, across both processes", async () => {
    for (let i = 0; i < LOGIN_LIMITS.perAddress; i++) {
      expect((await signIn(i % 2 ? web2.url : web1.url, `nobody${i}`, "guess-guess")).status).toBe(401);
    }
    const r = await signIn(web1.url, "bob", "bob-password-12");
    expect(r.status).toBe(429);
    expect(r.html).toContain("Trop de tentatives de connexion");
  });

  it("a burst of parallel guesses on both processes gets no more than 10 tries", async () => {
    const results = await Promise.all(Array.from({ length: 24 }, (_, i) => signIn(i % 2 ? web2.url : web1.url, "alice", `burst-${i}`)));
    const tried = results.filter((r) => r.status === 401).length;
    expect(results.every((r) => r.status === 401 || r.status === 429)).toBe(true);
    expect(tried).toBeGreaterThan(0);
    expect(tried).toBeLessThanOrEqual(LOGIN_LIMITS.perAccount);
    // Guesses refused during the burst did not count: the account still gets exactly 10 tries in all.
    let more = 0;
    while (more <= LOGIN_LIMITS.perAccount && (await signIn(web1.url, "alice", `after-${more}`)).status === 401) more++;
    expect(tried + more).toBe(LOGIN_LIMITS.perAccount);
  });

  it("forgets an account's failures when its owner signs in", async () => {
    for (let i = 0; i < LOGIN_LIMITS.perAccount - 1; i++) await signIn(web1.url, "alice", "wrong-password");
    expect((await signIn(web2.url, "alice", "alice-password-1")).status).toBe(303);
    for (let i = 0; i < LOGIN_LIMITS.perAccount - 1; i++) await signIn(web1.url, "alice", "wrong-password");
    expect((await signIn(web1.url, "alice", "alice-password-1")).status).toBe(303);
  });

  it("changes a password in the settings: the current one is checked, other sessions end, this one stays", async () => {
    const phone = (await signIn(web2.url, "bob", "bob-password-12")).browser;
    const { browser } = await signIn(web1.url, "bob", "bob-password-12");
    const form = await browser.get("/settings/password");
    expect(form.html).toContain("Changer de mot de passe");

    const wrong = await browser.post("/settings/password", { current: "not-my-password", password: "new-bob-password", confirm: "new-bob-password" });
    expect(wrong.status).toBe(422);
    expect(wrong.html).toContain("Ce n'est pas votre mot de passe actuel.");
    const mismatch = await browser.post("/settings/password", { current: "bob-password-12", password: "new-bob-password", confirm: "new-bob-passwerd" });
    expect(mismatch.html).toContain("Les deux mots de passe ne sont pas identiques.");
    const short = await browser.post("/settings/password", { current: "bob-password-12", password: "short", confirm: "short" });
    expect(short.html).toContain("Un mot de passe compte au moins 10 caractères.");
    expect((await signIn(web1.url, "bob", "bob-password-12")).status).toBe(303); // nothing changed yet

    const saved = await browser.post("/settings/password", { current: "bob-password-12", password: "new-bob-password", confirm: "new-bob-password" });
    expect(saved.status).toBe(303);
    expect((await browser.get("/settings/password?saved=1")).html).toContain("Votre mot de passe a été changé.");
    expect((await phone.get("/settings/password")).status).toBe(303); // signed out: sent to the sign-in page
    expect((await signIn(web2.url, "bob", "bob-password-12")).status).toBe(401);
    expect((await signIn(web2.url, "bob", "new-bob-password")).status).toBe(303);
  });
});
