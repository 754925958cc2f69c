// Bearer tokens for the Mastodon client API and session cookies for the web UI. Only SHA-256 digests are stored:
// a leaked database does not leak usable credentials (Hollo stored bearer tokens in plaintext; we don't).
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Db } from "../../db/pool.ts";
import { DomainError } from "../errors.ts";

export const ALL_SCOPES = ["read", "write", "follow", "push", "admin:read", "admin:write"] as const;
const scopeRe = /^(read|write|follow|push|admin:read|admin:write)(:[a-z_]+)?$/;

export function digest(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export function parseScopes(input: string | undefined): string[] {
  const scopes = (input ?? "read write follow").split(/[\s,+]+/).filter(Boolean);
  for (const s of scopes) {
    if (!scopeRe.test(s)) throw new DomainError("invalid_scope", 422, `unknown scope "${s}" (read, write, follow, push, admin:read, admin:write, or e.g. read:accounts)`);
  }
  return [...new Set(scopes)];
}

export async function createApiToken(db: Db, accountId: string, scopes: string[], name = "cli"): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await db`INSERT INTO api_tokens (token_hash, account_id, scopes, name) VALUES (${digest(token)}, ${accountId}, ${scopes}, ${name})`;
  return token;
}

export interface TokenInfo { accountId: string; scopes: string[] }

export async function verifyApiToken(db: Db, token: string): Promise<TokenInfo | null> {
  if (token.length < 20 || token.length > 200) return null;
  const rows = await db`UPDATE api_tokens t SET last_used_at = now()
    FROM users u WHERE t.token_hash = ${digest(token)} AND t.revoked_at IS NULL
      AND u.account_id = t.account_id AND u.disabled_at IS NULL
    RETURNING t.account_id::text AS account_id, t.scopes`;
  return rows[0] ? { accountId: rows[0].account_id, scopes: rows[0].scopes } : null;
}

/** `read:accounts` is granted by `read`; `read` is not granted by `read:accounts`. */
export function hasScope(granted: string[], required: string): boolean {
  if (granted.includes(required)) return true;
  const [top] = required.split(":");
  if (required.startsWith("admin:")) return granted.includes(required);
  return granted.includes(top);
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
  return rows[0] ? { accountId: rows[0].account_id, csrf: rows[0].csrf } : null;
}

export async function deleteSession(db: Db, cookie: string): Promise<void> {
  await db`DELETE FROM sessions WHERE id_hash = ${digest(cookie)}`;
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a), y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
