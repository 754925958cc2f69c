import { Hono } from "hono";
import type { RouteDeps } from "../deps.ts";
import { registerAuthPages } from "./auth.ts";
import { registerPasswordPages } from "./passwords.ts";
import { registerHomePages } from "./home.ts";
import { registerProfilePages } from "./profile.ts";
import { registerDirectoryPages } from "./directory.ts";
import { pageSession } from "./session.ts";
import { registerSettingsPages } from "./settings.ts";
import { errorPage } from "./render.ts";
import { registerTimelinePages } from "./timeline.ts";
import { registerGroupPages } from "./groups.ts";
import { registerPostPages } from "./posts.ts";
import { registerNotificationPages } from "./notifications.ts";
import { registerTagPages } from "./tags.ts";
import { registerMutePages } from "./mutes.ts";
import { registerAccountPostPages } from "./account-posts.ts";
import { registerSavedPages } from "./saved.ts";
import { registerOAuthPages } from "../oauth/authorize.ts";
import { registerApplicationPages } from "./applications.ts";
import { registerLivePages } from "./live.ts";
import { registerCharterPages } from "./charter.ts";
import { registerEventPages } from "./events.ts";
import { registerExportPages } from "./export.ts";
import { registerSchedulePages } from "./schedule.ts";
import { registerUrgentAdminPages } from "./urgent-admin.ts";
import { registerModerationPages } from "./moderation.ts";
import { registerDeletionPages } from "./deletion.ts";
import { registerAdminPages } from "./admin.ts";
import { registerAnalyticsPages } from "./analytics.ts";
import { registerOidcPages } from "../oidc/index.ts";
import { registerFilterPages } from "./filters.ts";
import { registerListPages } from "./lists.ts";
import { registerMessagePages } from "./messages.ts";
import { registerWebtvPages } from "./webtv.ts";
import { registerKnowledgePages } from "./knowledge.ts";
import { registerKnowledgeQuestionPages } from "./knowledge-questions.ts";

/**
 * The web pages are one sub-app with its session middleware: every page route gets the signed-in user (or none)
 * without a list of paths to keep in sync. Mounted after the API and static routes, which answer first.
 */
export function registerPages(app: Hono, deps: RouteDeps): void {
  const pages = new Hono();
  const session = pageSession(deps);
  pages.use("*", session);
  registerAllPages(pages, deps);
  app.route("/", pages);
  app.notFound(async (c) => {
    // An unknown route is not a missing record: apps (Phanpy, Elk) tell the two apart to detect features.
    if (c.req.path.startsWith("/api/")) {
      return c.json({ error: `This endpoint does not exist: ${c.req.method} ${c.req.path}`, code: "endpoint_not_found" }, 404);
    }
    if (c.req.header("accept")?.includes("json")) return c.json({ error: "Not found", code: "not_found" }, 404);
    // The pages' session middleware has usually run already (it matches every path); read the session only if not.
    if (!c.get("page")) await session(c, async () => {});
    return errorPage(c, deps, 404, "page.error.notFound");
  });
}

function registerAllPages(app: Hono, deps: RouteDeps): void {
  registerHomePages(app, deps);
  registerAuthPages(app, deps);
  registerCharterPages(app, deps);
  registerExportPages(app, deps);
  registerSchedulePages(app, deps); // issue #15: working hours
  registerUrgentAdminPages(app, deps); // issue #15: the urgent role and its audit log
  registerModerationPages(app, deps); // issue #15 point 5: reports, moderation queue and log
  registerDeletionPages(app, deps); // issue #16 point 3: deleting one's account
  registerAdminPages(app, deps); // issue #15 point 6: siblings, rules, description
  registerAnalyticsPages(app, deps); // issue #16 point 2: engagement dashboard and one's own figures
  registerOidcPages(app, deps);
  registerPasswordPages(app, deps);
  registerOAuthPages(app, deps);
  registerSettingsPages(app, deps);
  registerApplicationPages(app, deps);
  registerProfilePages(app, deps);
  registerDirectoryPages(app, deps);
  registerTimelinePages(app, deps);
  registerGroupPages(app, deps);
  registerEventPages(app, deps);
  registerKnowledgePages(app, deps); // issue #14
  registerKnowledgeQuestionPages(app, deps);
  registerPostPages(app, deps);
  registerNotificationPages(app, deps);
  registerTagPages(app, deps);
  registerMutePages(app, deps);
  registerAccountPostPages(app, deps);
  registerSavedPages(app, deps);
  registerLivePages(app, deps);
  registerFilterPages(app, deps); // issue #9 point 5
  registerListPages(app, deps);
  registerMessagePages(app, deps); // issue #9 point 2: direct conversations
  registerWebtvPages(app, deps); // issue #13: the WebTV's watch page
}
