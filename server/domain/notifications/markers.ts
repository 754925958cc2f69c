// Read positions (Mastodon markers) for the home timeline and notifications. Unread notification counts read the
// 'notifications' marker (notifications.ts).
//
//   getMarkers(db, accountId, timelines) → { home?: Marker, notifications?: Marker }
//   setMarker(db, accountId, timeline, lastReadId) → Marker
import type { Db } from "../../db/pool.ts";

export type MarkerTimeline = "home" | "notifications";
export interface Marker { lastReadId: string; version: number; updatedAt: Date }

export async function getMarkers(db: Db, accountId: string, timelines: MarkerTimeline[]): Promise<Partial<Record<MarkerTimeline, Marker>>> {
  const rows = await db`SELECT timeline, last_read_id::text, version, updated_at FROM markers
    WHERE account_id = ${accountId} AND timeline = ANY(${timelines})`;
  const out: Partial<Record<MarkerTimeline, Marker>> = {};
  for (const r of rows) out[r.timeline as MarkerTimeline] = { lastReadId: r.last_read_id, version: r.version, updatedAt: r.updated_at };
  return out;
}

export async function setMarker(db: Db, accountId: string, timeline: MarkerTimeline, lastReadId: string): Promise<Marker> {
  const [r] = await db`INSERT INTO markers (account_id, timeline, last_read_id) VALUES (${accountId}, ${timeline}, ${lastReadId})
    ON CONFLICT (account_id, timeline) DO UPDATE SET last_read_id = excluded.last_read_id, version = markers.version + 1,
      updated_at = now()
    RETURNING last_read_id::text, version, updated_at`;
  return { lastReadId: r.last_read_id, version: r.version, updatedAt: r.updated_at };
}
