// /api/v1/apps: registering an OAuth application (anyone may, as on Mastodon) and the application a token belongs
// to. The client secret is shown once, at registration; only its digest is kept.
import type { Hono } from "hono";
import { createApp, findAppById, type OAuthApp } from "../../domain/accounts/oauth.ts";
import { vapidPublicKey } from "../../domain/push/vapid.ts";
import type { RouteDeps } from "../deps.ts";
import { type ApiEnv, appTokenRequired } from "./auth.ts";
import { bodyParams } from "./params.ts";

/** Mastodon 4.3's Application entity (`redirect_uri` is the older, newline-joined form of `redirect_uris`). */
function serializeApp(app: OAuthApp, vapidKey: string) {
  return {
    id: app.id, name: app.name, website: app.website, scopes: app.scopes,
    redirect_uri: app.redirectUris.join("\n"), redirect_uris: app.redirectUris,
    // The instance's VAPID public key: what an app subscribes to Web Push with (/api/v1/push/subscription).
    vapid_key: vapidKey,
  };
}

export function registerApps(api: Hono<ApiEnv>, deps: RouteDeps): void {
  api.post("/api/v1/apps", async (c) => {
    const { app, clientSecret } = await createApp(deps.sql, await bodyParams(c) as never);
    c.header("Cache-Control", "no-store");
    return c.json({ ...serializeApp(app, await vapidPublicKey(deps.sql)), client_id: app.clientId, client_secret: clientSecret, client_secret_expires_at: 0 });
  });

  api.get("/api/v1/apps/verify_credentials", appTokenRequired(deps), async (c) => {
    const appId = c.get("credentials")?.appId;
    const app = appId ? await findAppById(deps.sql, appId) : null;
    // A CLI token belongs to no application: Mastodon answers a token without one the same way.
    if (!app) return c.json({ error: "The access token is invalid" }, 401);
    return c.json(serializeApp(app, await vapidPublicKey(deps.sql)));
  });
}
