// Company sign-in with OpenID Connect (issue #16 point 1), with openid-client: discovery, authorization code with
// PKCE S256, state and nonce, ID token validation (issuer, audience, signature, expiry), then UserInfo. The state
// lives in the database (any web process finishes a sign-in another started) and is used once; what the identity
// provider says about the person is applied by the domain (server/domain/accounts/oidc.ts).
import type { Context, Hono } from "hono";
import * as client from "openid-client";
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from "jose";
import { getLogger } from "@logtape/logtape";
import type { OidcConfig } from "../../config.ts";
import { beginOidcLogin, signInWithOidc, signOutOidcIdentity, takeOidcLogin, type OidcIdentity } from "../../domain/accounts/oidc.ts";
import { DomainError } from "../../domain/errors.ts";
import { LoginPage } from "../../../web/components/login.ts";
import { t, type MessageKey } from "../../../web/i18n/index.ts";
import type { RouteDeps } from "../deps.ts";
import { islandUrls } from "../pages/islands.ts";
import { page } from "../pages/render.ts";
import { chromeOf, safeNext, startSession } from "../pages/session.ts";
import { loginOptions } from "../pages/auth.ts";

const log = getLogger(["ruche", "oidc"]);
const TIMEOUT_MS = 10_000;

export const OIDC_START_PATH = "/auth/oidc";
const CALLBACK_PATH = "/auth/oidc/callback";
/** Where the identity provider posts its logout tokens (register it as the client's backchannel_logout_uri). */
export const BACKCHANNEL_LOGOUT_PATH = "/auth/oidc/backchannel-logout";
const LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout";

/** The provider's metadata, discovered once per process (and again after a failure). */
function discoverer(oidc: OidcConfig) {
  let pending: Promise<client.Configuration> | null = null;
  return () => {
    pending ??= client.discovery(new URL(oidc.issuer), oidc.clientId, { client_secret: oidc.clientSecret }, undefined, {
      [client.customFetch]: (url, init) => fetch(url, { ...init, body: init.body as BodyInit | undefined, signal: AbortSignal.timeout(TIMEOUT_MS) }),
      // ID token signatures are checked against the provider's published keys even though the token comes
      // straight from its token endpoint (the spec lets TLS stand in for them; a LAN provider may be plain http).
      // Plain http only where the configuration allowed it (RUCHE_ALLOW_PRIVATE_ADDRESS, config.ts).
      execute: [client.enableNonRepudiationChecks, ...(oidc.issuer.startsWith("http:") ? [client.allowInsecureRequests] : [])],
    }).catch((e: unknown) => {
      pending = null;
      throw e;
    });
    return pending;
  };
}

function claimText(claims: Record<string, unknown>, name: string, max = 500): string | null {
  const v = claims[name];
  if (typeof v === "string" && v.trim()) return v.trim().slice(0, max);
  if (typeof v === "number") return String(v);
  return null;
}

export function registerOidcPages(app: Hono, deps: RouteDeps): void {
  const oidc = deps.config.oidc;
  if (!oidc) return;
  const configuration = discoverer(oidc);
  const redirectUri = `${deps.config.origin}${CALLBACK_PATH}`;

  const refuse = async (c: Context, status: 400 | 403 | 409 | 502, key: MessageKey, next = "/") => {
    const base = chromeOf(c, deps);
    return page(c, LoginPage, {
      ...base, error: t(base.locale, key as never), next, scripts: await islandUrls("time-zone"),
      ...loginOptions(deps),
    }, status);
  };

  app.get(OIDC_START_PATH, async (c) => {
    const next = safeNext(c.req.query("next"));
    let config: client.Configuration;
    try {
      config = await configuration();
    } catch (e) {
      log.error("The identity provider {issuer} cannot be reached: {error}", { issuer: oidc.issuer, error: String(e) });
      return refuse(c, 502, "oidc.unreachable", next);
    }
    const codeVerifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const state = await beginOidcLogin(deps.sql, { nonce, codeVerifier, next });
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: oidc.scopes,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: "S256",
      state,
      nonce,
    });
    return c.redirect(url.href, 302);
  });

  // OpenID Connect Back-Channel Logout 1.0 §2.6: a logout token signed by the provider, for us, recent, carrying the
  // logout event and a subject, and no nonce. Anything else is refused with 400 and signs nobody out.
  let keys: JWTVerifyGetKey | null = null;
  app.post(BACKCHANNEL_LOGOUT_PATH, async (c) => {
    c.header("Cache-Control", "no-store");
    const form = await c.req.parseBody().catch(() => ({} as Record<string, unknown>));
    const token = form.logout_token;
    if (typeof token !== "string" || token.length > 20_000) return c.json({ error: "invalid_request", error_description: "logout_token is missing" }, 400);
    try {
      const config = await configuration();
      const jwksUri = config.serverMetadata().jwks_uri;
      if (!jwksUri) throw new Error("the provider publishes no keys");
      keys ??= createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: TIMEOUT_MS });
      const { payload } = await jwtVerify(token, keys, {
        issuer: config.serverMetadata().issuer, audience: oidc.clientId, maxTokenAge: "10m", clockTolerance: 60,
        requiredClaims: ["iat", "jti", "events"],
      });
      const events = payload.events as Record<string, unknown> | undefined;
      if (!events || typeof events !== "object" || !(LOGOUT_EVENT in events)) throw new Error("not a logout event");
      if ("nonce" in payload) throw new Error("a logout token has no nonce");
      if (typeof payload.sub !== "string") throw new Error("no subject (session-only logout tokens are not supported)");
      const accountId = await signOutOidcIdentity(deps.sql, String(payload.iss), payload.sub);
      log.info("The identity provider signed out {subject}: {outcome}", { subject: payload.sub, outcome: accountId ? `account ${accountId}` : "unknown here" });
      return c.body(null, 200);
    } catch (e) {
      log.warning("Logout token refused: {error}", { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
      return c.json({ error: "invalid_request", error_description: "the logout token is not valid" }, 400);
    }
  });

  app.get(CALLBACK_PATH, async (c) => {
    const current = new URL(c.req.url);
    const stateParam = current.searchParams.get("state") ?? "";
    const pending = await takeOidcLogin(deps.sql, stateParam);
    // Unknown, already used or stale: nothing is exchanged (a replayed callback finds no state).
    if (!pending) return refuse(c, 400, "oidc.expired");
    if (current.searchParams.get("error")) {
      log.info("The identity provider refused the sign-in: {error}", { error: current.searchParams.get("error") });
      return refuse(c, 403, "oidc.refused", pending.next);
    }
    let identity: OidcIdentity;
    try {
      const config = await configuration();
      // The callback URL as the provider built it: our public origin, whatever address the request reached.
      const callback = new URL(`${CALLBACK_PATH}${current.search}`, deps.config.origin);
      const tokens = await client.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: pending.codeVerifier, expectedState: stateParam, expectedNonce: pending.nonce, idTokenExpected: true,
      });
      const idClaims = tokens.claims();
      if (!idClaims) throw new Error("no ID token");
      const userinfo = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub).catch((e: unknown) => {
        log.warning("UserInfo failed, signing in with the ID token's claims only: {error}", { error: String(e) });
        return {} as Record<string, unknown>;
      });
      const claims: Record<string, unknown> = { ...userinfo, ...idClaims };
      const names = oidc.claims;
      identity = {
        issuer: String(idClaims.iss),
        subject: idClaims.sub,
        username: claimText(claims, names.username, 200),
        displayName: claimText(claims, names.name, 200),
        email: claimText(claims, names.email, 254),
        emailVerified: claims.email_verified === true,
        department: claimText(claims, names.department),
        site: claimText(claims, names.site),
        jobTitle: claimText(claims, names.jobTitle),
        manager: claimText(claims, names.manager, 300),
      };
    } catch (e) {
      // A forged or expired ID token, a wrong issuer or audience, a nonce or PKCE mismatch: refused, nothing stored.
      log.warning("Company sign-in refused: {error}", { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
      return refuse(c, 403, "oidc.invalid", pending.next);
    }
    try {
      const result = await signInWithOidc(deps.sql, deps.config.origin, identity);
      for (const line of result.ignored) log.info("Company sign-in of {username}: ignored {what}", { username: result.user.account.username, what: line });
      log.info("Company sign-in of {username} ({outcome})", { username: result.user.account.username, outcome: result.outcome });
      await startSession(c, deps, result.user.account.id);
      return c.redirect(pending.next, 303);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      log.warning("Company sign-in refused for {subject}: {code} {error}", { subject: identity.subject, code: e.code, error: e.message });
      const key: MessageKey = e.code === "account_disabled" ? "oidc.disabled"
        : e.code === "oidc_no_username" ? "oidc.noUsername" : "oidc.taken";
      return refuse(c, e.status === 403 ? 403 : 409, key, pending.next);
    }
  });
}
