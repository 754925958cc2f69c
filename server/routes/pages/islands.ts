// Serves the island bundles (web/islands/*.ts), built in memory by esbuild (web/build.ts) once per process:
// GET /static/islands/<name>.js. Pages link them with `?v=<etag>`, so browsers may keep them for a year; a request
// without the current version gets a short cache and the ETag for revalidation.
import { getLogger } from "@logtape/logtape";
import type { Hono } from "hono";
import { buildIslands, type IslandBundle } from "../../../web/build.ts";

// The bundles depend on the source files only, so one build serves every instance in the process (tests start
// several). A failed build leaves the pages without islands, which still work: they are enhancements.
const logger = getLogger(["ruche", "islands"]);
let built: Promise<Map<string, IslandBundle>> | null = null;

function bundles(): Promise<Map<string, IslandBundle>> {
  built ??= buildIslands().catch((e) => {
    logger.error("Island build failed; pages are served without their scripts: {error}", { error: e });
    return new Map<string, IslandBundle>();
  });
  return built;
}

/** Versioned URLs of the named islands, for a page's <script type="module"> tags. */
export async function islandUrls(...names: string[]): Promise<string[]> {
  const b = await bundles();
  return names.filter((n) => b.has(n)).map((n) => `/static/islands/${n}.js?v=${b.get(n)!.etag}`);
}

export function registerIslands(app: Hono): void {
  void bundles();
  app.get("/static/islands/:file{[a-z0-9-]+\\.js}", async (c) => {
    const bundle = (await bundles()).get(c.req.param("file").slice(0, -3));
    if (!bundle) return c.notFound();
    const etag = `"${bundle.etag}"`;
    const cache = c.req.query("v") === bundle.etag ? "public, max-age=31536000, immutable" : "public, max-age=300";
    if (c.req.header("if-none-match") === etag) return c.body(null, 304, { ETag: etag, "Cache-Control": cache });
    return c.body(bundle.code, 200, { "Content-Type": "text/javascript; charset=utf-8", ETag: etag, "Cache-Control": cache });
  });
}
