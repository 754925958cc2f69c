// OAuth endpoints answer errors as Doorkeeper (Mastodon's OAuth server) does: `{"error", "error_description"}`,
// 401 for a client that failed to authenticate, 400 for the rest (RFC 6749 §5.2). The library's own messages are
// kept for `invalid_request` (they name the missing parameter); the others take Doorkeeper's wording.
import type { Context } from "hono";
import OAuth2Server from "@node-oauth/oauth2-server";
import { getLogger } from "@logtape/logtape";

const logger = getLogger(["ruche", "oauth"]);

export const DESCRIPTIONS: Record<string, string> = {
  invalid_client: "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.",
  invalid_grant: "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.",
  unauthorized_client: "The client is not authorized to perform this request using this method.",
  access_denied: "The resource owner or authorization server denied the request.",
  invalid_scope: "The requested scope is invalid, unknown, or malformed.",
  unsupported_grant_type: "The authorization grant type is not supported by the authorization server.",
  unsupported_response_type: "The authorization server does not support this response type.",
  server_error: "The authorization server encountered an unexpected condition which prevented it from fulfilling the request.",
  invalid_redirect_uri: "The requested redirect uri is malformed or doesn't match client redirect URI.",
};

export interface OAuthFailure { error: string; error_description: string; status: 400 | 401 | 403 | 500 }

/** A library error (or anything thrown) → the error a client reads. */
export function oauthFailure(err: unknown): OAuthFailure {
  if (!(err instanceof OAuth2Server.OAuthError) || err.name === "server_error") {
    logger.error("OAuth request failed: {error}", { error: err });
    return { error: "server_error", error_description: DESCRIPTIONS.server_error, status: 500 };
  }
  let error = err.name;
  // A redirect_uri that differs from the one the code was made for is an invalid grant (RFC 6749 §4.1.3, §5.2).
  if (error === "invalid_request" && /redirect_uri/.test(err.message) && /code|invalid$/.test(err.message)) error = "invalid_grant";
  // A PKCE verifier of the wrong shape cannot match the challenge either.
  if (error === "invalid_request" && /code_verifier/.test(err.message)) error = "invalid_grant";
  const description = error === "invalid_request" ? err.message.replace(/^Invalid request: /, "") : DESCRIPTIONS[error] ?? err.message;
  return { error, error_description: description, status: error === "invalid_client" ? 401 : 400 };
}

export function oauthError(c: Context, f: Omit<OAuthFailure, "status"> & { status: OAuthFailure["status"] }): Response {
  c.header("Cache-Control", "no-store");
  return c.json({ error: f.error, error_description: f.error_description }, f.status);
}
