// GET /api/v1/preferences: the person's defaults, which apps apply to what they compose and show. They are the same
// defaults as update_credentials' `source` and the web composer's (ADR 0005): `internal` and `local` have no Mastodon
// name and show as `private` (never wider), with the real scope in Ruche's own key beside Mastodon's.
import type { Hono } from "hono";
import type { RouteDeps } from "../deps.ts";
import { type ApiEnv, scopeRequired, tokenRequired, viewerOf } from "./auth.ts";
import { toMastodonVisibility } from "./status-serializer.ts";

export function registerPreferences(api: Hono<ApiEnv>, deps: RouteDeps): void {
  api.get("/api/v1/preferences", tokenRequired(deps), scopeRequired(["read:accounts"]), (c) => {
    const { user } = viewerOf(c);
    return c.json({
      "posting:default:visibility": toMastodonVisibility(user.defaultVisibility),
      "ruche:posting:default:visibility": user.defaultVisibility,
      // Marking every post sensitive by default is refused by update_credentials: never on.
      "posting:default:sensitive": false,
      // What a post sent without a language gets (statuses.ts): the chosen default, else none.
      "posting:default:language": user.defaultLanguage,
      // Ruche has no reading preferences yet: Mastodon's defaults (hide sensitive media, fold content warnings).
      "reading:expand:media": "default",
      "reading:expand:spoilers": false,
    });
  });
}
