// One Ruche instance: database handle, federation, HTTP app and the worker loops, built from a config and passed
// down — never global — so tests can run several instances in one process.
import type { Federation } from "@fedify/fedify";
import { Hono } from "hono";
import { compress } from "hono/compress";
import { getLogger } from "@logtape/logtape";
import type { Config } from "./config.ts";
import type { Sql } from "./db/pool.ts";
import { storeKeyPairs } from "./domain/accounts/keys.ts";
import { buildFederation } from "../federation/builder.ts";
import type { AppContext, Ctx } from "../federation/context.ts";
import { createDocumentLoader } from "../federation/document-loader.ts";
import { federationMiddleware } from "../federation/hono.ts";
import { ResponseCache } from "../federation/response-cache.ts";
import { KeyOwnerVerifier } from "../federation/key-owner.ts";
import { PostgresKvStore } from "../federation/kv.ts";
import { PostgresMessageQueue } from "../federation/mq.ts";
import { EventBus } from "./events/bus.ts";
import { jobHandlers } from "../federation/jobs.ts";
import { type JobRunner, startJobRunner } from "./jobs/runner.ts";
import { enqueueJob } from "./jobs/enqueue.ts";
import { type PushCounts, pushHandler } from "./push/deliver.ts";
import { transcodeVideo } from "./domain/videos/transcode.ts";
import { SiblingPolicy } from "../federation/sibling-policy.ts";
import { requestBodyLimits } from "./routes/body-limits.ts";
import { registerRoutes } from "./routes/index.ts";
import { StreamHub } from "./routes/mastodon/streaming/hub.ts";
import { websocketServer } from "./routes/mastodon/streaming/websocket.ts";
import type { WebSocketServer } from "ws";
import { type Clock, systemClock, type WatchableClock, withClock } from "./clock.ts";
import { quietHandlers, runDue } from "./quiet/jobs.ts";

const logger = getLogger(["ruche", "instance"]);
const ANALYTICS_FIRST_RUN_MS = 5 * 60_000;

export interface Instance {
  /** The process's event bus (one listening connection): subscribe to what any process changed. */
  events: EventBus;
  config: Config;
  sql: Sql;
  federation: Federation<AppContext>;
  data: AppContext;
  app: Hono;
  /** Give it to serve() (`websocket: { server }`): the streaming API's WebSocket upgrades go through the app. */
  websocket: WebSocketServer;
  /** The streaming API's clients in this process. */
  streaming: StreamHub;
  /** What this process's Web Push handler did (server/push/deliver.ts). */
  pushCounts: PushCounts;
  /** The instance's time: quiet hours, held notifications and delayed sending read it (tests pass a ManualClock). */
  clock: Clock;
  /** A Fedify context outside any request (CLI, worker, tests). */
  context(): Ctx;
  /** Starts Fedify's queue and the job queues this process takes; resolves once they listen. */
  startWorker(): Promise<void>;
  stop(): Promise<void>;
}

/** `databaseUrl` is what `sql` connects to: the job runner opens its own small pool there. */
export async function createInstance(config: Config, sql: Sql, databaseUrl: string, opts: { clock?: Clock } = {}): Promise<Instance> {
  const clock = opts.clock ?? systemClock;
  await storeKeyPairs(sql, "instance");
  const kv = new PostgresKvStore(sql);
  const queue = new PostgresMessageQueue({ sql });
  // Fedify's inbox and outbox messages run on the instance's clock (they arrive on pg notifications and timers,
  // outside any request): the queue's listen wraps each handler call.
  const listen = queue.listen.bind(queue);
  queue.listen = (handler, options) => listen((message) => withClock(clock, () => handler(message)), options);
  const federation = buildFederation({ config, kv, queue });
  const siblings = new SiblingPolicy(sql, { mode: config.federation, selfOrigin: config.origin, fromEnv: config.siblings });
  const events = await EventBus.start(sql);
  await siblings.start(events);
  const keyOwners = new KeyOwnerVerifier(createDocumentLoader({ allowPrivateAddress: config.allowPrivateAddress }));
  const data: AppContext = { sql, config, siblings, keyOwners };
  const context = () => federation.createContext(new URL(config.origin), data);

  const actorCache = new ResponseCache();
  events.subscribe("account.changed", () => actorCache.clear());
  events.onReconnect(() => actorCache.clear());
  const app = new Hono();
  // Everything a request does reads this instance's clock (server/clock.ts currentClock, ADR 0015).
  app.use("*", (_c, next) => withClock(clock, next));
  app.use("*", async (c, next) => {
    await next();
    c.header("X-Content-Type-Options", "nosniff");
    // A page whose URL is a secret (an invitation link) sets its own, stricter policy.
    if (!c.res.headers.has("Referrer-Policy")) c.header("Referrer-Policy", "same-origin");
    if (!c.res.headers.has("X-Frame-Options")) c.header("X-Frame-Options", "DENY");
  });
  // Text responses (pages, API JSON, CSS, islands) are compressed when the client accepts it: a signed-in home page
  // is ~10× smaller on the wire. Ranged (206) and already-encoded responses, images and video pass as they are.
  app.use("*", compress());
  app.use("*", requestBodyLimits());
  app.use("*", federationMiddleware(federation, data, queue, actorCache));
  const streaming = new StreamHub({ sql, origin: config.origin, siblings: () => siblings.list() });
  streaming.start(events);
  const websocket = websocketServer();
  registerRoutes(app, { config, sql, federation, data, context, streaming, clock });

  const pushCounts: PushCounts = { sent: 0, skipped: 0, gone: 0, refused: 0, failed: 0 };
  const controller = new AbortController();
  const running: Promise<unknown>[] = [];
  let jobs: JobRunner | undefined;
  return {
    config, sql, federation, data, app, context, events, websocket, streaming, pushCounts, clock,
    async startWorker() {
      logger.info("Worker role started (Fedify's queue and the job queues)");
      running.push(federation.startQueue(data, { signal: controller.signal }).catch((e) => logger.error("Queue stopped: {e}", { e })));
      const push = pushHandler({ sql, origin: config.origin, allowPrivateAddress: config.allowPrivateAddress }, pushCounts);
      const transcode = { dataDir: config.dataDir, ffmpegPath: config.ffmpegPath, ffprobePath: config.ffprobePath };
      const videoTranscode = (item: { videoId: string }) => transcodeVideo(sql, transcode, item.videoId, controller.signal);
      const handlers = { ...jobHandlers(federation, data), ...quietHandlers({ sql, clock, context }), push, "video-transcode": videoTranscode };
      for (const [name, handler] of Object.entries(handlers)) {
        (handlers as Record<string, typeof handler>)[name] = (job, meta) => withClock(clock, () => handler(job, meta));
      }
      jobs = await startJobRunner({
        databaseUrl, handlers, take: config.queues, concurrency: { "video-transcode": config.video.transcodeConcurrency },
      });
      // Engagement analytics' hourly job (issue #16): the first run a few minutes after start, then each run queues the
      // next; one queued at a time, so restarts do not pile them up.
      await enqueueJob(sql, "analytics", {}, { key: "analytics", delayMs: ANALYTICS_FIRST_RUN_MS });
      // Event reminders (issue #12): the first look at once, then every 5 minutes.
      await enqueueJob(sql, "event-reminders", {}, { key: "event-reminders" });
      // A test's clock moving past 9:00 releases what was held until then, as the delayed job would in real time.
      const watch = (clock as Partial<WatchableClock>).onAdvance?.call(clock, (now) => void withClock(clock, () => runDue({ sql, clock, context }, now))
        .catch((e) => logger.error("Quiet time's due work: {e}", { e })));
      if (watch) controller.signal.addEventListener("abort", watch);
      const sweep = setInterval(() => void kv.cleanup().catch(() => {}), 600_000);
      sweep.unref();
      controller.signal.addEventListener("abort", () => clearInterval(sweep));
    },
    async stop() {
      controller.abort();
      streaming.stop();
      websocket.close();
      await jobs?.stop().catch((e) => logger.error("Stopping the job queues: {e}", { e }));
      await Promise.allSettled(running);
      await siblings.stop();
      await events.stop();
    },
  };
}
