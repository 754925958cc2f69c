// Identity providers for the company sign-in tests (issue #16 point 1).
// - startTestIdp: a real OpenID Connect provider (`oidc-provider`, the certified Node implementation) on loopback,
//   with its development login and consent pages: any password, the login names a person of `people`.
// - startHostileIdp: a provider that answers discovery, JWKS and the token endpoint itself, so a test can hand
//   Ruche a forged, expired or misdirected ID token.
import { createServer, type Server } from "node:http";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import Provider from "oidc-provider";
import { SignJWT, exportJWK, importJWK, type JWK } from "jose";
import { freePort } from "../server/db/embedded.ts";

export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Claims by login name; change them between sign-ins to see Ruche follow the identity provider. */
  people: Map<string, Record<string, unknown>>;
  /** Registers Ruche's callback (and logout URI) once its origin is known (the issuer is chosen before Ruche starts). */
  start(redirectUri: string, backchannelLogoutUri?: string): Promise<void>;
  close(): Promise<void>;
}

const PROFILE_CLAIMS = ["name", "preferred_username", "department", "site", "job_title", "manager"];

/** Picks the issuer's port now; `start()` runs the provider once Ruche's callback URL is known. */
export async function prepareTestIdp(): Promise<TestIdp> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = "ruche-test";
  const clientSecret = randomBytes(24).toString("base64url");
  const people = new Map<string, Record<string, unknown>>();
  let server: Server | undefined;
  return {
    issuer, clientId, clientSecret, people,
    async start(redirectUri, backchannelLogoutUri) {
      const provider = new Provider(issuer, {
        clients: [{
          client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri],
          grant_types: ["authorization_code"], response_types: ["code"], token_endpoint_auth_method: "client_secret_post",
          ...(backchannelLogoutUri ? { backchannel_logout_uri: backchannelLogoutUri } : {}),
        }],
        claims: { openid: ["sub"], email: ["email", "email_verified"], profile: PROFILE_CLAIMS },
        cookies: { keys: [randomBytes(16).toString("hex")] },
        features: { devInteractions: { enabled: true }, backchannelLogout: { enabled: true } },
        // The provider refuses to call loopback addresses (its own SSRF guard); Ruche's test instance is one.
        fetch: (url, options) => {
          const { dispatcher: _guard, ...rest } = (options ?? {}) as RequestInit & { dispatcher?: unknown };
          return globalThis.fetch(url, rest);
        },
        async findAccount(_ctx, id) {
          return {
            accountId: id,
            async claims() {
              return { sub: id, ...(people.get(id) ?? {}) };
            },
          };
        },
      });
      // Quiet: the provider logs its development-mode warnings through console.
      provider.on("server_error", () => {});
      provider.on("backchannel.error", (_ctx: unknown, err: Error) => console.error("test provider: back-channel logout failed", err));
      server = createServer(provider.callback());
      await new Promise<void>((resolve) => server!.listen(port, "127.0.0.1", resolve));
    },
    async close() {
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    },
  };
}

export type HostileToken = "valid" | "wrong-audience" | "wrong-issuer" | "expired" | "bad-signature" | "wrong-nonce" | "admin-claim";

export interface HostileIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** What the next token answer carries. */
  token: HostileToken;
  /** How many times the token endpoint was asked (a refused replay must not even get there). */
  tokenRequests: number;
  /** Claims added to (or replacing) the ID token's: another person, an e-mail, an attempt at a role. */
  extraClaims: Record<string, unknown>;
  /** A JWT signed with the provider's published key (or another key), e.g. a logout token. */
  sign(claims: Record<string, unknown>, opts?: { foreignKey?: boolean }): Promise<string>;
  close(): Promise<void>;
}

/**
 * A provider whose authorization endpoint sends the browser straight back with a code, and whose token endpoint
 * answers an ID token shaped by `token`, signed with its published key (or, for "bad-signature", another one).
 */
export async function startHostileIdp(): Promise<HostileIdp> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const stranger = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256", use: "sig" };
  const nonces = new Map<string, string>();
  const idp: HostileIdp = { issuer, clientId: "ruche-hostile", clientSecret: "hostile-secret", token: "valid", tokenRequests: 0, extraClaims: {}, close: async () => {},
    async sign(claims, opts = {}) {
      const key = await importJWK({ ...(await exportJWK(opts.foreignKey ? stranger : privateKey)), alg: "ES256" }, "ES256");
      return await new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid: "k1" }).sign(key);
    },
  };
  const json = (res: import("node:http").ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", issuer);
    if (url.pathname === "/.well-known/openid-configuration") {
      return json(res, 200, {
        issuer, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks`,
        userinfo_endpoint: `${issuer}/me`, response_types_supported: ["code"], subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["ES256"], code_challenge_methods_supported: ["S256"],
        token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
      });
    }
    if (url.pathname === "/jwks") return json(res, 200, { keys: [publicJwk] });
    if (url.pathname === "/auth") {
      const code = randomBytes(12).toString("hex");
      nonces.set(code, url.searchParams.get("nonce") ?? "");
      const back = new URL(url.searchParams.get("redirect_uri")!);
      back.searchParams.set("code", code);
      back.searchParams.set("state", url.searchParams.get("state") ?? "");
      res.writeHead(302, { location: back.href });
      return res.end();
    }
    if (url.pathname === "/me") return json(res, 200, { sub: "hostile-1" });
    if (url.pathname === "/token" && req.method === "POST") {
      idp.tokenRequests++;
      let body = "";
      for await (const chunk of req) body += chunk;
      const code = new URLSearchParams(body).get("code") ?? "";
      const now = Math.floor(Date.now() / 1000);
      const kind = idp.token;
      const claims: Record<string, unknown> = {
        sub: "hostile-1", preferred_username: kind === "admin-claim" ? "root" : "mallory", email: "mallory@hostile.example",
        email_verified: true, nonce: kind === "wrong-nonce" ? "another-nonce" : nonces.get(code),
        ...(kind === "admin-claim" ? { role: "admin", admin: true, groups: ["admins"] } : {}),
        ...idp.extraClaims,
      };
      const idToken = await idp.sign({
        ...claims,
        iss: kind === "wrong-issuer" ? "https://idp.elsewhere.example" : issuer,
        aud: kind === "wrong-audience" ? "someone-else" : idp.clientId,
        iat: kind === "expired" ? now - 7200 : now,
        exp: kind === "expired" ? now - 3600 : now + 300,
      }, { foreignKey: kind === "bad-signature" });
      return json(res, 200, { access_token: randomBytes(16).toString("hex"), token_type: "Bearer", expires_in: 300, id_token: idToken });
    }
    json(res, 404, { error: "not_found" });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  idp.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return idp;
}
