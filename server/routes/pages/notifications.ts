// GET /notifications: the signed-in person's notifications, newest first. Opening the page marks them read up to
// the newest one shown (the ones that were unread keep their "New" mark on this visit). GET /notifications/more is
// the next page as a fragment for the infinite-scroll island. The domain leaves out notifications about posts the
// person can no longer read.
import type { Context, Hono } from "hono";
import { h } from "preact";
import { getMarkers } from "../../domain/notifications/markers.ts";
import { listNotifications, markNotificationsRead, type NotificationPage } from "../../domain/notifications/notifications.ts";
import { loadPosts } from "../../domain/posts/post-views.ts";
import { localViewer } from "../../domain/audience/visibility.ts";
import { NotificationsFragment, NotificationsPage, type NotificationItem } from "../../../web/components/notifications.ts";
import type { RouteDeps } from "../deps.ts";
import { islandUrls } from "./islands.ts";
import { postAuthor, postItem } from "./post-items.ts";
import { fragmentHtml, page } from "./render.ts";
import { chromeOf, toSignIn } from "./session.ts";
import { cursor, moreOf, PAGE_SIZE } from "./timeline.ts";

async function items(deps: RouteDeps, accountId: string, data: NotificationPage, lastReadId: bigint): Promise<NotificationItem[]> {
  const ids = [...new Set(data.items.map((n) => n.postId).filter((id): id is string => id != null))];
  const posts = new Map((await loadPosts(deps.sql, ids, localViewer(accountId))).map((p) => [p.id, postItem(deps, p, accountId)]));
  return data.items.map((n) => ({
    id: n.id, type: n.type, from: postAuthor(deps, n.from), createdAt: n.createdAt,
    unread: BigInt(n.id) > lastReadId, post: n.postId ? posts.get(n.postId) ?? null : null,
    questionPath: n.questionId ? `/knowledge/questions/${n.questionId}` : null,
    eventPath: n.postId && n.type.startsWith("ruche.event_") ? `/events/${n.postId}` : null,
  }));
}

export function registerNotificationPages(app: Hono, deps: RouteDeps): void {
  const { sql } = deps;

  async function load(c: Context, accountId: string) {
    const opts = cursor(c);
    const [data, markers] = await Promise.all([
      listNotifications(sql, accountId, { limit: PAGE_SIZE, maxId: opts.maxId }),
      getMarkers(sql, accountId, ["notifications"]),
    ]);
    const lastRead = BigInt(markers.notifications?.lastReadId ?? "0");
    return { data, list: await items(deps, accountId, data, lastRead), lastRead };
  }

  app.get("/notifications", async (c) => {
    const user = c.get("page").user;
    if (!user) return toSignIn(c, "/notifications");
    const [{ data, list, lastRead }, scripts] = await Promise.all([load(c, user.account.id), islandUrls("infinite-scroll", "post-actions")]);
    const newest = data.items[0]?.id;
    // Read up to what this page shows, never further: a notification arriving meanwhile stays unread.
    if (newest && BigInt(newest) > lastRead && !cursor(c).maxId) await markNotificationsRead(sql, user.account.id, newest);
    const base = chromeOf(c, deps);
    return page(c, NotificationsPage, {
      ...base,
      unreadNotifications: cursor(c).maxId ? base.unreadNotifications : 0,
      items: list,
      more: moreOf("/notifications", data.nextMaxId),
      scripts,
    });
  });

  app.get("/notifications/more", async (c) => {
    const user = c.get("page").user;
    if (!user) return c.body(null, 401);
    const { data, list } = await load(c, user.account.id);
    const { locale, csrf } = chromeOf(c, deps);
    const returnTo = `/notifications${new URL(c.req.url).search}`;
    return c.html(fragmentHtml(c, h(NotificationsFragment, { locale, csrf, items: list, more: moreOf("/notifications", data.nextMaxId), returnTo })),
      200, { "Cache-Control": "no-store" });
  });
}
