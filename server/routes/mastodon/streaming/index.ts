// Mastodon's streaming API: server-sent events on /api/v1/streaming/<stream> (sse.ts) and the multiplexed WebSocket
// on /api/v1/streaming (websocket.ts), both fed by the process's StreamHub (hub.ts), which hears the event bus.
//
// The token is read by auth.ts. Errors take Mastodon's streaming shape:
// `{"error": "..."}` with its HTTP status, and on a WebSocket `{"error": "...", "status": 400}` messages.
import type { Hono } from "hono";
import type { RouteDeps } from "../../deps.ts";
import type { ApiEnv } from "../auth.ts";
import { registerStreamingSse } from "./sse.ts";
import { registerStreamingWebSocket } from "./websocket.ts";

export { StreamHub } from "./hub.ts";

export function registerStreaming(api: Hono<ApiEnv>, deps: RouteDeps): void {
  api.get("/api/v1/streaming/health", (c) => c.text("OK"));
  registerStreamingSse(api, deps);
  registerStreamingWebSocket(api, deps);
}

