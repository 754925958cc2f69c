// OAuth 2 as Mastodon does it (issue #9 point 1), over real HTTP: apps, codes with and without PKCE, client
// credentials, refresh, revocation, scopes on the API, and every bad input answered in Doorkeeper's shape with
// nothing half-made left behind.
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestInstance, type TestInstance } from "../../../test/instance.ts";
import { disableUser } from "../../domain/accounts/accounts.ts";
import { createSession } from "../../domain/accounts/tokens.ts";
import { SESSION_COOKIE } from "../pages/session.ts";

const CALLBACK = "https://client.example/callback";

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

describe("OAuth 2: apps, grants, revocation, scopes", () => {
  let paris: TestInstance;
  let alice: Awaited<ReturnType<TestInstance["createUser"]>>;
  let session: { cookie: string; csrf: string };

  const form = (path: string, body: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${paris.origin}${path}`, { method: "POST", body: new URLSearchParams(body), headers, redirect: "manual" });
  const api = (path: string, token: string, init: RequestInit = {}) =>
    fetch(`${paris.origin}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), Authorization: `Bearer ${token}` } });
  const count = async (table: string) => Number((await paris.db.sql.unsafe(`SELECT count(*)::int AS n FROM ${table}`))[0].n);

  async function registerApp(scopes = "read write follow", redirectUris: string | string[] = CALLBACK) {
    const res = await fetch(`${paris.origin}/api/v1/apps`, {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ client_name: "Tusky test", redirect_uris: redirectUris, scopes, website: "https://tusky.example" }),
    });
    expect(res.status).toBe(200);
    return await res.json() as { id: string; client_id: string; client_secret: string; scopes: string[]; redirect_uris: string[] };
  }

  /** Alice approves on the consent form (as the browser test does in Chromium); returns the redirect's URL. */
  async function approve(fields: Record<string, string>, who = session): Promise<URL> {
    const res = await form("/oauth/authorize", { response_type: "code", ...fields, _csrf: who.csrf, decision: "approve" },
      { Cookie: `${SESSION_COOKIE}=${who.cookie}` });
    expect(res.status).toBe(303);
    return new URL(res.headers.get("Location")!);
  }

  async function codeFor(app: { client_id: string }, extra: Record<string, string> = {}): Promise<string> {
    const url = await approve({ client_id: app.client_id, redirect_uri: CALLBACK, scope: "read write", ...extra });
    const code = url.searchParams.get("code");
    expect(code, url.href).toBeTruthy();
    return code!;
  }

  async function exchange(app: { client_id: string; client_secret?: string }, body: Record<string, string>) {
    const res = await form("/oauth/token", { client_id: app.client_id, ...(app.client_secret ? { client_secret: app.client_secret } : {}), ...body });
    return { status: res.status, body: await res.json() as Record<string, string> };
  }

  beforeAll(async () => {
    paris = await startTestInstance({ name: "Paris" });
    alice = await paris.createUser("alice", { displayName: "Alice Martin" });
    session = await createSession(paris.db.sql, alice.account.id);
  });
  afterAll(async () => {
    await paris?.close();
  });

  it("publishes RFC 8414 metadata with PKCE S256 and Mastodon's scopes", async () => {
    const res = await fetch(`${paris.origin}/.well-known/oauth-authorization-server`);
    const meta = await res.json();
    expect(meta).toMatchObject({
      issuer: `${paris.origin}/`, authorization_endpoint: `${paris.origin}/oauth/authorize`, token_endpoint: `${paris.origin}/oauth/token`,
      revocation_endpoint: `${paris.origin}/oauth/revoke`, app_registration_endpoint: `${paris.origin}/api/v1/apps`,
      code_challenge_methods_supported: ["S256"], response_types_supported: ["code"],
    });
    expect(meta.scopes_supported).toEqual(expect.arrayContaining(["read", "write", "follow", "push", "profile", "read:statuses", "write:media"]));
  });

  it("refuses an app with a bad redirect_uri or scope with a 422 and stores nothing", async () => {
    const before = await count("oauth_apps");
    const bodies: Record<string, string>[] = [
      { client_name: "X", redirect_uris: "not a uri" },
      { client_name: "X", redirect_uris: "https://a.example/cb#frag" },
      { client_name: "X", redirect_uris: "javascript:alert(1)" },
      { client_name: "X", redirect_uris: CALLBACK, scopes: "read rule:the-world" },
      { redirect_uris: CALLBACK },
    ];
    for (const body of bodies) {
      const res = await fetch(`${paris.origin}/api/v1/apps`, { method: "POST", body: new URLSearchParams(body) });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect((await res.json()).error).toMatch(/^Validation failed/);
    }
    expect(await count("oauth_apps")).toBe(before);
  });

  it("stores client secrets, codes and tokens only as digests", async () => {
    const app = await registerApp();
    const p = pkce();
    const code = await codeFor(app, { code_challenge: p.challenge, code_challenge_method: "S256" });
    const [stored] = await paris.db.sql`SELECT client_secret_hash FROM oauth_apps WHERE client_id = ${app.client_id}`;
    expect(stored.client_secret_hash).not.toContain(app.client_secret);
    expect(await paris.db.sql`SELECT 1 FROM oauth_codes WHERE code_hash = ${code}`).toHaveLength(0);
    const { body } = await exchange(app, { grant_type: "authorization_code", code, redirect_uri: CALLBACK, code_verifier: p.verifier });
    expect(await paris.db.sql`SELECT 1 FROM api_tokens WHERE token_hash = ${body.access_token} OR refresh_token_hash = ${body.refresh_token}`).toHaveLength(0);
  });

  it("exchanges a code with PKCE once; a replay, an expired code and a wrong redirect_uri get invalid_grant", async () => {
    const app = await registerApp();
    const p = pkce();
    const code = await codeFor(app, { code_challenge: p.challenge, code_challenge_method: "S256", state: "xyz" });
    const ok = await exchange(app, { grant_type: "authorization_code", code, redirect_uri: CALLBACK, code_verifier: p.verifier });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: "Bearer", scope: "read write" });
    expect(typeof ok.body.created_at).toBe("number");
    const me = await api("/api/v1/accounts/verify_credentials", ok.body.access_token);
    expect((await me.json()).username).toBe("alice");
    const app2 = await api("/api/v1/apps/verify_credentials", ok.body.access_token);
    expect(await app2.json()).toMatchObject({ name: "Tusky test", scopes: ["read", "write", "follow"], redirect_uris: [CALLBACK] });

    const tokens = await count("api_tokens");
    const replay = await exchange(app, { grant_type: "authorization_code", code, redirect_uri: CALLBACK, code_verifier: p.verifier });
    expect(replay).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect(replay.body.error_description).toMatch(/authorization grant is invalid/);

    const late = await codeFor(app);
    await paris.db.sql`UPDATE oauth_codes SET expires_at = now() - interval '1 second'`;
    expect(await exchange(app, { grant_type: "authorization_code", code: late, redirect_uri: CALLBACK }))
      .toMatchObject({ status: 400, body: { error: "invalid_grant" } });

    const elsewhere = await codeFor(app);
    expect(await exchange(app, { grant_type: "authorization_code", code: elsewhere, redirect_uri: "https://client.example/other" }))
      .toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect(await count("api_tokens")).toBe(tokens);
  });

  it("a replayed code revokes the tokens given for it, and the one refreshed from them; other grants keep theirs", async () => {
    const app = await registerApp();
    const p = pkce();
    const code = await codeFor(app, { code_challenge: p.challenge, code_challenge_method: "S256" });
    const first = await exchange(app, { grant_type: "authorization_code", code, redirect_uri: CALLBACK, code_verifier: p.verifier });
    expect(first.status).toBe(200);
    const refreshed = await exchange(app, { grant_type: "refresh_token", refresh_token: first.body.refresh_token });
    expect(refreshed.status).toBe(200);
    const unrelated = (await exchange(app, { grant_type: "authorization_code", code: await codeFor(app), redirect_uri: CALLBACK })).body.access_token;
    expect((await api("/api/v1/accounts/verify_credentials", refreshed.body.access_token)).status).toBe(200);

    const replay = await exchange(app, { grant_type: "authorization_code", code, redirect_uri: CALLBACK, code_verifier: p.verifier });
    expect(replay).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    const after = await api("/api/v1/accounts/verify_credentials", refreshed.body.access_token);
    expect([after.status, await after.json()]).toEqual([401, { error: "The access token is invalid" }]);
    expect(await exchange(app, { grant_type: "refresh_token", refresh_token: refreshed.body.refresh_token }))
      .toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect((await api("/api/v1/accounts/verify_credentials", unrelated)).status).toBe(200);
  });

  it("a PKCE mismatch is invalid_grant and burns the code; without PKCE the secret is required", async () => {
    const app = await registerApp();
    const p = pkce();
    const code = await codeFor(app, { code_challenge: p.challenge, code_challenge_method: "S256" });
    const tokens = await count("api_tokens");
    expect(await exchange(app, { grant_type: "authorization_code", code, redirect_uri: CALLBACK, code_verifier: pkce().verifier }))
      .toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect(await exchange(app, { grant_type: "authorization_code", code, redirect_uri: CALLBACK, code_verifier: p.verifier }))
      .toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect(await count("api_tokens")).toBe(tokens);

    // A public client (no secret) may exchange only with a PKCE verifier.
    const p2 = pkce();
    const pkceCode = await codeFor(app, { code_challenge: p2.challenge, code_challenge_method: "S256" });
    expect((await exchange({ client_id: app.client_id }, { grant_type: "authorization_code", code: pkceCode, redirect_uri: CALLBACK, code_verifier: p2.verifier })).status).toBe(200);
    const plain = await codeFor(app);
    expect(await exchange({ client_id: app.client_id }, { grant_type: "authorization_code", code: plain, redirect_uri: CALLBACK }))
      .toMatchObject({ status: 401, body: { error: "invalid_client" } });
    expect(await exchange({ client_id: app.client_id, client_secret: "wrong-secret-wrong-secret" }, { grant_type: "authorization_code", code: plain, redirect_uri: CALLBACK }))
      .toMatchObject({ status: 401, body: { error: "invalid_client" } });
    // A code made without a challenge is exchanged with the secret alone.
    expect((await exchange(app, { grant_type: "authorization_code", code: plain, redirect_uri: CALLBACK })).status).toBe(200);
  });

  it("the consent refuses an unregistered redirect_uri on the page and stores no code", async () => {
    const app = await registerApp();
    const codes = await count("oauth_codes");
    const headers = { Cookie: `${SESSION_COOKIE}=${session.cookie}` };
    const page = await fetch(`${paris.origin}/oauth/authorize?${new URLSearchParams({ client_id: app.client_id, redirect_uri: "https://evil.example/cb", response_type: "code" })}`,
      { headers, redirect: "manual" });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain("adresse de retour");
    const post = await form("/oauth/authorize", { client_id: app.client_id, redirect_uri: "https://evil.example/cb", response_type: "code", _csrf: session.csrf, decision: "approve" }, headers);
    expect(post.status).toBe(400);
    expect(post.headers.get("Location")).toBeNull();
    // A scope beyond the app's registration goes back to the app as invalid_scope.
    const back = await approve({ client_id: app.client_id, redirect_uri: CALLBACK, scope: "read push", state: "s1" });
    expect(Object.fromEntries(back.searchParams)).toMatchObject({ error: "invalid_scope", state: "s1" });
    // Denying goes back as access_denied.
    const denied = await form("/oauth/authorize", { client_id: app.client_id, redirect_uri: CALLBACK, response_type: "code", _csrf: session.csrf, decision: "deny" }, headers);
    expect(new URL(denied.headers.get("Location")!).searchParams.get("error")).toBe("access_denied");
    expect(await count("oauth_codes")).toBe(codes);
  });

  it("/oauth/authorize/ (toot builds it with the slash, Mastodon accepts it) leads to the consent with the same query", async () => {
    const res = await fetch(`${paris.origin}/oauth/authorize/?client_id=abc&redirect_uri=${encodeURIComponent("urn:ietf:wg:oauth:2.0:oob")}`, { redirect: "manual" });
    expect(res.status).toBe(301);
    expect(res.headers.get("Location")).toBe("/oauth/authorize?client_id=abc&redirect_uri=urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob");
  });

  it("out-of-band shows the code on a page", async () => {
    const app = await registerApp("read", ["urn:ietf:wg:oauth:2.0:oob"]);
    const res = await form("/oauth/authorize", { client_id: app.client_id, redirect_uri: "urn:ietf:wg:oauth:2.0:oob", response_type: "code", _csrf: session.csrf, decision: "approve" },
      { Cookie: `${SESSION_COOKIE}=${session.cookie}` });
    expect(res.status).toBe(200);
    const code = /id="oauth-code"[^>]*value="([^"]+)"/.exec(await res.text())?.[1];
    expect(code).toBeTruthy();
    const ok = await exchange(app, { grant_type: "authorization_code", code: code!, redirect_uri: "urn:ietf:wg:oauth:2.0:oob" });
    expect(ok).toMatchObject({ status: 200, body: { scope: "read" } });
  });

  it("refresh rotates the pair: the old access and refresh tokens stop working", async () => {
    const app = await registerApp();
    const first = (await exchange(app, { grant_type: "authorization_code", code: await codeFor(app), redirect_uri: CALLBACK })).body;
    const second = await exchange(app, { grant_type: "refresh_token", refresh_token: first.refresh_token });
    expect(second).toMatchObject({ status: 200, body: { token_type: "Bearer", scope: "read write" } });
    expect(second.body.access_token).not.toBe(first.access_token);
    expect((await api("/api/v1/accounts/verify_credentials", first.access_token)).status).toBe(401);
    expect((await api("/api/v1/accounts/verify_credentials", second.body.access_token)).status).toBe(200);
    expect(await exchange(app, { grant_type: "refresh_token", refresh_token: first.refresh_token })).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    const other = await registerApp();
    expect(await exchange(other, { grant_type: "refresh_token", refresh_token: second.body.refresh_token })).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect(await exchange(app, { grant_type: "refresh_token", refresh_token: second.body.refresh_token, scope: "read write follow" }))
      .toMatchObject({ status: 400, body: { error: "invalid_scope" } });
  });

  it("revoke: the app revokes its own token (200), not another app's (403)", async () => {
    const app = await registerApp();
    const other = await registerApp();
    const token = (await exchange(app, { grant_type: "authorization_code", code: await codeFor(app), redirect_uri: CALLBACK })).body.access_token;
    const refused = await form("/oauth/revoke", { client_id: other.client_id, client_secret: other.client_secret, token });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: "unauthorized_client" });
    expect((await api("/api/v1/accounts/verify_credentials", token)).status).toBe(200);
    const anonymous = await form("/oauth/revoke", { client_id: app.client_id, token });
    expect(anonymous.status).toBe(401);
    const revoked = await form("/oauth/revoke", { client_id: app.client_id, client_secret: app.client_secret, token });
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toEqual({});
    const res = await api("/api/v1/accounts/verify_credentials", token);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "The access token is invalid" });
    // Revoking again (or an unknown token) is still 200 (RFC 7009 §2.2).
    expect((await form("/oauth/revoke", { client_id: app.client_id, client_secret: app.client_secret, token })).status).toBe(200);
  });

  it("client credentials: an app token knows its app but acts for nobody", async () => {
    const app = await registerApp("read write");
    const got = await exchange(app, { grant_type: "client_credentials", scope: "read" });
    expect(got).toMatchObject({ status: 200, body: { token_type: "Bearer", scope: "read" } });
    expect(got.body.refresh_token).toBeUndefined();
    const token = got.body.access_token;
    expect(await (await api("/api/v1/apps/verify_credentials", token)).json()).toMatchObject({ name: "Tusky test" });
    const me = await api("/api/v1/accounts/verify_credentials", token);
    expect(me.status).toBe(422);
    expect(await me.json()).toEqual({ error: "This method requires an authenticated user" });
    // This instance is private to the group (siblings mode): an app's own token reads nothing.
    expect((await api("/api/v1/timelines/public", token)).status).toBe(401);
    expect(await exchange({ client_id: app.client_id }, { grant_type: "client_credentials" })).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    expect(await exchange(app, { grant_type: "client_credentials", scope: "admin:read" })).toMatchObject({ status: 400, body: { error: "invalid_scope" } });
    expect(await exchange(app, { grant_type: "password", username: "alice", password: "x" })).toMatchObject({ status: 400, body: { error: "unauthorized_client" } });
  });

  it("a read-only token cannot post (403, Mastodon's error); write:statuses can; profile reads only verify_credentials", async () => {
    const app = await registerApp("read write profile");
    const readOnly = (await exchange(app, { grant_type: "authorization_code", code: await codeFor(app, { scope: "read" }), redirect_uri: CALLBACK })).body.access_token;
    const post = (token: string) => api("/api/v1/statuses", token, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ status: "Bonjour" }) });
    const refused = await post(readOnly);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: "This action is outside the authorized scopes" });
    const posts = await count("posts");
    const writer = (await exchange(app, { grant_type: "authorization_code", code: await codeFor(app, { scope: "write:statuses" }), redirect_uri: CALLBACK })).body.access_token;
    expect((await post(writer)).status).toBe(200);
    expect(await count("posts")).toBe(posts + 1);
    expect((await api("/api/v1/timelines/home", writer)).status).toBe(403);
    const profile = (await exchange(app, { grant_type: "authorization_code", code: await codeFor(app, { scope: "profile" }), redirect_uri: CALLBACK })).body.access_token;
    expect((await api("/api/v1/accounts/verify_credentials", profile)).status).toBe(200);
    expect((await api(`/api/v1/accounts/${alice.account.id}`, profile)).status).toBe(403);
  });

  it("a disabled person's tokens, codes and refresh tokens stop working", async () => {
    const bob = await paris.createUser("bob");
    const bobSession = await createSession(paris.db.sql, bob.account.id);
    const app = await registerApp();
    const url = await approve({ client_id: app.client_id, redirect_uri: CALLBACK, scope: "read" }, bobSession);
    const first = (await exchange(app, { grant_type: "authorization_code", code: url.searchParams.get("code")!, redirect_uri: CALLBACK })).body;
    const pending = (await approve({ client_id: app.client_id, redirect_uri: CALLBACK, scope: "read" }, bobSession)).searchParams.get("code")!;
    await disableUser(paris.db.sql, "bob");
    expect((await api("/api/v1/accounts/verify_credentials", first.access_token)).status).toBe(401);
    expect(await exchange(app, { grant_type: "refresh_token", refresh_token: first.refresh_token })).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect(await exchange(app, { grant_type: "authorization_code", code: pending, redirect_uri: CALLBACK })).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("unknown grants and clients get Doorkeeper's errors", async () => {
    const app = await registerApp();
    expect(await exchange(app, { grant_type: "magic" })).toMatchObject({ status: 400, body: { error: "unsupported_grant_type" } });
    expect(await exchange({ client_id: "nope", client_secret: "nope-nope-nope" }, { grant_type: "client_credentials" })).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    const json = await fetch(`${paris.origin}/oauth/token`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{not json" });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ error: "invalid_request" });
  });
});
