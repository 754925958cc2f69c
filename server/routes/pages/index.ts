import type { Hono } from "hono";
import type { RouteDeps } from "../deps.ts";
import { registerAuthPages } from "./auth.ts";
import { registerHomePages } from "./home.ts";
import { registerProfilePages } from "./profile.ts";
import { pageSession } from "./session.ts";
import { registerSettingsPages } from "./settings.ts";
import { errorPage } from "./render.ts";

const PAGE_PATHS = ["/", "/login", "/logout", "/search", "/settings/*", "/follow-requests", "/follow-requests/*", "/users/*"];

export function registerPages(app: Hono, deps: RouteDeps): void {
  const session = pageSession(deps);
  for (const p of PAGE_PATHS) app.use(p, session);
  // Profile paths start with "@": /@alice, /@bob@lyon.example/followers …
  app.use("/:handle{@[^/]+}", session);
  app.use("/:handle{@[^/]+}/*", session);
  registerHomePages(app, deps);
  registerAuthPages(app, deps);
  registerSettingsPages(app, deps);
  registerProfilePages(app, deps);
  app.notFound(async (c) => {
    if (c.req.path.startsWith("/api/") || c.req.header("accept")?.includes("json")) return c.json({ error: "Record not found" }, 404);
    await session(c, async () => {});
    return errorPage(c, deps, 404, "page.error.notFound");
  });
}
