// Live pages (issue #9): GET /live/timeline/<home|local|group> sends each new post of that timeline's stream
// (`user`, `public:local`, `public` — the streaming API's, so the same visibility and mutes) as the list item
// the page would render, in the reader's language, for the live-timeline island to insert on demand.
// GET /live/badges keeps the navigation's notification badge current without a reload. It is
// the streaming API's `user:notification` stream as the signed-in person (same hub, same rules: a muted person's
// notification is never counted), but each event carries the new unread count and the badge rendered server-side
// in the reader's language, so the island (web/islands/live-badges.ts) only swaps it in. Without JavaScript, or
// when the stream is down, the badge is the one the page was rendered with.
import type { Hono } from "hono";
import { h } from "preact";
import { unreadCount } from "../../domain/notifications/notifications.ts";
import { localViewer } from "../../domain/audience/visibility.ts";
import { loadPosts } from "../../domain/posts/post-views.ts";
import { PostListItems } from "../../../web/components/timeline.ts";
import { postItems } from "./post-items.ts";
import { BASE } from "./timeline.ts";
import { Badge } from "../../../web/components/shell-nav.ts";
import type { RouteDeps } from "../deps.ts";
import { serveSse } from "../mastodon/streaming/sse.ts";
import { channelOf } from "../mastodon/streaming/streams.ts";
import { fragmentHtml } from "./render.ts";

const TIMELINE_STREAMS = { home: "user", local: "public:local", group: "public" } as const;

export function registerLivePages(app: Hono, deps: RouteDeps): void {
  app.get("/live/timeline/:kind{home|local|group}", async (c) => {
    const { user, locale, csrf } = c.get("page");
    if (!user) return c.json({ error: "Sign in to follow your timelines" }, 401);
    const kind = c.req.param("kind") as keyof typeof TIMELINE_STREAMS;
    const viewer = { accountId: user.account.id, scopes: ["read:statuses"], user };
    const channel = channelOf(TIMELINE_STREAMS[kind], {}, viewer, { anonymousPublic: false });
    return serveSse(c, deps.streaming, viewer, channel, async (stream, m) => {
      if (m.event !== "update" || !m.payload) return;
      const id = (JSON.parse(m.payload) as { id: string }).id;
      const views = await loadPosts(deps.sql, [id], localViewer(user.account.id));
      if (views.length === 0) return;
      const items = await postItems(deps, views, user.account.id, kind === "home" ? "home" : "public");
      const html = fragmentHtml(c, h(PostListItems, { locale, csrf, items, returnTo: BASE[kind] }));
      await stream.writeSSE({ event: "post", data: JSON.stringify({ id, html }) });
    });
  });


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
