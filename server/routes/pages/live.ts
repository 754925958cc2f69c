// Live pages (issue #9): GET /live/badges keeps the navigation's notification badge current without a reload. It is
// the streaming API's `user:notification` stream as the signed-in person (same hub, same rules: a muted person's
// notification is never counted), but each event carries the new unread count and the badge rendered server-side
// in the reader's language, so the island (web/islands/live-badges.ts) only swaps it in. Without JavaScript, or
// when the stream is down, the badge is the one the page was rendered with.
import type { Hono } from "hono";
import { h } from "preact";
import { unreadCount } from "../../domain/notifications/notifications.ts";
import { Badge } from "../../../web/components/shell-nav.ts";
import type { RouteDeps } from "../deps.ts";
import { serveSse } from "../mastodon/streaming/sse.ts";
import { channelOf } from "../mastodon/streaming/streams.ts";
import { fragmentHtml } from "./render.ts";

export function registerLivePages(app: Hono, deps: RouteDeps): void {
  app.get("/live/badges", async (c) => {
    const { user, locale } = c.get("page");
    if (!user) return c.json({ error: "Sign in to follow your notifications" }, 401);
    const viewer = { accountId: user.account.id, scopes: ["read:notifications"], user };
    const channel = channelOf("user:notification", {}, viewer, { anonymousPublic: false });
    return serveSse(c, deps.streaming, viewer, channel, async (stream, m) => {
      if (m.event !== "notification") return;
      const count = await unreadCount(deps.sql, user.account.id);
      const html = fragmentHtml(c, h(Badge, { locale, kind: "notifications", count }));
      await stream.writeSSE({ event: "badges", data: JSON.stringify({ notifications: count, html }) });
    });
  });
}
