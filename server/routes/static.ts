// Static assets (CSS, island bundles) and uploaded media. Media names are server-generated; the path is checked
// to stay inside its folder (corpus case 27: no traversal).
import { readFile, stat } from "node:fs/promises";
import { join, normalize, sep } from "node:path";
import type { Hono } from "hono";
import type { RouteDeps } from "./deps.ts";

const types: Record<string, string> = {
  css: "text/css; charset=utf-8", js: "text/javascript; charset=utf-8", png: "image/png", jpg: "image/jpeg",
  jpeg: "image/jpeg", webp: "image/webp", gif: "image/gif", svg: "image/svg+xml", map: "application/json",
};

async function serveFile(root: string, rel: string, immutable: boolean): Promise<Response | null> {
  const full = normalize(join(root, rel));
  if (!full.startsWith(root + sep)) return null;
  try {
    const s = await stat(full);
    if (!s.isFile()) return null;
  } catch {
    return null;
  }
  const ext = full.split(".").pop()?.toLowerCase() ?? "";
  const headers: Record<string, string> = {
    "Content-Type": types[ext] ?? "application/octet-stream",
    "Cache-Control": immutable ? "public, max-age=31536000, immutable" : "public, max-age=300",
  };
  // Uploaded files are never rendered as documents by the browser.
  if (immutable) headers["Content-Security-Policy"] = "default-src 'none'; sandbox";
  return new Response(await readFile(full), { headers });
}

export function registerStatic(app: Hono, deps: RouteDeps): void {
  const webStatic = join(import.meta.dirname, "..", "..", "web", "static");
  const mediaRoot = join(deps.config.dataDir, "media");
  // Browsers ask for it on every page; the layout's SVG logo is the brand, so answer "nothing here" cheaply.
  app.get("/favicon.ico", (c) => c.body(null, 204, { "Cache-Control": "public, max-age=86400" }));
  app.get("/static/*", async (c) => (await serveFile(webStatic, c.req.path.slice("/static/".length), false)) ?? c.notFound());
  app.get("/media/*", async (c) => (await serveFile(mediaRoot, c.req.path.slice("/media/".length), true)) ?? c.notFound());
}
