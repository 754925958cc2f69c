// Who a streaming request is. The token: `Authorization: Bearer`, as everywhere in the API, or — here only — the
// `access_token` query parameter or the `Sec-WebSocket-Protocol` header, because a browser's EventSource and
// WebSocket cannot set headers (Mastodon's streaming server accepts the same three).
import type { Context } from "hono";
import type { RouteDeps } from "../../deps.ts";
import { type Viewer, viewerFromToken } from "../auth.ts";
import { StreamError } from "./streams.ts";

/** The token's viewer; null when none was sent; a StreamError (401) when one was sent and is not valid. */
export async function streamingViewer(c: Context, deps: RouteDeps): Promise<Viewer | null> {
  const header = c.req.header("Authorization")?.trim();
  const bearer = header ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? "" : undefined;
  const token = bearer ?? c.req.query("access_token") ?? c.req.header("Sec-WebSocket-Protocol")?.split(",")[0]?.trim();
  if (token === undefined || token === "") {
    if (header !== undefined) throw new StreamError(401, "Invalid access token");
    return null;
  }
  const viewer = await viewerFromToken(deps, token);
  if (!viewer) throw new StreamError(401, "Invalid access token");
  return viewer;
}

/** Token-less public streams: in 'siblings' mode the instance is private to the group (as the REST API is). */
export const anonymousPublic = (deps: RouteDeps) => deps.config.federation === "open";

export function streamErrorResponse(c: Context, error: StreamError): Response {
  if (error.status === 401) c.header("WWW-Authenticate", 'Bearer realm="Ruche", error="invalid_token"');
  return c.json({ error: error.message }, error.status);
}
