// Our Hono middleware for Fedify (no @fedify/hono for 2.3.6): actor and profile share one URL — ActivityPub JSON
// for AP clients, the HTML page for browsers. Inbox POSTs and signed GETs pass the guards first.
import type { Federation, MessageQueue } from "@fedify/fedify";
import type { MiddlewareHandler } from "hono";
import type { AppContext } from "./context.ts";
import { actorCacheKey, type ResponseCache } from "./response-cache.ts";
import { jsonError, unauthorizedResponse } from "./post-access.ts";
import { guardInbox, guardSignedFetch, inboxOwner, isInboxPath } from "./guards/inbox-guard.ts";
import { queueInboxActivity } from "./inbox-queue.ts";
import { claimedSigner, RefusalLog } from "./guards/refusal-log.ts";
import { groupFedifyPath } from "./uris.ts";
import { groupWebFinger } from "./group-actor.ts";

/**
 * `inboxQueue` is Fedify's queue: inbox deliveries the guards accept are queued there directly, not through Fedify's
 * inbox handler (inbox-queue.ts).
 */
export function federationMiddleware(federation: Federation<AppContext>, contextData: AppContext, inboxQueue: MessageQueue,
  cache?: ResponseCache): MiddlewareHandler {
  const deps = { siblings: contextData.siblings, keyOwners: contextData.keyOwners };
  const refusals = new RefusalLog();
  const refuse = (request: Request, path: string, status: number, error: string) =>
    refusals.refused({ method: request.method, path, status, error, signer: claimedSigner(request.headers) });
  return async (c, next) => {
    let request = c.req.raw;
    let url = new URL(request.url);
    // A group's documents (/groups/{name}, its inbox and members) are served by the actor dispatcher people's are
    // (uris.ts groupFedifyPath), once the guards have checked the request as it was signed (the signature covers
    // its path). Its WebFinger answer names /groups/{name} (group-actor.ts).
    const groupPath = groupFedifyPath(url.pathname);
    if (!groupPath && request.method === "GET" && url.pathname === "/.well-known/webfinger") {
      const jrd = await groupWebFinger(federation.createContext(request, contextData), url.searchParams.get("resource") ?? "");
      if (jrd) return c.body(JSON.stringify(jrd), 200, { "Content-Type": "application/jrd+json", "Access-Control-Allow-Origin": "*" });
    }
    const isInbox = request.method === "POST" && (isInboxPath(url.pathname) || (groupPath != null && isInboxPath(groupPath)));
    if (isInbox) {
      const verdict = await guardInbox(request, deps);
      if (!verdict.ok) {
        refuse(request, url.pathname, verdict.status, verdict.error);
        // 202: a forwarded activity, accepted so that its sender stops retrying, and ignored (inbox-guard.ts).
        if (verdict.status === 202) return c.json({ ignored: verdict.error }, 202);
        return c.json({ error: verdict.error }, verdict.status as 400);
      }
      const owner = inboxOwner(groupPath ?? url.pathname); // a group's inbox is its dispatcher path's
      if (verdict.activity && owner !== undefined &&
        (await queueInboxActivity(inboxQueue, contextData.sql, contextData.config.origin, verdict.activity, owner))) {
        return c.text("Activity is enqueued.", 202); // Fedify's own answer
      }
      request = verdict.request;
    } else if (request.method === "GET" || request.method === "HEAD") {
      const verdict = guardSignedFetch(request, deps);
      if (!verdict.ok) {
        refuse(request, url.pathname, verdict.status, verdict.error);
        return c.json({ error: verdict.error }, verdict.status as 400);
      }
    }
    if (groupPath) {
      url = new URL(groupPath + url.search, url);
      request = new Request(url, request);
    }
    const cacheKey = cache ? actorCacheKey(request, url) : null;
    if (cacheKey) {
      const hit = cache!.get(cacheKey);
      if (hit) return hit;
    }
    let fellThrough = false;
    const response = await federation.fetch(request, {
      contextData,
      // 401 unsigned, 403 signed by someone who may not read it (post-access.ts).
      onUnauthorized: unauthorizedResponse,
      onNotFound: async () => {
        fellThrough = true;
        await next();
        return c.res;
      },
      onNotAcceptable: async () => {
        // A browser asked for an actor URL: let the HTML routes answer; if none does, say 406.
        fellThrough = true;
        await next();
        if (c.res.status !== 404) return c.res;
        return jsonError(406, "this URL serves ActivityPub documents only", { Vary: "Accept" });
      },
    });
    // An ActivityPub client gets JSON errors, also for what Fedify or the routes behind it answered in text or HTML.
    if (speaksActivityPub(request, url) && response.status >= 400 && !/json/.test(response.headers.get("content-type") ?? "")) {
      return (c.res = jsonError(response.status, errorText(response.status)));
    }
    if (fellThrough) return response;
    const contentType = response.headers.get("content-type") ?? "";
    if (cacheKey && response.status === 200 && /json/.test(contentType)) {
      c.res = await cache!.put(cacheKey, response);
      return;
    }
    c.res = response;
  };
}

/** Is this an ActivityPub request (an inbox delivery, or a GET asking for AS2 JSON)? */
function speaksActivityPub(request: Request, url: URL): boolean {
  if (request.method === "POST" && isInboxPath(url.pathname)) return true;
  return /application\/(activity\+json|ld\+json)/.test(request.headers.get("accept") ?? "");
}

function errorText(status: number): string {
  if (status === 404) return "not found";
  if (status === 410) return "gone";
  if (status === 401) return "this requires a signed request";
  if (status === 403) return "forbidden";
  return status >= 500 ? "the server could not answer" : "the request was refused";
}
