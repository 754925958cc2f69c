// Every request body is bounded before anything reads it (issue #8, point 24: one anonymous 300 MB chunked POST to
// /login took the process to 2 GB). A declared Content-Length above the limit is refused at once; a chunked body
// is counted as it streams and cut at the limit. Upload routes get room here and apply their precise limit
// themselves; inboxes are bounded by the inbox guard (federation/guards), which answers in ActivityPub's terms.
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";

const KiB = 1024, MiB = 1024 * KiB;

/** The limit for a request path: small forms, JSON API calls, uploads. Null: bounded elsewhere (inboxes). */
export function bodyLimitFor(path: string): number | null {
  if (path === "/inbox" || /^\/users\/[^/]+\/inbox$/.test(path)) return null;
  // tus uploads (WebTV): bounded by the tus server against the declared Upload-Length and the instance's limit.
  if (/^\/api\/ruche\/v1\/uploads\/[0-9]+_[0-9a-f]{32}$/.test(path)) return null;
  if (path === "/login" || path === "/logout" || path === "/settings/language") return 16 * KiB;
  if (["/api/v1/media", "/api/v2/media", "/posts", "/settings/profile", "/api/v1/accounts/update_credentials", "/webtv/new"].includes(path)) return 48 * MiB;
  // Knowledge-base articles (issue #14): up to 1 MiB of Markdown (the domain's limit, article_too_large), as JSON
  // or a form; a 10 MB body is refused here.
  if (/^\/api\/ruche\/v1\/articles(\/\d+)?$/.test(path) || /^\/knowledge\/(articles|new)/.test(path)) return 3 * MiB;
  return 256 * KiB;
}

export function requestBodyLimits(): MiddlewareHandler {
  const limiters = new Map<number, MiddlewareHandler>();
  const limiter = (maxSize: number) => {
    let l = limiters.get(maxSize);
    if (!l) {
      l = bodyLimit({
        maxSize,
        onError: (c) => c.json({ error: `Request body too large (limit ${maxSize} bytes)`, code: "payload_too_large" }, 413),
      });
      limiters.set(maxSize, l);
    }
    return l;
  };
  return async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD" || c.req.method === "OPTIONS") return await next();
    const max = bodyLimitFor(c.req.path);
    if (max == null) return await next();
    return await limiter(max)(c, next);
  };
}
