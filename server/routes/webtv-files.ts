// A WebTV video's files: master and rung playlists, fMP4 init and media segments, the poster (issue #13 §3). Served
// with their HLS MIME types, single byte ranges and HEAD (static.ts serveFile). Who may fetch them is who may
// watch the video (server/domain/videos/videos.ts canWatch: the carrying post's audience) — asked of the web
// session, an API token or a server's signed fetch — or whoever holds a short-lived signed URL
// (`/webtv/files/<id>/s/<expires>.<mac>/…`, signed-urls.ts). Public videos' files are world-readable; an internal
// video's never are. Paths are matched against the exact names the transcoder writes: no traversal (case 27).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Context, Hono } from "hono";
import { LocalDiskStorage } from "../../media/storage.ts";
import { signVideoToken, verifyVideoToken } from "../domain/videos/signed-urls.ts";
import { canWatch, findVideo, isPublicVideo, videoDir, type VideoView } from "../domain/videos/videos.ts";
import type { RouteDeps } from "./deps.ts";
import { requestViewer } from "./media-access.ts";
import { serveFile } from "./static.ts";

const FILE = /^(master\.m3u8|poster\.jpg|(\d{1,4})\/(index\.m3u8|init\.mp4|seg\d{5}\.m4s))$/;

/** The URL of a video file: plain for a public video, signed (short-lived) for any other. */
export function videoFileUrl(origin: string, v: VideoView, file: string, nowMs = Date.now()): string {
  const base = `${origin}/webtv/files/${v.id}`;
  return isPublicVideo(v) ? `${base}/${file}` : `${base}/s/${signVideoToken(v.signKey, v.id, nowMs)}/${file}`;
}

/**
 * A growing (EVENT) rung playlist as far as its last complete segment: this ffmpeg build rewrites the playlist in
 * place, so a read can catch it half-written; the player asks again and gets the rest.
 */
function completePart(text: string): string {
  const lines = text.split("\n");
  lines.pop(); // after the last newline: empty, or a line still being written
  while (lines.length > 0 && lines[lines.length - 1].startsWith("#EXTINF")) lines.pop(); // a duration without its segment
  return lines.join("\n") + "\n";
}

export function registerWebtvFiles(app: Hono, deps: RouteDeps): void {
  const storage = new LocalDiskStorage(join(deps.config.dataDir, "videos"));

  async function serve(c: Context, id: string, file: string, token: string | null): Promise<Response> {
    const m = FILE.exec(file);
    const video = m ? await findVideo(deps.sql, id) : null;
    if (!m || !video || video.state === "failed") return c.json({ error: "Record not found", error_code: "not_found" }, 404);
    const pub = isPublicVideo(video);
    if (token != null) {
      if (!verifyVideoToken(video.signKey, video.id, token)) return c.json({ error: "this link has expired or is not valid", error_code: "invalid_link" }, 403);
    } else if (!pub && !(await canWatch(deps.sql, await requestViewer(c, deps), video))) {
      return c.json({ error: "Record not found", error_code: "not_found" }, 404);
    }
    const key = file === "poster.jpg" ? `${video.id}/poster.jpg` : `${video.id}/hls/${file}`;
    const rung = m[2] ? video.rungs.find((r) => String(r.label) === m[2]) : undefined;
    const growing = file === "master.m3u8" || (m[3] === "index.m3u8" && rung?.state !== "ready");
    const who = pub && token == null ? "public" : "private";
    // Playlists that still change are revalidated every time; finished files never change (their names are new
    // per transcode), so they are cached — by anyone for a public video, by the viewer's browser only otherwise.
    const cache = growing ? `${who}, no-cache` : `${who}, max-age=${pub ? 31_536_000 : 86_400}${pub ? ", immutable" : ""}`;
    if (growing && m[3] === "index.m3u8") {
      const text = await readFile(join(videoDir(deps.config.dataDir, video.id), "hls", file), "utf8").catch(() => null);
      if (text == null) return c.json({ error: "Record not found", error_code: "not_found" }, 404);
      return c.body(completePart(text), 200, { "Content-Type": "application/vnd.apple.mpegurl", "Cache-Control": cache, Vary: "Cookie, Authorization, Signature" });
    }
    return (await serveFile(c, storage, key, true, cache)) ?? c.json({ error: "Record not found", error_code: "not_found" }, 404);
  }

  app.on(["GET", "HEAD"], "/webtv/files/:id{[0-9]+}/s/:token/*", (c) =>
    serve(c, c.req.param("id"), c.req.path.split("/").slice(6).join("/"), c.req.param("token")));
  app.on(["GET", "HEAD"], "/webtv/files/:id{[0-9]+}/*", (c) => {
    const rest = c.req.path.split("/").slice(4).join("/");
    return rest.startsWith("s/") ? c.notFound() : serve(c, c.req.param("id"), rest, null);
  });
}
