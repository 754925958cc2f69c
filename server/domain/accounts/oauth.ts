// OAuth 2 applications, authorization codes and the tokens they are given (issue #9 point 1). The grant logic is
// @node-oauth/oauth2-server's (server/routes/oauth/model.ts adapts this module to it); this module owns the SQL.
// Client secrets, codes and tokens are stored as digests only (tokens.ts).
import { z } from "zod";
import type { Db } from "../../db/pool.ts";
import { DomainError } from "../errors.ts";
import { digest, newSecret, parseScopes, safeEqual } from "./tokens.ts";
import { dropPushSubscriptions } from "../push/subscriptions.ts";

/** Out-of-band: the code is shown to the person, who copies it into the application. */
export const OOB = "urn:ietf:wg:oauth:2.0:oob";

/** Doorkeeper's default: a code must be exchanged within 10 minutes. */
export const CODE_LIFETIME_SECONDS = 600;

export interface OAuthApp {
  id: string;
  clientId: string;
  name: string;
  website: string | null;
  redirectUris: string[];
  scopes: string[];
  createdAt: Date;
}

type Row = Record<string, unknown>;

function toApp(r: Row): OAuthApp {
  return {
    id: String(r.id), clientId: r.client_id as string, name: r.name as string, website: (r.website as string | null) ?? null,
    redirectUris: r.redirect_uris as string[], scopes: r.scopes as string[], createdAt: r.created_at as Date,
  };
}

/**
 * A redirect URI must be absolute and without a fragment (RFC 6749 §3.1.2); custom schemes (`myapp://cb`) are
 * allowed for native apps, as Mastodon allows them. Schemes that run code or read files are not: the consent page
 * sends the browser to this URI.
 */
function checkRedirectUri(uri: string): string | null {
  if (uri === OOB) return null;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return "must be an absolute URI";
  }
  if (url.hash !== "" || uri.includes("#")) return "must not contain a fragment";
  if (/^(javascript|data|vbscript|file|blob):$/i.test(url.protocol)) return "uses a forbidden scheme";
  return null;
}

export const newAppSchema = z.object({
  client_name: z.string({ error: "can't be blank" }).trim().min(1, "can't be blank").max(60, "is too long (maximum is 60 characters)"),
  redirect_uris: z.union([z.string(), z.array(z.string())], { error: "can't be blank" })
    .transform((v) => (Array.isArray(v) ? v : v.split(/\r?\n/)).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.string().max(2000, "is too long").superRefine((uri, ctx) => {
      const problem = checkRedirectUri(uri);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })).min(1, "can't be blank").max(20, "has too many entries")),
  scopes: z.string().optional(),
  website: z.preprocess((v) => (v === "" || v == null ? undefined : v), z.url({ protocol: /^https?$/, error: "is invalid" }).max(2000).optional()),
});

/** Registers an application; its client secret is returned once and only its digest is kept. */
export async function createApp(db: Db, input: z.input<typeof newAppSchema>): Promise<{ app: OAuthApp; clientSecret: string }> {
  const v = newAppSchema.parse(input);
  const scopes = parseScopes(v.scopes, "read");
  const clientId = newSecret(), clientSecret = newSecret();
  const [row] = await db`INSERT INTO oauth_apps (client_id, client_secret_hash, name, website, redirect_uris, scopes)
    VALUES (${clientId}, ${digest(clientSecret)}, ${v.client_name}, ${v.website ?? null}, ${v.redirect_uris}, ${scopes})
    RETURNING *`;
  return { app: toApp(row), clientSecret };
}

export async function findAppByClientId(db: Db, clientId: string): Promise<OAuthApp | null> {
  if (clientId.length > 200) return null;
  const [row] = await db`SELECT * FROM oauth_apps WHERE client_id = ${clientId}`;
  return row ? toApp(row) : null;
}

export async function findAppById(db: Db, id: string): Promise<OAuthApp | null> {
  const [row] = await db`SELECT * FROM oauth_apps WHERE id = ${id}`;
  return row ? toApp(row) : null;
}

/** The application whose id and secret these are, or null. The secret is compared by digest, in constant time. */
export async function authenticateApp(db: Db, clientId: string, clientSecret: string): Promise<OAuthApp | null> {
  if (clientId.length > 200 || clientSecret.length > 200) return null;
  const [row] = await db`SELECT * FROM oauth_apps WHERE client_id = ${clientId}`;
  return row && safeEqual(row.client_secret_hash, digest(clientSecret)) ? toApp(row) : null;
}

export interface AuthorizationCode {
  appId: string;
  accountId: string;
  redirectUri: string;
  scopes: string[];
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
  expiresAt: Date;
}

export async function saveCode(db: Db, code: string, c: AuthorizationCode): Promise<void> {
  // Codes nobody exchanged go with the next one made.
  await db`DELETE FROM oauth_codes WHERE expires_at < now() - interval '1 day'`;
  await db`INSERT INTO oauth_codes (code_hash, app_id, account_id, redirect_uri, scopes, code_challenge, code_challenge_method, expires_at)
    VALUES (${digest(code)}, ${c.appId}, ${c.accountId}, ${c.redirectUri}, ${c.scopes}, ${c.codeChallenge}, ${c.codeChallengeMethod}, ${c.expiresAt})`;
}

/** A code not yet exchanged, whose person is still enabled (expired ones are returned: the grant says why). */
export async function findCode(db: Db, code: string): Promise<AuthorizationCode | null> {
  if (code.length > 200) return null;
  const [r] = await db`SELECT c.* FROM oauth_codes c JOIN users u ON u.account_id = c.account_id AND u.disabled_at IS NULL
    WHERE c.code_hash = ${digest(code)}`;
  if (!r) return null;
  return {
    appId: String(r.app_id), accountId: String(r.account_id), redirectUri: r.redirect_uri, scopes: r.scopes,
    codeChallenge: r.code_challenge, codeChallengeMethod: r.code_challenge_method, expiresAt: r.expires_at,
  };
}

/** Deletes the code; false if it was already gone (a replay, or a concurrent exchange that won). */
export async function consumeCode(db: Db, code: string): Promise<boolean> {
  const rows = await db`DELETE FROM oauth_codes WHERE code_hash = ${digest(code)} RETURNING 1`;
  return rows.length === 1;
}

export interface RefreshableToken { tokenId: string; appId: string; accountId: string; scopes: string[]; refreshExpiresAt: Date | null }

/** A refresh token not revoked, of an enabled person. */
export async function findRefreshToken(db: Db, refreshToken: string): Promise<RefreshableToken | null> {
  if (refreshToken.length > 200) return null;
  const [r] = await db`SELECT t.id, t.app_id, t.account_id, t.scopes, t.refresh_expires_at FROM api_tokens t
    JOIN users u ON u.account_id = t.account_id AND u.disabled_at IS NULL
    WHERE t.refresh_token_hash = ${digest(refreshToken)} AND t.revoked_at IS NULL AND t.app_id IS NOT NULL`;
  return r ? { tokenId: String(r.id), appId: String(r.app_id), accountId: String(r.account_id), scopes: r.scopes, refreshExpiresAt: r.refresh_expires_at } : null;
}

/** Revokes one token (a refresh rotates it); false if it was revoked already. */
export async function revokeTokenById(db: Db, tokenId: string): Promise<boolean> {
  const rows = await db`UPDATE api_tokens SET revoked_at = now() WHERE id = ${tokenId} AND revoked_at IS NULL RETURNING 1`;
  await dropPushSubscriptions(db, [tokenId]);
  return rows.length === 1;
}

/**
 * RFC 7009 revocation by the application holding the token (access or refresh token). "none": unknown or already
 * revoked (answered 200 all the same); "other_client": the token is another application's.
 */
export async function revokeByApp(db: Db, appId: string, token: string): Promise<"revoked" | "none" | "other_client"> {
  if (token.length > 200) return "none";
  const hash = digest(token);
  const [r] = await db`SELECT id, app_id FROM api_tokens WHERE (token_hash = ${hash} OR refresh_token_hash = ${hash}) AND revoked_at IS NULL`;
  if (!r) return "none";
  if (String(r.app_id) !== appId) return "other_client";
  await revokeTokenById(db, String(r.id));
  return "revoked";
}

export interface AuthorizedApp {
  /** The application's id, or "cli" for the tokens made with the operator CLI. */
  key: string;
  name: string;
  website: string | null;
  scopes: string[];
  authorizedAt: Date;
  lastUsedAt: Date | null;
}

/** The applications that hold a live token for this person, with the union of their scopes and last use. */
export async function listAuthorizedApps(db: Db, accountId: string): Promise<AuthorizedApp[]> {
  const rows = await db`SELECT coalesce(t.app_id::text, 'cli') AS key, min(coalesce(a.name, t.name)) AS name, min(a.website) AS website,
      array(SELECT DISTINCT unnest(array_agg(s)) ORDER BY 1) AS scopes, min(t.created_at) AS authorized_at, max(t.last_used_at) AS last_used_at
    FROM api_tokens t LEFT JOIN oauth_apps a ON a.id = t.app_id, unnest(t.scopes) AS s
    WHERE t.account_id = ${accountId} AND t.revoked_at IS NULL
    GROUP BY 1 ORDER BY max(coalesce(t.last_used_at, t.created_at)) DESC`;
  return rows.map((r) => ({
    key: r.key, name: r.name, website: r.website, scopes: r.scopes, authorizedAt: r.authorized_at, lastUsedAt: r.last_used_at,
  }));
}

/** Revokes every token this person gave the application (`key` as listAuthorizedApps gives it). */
export async function revokeAuthorizedApp(db: Db, accountId: string, key: string): Promise<number> {
  if (key !== "cli" && !/^\d{1,18}$/.test(key)) throw new DomainError("not_found", 404, "no such application");
  const rows = key === "cli"
    ? await db`UPDATE api_tokens SET revoked_at = now() WHERE account_id = ${accountId} AND app_id IS NULL AND revoked_at IS NULL RETURNING id::text`
    : await db`UPDATE api_tokens SET revoked_at = now() WHERE account_id = ${accountId} AND app_id = ${key} AND revoked_at IS NULL RETURNING id::text`;
  if (rows.length === 0) throw new DomainError("not_found", 404, "no such application");
  await dropPushSubscriptions(db, rows.map((r) => r.id));
  return rows.length;
}
