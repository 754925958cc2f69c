import type { Hono } from "hono";
import type { RouteDeps } from "../deps.ts";
import { registerAuthPages } from "./auth.ts";
import { registerHomePages } from "./home.ts";
import { registerProfilePages } from "./profile.ts";
import { registerDirectoryPages } from "./directory.ts";
import { pageSession } from "./session.ts";
import { registerSettingsPages } from "./settings.ts";
import { errorPage } from "./render.ts";
import { registerTimelinePages } from "./timeline.ts";
import { registerPostPages } from "./posts.ts";
import { registerNotificationPages } from "./notifications.ts";
import { registerTagPages } from "./tags.ts";
import { registerMutePages } from "./mutes.ts";
import { registerAccountPostPages } from "./account-posts.ts";

const PAGE_PATHS = ["/", "/login", "/logout", "/search", "/settings/*", "/follow-requests", "/follow-requests/*", "/users/*"];

export function registerPages(app: Hono, deps: RouteDeps): void {
  const session = pageSession(deps);
  for (const p of PAGE_PATHS) app.use(p, session);
  app.use("/directory", session); // issue #3
  // Issue #4: timelines, posts, notifications, hashtags (mutes live under /settings/*).
  for (const p of ["/home", "/home/*", "/local", "/local/*", "/group", "/group/*", "/posts", "/posts/*", "/notifications", "/notifications/*", "/tags/*"]) {
    app.use(p, session);
  }
  // Profile paths start with "@": /@alice, /@bob@lyon.example/followers …
  app.use("/:handle{@[^/]+}", session);
  app.use("/:handle{@[^/]+}/*", session);
  registerHomePages(app, deps);
  registerAuthPages(app, deps);
  registerSettingsPages(app, deps);
  registerProfilePages(app, deps);
  registerDirectoryPages(app, deps);
  registerTimelinePages(app, deps);
  registerPostPages(app, deps);
  registerNotificationPages(app, deps);
  registerTagPages(app, deps);
  registerMutePages(app, deps);
  registerAccountPostPages(app, deps);
  app.notFound(async (c) => {
    // An unknown route is not a missing record: apps (Phanpy, Elk) tell the two apart to detect features.
    if (c.req.path.startsWith("/api/")) {
      return c.json({ error: `This endpoint does not exist: ${c.req.method} ${c.req.path}`, code: "endpoint_not_found" }, 404);
    }
    if (c.req.header("accept")?.includes("json")) return c.json({ error: "Not found", code: "not_found" }, 404);
    await session(c, async () => {});
    return errorPage(c, deps, 404, "page.error.notFound");
  });
}
