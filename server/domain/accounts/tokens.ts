// Bearer tokens for the Mastodon client API and session cookies for the web UI. Only SHA-256 digests are stored:
// a leaked database does not leak usable credentials (Hollo stored bearer tokens in plaintext; we don't).
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Db } from "../../db/pool.ts";
import { publish } from "../../events/bus.ts";
import { DomainError } from "../errors.ts";
import { recordVisit } from "../analytics/personal.ts";
import { dropPushSubscriptions } from "../push/subscriptions.ts";

/**
 * Mastodon's scopes (config/initializers/doorkeeper.rb, 4.3): the top-level ones and their granular children.
 * `follow` is a legacy bundle the routes name explicitly (["write:follows", "follow"]), as Mastodon's do.
 */
const GRANULAR = {
  read: ["accounts", "blocks", "bookmarks", "favourites", "filters", "follows", "lists", "mutes", "notifications", "search", "statuses"],
  write: ["accounts", "blocks", "bookmarks", "conversations", "favourites", "filters", "follows", "lists", "media", "mutes",
    "notifications", "reports", "statuses"],
  "admin:read": ["accounts", "reports", "domain_allows", "domain_blocks", "ip_blocks", "email_domain_blocks", "canonical_email_blocks"],
  "admin:write": ["accounts", "reports", "domain_allows", "domain_blocks", "ip_blocks", "email_domain_blocks", "canonical_email_blocks"],
} as const;
export const TOP_SCOPES = ["read", "write", "follow", "push", "profile", "admin:read", "admin:write"] as const;
export const ALL_SCOPES: readonly string[] = [
  ...TOP_SCOPES,
  ...Object.entries(GRANULAR).flatMap(([top, children]) => children.map((child) => `${top}:${child}`)),
];
const KNOWN = new Set(ALL_SCOPES);

export function isKnownScope(scope: string): boolean {
  return KNOWN.has(scope);
}

export function digest(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** A new bearer token, refresh token, authorization code or client secret: 256 random bits. */
export function newSecret(): string {
  return randomBytes(32).toString("base64url");
}

/** Scopes as Mastodon reads them: separated by spaces (or `+`, `,` from query strings), unknown ones refused. */
export function parseScopes(input: string | undefined, fallback = "read write follow"): string[] {
  const scopes = (input ?? fallback).split(/[\s,+]+/).filter(Boolean);
  for (const s of scopes) {
    if (!KNOWN.has(s)) throw new DomainError("invalid_scope", 422, `unknown scope "${s}" (read, write, follow, push, profile, admin:read, admin:write, or e.g. read:accounts)`, "scopes");
  }
  return [...new Set(scopes)];
}

export interface NewToken {
  accountId: string | null;
  scopes: string[];
  name?: string;
  /** The OAuth application the token was given to (null: the CLI). */
  appId?: string | null;
  /** Given with an authorization code or a refresh: a refresh token, stored as its digest too. */
  refreshToken?: string;
  refreshExpiresAt?: Date;
  /** The digest of the authorization code the token (or the one it was refreshed from) was given for. */
  codeHash?: string | null;
}

/** Stores a token made elsewhere (by the OAuth grants) as its digest; the one insert every token goes through. */
export async function storeApiToken(db: Db, accessToken: string, t: NewToken): Promise<Date> {
  const [row] = await db`INSERT INTO api_tokens (token_hash, account_id, scopes, name, app_id, refresh_token_hash, refresh_expires_at, code_hash)
    VALUES (${digest(accessToken)}, ${t.accountId}, ${t.scopes}, ${t.name ?? "cli"}, ${t.appId ?? null},
      ${t.refreshToken ? digest(t.refreshToken) : null}, ${t.refreshExpiresAt ?? null}, ${t.codeHash ?? null})
    RETURNING created_at`;
  return row.created_at;
}

export async function createApiToken(db: Db, accountId: string, scopes: string[], name = "cli"): Promise<string> {
  const token = newSecret();
  await storeApiToken(db, token, { accountId, scopes, name });
  return token;
}

/** `accountId` null: an application's own token (client credentials), which acts for nobody. */
export interface TokenInfo { tokenId: string; accountId: string | null; appId: string | null; scopes: string[] }

/** The one bearer check: not revoked, and its person (if any) not disabled. */
export async function verifyApiToken(db: Db, token: string): Promise<TokenInfo | null> {
  if (token.length < 20 || token.length > 200) return null;
  const rows = await db`UPDATE api_tokens t SET last_used_at = now()
    WHERE t.token_hash = ${digest(token)} AND t.revoked_at IS NULL
      AND (t.account_id IS NULL OR EXISTS (SELECT 1 FROM users u WHERE u.account_id = t.account_id AND u.disabled_at IS NULL))
    RETURNING t.id::text AS id, t.account_id::text AS account_id, t.app_id::text AS app_id, t.scopes`;
  if (!rows[0]) return null;
  if (rows[0].account_id) await recordVisit(db, rows[0].account_id);
  return { tokenId: rows[0].id, accountId: rows[0].account_id, appId: rows[0].app_id, scopes: rows[0].scopes };
}

/**
 * Every token of a person stops working (disabled, signed out at the identity provider); see tokensRevoked.
 */
export async function revokeAccountTokens(db: Db, accountId: string): Promise<void> {
  const revoked = await db`UPDATE api_tokens SET revoked_at = now() WHERE account_id = ${accountId} AND revoked_at IS NULL RETURNING id::text`;
  await tokensRevoked(db, revoked.map((r) => r.id as string));
}

/**
 * What follows every revocation (each path calls it with the ids it revoked, in its transaction): the Web Push
 * subscriptions of those tokens go (with the copy of the token each keeps), and every process hears
 * `token.revoked` at commit, so the streaming hub ends their open streams, which were authorised when they opened.
 */
export async function tokensRevoked(db: Db, tokenIds: string[]): Promise<void> {
  await dropPushSubscriptions(db, tokenIds);
  for (let i = 0; i < tokenIds.length; i += 100) await publish(db, { type: "token.revoked", tokenIds: tokenIds.slice(i, i + 100) });
}

/**
 * A scope is granted by itself or by a parent: `read` grants `read:accounts`, `admin:read` grants
 * `admin:read:accounts`; `read:accounts` does not grant `read`, and nothing grants `admin:*` but `admin:*` scopes.
 */
export function hasScope(granted: string[], required: string): boolean {
  const parts = required.split(":");
  const minimum = parts[0] === "admin" ? 2 : 1;
  for (let n = parts.length; n >= minimum; n--) {
    if (granted.includes(parts.slice(0, n).join(":"))) return true;
  }
  return false;
}

const SESSION_DAYS = 30;

export async function createSession(db: Db, accountId: string): Promise<{ cookie: string; csrf: string; expires: Date }> {
  const cookie = randomBytes(32).toString("base64url");
  const csrf = randomBytes(24).toString("base64url");
  const expires = new Date(Date.now() + SESSION_DAYS * 86_400_000);
  await db`INSERT INTO sessions (id_hash, account_id, csrf, expires_at) VALUES (${digest(cookie)}, ${accountId}, ${csrf}, ${expires})`;
  return { cookie, csrf, expires };
}

export async function readSession(db: Db, cookie: string): Promise<{ accountId: string; csrf: string } | null> {
  if (cookie.length < 20 || cookie.length > 200) return null;
  const rows = await db`SELECT s.account_id::text AS account_id, s.csrf FROM sessions s JOIN users u ON u.account_id = s.account_id
    WHERE s.id_hash = ${digest(cookie)} AND s.expires_at > now() AND u.disabled_at IS NULL`;
  if (!rows[0]) return null;
  await recordVisit(db, rows[0].account_id);
  return { accountId: rows[0].account_id, csrf: rows[0].csrf };
}

export async function deleteSession(db: Db, cookie: string): Promise<void> {
  await db`DELETE FROM sessions WHERE id_hash = ${digest(cookie)}`;
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a), y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
