// Company sign-in refusing what it must (issue #16, "Bad input"): forged, expired or misdirected ID tokens, a
// replayed or stale state, an identity provider trying to make someone an administrator or to take over an
// administrator's account — each refused with a clear page, nothing stored. Driven over real HTTP against a
// provider the test controls (test/oidc-idp.ts startHostileIdp), following redirects by hand as a browser does.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestInstance, type TestInstance } from "../../../test/instance.ts";
import { startHostileIdp, type HostileIdp, type HostileToken } from "../../../test/oidc-idp.ts";
import { formClient } from "../../../test/web-form.ts";
import { ConfigError, loadConfig } from "../../config.ts";

interface Attempt { status: number; html: string; location: string | null; callbackUrl: string; cookies: string[] }

/** /auth/oidc → the provider's /auth → back to the callback: what the browser would see at the end. */
async function attempt(base: string, next = "/"): Promise<Attempt> {
  const start = await fetch(`${base}/auth/oidc?next=${encodeURIComponent(next)}`, { redirect: "manual" });
  expect(start.status).toBe(302);
  const atIdp = await fetch(start.headers.get("location")!, { redirect: "manual" });
  expect(atIdp.status).toBe(302);
  const callbackUrl = atIdp.headers.get("location")!.replace(/^https:\/\/localhost:\d+/, base);
  return await callback(callbackUrl);
}

async function callback(callbackUrl: string): Promise<Attempt> {
  const res = await fetch(callbackUrl, { redirect: "manual", headers: { "accept-language": "fr" } });
  return { status: res.status, html: await res.text(), location: res.headers.get("location"), callbackUrl, cookies: res.headers.getSetCookie() };
}

describe("company sign-in against a hostile identity provider", () => {
  let paris: TestInstance, idp: HostileIdp;
  beforeAll(async () => {
    idp = await startHostileIdp();
    paris = await startTestInstance({
      name: "Paris",
      env: { RUCHE_OIDC_ISSUER: idp.issuer, RUCHE_OIDC_CLIENT_ID: idp.clientId, RUCHE_OIDC_CLIENT_SECRET: idp.clientSecret, RUCHE_OIDC_NAME: "Acme" },
    });
  });
  afterAll(async () => {
    await paris?.close();
    await idp?.close();
  });
  beforeEach(async () => {
    idp.token = "valid";
    idp.extraClaims = {};
    await paris.db.sql`DELETE FROM oidc_identities`;
  });

  const identities = async () => (await paris.db.sql`SELECT count(*)::int AS n FROM oidc_identities`)[0].n as number;
  const accountsNamed = async (name: string) => (await paris.db.sql`SELECT count(*)::int AS n FROM accounts WHERE username = ${name}`)[0].n as number;

  it("a valid ID token signs in (session cookie, redirect to next); replaying the same callback is refused before any token request", async () => {
    const ok = await attempt(paris.url, "/settings/profile");
    expect(ok.status).toBe(303);
    expect(ok.location).toBe("/settings/profile");
    expect(ok.cookies.some((c) => c.startsWith("ruche_session="))).toBe(true);
    expect(await identities()).toBe(1);
    const asked = idp.tokenRequests;
    const replay = await callback(ok.callbackUrl);
    expect(replay.status).toBe(400);
    expect(replay.html).toContain("Cette connexion a expiré ou a déjà servi");
    expect(replay.cookies.some((c) => c.startsWith("ruche_session="))).toBe(false);
    expect(idp.tokenRequests).toBe(asked);
  });

  for (const kind of ["wrong-audience", "wrong-issuer", "expired", "bad-signature", "wrong-nonce"] as HostileToken[]) {
    it(`an ID token with ${kind} is refused with a clear page and nothing stored`, async () => {
      idp.token = kind;
      idp.extraClaims = { sub: `forged-${kind}`, preferred_username: `forged_${kind.replace("-", "_")}` };
      const r = await attempt(paris.url);
      expect(r.status).toBe(403);
      expect(r.html).toContain("La réponse du service de connexion de l'entreprise n'est pas valable");
      expect(r.cookies.some((c) => c.startsWith("ruche_session="))).toBe(false);
      expect(await identities()).toBe(0);
      expect(await accountsNamed(`forged_${kind.replace("-", "_")}`)).toBe(0);
    });
  }

  it("a state older than ten minutes is refused", async () => {
    const start = await fetch(`${paris.url}/auth/oidc`, { redirect: "manual" });
    const atIdp = await fetch(start.headers.get("location")!, { redirect: "manual" });
    await paris.db.sql`UPDATE oidc_login_states SET created_at = created_at - interval '11 minutes'`;
    const r = await callback(atIdp.headers.get("location")!.replace(/^https:\/\/localhost:\d+/, paris.url));
    expect(r.status).toBe(400);
    expect(await identities()).toBe(0);
  });

  it("claims of a role or admin group give no administrator rights", async () => {
    idp.token = "admin-claim";
    const r = await attempt(paris.url);
    expect(r.status).toBe(303);
    const [user] = await paris.db.sql`SELECT u.role FROM users u JOIN accounts a ON a.id = u.account_id WHERE a.username = 'root'`;
    expect(user.role).toBe("user");
  });

  it("never takes over an administrator's account, even with the same verified e-mail", async () => {
    await paris.createUser("boss", { admin: true, password: "boss-password-123" });
    await paris.db.sql`UPDATE users SET email = 'boss@acme.example' FROM accounts a WHERE a.id = users.account_id AND a.username = 'boss'`;
    idp.extraClaims = { sub: "boss-at-idp", preferred_username: "boss", email: "boss@acme.example", email_verified: true };
    const r = await attempt(paris.url);
    expect(r.status).toBe(409);
    expect(r.html).toContain("Un compte de ce nom existe déjà");
    expect(await identities()).toBe(0);
  });

  it("links an existing employee account whose verified e-mail matches, and refuses one whose e-mail does not", async () => {
    await paris.createUser("lucas", { password: "lucas-password-123" });
    await paris.db.sql`UPDATE users SET email = 'lucas@acme.example' FROM accounts a WHERE a.id = users.account_id AND a.username = 'lucas'`;
    idp.extraClaims = { sub: "lucas-other", preferred_username: "lucas", email: "someone.else@acme.example", email_verified: true };
    expect((await attempt(paris.url)).status).toBe(409);
    idp.extraClaims = { sub: "lucas-unverified", preferred_username: "lucas", email: "lucas@acme.example", email_verified: false };
    expect((await attempt(paris.url)).status).toBe(409);
    expect(await identities()).toBe(0);
    idp.extraClaims = { sub: "lucas-at-idp", preferred_username: "lucas", email: "LUCAS@acme.example", email_verified: true };
    expect((await attempt(paris.url)).status).toBe(303);
    const [link] = await paris.db.sql`SELECT a.username FROM oidc_identities i JOIN accounts a ON a.id = i.account_id WHERE i.subject = 'lucas-at-idp'`;
    expect(link.username).toBe("lucas");
  });

  it("a logout token from the provider ends the person's sessions and app tokens; forged ones sign nobody out", async () => {
    idp.extraClaims = { sub: "leaving-1", preferred_username: "leaving" };
    const ok = await attempt(paris.url);
    expect(ok.status).toBe(303);
    const cookie = ok.cookies.find((c) => c.startsWith("ruche_session="))!.split(";")[0];
    const [acct] = await paris.db.sql`SELECT account_id::text AS id FROM oidc_identities WHERE subject = 'leaving-1'`;
    await paris.db.sql`INSERT INTO api_tokens (token_hash, account_id, scopes, name) VALUES ('leaving-app', ${acct.id}, '{read}', 'app')`;
    const settings = () => fetch(`${paris.url}/settings/profile`, { headers: { cookie }, redirect: "manual" }).then((r) => r.status);
    const sessions = async () => (await paris.db.sql`SELECT count(*)::int AS n FROM sessions WHERE account_id = ${acct.id}`)[0].n;
    expect(await settings()).toBe(200);
    const now = Math.floor(Date.now() / 1000);
    const logout = (claims: Record<string, unknown>, opts?: { foreignKey?: boolean }) => idp.sign({
      iss: idp.issuer, aud: idp.clientId, iat: now, jti: `j-${Math.random()}`, sub: "leaving-1",
      events: { "http://schemas.openid.net/event/backchannel-logout": {} }, ...claims,
    }, opts).then((token) => fetch(`${paris.url}/auth/oidc/backchannel-logout`, {
      method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ logout_token: token }),
    }));
    for (const [claims, opts] of [
      [{}, { foreignKey: true }], [{ aud: "someone-else" }, {}], [{ iss: "https://idp.elsewhere.example" }, {}],
      [{ events: { "urn:other": {} } }, {}], [{ nonce: "n" }, {}], [{ iat: now - 3600 }, {}],
    ] as [Record<string, unknown>, { foreignKey?: boolean }][]) {
      const r = await logout(claims, opts);
      expect(r.status, JSON.stringify(claims)).toBe(400);
      expect((await r.json()).error).toBe("invalid_request");
    }
    expect(await sessions()).toBe(1);
    expect(await settings()).toBe(200);
    const r = await logout({});
    expect(r.status).toBe(200);
    expect(await sessions()).toBe(0);
    expect(await settings()).toBe(303);
    const [app] = await paris.db.sql`SELECT revoked_at FROM api_tokens WHERE token_hash = 'leaving-app'`;
    expect(app.revoked_at).not.toBeNull();
  });

  it("a disabled account stays out", async () => {
    idp.extraClaims = { sub: "gone-1", preferred_username: "gone" };
    expect((await attempt(paris.url)).status).toBe(303);
    await paris.db.sql`UPDATE users SET disabled_at = now() FROM accounts a WHERE a.id = users.account_id AND a.username = 'gone'`;
    const r = await attempt(paris.url);
    expect(r.status).toBe(403);
    expect(r.html).toContain("Ce compte est désactivé");
  });
});

describe("local passwords turned off", () => {
  let lyon: TestInstance, idp: HostileIdp;
  beforeAll(async () => {
    idp = await startHostileIdp();
    lyon = await startTestInstance({
      name: "Lyon",
      env: {
        RUCHE_OIDC_ISSUER: idp.issuer, RUCHE_OIDC_CLIENT_ID: idp.clientId, RUCHE_OIDC_CLIENT_SECRET: idp.clientSecret,
        RUCHE_OIDC_NAME: "Acme", RUCHE_PASSWORD_LOGIN: "false",
      },
    });
    await lyon.createUser("marie", { password: "marie-password-123" });
  });
  afterAll(async () => {
    await lyon?.close();
    await idp?.close();
  });

  it("the sign-in page offers only the company button, and a password sent anyway is refused", async () => {
    const browser = formClient(lyon.url);
    const page = await browser.get("/login");
    expect(page.html).toContain("Se connecter avec Acme");
    expect(page.html).not.toContain('type="password"');
    const r = await browser.post("/login", { username: "marie", password: "marie-password-123", next: "/" });
    expect(r.status).toBe(403);
    expect(r.html).toContain("La connexion par mot de passe est désactivée ici");
    expect(r.headers.getSetCookie().some((c) => c.startsWith("ruche_session="))).toBe(false);
  });
});

describe("company sign-in configuration", () => {
  const base = { RUCHE_OIDC_CLIENT_ID: "c", RUCHE_OIDC_CLIENT_SECRET: "s" };
  it("names the variable that is wrong", () => {
    expect(() => loadConfig({ ...base, RUCHE_OIDC_ISSUER: "http://idp.acme.example" })).toThrow(/RUCHE_OIDC_ISSUER=.*https:\/\//);
    expect(() => loadConfig({ RUCHE_OIDC_ISSUER: "https://idp.acme.example" })).toThrow(/RUCHE_OIDC_CLIENT_ID and RUCHE_OIDC_CLIENT_SECRET/);
    expect(() => loadConfig({ RUCHE_PASSWORD_LOGIN: "false" })).toThrow(/RUCHE_PASSWORD_LOGIN=false needs RUCHE_OIDC_ISSUER/);
    expect(() => loadConfig({ ...base, RUCHE_OIDC_ISSUER: "https://idp.acme.example", RUCHE_OIDC_SCOPES: "profile email" })).toThrow(ConfigError);
    const ok = loadConfig({ ...base, RUCHE_OIDC_ISSUER: "https://login.acme.example/realms/groupe" });
    expect(ok.oidc).toMatchObject({ issuer: "https://login.acme.example/realms/groupe", name: "login.acme.example", scopes: "openid profile email" });
    expect(ok.passwordLogin).toBe(true);
    // Plain http for a test or LAN provider, only with private addresses allowed.
    expect(loadConfig({ ...base, RUCHE_OIDC_ISSUER: "http://127.0.0.1:9000", RUCHE_ALLOW_PRIVATE_ADDRESS: "true" }).oidc?.issuer).toBe("http://127.0.0.1:9000");
  });
});
