// /oauth/authorize (issue #9 point 1), a page of the web UI: it reuses the session. Signed out, the person signs in
// and comes back; `force_login` signs the current person out first (Mastodon does the same), to pick another
// account. The consent posts back here, and the library makes the code (PKCE challenge kept with it). Out-of-band
// requests see the code on a page instead of a redirect.
//
// Errors follow RFC 6749 §4.1.2.1: an unknown client or a redirect_uri it did not register is told to the person
// (never redirected: that would make us an open redirector); any other error goes back to the application.
import type { Context, Hono } from "hono";
import { getCookie } from "hono/cookie";
import OAuth2Server from "@node-oauth/oauth2-server";
import { findAppByClientId, OOB, type OAuthApp } from "../../domain/accounts/oauth.ts";
import { deleteSession } from "../../domain/accounts/tokens.ts";
import { isStaff } from "../../domain/accounts/accounts.ts";
import { CodePage, ConsentPage, DeniedPage } from "../../../web/components/oauth.ts";
import { ErrorPage } from "../../../web/components/error.ts";
import { t } from "../../../web/i18n/index.ts";
import type { RouteDeps } from "../deps.ts";
import { page } from "../pages/render.ts";
import { checkCsrf, chromeOf, clearSessionCookie, SESSION_COOKIE, toSignIn } from "../pages/session.ts";
import { localHost } from "../pages/views.ts";
import { DESCRIPTIONS, oauthFailure } from "./errors.ts";
import { allowedScopes, oauthServer, type OAuthUser } from "./model.ts";

/** The parameters of an authorization request, carried from the consent page to its POST. */
const FIELDS = ["client_id", "redirect_uri", "response_type", "scope", "state", "code_challenge", "code_challenge_method"] as const;

function requestFields(source: Record<string, unknown>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const k of FIELDS) if (typeof source[k] === "string" && source[k] !== "") fields[k] = (source[k] as string).slice(0, 2000);
  return fields;
}

function authorizeUrl(fields: Record<string, string>, extra: Record<string, string> = {}): string {
  return `/oauth/authorize?${new URLSearchParams({ ...fields, ...extra })}`;
}

function noStore(c: Context): void {
  c.header("Cache-Control", "no-store");
}

/** Told to the person, never redirected: the client or its redirect_uri cannot be trusted. */
function clientError(c: Context, deps: RouteDeps): Response {
  const base = chromeOf(c, deps);
  noStore(c);
  return page(c, ErrorPage, { ...base, status: 400, message: t(base.locale, "oauth.error.client") }, 400);
}

/** An OAuth error returned to the application at its redirect_uri (or shown, out-of-band). */
function errorToApp(c: Context, deps: RouteDeps, redirectUri: string, error: string, description: string, state?: string): Response {
  if (redirectUri === OOB) {
    const base = chromeOf(c, deps);
    noStore(c);
    return page(c, ErrorPage, { ...base, status: 400, message: t(base.locale, "oauth.error.request", { reason: description }) }, 400);
  }
  const url = new URL(redirectUri);
  url.searchParams.set("error", error);
  url.searchParams.set("error_description", description);
  if (state) url.searchParams.set("state", state);
  return c.redirect(url.href, 303);
}

type Checked = { app: OAuthApp; redirectUri: string; scopes: string[] } | { response: Response };

/** The checks the library makes when it issues the code, made before the consent is shown (same model rules). */
async function checkRequest(c: Context, deps: RouteDeps, fields: Record<string, string>, user: OAuthUser): Promise<Checked> {
  const app = fields.client_id ? await findAppByClientId(deps.sql, fields.client_id) : null;
  if (!app) return { response: clientError(c, deps) };
  const redirectUri = fields.redirect_uri ?? app.redirectUris[0];
  if (!app.redirectUris.includes(redirectUri)) return { response: clientError(c, deps) };
  const back = (error: string, description = DESCRIPTIONS[error]) => ({ response: errorToApp(c, deps, redirectUri, error, description, fields.state) });
  if (fields.response_type !== "code") {
    return fields.response_type ? back("unsupported_response_type") : back("invalid_request", "Missing required parameter: response_type.");
  }
  if (fields.code_challenge_method && fields.code_challenge_method !== "S256") {
    return back("invalid_request", "The code challenge method must be S256.");
  }
  if (fields.code_challenge_method && !fields.code_challenge) return back("invalid_request", "Missing required parameter: code_challenge.");
  const requested = fields.scope?.trim() ? fields.scope.trim().split(/[\s+]+/) : undefined;
  const scopes = allowedScopes(app, user, requested);
  if (!scopes) return back("invalid_scope");
  return { app, redirectUri, scopes };
}

export function registerOAuthPages(app: Hono, deps: RouteDeps): void {
  // toot (and other clients that build the URL by hand) ask for /oauth/authorize/ — Rails, so Mastodon, accepts
  // the trailing slash. Same query, canonical path.
  app.get("/oauth/authorize/", (c) => c.redirect(`/oauth/authorize${new URL(c.req.url).search}`, 301));
  app.get("/oauth/authorize", async (c) => {
    const query = c.req.query();
    const fields = requestFields(query);
    noStore(c);
    if (query.force_login === "true" || query.force_login === "1") {
      const cookie = getCookie(c, SESSION_COOKIE);
      if (cookie) await deleteSession(deps.sql, cookie);
      clearSessionCookie(c);
      return c.redirect(`/login?next=${encodeURIComponent(authorizeUrl(fields))}`, 303);
    }
    const user = c.get("page").user;
    if (!user) return toSignIn(c, authorizeUrl(fields));
    const checked = await checkRequest(c, deps, fields, { accountId: user.account.id, mayGrantAdmin: isStaff(user) });
    if ("response" in checked) return checked.response;
    return page(c, ConsentPage, {
      ...chromeOf(c, deps),
      app: { name: checked.app.name, website: checked.app.website },
      handle: `@${user.account.username}@${localHost(deps)}`,
      scopes: checked.scopes,
      fields: { ...fields, redirect_uri: checked.redirectUri, scope: checked.scopes.join(" ") },
      switchAccountUrl: authorizeUrl(fields, { force_login: "true" }),
    });
  });

  app.post("/oauth/authorize", async (c) => {
    const form = await c.req.parseBody();
    const fields = requestFields(form);
    const user = c.get("page").user;
    if (!user) return toSignIn(c, authorizeUrl(fields));
    if (!(await checkCsrf(c, form))) {
      const base = chromeOf(c, deps);
      return page(c, ErrorPage, { ...base, status: 403, message: t(base.locale, "page.error.csrf") }, 403);
    }
    noStore(c);
    const oauthUser: OAuthUser = { accountId: user.account.id, mayGrantAdmin: isStaff(user) };
    // Checked again: the form could have been altered, and the person deserves the same errors as on the page.
    const checked = await checkRequest(c, deps, fields, oauthUser);
    if ("response" in checked) return checked.response;
    const base = chromeOf(c, deps);
    if (form.decision !== "approve") {
      if (checked.redirectUri === OOB) return page(c, DeniedPage, { ...base, appName: checked.app.name });
      return errorToApp(c, deps, checked.redirectUri, "access_denied", DESCRIPTIONS.access_denied, fields.state);
    }
    const request = new OAuth2Server.Request({
      method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "content-length": "1" }, query: {},
      body: { ...fields, redirect_uri: checked.redirectUri, scope: checked.scopes.join(" ") },
    });
    const response = new OAuth2Server.Response({ headers: {} });
    try {
      const code = await oauthServer(deps.sql).authorize(request, response, { authenticateHandler: { handle: () => oauthUser } });
      if (checked.redirectUri === OOB) return page(c, CodePage, { ...base, appName: checked.app.name, code: code.authorizationCode });
      return c.redirect(response.get("Location") as string, 303);
    } catch (err) {
      const f = oauthFailure(err);
      return errorToApp(c, deps, checked.redirectUri, f.error, f.error_description, fields.state);
    }
  });
}
