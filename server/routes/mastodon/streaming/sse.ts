// Server-sent events, one stream per connection: GET /api/v1/streaming/user, /user/notification, /direct, /public,
// /public/local, /public/remote, /hashtag?tag=, /hashtag/local?tag=. Each message is `event: <name>` and
// `data: <payload>`; a `:)` comment opens the stream and a `:thump` comment every 15 s keeps proxies from closing
// it (Mastodon's heartbeat). An event without payload (`filters_changed`) says `data: undefined`, as Mastodon's does.
import type { Context, Hono } from "hono";
import { type SSEStreamingApi, streamSSE } from "hono/streaming";
import type { RouteDeps } from "../../deps.ts";
import type { ApiEnv, Viewer } from "../auth.ts";
import { queryParams } from "../params.ts";
import { anonymousPublic, streamErrorResponse, streamingViewer } from "./auth.ts";
import type { StreamHub, StreamMessage } from "./hub.ts";
import { type Channel, channelOf, checkChannel, StreamError, type StreamName } from "./streams.ts";

const HEARTBEAT_MS = 15_000;

const PATHS: Record<string, StreamName> = {
  "/api/v1/streaming/user": "user",
  "/api/v1/streaming/user/notification": "user:notification",
  "/api/v1/streaming/direct": "direct",
  "/api/v1/streaming/public": "public",
  "/api/v1/streaming/public/local": "public:local",
  "/api/v1/streaming/public/remote": "public:remote",
  "/api/v1/streaming/hashtag": "hashtag",
  "/api/v1/streaming/hashtag/local": "hashtag:local",
  "/api/v1/streaming/list": "list",
};

export function registerStreamingSse(api: Hono<ApiEnv>, deps: RouteDeps): void {
  for (const [path, name] of Object.entries(PATHS)) {
    api.get(path, async (c) => {
      let channel;
      let viewer;
      try {
        viewer = await streamingViewer(c, deps);
        channel = channelOf(name, queryParams(c), viewer, { anonymousPublic: anonymousPublic(deps) });
        await checkChannel(deps.sql, channel, viewer);
      } catch (error) {
        if (error instanceof StreamError) return streamErrorResponse(c, error);
        throw error;
      }
      return serveSse(c, deps.streaming, viewer, channel, (stream, m) => stream.writeSSE({ event: m.event, data: m.payload ?? "undefined" }));
    });
  }
}

/**
 * Holds an SSE response open as one hub client on `channel` until the reader goes away or the server stops;
 * `write` turns each message into events (the pages' live badges write their own).
 */
export function serveSse(c: Context, hub: StreamHub, viewer: Viewer | null, channel: Channel,
  write: (stream: SSEStreamingApi, message: StreamMessage) => Promise<void>): Response {
  c.header("Cache-Control", "private, no-store");
  c.header("X-Accel-Buffering", "no"); // nginx would otherwise hold the events back
  return streamSSE(c, async (stream) => {
    let closed = false;
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(beat);
      remove();
      finish();
    };
    const remove = hub.add({
      viewer,
      channels: () => [channel],
      send: (m) => void write(stream, m).catch(close),
      close: () => {
        close();
        void stream.close().catch(() => {});
      },
    });
    const beat = setInterval(() => void stream.write(":thump\n\n").catch(close), HEARTBEAT_MS);
    stream.onAbort(close);
    await stream.write(":)\n\n");
    await done;
  });
}
