// Bearer tokens for the client API (Hollo-style pipelines: tokenRequired → scopeRequired([...]) → handler).
// Tokens are read from the Authorization header only: a token in the query string (which Doorkeeper also accepts)
// ends up in access logs and Referer headers.
import type { Context, MiddlewareHandler } from "hono";
import { findLocalUserById, type LocalUser } from "../../domain/accounts/accounts.ts";
import { hasScope, verifyApiToken } from "../../domain/accounts/tokens.ts";
import { charterToAccept } from "../../domain/charter/charter.ts";
import type { RouteDeps } from "../deps.ts";

/** `tokenId`: the bearer token the viewer came with (none for a web session): its revocation ends its streams. */
export interface Viewer { accountId: string; scopes: string[]; user: LocalUser; tokenId?: string }

/** What a valid bearer token grants: its scopes, and the person it acts for (null: an application's own token). */
export interface Credentials {
  scopes: string[];
  appId: string | null;
  viewer: Viewer | null;
  /** The person has not accepted the usage charter in force: only the charter's own endpoints answer. */
  charterPending: boolean;
  /** The token row (a push subscription belongs to one) and the bearer token as sent (its payload carries it). */
  tokenId: string;
  token: string;
}

export type ApiEnv = { Variables: { viewer: Viewer | null; credentials: Credentials | null } };
export type ApiContext = Context<ApiEnv>;

const INVALID_TOKEN = "The access token is invalid";
const OUTSIDE_SCOPES = "This action is outside the authorized scopes";
const USER_REQUIRED = "This method requires an authenticated user";

function invalidToken(c: Context): Response {
  c.header("WWW-Authenticate", 'Bearer realm="Ruche", error="invalid_token", error_description="The access token is invalid"');
  return c.json({ error: INVALID_TOKEN }, 401);
}

/** undefined: no credentials sent; null: credentials sent but not valid. */
async function readCredentials(c: Context, deps: RouteDeps): Promise<Credentials | null | undefined> {
  const header = c.req.header("Authorization");
  if (header == null || header.trim() === "") return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) return null;
  return await credentialsFromToken(deps, m[1]);
}

/** What a bearer token grants, or null when it is unknown, revoked or its account disabled. */
async function credentialsFromToken(deps: RouteDeps, token: string): Promise<Credentials | null> {
  const info = await verifyApiToken(deps.sql, token);
  if (!info) return null;
  const base = { scopes: info.scopes, appId: info.appId, tokenId: info.tokenId, token };
  if (info.accountId == null) return { ...base, viewer: null, charterPending: false };
  const [user, pending] = await Promise.all([findLocalUserById(deps.sql, info.accountId), charterToAccept(deps.sql, info.accountId)]);
  if (!user || user.disabled) return null;
  return { ...base, viewer: { accountId: info.accountId, scopes: info.scopes, user, tokenId: info.tokenId }, charterPending: pending != null };
}

/**
 * The person a bearer token acts for, or null (unknown, revoked, disabled, or an application's own token). The
 * streaming API also takes the token from `access_token` or `Sec-WebSocket-Protocol` (a browser's WebSocket cannot
 * set headers).
 */
export async function viewerFromToken(deps: RouteDeps, token: string): Promise<Viewer | null> {
  return (await credentialsFromToken(deps, token))?.viewer ?? null;
}

/**
 * What a person who has not accepted the charter in force may still call: reading and accepting it — and deleting
 * their account, a right that does not depend on accepting anything (GDPR art. 17).
 */
const CHARTER_PATHS = new Set(["/api/ruche/v1/charter", "/api/ruche/v1/charter/accept", "/api/ruche/v1/admin/charter",
  "/api/v1/instance/terms_of_service", "/api/ruche/v1/me/deletion"]);

/** 403 until the usage charter in force is accepted (issue #15): apps show the message and where to accept it. */
function charterGate(c: Context, deps: RouteDeps, credentials: Credentials | null | undefined): Response | null {
  if (!credentials?.charterPending || CHARTER_PATHS.has(c.req.path)) return null;
  return c.json({
    error: `Accept the usage charter of this instance first: ${deps.config.origin}/charter`,
    error_code: "charter_not_accepted",
  }, 403);
}

/** A valid token, or 401 when missing or invalid; with `userOnly`, an application's own token gets 422. */
function credentialsRequired(deps: RouteDeps, userOnly: boolean): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const credentials = await readCredentials(c, deps);
    if (!credentials) return invalidToken(c);
    if (userOnly && !credentials.viewer) return c.json({ error: USER_REQUIRED }, 422);
    const gate = charterGate(c, deps, credentials);
    if (gate) return gate;
    c.set("credentials", credentials);
    c.set("viewer", credentials.viewer);
    c.header("Cache-Control", "private, no-store");
    await next();
  };
}

/** A person's token (Mastodon's `doorkeeper_authorize!` + `require_user!`). */
export function tokenRequired(deps: RouteDeps): MiddlewareHandler<ApiEnv> {
  return credentialsRequired(deps, true);
}

/** Any valid token, a person's or an application's own (GET /api/v1/apps/verify_credentials). */
export function appTokenRequired(deps: RouteDeps): MiddlewareHandler<ApiEnv> {
  return credentialsRequired(deps, false);
}

/**
 * Mastodon's `authorize_if_got_token!`: anonymous requests pass, a token that is sent must be valid. In 'siblings'
 * federation mode the instance is private to the group, so a person's token is required, as in Mastodon's limited
 * federation mode (DISALLOW_UNAUTHENTICATED_API_ACCESS): an application's own token (anyone can register an app)
 * counts as anonymous there.
 */
export function tokenOptional(deps: RouteDeps): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const credentials = await readCredentials(c, deps);
    if (credentials === null) return invalidToken(c);
    if (!credentials?.viewer && deps.config.federation === "siblings") return invalidToken(c);
    const gate = charterGate(c, deps, credentials);
    if (gate) return gate;
    c.set("credentials", credentials ?? null);
    c.set("viewer", credentials?.viewer ?? null);
    if (credentials) c.header("Cache-Control", "private, no-store");
    await next();
  };
}

/**
 * Passes when the token grants any one of `scopes` (e.g. ["write:follows", "follow"]); anonymous requests pass.
 * Every API route names its scopes here, so a token is held to what the person consented to.
 */
export function scopeRequired(scopes: string[]): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const credentials = c.get("credentials");
    if (credentials && !scopes.some((s) => hasScope(credentials.scopes, s))) return c.json({ error: OUTSIDE_SCOPES }, 403);
    await next();
  };
}

/** The viewer on routes behind tokenRequired. */
export function viewerOf(c: ApiContext): Viewer {
  const viewer = c.get("viewer");
  if (!viewer) throw new Error("viewerOf() used on a route without tokenRequired");
  return viewer;
}
