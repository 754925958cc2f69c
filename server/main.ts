// `npm start`: one process, web and worker roles (RUCHE_ROLE splits them), on the embedded PostgreSQL unless
// DATABASE_URL is set. SIGINT/SIGTERM stop HTTP, the worker, the pool and the embedded server cleanly.
import { createServer as createHttpsServer } from "node:https";
import { readFileSync } from "node:fs";
import { serve, type ServerType } from "@hono/node-server";
import { getLogger } from "@logtape/logtape";
import { ConfigError, loadConfig } from "./config.ts";
import { openDatabase } from "./db/open.ts";
import { createInstance } from "./instance.ts";
import { setupLogging } from "./logging.ts";
import { installOutboundGuard } from "../federation/outbound-guard.ts";
import { settleOrigin } from "./domain/instance/instance-settings.ts";
import { startIdleGc } from "./idle-gc.ts";

const logger = getLogger(["ruche", "main"]);

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  await setupLogging(config.logLevel);
  // Every outgoing request, redirect hops included, is checked against private addresses (ADR 0003).
  if (!config.allowPrivateAddress) installOutboundGuard();
  const started = performance.now();
  const db = await openDatabase(config, { migrate: true });
  try {
    config = await settleOrigin(db.sql, config, { record: true });
  } catch (e) {
    console.error((e as Error).message);
    await db.close();
    process.exit(2);
  }
  const instance = await createInstance(config, db.sql, db.url);
  let server: ServerType | undefined;
  if (config.role !== "worker") {
    server = serve({
      fetch: instance.app.fetch,
      port: config.port,
      hostname: config.host,
      websocket: { server: instance.websocket },
      ...(config.tls
        ? { createServer: createHttpsServer, serverOptions: { key: readFileSync(config.tls.key), cert: readFileSync(config.tls.cert) } }
        : {}),
    });
    await new Promise<void>((resolve) => server!.once("listening", () => resolve()));
    logger.info("Ruche {name} listening on {origin} (port {port}, {ms} ms)", {
      name: config.instanceName, origin: config.origin, port: config.port, ms: Math.round(performance.now() - started),
    });
  }
  if (config.role !== "web") await instance.startWorker();
  const stopIdleGc = startIdleGc();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("{signal} received: shutting down", { signal });
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    stopIdleGc();
    server?.close();
    await instance.stop();
    await db.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

await main();
