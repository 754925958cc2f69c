// /api/v1/notifications (list, one, dismiss, clear, unread_count) and /api/v1/markers. Our 'reply' type is reported
// as Mastodon's 'mention' (Mastodon has no separate reply notification). Notifications about posts the viewer
// can no longer read are left out by the domain.
import type { Hono } from "hono";
import { z } from "zod";
import { getMarkers, type MarkerTimeline, setMarker } from "../../domain/notifications/markers.ts";
import {
  clearNotifications, dismissNotification, getNotification, listNotifications, NOTIFICATION_TYPES, type NotificationRow,
  type NotificationType, unreadCount,
} from "../../domain/notifications/notifications.ts";
import { loadPosts } from "../../domain/posts/post-views.ts";
import { localViewer } from "../../domain/audience/visibility.ts";
import type { Db } from "../../db/pool.ts";
import type { RouteDeps } from "../deps.ts";
import { type ApiEnv, scopeRequired, tokenRequired, viewerOf } from "./auth.ts";
import { notFound } from "./errors.ts";
import { bodyParams, idParam, pageSchema, parse, queryParams } from "./params.ts";
import { serializeAccounts } from "./serializers.ts";
import { serializeStatuses, setPageLinks } from "./status-serializer.ts";

const typeList = z.union([z.string(), z.array(z.string())]).optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
  .transform((list) => list.flatMap((t) => (t === "mention" ? ["mention", "reply"] : [t]))
    .filter((t): t is NotificationType => (NOTIFICATION_TYPES as readonly string[]).includes(t)));

const listSchema = pageSchema(40, 80).extend({ types: typeList, exclude_types: typeList });

/** Notification rows → Mastodon Notification entities (the REST list and the streaming API). */
export async function serializeNotifications(db: Db, origin: string, viewerId: string, rows: NotificationRow[]) {
  const posts = await loadPosts(db, rows.map((r) => r.postId).filter((id): id is string => id != null), localViewer(viewerId));
  const statuses = await serializeStatuses(db, origin, posts, { viewer: viewerId, context: "notifications" });
  const statusById = new Map(posts.map((p, i) => [p.id, statuses[i]]));
  const accounts = await serializeAccounts(db, origin, rows.map((r) => r.from));
  return rows.map((r, i) => ({
    id: r.id,
    type: r.type === "reply" ? "mention" : r.type,
    created_at: r.createdAt.toISOString(),
    group_key: `ungrouped-${r.id}`,
    account: accounts[i],
    status: r.postId ? statusById.get(r.postId) ?? null : null,
    // Ruche's extension (issue #15): set while the notification is held for the recipient's working hours.
    ruche_held_until: r.heldUntil?.toISOString() ?? null,
  }));
}

export function registerNotifications(api: Hono<ApiEnv>, deps: RouteDeps): void {
  const { sql, config } = deps;
  const origin = config.origin;
  const read = [tokenRequired(deps), scopeRequired(["read:notifications"])] as const;
  const write = [tokenRequired(deps), scopeRequired(["write:notifications"])] as const;

  api.get("/api/v1/notifications", ...read, async (c) => {
    const viewer = viewerOf(c);
    const p = parse(listSchema, queryParams(c));
    const page = await listNotifications(sql, viewer.accountId, {
      limit: p.limit, maxId: p.max_id, minId: p.min_id, sinceId: p.since_id, types: p.types, excludeTypes: p.exclude_types,
    });
    setPageLinks(c, origin, page, p.limit);
    return c.json(await serializeNotifications(sql, origin, viewer.accountId, page.items));
  });

  api.get("/api/v1/notifications/unread_count", ...read, async (c) => c.json({ count: await unreadCount(sql, viewerOf(c).accountId) }));

  api.get("/api/v1/notifications/:id{[0-9]+}", ...read, async (c) => {
    const viewer = viewerOf(c);
    const n = await getNotification(sql, viewer.accountId, c.req.param("id"));
    if (!n) throw notFound();
    return c.json((await serializeNotifications(sql, origin, viewer.accountId, [n]))[0]);
  });

  api.post("/api/v1/notifications/clear", ...write, async (c) => {
    await clearNotifications(sql, viewerOf(c).accountId);
    return c.json({});
  });

  api.post("/api/v1/notifications/:id{[0-9]+}/dismiss", ...write, async (c) => {
    if (!(await dismissNotification(sql, viewerOf(c).accountId, c.req.param("id")))) throw notFound();
    return c.json({});
  });

  const markerSchema = z.object({ timeline: z.union([z.string(), z.array(z.string())]).optional() });
  api.get("/api/v1/markers", tokenRequired(deps), scopeRequired(["read:statuses"]), async (c) => {
    const raw = parse(markerSchema, queryParams(c)).timeline;
    const timelines = (Array.isArray(raw) ? raw : raw ? [raw] : []).filter((t): t is MarkerTimeline => t === "home" || t === "notifications");
    const markers = await getMarkers(sql, viewerOf(c).accountId, timelines);
    return c.json(Object.fromEntries(Object.entries(markers).map(([k, m]) => [k, {
      last_read_id: m.lastReadId, version: m.version, updated_at: m.updatedAt.toISOString(),
    }])));
  });

  const setSchema = z.object({
    home: z.object({ last_read_id: idParam }).optional(),
    notifications: z.object({ last_read_id: idParam }).optional(),
  });
  api.post("/api/v1/markers", tokenRequired(deps), scopeRequired(["write:statuses"]), async (c) => {
    const viewer = viewerOf(c);
    // Form clients send home[last_read_id]=…, nested by bodyParams like JSON clients' objects.
    const p = parse(setSchema, await bodyParams(c));
    const out: Record<string, unknown> = {};
    for (const t of ["home", "notifications"] as const) {
      const v = p[t];
      if (!v) continue;
      const m = await setMarker(sql, viewer.accountId, t, v.last_read_id);
      out[t] = { last_read_id: m.lastReadId, version: m.version, updated_at: m.updatedAt.toISOString() };
    }
    return c.json(out);
  });
}
