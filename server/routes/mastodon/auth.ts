// Bearer tokens for the client API (Hollo-style pipelines: tokenRequired → scopeRequired([...]) → handler).
// Tokens are read from the Authorization header only: a token in the query string (which Doorkeeper also accepts)
// ends up in access logs and Referer headers.
import type { Context, MiddlewareHandler } from "hono";
import { findLocalUserById, type LocalUser } from "../../domain/accounts/accounts.ts";
import { hasScope, verifyApiToken } from "../../domain/accounts/tokens.ts";
import type { RouteDeps } from "../deps.ts";

export interface Viewer { accountId: string; scopes: string[]; user: LocalUser }

export type ApiEnv = { Variables: { viewer: Viewer | null } };
export type ApiContext = Context<ApiEnv>;

const INVALID_TOKEN = "The access token is invalid";
const OUTSIDE_SCOPES = "This action is outside the authorized scopes";

function invalidToken(c: Context): Response {
  c.header("WWW-Authenticate", 'Bearer realm="Ruche", error="invalid_token", error_description="The access token is invalid"');
  return c.json({ error: INVALID_TOKEN }, 401);
}

/** undefined: no credentials sent; null: credentials sent but not valid. */
async function readViewer(c: Context, deps: RouteDeps): Promise<Viewer | null | undefined> {
  const header = c.req.header("Authorization");
  if (header == null || header.trim() === "") return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) return null;
  return await viewerFromToken(deps, m[1]);
}

/**
 * The viewer a bearer token names, or null when it is unknown, revoked or its account disabled. The streaming API
 * also takes the token from `access_token` or `Sec-WebSocket-Protocol` (a browser's WebSocket cannot set headers).
 */
export async function viewerFromToken(deps: RouteDeps, token: string): Promise<Viewer | null> {
  const info = await verifyApiToken(deps.sql, token);
  if (!info) return null;
  const user = await findLocalUserById(deps.sql, info.accountId);
  if (!user || user.disabled) return null;
  return { accountId: info.accountId, scopes: info.scopes, user };
}

export function tokenRequired(deps: RouteDeps): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const viewer = await readViewer(c, deps);
    if (!viewer) return invalidToken(c);
    c.set("viewer", viewer);
    c.header("Cache-Control", "private, no-store");
    await next();
  };
}

/**
 * Mastodon's `authorize_if_got_token!`: anonymous requests pass, a token that is sent must be valid. In 'siblings'
 * federation mode the instance is private to the group, so a token is required, as in Mastodon's limited
 * federation mode (DISALLOW_UNAUTHENTICATED_API_ACCESS).
 */
export function tokenOptional(deps: RouteDeps): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const viewer = await readViewer(c, deps);
    if (viewer === null) return invalidToken(c);
    if (viewer === undefined && deps.config.federation === "siblings") return invalidToken(c);
    c.set("viewer", viewer ?? null);
    if (viewer) c.header("Cache-Control", "private, no-store");
    await next();
  };
}

/** Passes when the token grants any one of `scopes` (e.g. ["write:follows", "follow"]); anonymous requests pass. */
export function scopeRequired(scopes: string[]): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const viewer = c.get("viewer");
    if (viewer && !scopes.some((s) => hasScope(viewer.scopes, s))) return c.json({ error: OUTSIDE_SCOPES }, 403);
    await next();
  };
}

/** The viewer on routes behind tokenRequired. */
export function viewerOf(c: ApiContext): Viewer {
  const viewer = c.get("viewer");
  if (!viewer) throw new Error("viewerOf() used on a route without tokenRequired");
  return viewer;
}
