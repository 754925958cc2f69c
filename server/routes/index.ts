import type { Hono } from "hono";
import type { RouteDeps } from "./deps.ts";
import { registerStatic } from "./static.ts";
import { registerMastodonApi } from "./mastodon/index.ts";
import { registerPages } from "./pages/index.ts";
import { registerIslands } from "./pages/islands.ts";
import { registerWellKnown } from "./well-known.ts";
import { registerWebtvFiles } from "./webtv-files.ts";
import { registerAnalyticsExchange } from "./ruche-api/analytics.ts";

export function registerRoutes(app: Hono, deps: RouteDeps): void {
  registerIslands(app); // before /static/*, which would answer 404 for the in-memory bundles
  registerStatic(app, deps);
  registerWebtvFiles(app, deps); // WebTV playlists and segments, for the video's audience (issue #13)
  registerWellKnown(app, deps);
  registerAnalyticsExchange(app, deps); // /ap/analytics: aggregates for siblings, signed (issue #16)
  registerMastodonApi(app, deps);
  registerPages(app, deps);
}
