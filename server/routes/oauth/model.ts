// @node-oauth/oauth2-server does the grant logic (codes, PKCE S256, client credentials, refresh rotation); this is
// its model: where it reads and writes, all through the domain (server/domain/accounts/oauth.ts, tokens.ts). Bearer
// tokens are checked by verifyApiToken (server/routes/mastodon/auth.ts), never by the library, so there is one check.
import OAuth2Server from "@node-oauth/oauth2-server";
import type { Db } from "../../db/pool.ts";
import {
  type AuthorizationCode, authenticateApp, CODE_LIFETIME_SECONDS, consumeCode, findAppByClientId, findCode, findRefreshToken,
  type OAuthApp, revokeTokenById, saveCode,
} from "../../domain/accounts/oauth.ts";
import { digest, hasScope, isKnownScope, newSecret, storeApiToken } from "../../domain/accounts/tokens.ts";

const GRANTS = ["authorization_code", "client_credentials", "refresh_token"];

/** Access tokens do not expire, as Mastodon's do not (clients never refresh them); refresh tokens are still given. */
const REFRESH_LIFETIME_SECONDS = 365 * 86_400;

/** The person a code or token acts for (`accountId` null: an application's own token). `mayGrantAdmin`: an administrator at the consent, or a grant consented to already. */
export interface OAuthUser {
  accountId: string | null; mayGrantAdmin: boolean;
  /** On a refresh: the code the refreshed token came from, so its successor is revoked with it on a replay. */
  codeHash?: string | null;
}

interface OAuthClient { id: string; redirectUris: string[]; grants: string[]; app: OAuthApp }

function client(app: OAuthApp): OAuthClient {
  return { id: app.id, redirectUris: app.redirectUris, grants: GRANTS, app };
}

/**
 * The scopes a request may have: Mastodon's default (`read`) when none is asked; each known and within what the
 * application registered (by the one hierarchy rule, hasScope); admin scopes only for administrators.
 */
export function allowedScopes(app: OAuthApp, user: OAuthUser, requested: string[] | undefined): string[] | false {
  const scopes = [...new Set(requested && requested.length > 0 ? requested : ["read"])];
  for (const s of scopes) {
    if (!isKnownScope(s) || !hasScope(app.scopes, s)) return false;
    if (s.startsWith("admin:") && !user.mayGrantAdmin) return false;
  }
  return scopes;
}

/** What the library needs from us. `onCodeConsumed` lets the caller burn a code again after a rolled-back exchange. */
export function oauthModel(db: Db, onCodeConsumed: (code: string) => void = () => {}) {
  return {
    generateAccessToken: async () => newSecret(),
    generateRefreshToken: async () => newSecret(),
    generateAuthorizationCode: async () => newSecret(),

    async getClient(clientId: string, clientSecret: string | null | undefined) {
      // No secret: the authorization endpoint, or a PKCE exchange by a public client (RFC 7636).
      const app = clientSecret ? await authenticateApp(db, clientId, clientSecret) : await findAppByClientId(db, clientId);
      return app ? client(app) : false;
    },

    async validateRedirectUri(uri: string, c: OAuthClient) {
      return c.redirectUris.includes(uri);
    },

    async validateScope(user: OAuthUser, c: OAuthClient, scope: string[] | undefined) {
      return allowedScopes(c.app, user, scope);
    },

    async saveAuthorizationCode(code: OAuth2Server.AuthorizationCode, c: OAuthClient, user: OAuthUser) {
      const saved: AuthorizationCode = {
        appId: c.id, accountId: user.accountId!, redirectUri: code.redirectUri, scopes: code.scope ?? ["read"],
        codeChallenge: code.codeChallenge ?? null, codeChallengeMethod: code.codeChallenge ? (code.codeChallengeMethod ?? "S256") : null,
        expiresAt: code.expiresAt,
      };
      await saveCode(db, code.authorizationCode, saved);
      return { ...code, client: c, user };
    },

    async getAuthorizationCode(code: string) {
      const found = await findCode(db, code);
      if (!found) return false;
      return {
        authorizationCode: code, expiresAt: found.expiresAt, redirectUri: found.redirectUri, scope: found.scopes,
        client: { id: found.appId, grants: GRANTS }, user: { accountId: found.accountId, mayGrantAdmin: true } satisfies OAuthUser,
        ...(found.codeChallenge ? { codeChallenge: found.codeChallenge, codeChallengeMethod: found.codeChallengeMethod ?? "S256" } : {}),
      };
    },

    async revokeAuthorizationCode(code: OAuth2Server.AuthorizationCode) {
      const consumed = await consumeCode(db, code.authorizationCode);
      if (consumed) onCodeConsumed(code.authorizationCode);
      return consumed;
    },

    async getUserFromClient(): Promise<OAuthUser> {
      return { accountId: null, mayGrantAdmin: false };
    },

    async saveToken(token: OAuth2Server.Token, c: OAuthClient, user: OAuthUser) {
      const createdAt = await storeApiToken(db, token.accessToken, {
        accountId: user.accountId, appId: c.id, scopes: token.scope ?? ["read"], name: c.app.name,
        codeHash: token.authorizationCode ? digest(token.authorizationCode) : (user.codeHash ?? null),
        // An application's own token acts for nobody and is not refreshed (client credentials again).
        ...(user.accountId && token.refreshToken ? { refreshToken: token.refreshToken, refreshExpiresAt: token.refreshTokenExpiresAt } : {}),
      });
      return {
        accessToken: token.accessToken, scope: token.scope, client: c, user, createdAt,
        ...(user.accountId && token.refreshToken ? { refreshToken: token.refreshToken } : {}),
      };
    },

    async getRefreshToken(refreshToken: string) {
      const found = await findRefreshToken(db, refreshToken);
      if (!found) return false;
      return {
        refreshToken, refreshTokenExpiresAt: found.refreshExpiresAt ?? undefined, scope: found.scopes, tokenId: found.tokenId,
        client: { id: found.appId, grants: GRANTS },
        user: { accountId: found.accountId, mayGrantAdmin: true, codeHash: found.codeHash } satisfies OAuthUser,
      };
    },

    async revokeToken(token: OAuth2Server.RefreshToken) {
      return await revokeTokenById(db, String(token.tokenId));
    },

    // Required by the library's types for `authenticate()`, which we do not use: bearer tokens go through verifyApiToken.
    async getAccessToken() {
      return false as const;
    },
  };
}

export function oauthServer(db: Db, onCodeConsumed?: (code: string) => void): OAuth2Server {
  return new OAuth2Server({
    model: oauthModel(db, onCodeConsumed) as unknown as OAuth2Server.ServerOptions["model"],
    authorizationCodeLifetime: CODE_LIFETIME_SECONDS,
    // Required by the library; never reaches the client (saveToken returns no expiry), see REFRESH_LIFETIME_SECONDS.
    accessTokenLifetime: 3600,
    refreshTokenLifetime: REFRESH_LIFETIME_SECONDS,
    allowEmptyState: true,
    allowBearerTokensInQueryString: false,
  });
}
