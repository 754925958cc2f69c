// The OAuth endpoints a client calls directly: /oauth/token (authorization code with or without PKCE S256, client
// credentials, refresh), /oauth/revoke (RFC 7009) and the RFC 8414 metadata. Bodies are read as Mastodon reads
// them (form, multipart — masto.js sends multipart — or JSON), then handed to the library as a form.
import type { Context, Hono } from "hono";
import { cors } from "hono/cors";
import OAuth2Server from "@node-oauth/oauth2-server";
import { authenticateApp, consumeCode, revokeByApp, revokeTokensOfCode } from "../../domain/accounts/oauth.ts";
import { ALL_SCOPES } from "../../domain/accounts/tokens.ts";
import type { RouteDeps } from "../deps.ts";
import type { ApiEnv } from "../mastodon/auth.ts";
import { bodyParams } from "../mastodon/params.ts";
import { DESCRIPTIONS, oauthError, oauthFailure } from "./errors.ts";
import { oauthServer } from "./model.ts";

/** Flat string parameters only (a nested or repeated value is not an OAuth parameter); null if unreadable. */
async function oauthParams(c: Context): Promise<Record<string, string> | null> {
  let params: Record<string, unknown>;
  try {
    params = await bodyParams(c);
  } catch {
    return null;
  }
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (typeof v === "string") flat[k] = v;
  return flat;
}

const UNREADABLE = { error: "invalid_request", error_description: "The request body could not be read.", status: 400 } as const;

function libraryRequest(c: Context, body: Record<string, string>): OAuth2Server.Request {
  // type-is (the library's content check) needs a body length to believe there is a body.
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", "content-length": "1" };
  const authorization = c.req.header("Authorization");
  if (authorization) headers.authorization = authorization;
  return new OAuth2Server.Request({ method: "POST", headers, query: {}, body });
}

/** The client of a revocation: HTTP Basic or client_id + client_secret in the body, as at the token endpoint. */
async function revokingApp(c: Context, deps: RouteDeps, body: Record<string, string>) {
  let id = body.client_id, secret = body.client_secret;
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(c.req.header("Authorization") ?? "");
  if (basic) {
    const decoded = Buffer.from(basic[1], "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon > 0) [id, secret] = [decodeURIComponent(decoded.slice(0, colon)), decodeURIComponent(decoded.slice(colon + 1))];
  }
  return id && secret ? await authenticateApp(deps.sql, id, secret) : null;
}

export function registerOAuthEndpoints(app: Hono<ApiEnv>, deps: RouteDeps): void {
  // Browser clients (Elk, Phanpy) exchange codes from their own origin; no cookies are involved.
  const open = cors({ origin: "*", allowMethods: ["GET", "POST", "OPTIONS"], allowHeaders: ["Authorization", "Content-Type"], maxAge: 86_400 });
  for (const path of ["/oauth/token", "/oauth/revoke", "/.well-known/oauth-authorization-server"]) app.use(path, open);

  app.post("/oauth/token", async (c) => {
    const body = await oauthParams(c);
    if (!body) return oauthError(c, UNREADABLE);
    // The whole exchange is one transaction: a code is never consumed without its token being stored, nor a
    // refresh token rotated without its successor. A failed exchange still burns the code (below), as RFC 6749
    // §10.5 wants and so that a PKCE verifier cannot be guessed by retrying.
    const consumed: string[] = [];
    const response = new OAuth2Server.Response({ headers: {} });
    try {
      const token = await deps.sql.begin(async (tx) => {
        return await oauthServer(tx, (code) => consumed.push(code)).token(libraryRequest(c, body), response);
      });
      c.header("Cache-Control", "no-store");
      c.header("Pragma", "no-cache");
      return c.json({
        access_token: token.accessToken,
        token_type: "Bearer",
        scope: (token.scope ?? []).join(" "),
        created_at: Math.floor((token.createdAt as Date).getTime() / 1000),
        ...(token.refreshToken ? { refresh_token: token.refreshToken } : {}),
      });
    } catch (err) {
      for (const code of consumed) await consumeCode(deps.sql, code);
      // A code that already gave tokens, presented again: those tokens are revoked (RFC 6749 §4.1.2). The library
      // answers invalid_grant for it (the code is gone); the revocation is ours, after the rolled-back exchange.
      if (body.grant_type === "authorization_code" && body.code) await revokeTokensOfCode(deps.sql, body.code);
      if (response.get("WWW-Authenticate")) c.header("WWW-Authenticate", response.get("WWW-Authenticate") as string);
      return oauthError(c, oauthFailure(err));
    }
  });

  app.post("/oauth/revoke", async (c) => {
    const body = await oauthParams(c);
    if (!body) return oauthError(c, UNREADABLE);
    const client = await revokingApp(c, deps, body);
    if (!client) return oauthError(c, { error: "invalid_client", error_description: DESCRIPTIONS.invalid_client, status: 401 });
    if (!body.token) return oauthError(c, { error: "invalid_request", error_description: "Missing required parameter: token.", status: 400 });
    // An unknown or already revoked token is answered 200 as well (RFC 7009 §2.2): the client's goal is reached.
    const outcome = await revokeByApp(deps.sql, client.id, body.token);
    if (outcome === "other_client") {
      return oauthError(c, { error: "unauthorized_client", error_description: "You are not authorized to revoke this token", status: 403 });
    }
    return c.json({});
  });

  // RFC 8414, in the shape Mastodon 4.3 publishes (apps discover PKCE and scopes here).
  app.get("/.well-known/oauth-authorization-server", (c) => {
    const o = deps.config.origin;
    c.header("Cache-Control", "public, max-age=3600");
    return c.json({
      issuer: `${o}/`,
      service_documentation: "https://docs.joinmastodon.org/",
      authorization_endpoint: `${o}/oauth/authorize`,
      token_endpoint: `${o}/oauth/token`,
      app_registration_endpoint: `${o}/api/v1/apps`,
      revocation_endpoint: `${o}/oauth/revoke`,
      scopes_supported: ALL_SCOPES,
      response_types_supported: ["code"],
      response_modes_supported: ["query"],
      code_challenge_methods_supported: ["S256"],
      grant_types_supported: ["authorization_code", "client_credentials", "refresh_token"],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    });
  });
}
