// The Mastodon client API (first slice: instance, accounts, follow requests, search). One file per resource; each
// route reads as a pipeline, tokenRequired → scopeRequired([...]) → handler. The routes live in a sub-application
// so that their error handler (Mastodon's JSON errors) does not touch the HTML pages.
import { Hono } from "hono";
import { cors } from "hono/cors";
import type { RouteDeps } from "../deps.ts";
import { registerAccounts } from "./accounts.ts";
import { registerApps } from "./apps.ts";
import { registerOAuthEndpoints } from "../oauth/token.ts";
import { registerDirectory } from "./directory.ts";
import { registerDiscovery } from "./discovery.ts";
import { registerRucheProfiles } from "../ruche-api/profiles.ts";
import { registerRucheGroups } from "../ruche-api/groups.ts";
import { registerCharter } from "../ruche-api/charter.ts";
import { registerRucheEvents } from "../ruche-api/events.ts";
import { registerExports } from "../ruche-api/exports.ts";
import { registerAnalytics } from "../ruche-api/analytics.ts";
import { registerSchedule } from "../ruche-api/schedule.ts";
import { registerDeletion } from "../ruche-api/deletion.ts";
import { registerRucheVideos } from "../ruche-api/videos.ts";
import { registerRucheKnowledge } from "../ruche-api/knowledge.ts";
import type { ApiEnv } from "./auth.ts";
import { apiNotFound, onApiError } from "./errors.ts";
import { registerBlocks } from "./blocks.ts";
import { registerConversations } from "./conversations.ts";
import { registerFollowRequests } from "./follow-requests.ts";
import { registerInstance } from "./instance.ts";
import { registerSearch } from "./search.ts";
import { registerMedia } from "./media.ts";
import { registerNotifications } from "./notifications.ts";
import { registerPush } from "./push.ts";
import { registerPreferences } from "./preferences.ts";
import { registerStatuses } from "./statuses.ts";
import { registerScheduledStatuses } from "./scheduled-statuses.ts";
import { registerPolls } from "./polls.ts";
import { registerStreaming } from "./streaming/index.ts";
import { registerTimelines } from "./timelines.ts";
import { registerFilters } from "./filters.ts";
import { registerLists } from "./lists.ts";
import { registerReports } from "./reports.ts";

export function registerMastodonApi(app: Hono, deps: RouteDeps): void {
  const api = new Hono<ApiEnv>();
  api.onError(onApiError);
  // Browser clients (Elk, Phanpy…) call the API from their own origin; no cookies are involved, tokens only.
  api.use("/api/*", cors({
    origin: "*",
    allowMethods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    allowHeaders: ["Authorization", "Content-Type", "Idempotency-Key"],
    exposeHeaders: ["Link", "X-RateLimit-Reset", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-Request-Id"],
    maxAge: 86_400,
  }));
  // An API path nothing answered gets Mastodon's JSON 404 instead of an HTML page. Done after the fact rather than
  // with a catch-all route, so API routes registered by other modules later still match.
  api.use("/api/*", async (c, next) => {
    await next();
    if (c.res.status === 404 && !(c.res.headers.get("Content-Type") ?? "").includes("application/json")) {
      c.res = undefined;
      c.res = apiNotFound(c);
    }
  });
  registerInstance(api, deps);
  registerApps(api, deps);
  registerOAuthEndpoints(api, deps); // /oauth/token, /oauth/revoke, RFC 8414 metadata (issue #9); /oauth/authorize is a page
  registerAccounts(api, deps);
  registerFollowRequests(api, deps);
  registerBlocks(api, deps);
  registerSearch(api, deps);
  registerDirectory(api, deps);
  registerRucheProfiles(api, deps); // /api/ruche/v1/profiles (issue #3), same auth and errors as the Mastodon API
  registerRucheGroups(api, deps); // /api/ruche/v1/groups (issue #10)
  registerCharter(api, deps); // /api/ruche/v1/charter and terms of service (issue #15)
  registerRucheEvents(api, deps); // /api/ruche/v1/events and calendars (issue #12)
  registerExports(api, deps); // /api/ruche/v1/me/export: a person's archive (issue #16)
  registerAnalytics(api, deps); // /api/ruche/v1/admin/analytics and me/analytics: engagement analytics (issue #16)
  registerSchedule(api, deps); // /api/ruche/v1/me/schedule, leave, presets, urgent role and log (issue #15)
  registerDeletion(api, deps); // /api/ruche/v1/me/deletion: deleting one's account (issue #16)
  registerRucheVideos(api, deps); // /api/ruche/v1/uploads (tus) and /api/ruche/v1/videos: the WebTV (issue #13)
  registerRucheKnowledge(api, deps); // /api/ruche/v1/articles, questions, search (issue #14)
  // Posts (issue #4): statuses, timelines, hashtags, mutes, notifications, markers, media.
  registerStatuses(api, deps);
  registerScheduledStatuses(api, deps); // issue #15: delayed sending
  registerPolls(api, deps); // issue #11
  registerTimelines(api, deps);
  registerFilters(api, deps); // issue #9 point 5: /api/v2/filters
  registerLists(api, deps); // issue #9 point 5: /api/v1/lists and list timelines
  registerNotifications(api, deps);
  registerConversations(api, deps); // issue #9 point 2: direct conversations
  registerMedia(api, deps);
  registerStreaming(api, deps); // issue #9: SSE and WebSocket, fed by the event bus
  registerPush(api, deps); // issue #9: Web Push subscriptions (sending: server/push/)
  registerPreferences(api, deps); // issue #9 point 5: what apps read at start-up
  registerDiscovery(api, deps); // trends, suggestions, endorsements
  registerReports(api, deps); // issue #15 point 5: reports, moderation queue and decisions
  app.route("/", api);
}
