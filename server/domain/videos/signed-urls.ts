// Short-lived signed URLs for a video's files: what an API client (or a sibling's player) gets instead of a
// world-readable URL for an internal video. The token sits in the path, not the query, so the relative segment and
// rung URIs inside the playlists resolve under the same token. HMAC-SHA-256 with the video's own random key.
import { createHmac, timingSafeEqual } from "node:crypto";

/** How long a signed URL plays: long enough for a town hall, short enough that a leaked link dies the same day. */
export const SIGNED_URL_SECONDS = 4 * 3600;

function mac(key: Buffer, videoId: string, expires: number): string {
  return createHmac("sha256", key).update(`${videoId}.${expires}`).digest("base64url").slice(0, 32);
}

/** The path token `<expires>.<mac>`. */
export function signVideoToken(key: Buffer, videoId: string, nowMs = Date.now(), seconds = SIGNED_URL_SECONDS): string {
  const expires = Math.floor(nowMs / 1000) + seconds;
  return `${expires}.${mac(key, videoId, expires)}`;
}

export function verifyVideoToken(key: Buffer, videoId: string, token: string, nowMs = Date.now()): boolean {
  const m = /^(\d{1,12})\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!m) return false;
  const expires = Number(m[1]);
  if (expires * 1000 <= nowMs) return false;
  const want = Buffer.from(mac(key, videoId, expires)), got = Buffer.from(m[2]);
  return want.length === got.length && timingSafeEqual(want, got);
}
