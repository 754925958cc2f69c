// The multiplexed WebSocket: /api/v1/streaming[?stream=…], then `{"type":"subscribe","stream":"hashtag","tag":"x"}`
// and `{"type":"unsubscribe",…}` messages; every event arrives as `{"stream":[…],"event":"…","payload":"<json>"}`.
// The upgrade itself is @hono/node-server's (`websocket: { server }` in serve(), a `ws` server made by the
// instance, `websocketServer()` below), so the route runs through the same middleware as any other.
//
// Bad input never costs the others: a message that is not JSON, an unknown stream or a refused one gets a
// `{"error","status"}` message and the connection stays; a connection holds at most MAX_CHANNELS subscriptions;
// one that keeps sending bad messages (MAX_ERRORS) is closed with 1008 (policy violation), and a message larger
// than MAX_PAYLOAD closes it with 1009 before it is read.
import type { Hono } from "hono";
import type { WSContext } from "hono/ws";
import { upgradeWebSocket } from "@hono/node-server";
import { type WebSocket, WebSocketServer } from "ws";
import { z } from "zod";
import type { RouteDeps } from "../../deps.ts";
import type { ApiEnv } from "../auth.ts";
import { anonymousPublic, streamErrorResponse, streamingViewer } from "./auth.ts";
import { encoded } from "./hub.ts";
import { type Channel, channelOf, checkChannel, StreamError } from "./streams.ts";

export const MAX_CHANNELS = 32;
export const MAX_ERRORS = 50;
const MAX_PAYLOAD = 16 * 1024;
const PING_MS = 30_000;

/** The instance's WebSocket server (no port of its own: serve() hands it the upgrades). */
export function websocketServer(): WebSocketServer {
  return new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD, clientTracking: true });
}

const messageSchema = z.object({
  type: z.enum(["subscribe", "unsubscribe"]),
  stream: z.string().max(50),
}).catchall(z.unknown());

export function registerStreamingWebSocket(api: Hono<ApiEnv>, deps: RouteDeps): void {
  const opts = { anonymousPublic: anonymousPublic(deps) };
  api.get("/api/v1/streaming", async (c, next) => {
    if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
      return c.json({ error: "Use a WebSocket here, or one of the /api/v1/streaming/<stream> event streams" }, 400);
    }
    let viewer;
    try {
      viewer = await streamingViewer(c, deps);
      if (!viewer && !opts.anonymousPublic) throw new StreamError(401, "Missing access token");
    } catch (error) {
      if (error instanceof StreamError) return streamErrorResponse(c, error);
      throw error;
    }
    const initial = c.req.query("stream");
    const initialParams = { tag: c.req.query("tag"), list: c.req.query("list"), only_media: c.req.query("only_media") };
    const channels = new Map<string, Channel>();
    let errors = 0;
    let remove = () => {};
    let ping: ReturnType<typeof setInterval> | undefined;
    const fail = (ws: WSContext, error: StreamError) => {
      ws.send(JSON.stringify({ error: error.message, status: error.status }));
      if (++errors >= MAX_ERRORS) ws.close(1008, "Too many bad messages");
    };
    /**
     * Runs a subscribe or unsubscribe; a refused one is answered with Mastodon's error message. Messages are applied
     * one after the other (a list subscription is checked in the database), so an unsubscribe never overtakes.
     */
    let applied = Promise.resolve();
    const apply = (ws: WSContext, type: "subscribe" | "unsubscribe", stream: unknown, params: Record<string, unknown>) => {
      applied = applied.then(() => applyNow(ws, type, stream, params)).catch(() => ws.close(1011, "Internal error"));
    };
    const applyNow = async (ws: WSContext, type: "subscribe" | "unsubscribe", stream: unknown, params: Record<string, unknown>) => {
      try {
        const channel = channelOf(stream, params, viewer, opts);
        if (type === "subscribe") await checkChannel(deps.sql, channel, viewer);
        if (type === "unsubscribe") channels.delete(channel.key);
        else if (!channels.has(channel.key)) {
          if (channels.size >= MAX_CHANNELS) throw new StreamError(429, `At most ${MAX_CHANNELS} subscriptions per connection`);
          channels.set(channel.key, channel);
        }
      } catch (error) {
        if (error instanceof StreamError) fail(ws, error);
        else throw error;
      }
    };
    const handler = upgradeWebSocket(() => ({
      onOpen(_evt, ws) {
        remove = deps.streaming.add({
          viewer,
          channels: () => channels.values(),
          // The ws socket itself: Hono's send() would make a Buffer a binary frame, Mastodon's clients read text frames.
          send: (m) => (ws.raw as WebSocket).send(encoded(m), { binary: false }),
          close: () => ws.close(1001, "Server shutting down"),
        });
        ping = setInterval(() => (ws.raw as { ping?: () => void } | undefined)?.ping?.(), PING_MS);
        if (initial) apply(ws, "subscribe", initial, initialParams);
      },
      onMessage(evt, ws) {
        let parsed;
        try {
          parsed = messageSchema.safeParse(JSON.parse(String(evt.data)));
        } catch {
          return fail(ws, new StreamError(400, "Could not parse the message as JSON"));
        }
        if (!parsed.success) return fail(ws, new StreamError(400, "Unknown message type: send subscribe or unsubscribe with a stream"));
        const { type, stream, ...params } = parsed.data;
        apply(ws, type, stream, params);
      },
      onClose() {
        clearInterval(ping);
        remove();
      },
    }));
    return handler(c, next);
  });
}
