import type { Hono } from "hono";
import type { RouteDeps } from "./deps.ts";
import { registerStatic } from "./static.ts";
import { registerMastodonApi } from "./mastodon/index.ts";
import { registerPages } from "./pages/index.ts";

export function registerRoutes(app: Hono, deps: RouteDeps): void {
  registerStatic(app, deps);
  registerMastodonApi(app, deps);
  registerPages(app, deps);
}
