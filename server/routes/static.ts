// Static assets (CSS, island bundles) and uploaded media, streamed from storage (media/storage.ts) with single
// byte ranges (206/416) and HEAD. Media names are server-generated; the storage refuses keys that would leave its
// folder (corpus case 27: no traversal).
import { join } from "node:path";
import type { Context, Hono } from "hono";
import { type FileStorage, LocalDiskStorage, parseRange } from "../../media/storage.ts";
import type { RouteDeps } from "./deps.ts";
import { attachmentCacheControl } from "./media-access.ts";

const types: Record<string, string> = {
  css: "text/css; charset=utf-8", js: "text/javascript; charset=utf-8", png: "image/png", jpg: "image/jpeg",
  jpeg: "image/jpeg", webp: "image/webp", gif: "image/gif", svg: "image/svg+xml", map: "application/json",
  zip: "application/zip",
  // WebTV (issue #13): HLS playlists, fMP4 init segments and media segments.
  m3u8: "application/vnd.apple.mpegurl", mp4: "video/mp4", m4s: "video/iso.segment",
};

/** A stored file as a response (ranges, HEAD); null when there is no such file. */
export async function serveFile(c: Context, storage: FileStorage, key: string, immutable: boolean, cacheControl?: string): Promise<Response | null> {
  const file = await storage.stat(key);
  if (!file) return null;
  const ext = key.split(".").pop()?.toLowerCase() ?? "";
  const headers: Record<string, string> = {
    "Content-Type": types[ext] ?? "application/octet-stream",
    "Cache-Control": cacheControl ?? (immutable ? "public, max-age=31536000, immutable" : "public, max-age=300"),
    "Accept-Ranges": "bytes",
    "Last-Modified": file.modified.toUTCString(),
  };
  // Uploaded files are never rendered as documents by the browser.
  if (immutable) headers["Content-Security-Policy"] = "default-src 'none'; sandbox";
  if (cacheControl?.startsWith("private")) headers.Vary = "Cookie, Authorization, Signature";
  const range = parseRange(c.req.header("range"), file.size);
  if (range === "unsatisfiable") return new Response(null, { status: 416, headers: { ...headers, "Content-Range": `bytes */${file.size}` } });
  const length = range ? range.end - range.start + 1 : file.size;
  headers["Content-Length"] = String(length);
  if (range) headers["Content-Range"] = `bytes ${range.start}-${range.end}/${file.size}`;
  const body = c.req.method === "HEAD" || length === 0 ? null : storage.read(key, range ?? undefined);
  return new Response(body, { status: range ? 206 : 200, headers });
}

export function registerStatic(app: Hono, deps: RouteDeps): void {
  const webStatic = new LocalDiskStorage(join(import.meta.dirname, "..", "..", "web", "static"));
  const media = new LocalDiskStorage(join(deps.config.dataDir, "media"));
  // Browsers ask for it on every page; the layout's SVG logo is the brand, so answer "nothing here" cheaply.
  app.get("/favicon.ico", (c) => c.body(null, 204, { "Cache-Control": "public, max-age=86400" }));
  app.get("/static/*", async (c) => (await serveFile(c, webStatic, c.req.path.slice("/static/".length), false)) ?? c.notFound());
  // Post images: only for the post's readers (media-access.ts).
  app.get("/media/attachments/*", async (c) => {
    const cache = await attachmentCacheControl(c, deps, c.req.path);
    return (cache && (await serveFile(c, media, c.req.path.slice("/media/".length), true, cache))) || c.notFound();
  });
  app.get("/media/*", async (c) => (await serveFile(c, media, c.req.path.slice("/media/".length), true)) ?? c.notFound());
}
