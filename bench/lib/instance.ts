// An in-process Ruche instance for benchmarks, built as server/main.ts builds one (loadConfig, database, migrate,
// settleOrigin, createInstance, @hono/node-server, startWorker) but without vitest, on a plain-http loopback origin
// with RUCHE_ALLOW_PRIVATE_ADDRESS=true. Database: a throw-away database on DATABASE_URL's server when it is set,
// otherwise on an embedded PostgreSQL in a temp directory. Everything is released through the caller's Scope.
import type { Server } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { serve } from "@hono/node-server";
import postgres from "postgres";
import { loadConfig } from "../../server/config.ts";
import { freePort, startEmbeddedPostgres } from "../../server/db/embedded.ts";
import { migrate } from "../../server/db/migrate.ts";
import { connect, type Sql } from "../../server/db/pool.ts";
import { createInstance, type Instance } from "../../server/instance.ts";
import { settleOrigin } from "../../server/domain/instance/instance-settings.ts";
import { addSibling } from "../../server/domain/instance/siblings.ts";
import { Scope, sleep } from "./cleanup.ts";
import { startServerProcess } from "./server-process.ts";

export interface BenchDatabase {
  url: string;
  /** "embedded PostgreSQL (temp dir)" or "temporary database on DATABASE_URL". */
  kind: string;
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

/**
 * One embedded PostgreSQL per benchmark process, shared by the in-process benchmarks (each gets its own database on
 * it). Starting a second one in the same process fails: server/db/embedded.ts unhooks async-exit-hook's handlers on
 * every start, and the second unhook throws ERR_INVALID_ARG_TYPE.
 */
let shared: Promise<{ adminUrl: string }> | undefined;

function sharedEmbedded(): Promise<{ adminUrl: string }> {
  shared ??= (async () => {
    const scope = new Scope("shared embedded PostgreSQL", { last: true });
    try {
      const dir = await mkdtemp(join(tmpdir(), "ruche-bench-pg-"));
      scope.defer(`temp dir ${dir}`, () => rm(dir, { recursive: true, force: true }));
      const embedded = await startEmbeddedPostgres(dir);
      scope.defer("embedded PostgreSQL", () => embedded.stop());
      return { adminUrl: withDatabase(embedded.url, "postgres") };
    } catch (e) {
      await scope.close();
      shared = undefined;
      throw e;
    }
  })();
  return shared;
}

/**
 * A fresh, empty database released by `scope`: on DATABASE_URL's server when it is set, otherwise on the embedded
 * PostgreSQL this process shares between benchmarks (released by closeAllScopes at the end of bench/run.ts).
 */
export async function benchDatabase(scope: Scope): Promise<BenchDatabase> {
  const external = process.env.DATABASE_URL;
  const adminUrl = external ?? (await sharedEmbedded()).adminUrl;
  const name = `ruche_bench_${randomBytes(5).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  scope.defer(`database ${name}`, async () => {
    const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
    try {
      await a.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await a.end({ timeout: 5 });
    }
  });
  return {
    url: withDatabase(adminUrl, name),
    kind: external ? `temporary database ${name} on DATABASE_URL` : `database ${name} on an embedded PostgreSQL in a temp dir`,
  };
}

export interface BenchInstance {
  origin: string;
  port: number;
  instance: Instance;
  sql: Sql;
  db: BenchDatabase;
  server: Server;
}

/**
 * `worker: "process"` runs the worker role in its own process (`npm run start:worker`'s command on the same
 * database), as a deployment splitting web and worker would; the in-process instance then serves HTTP only.
 */
export async function startBenchInstance(
  scope: Scope,
  opts: { siblings?: string[]; name?: string; worker?: "in-process" | "process" } = {},
): Promise<BenchInstance> {
  const dataDir = await mkdtemp(join(tmpdir(), "ruche-bench-"));
  scope.defer(`temp dir ${dataDir}`, () => rm(dataDir, { recursive: true, force: true }));
  const db = await benchDatabase(scope);
  const sql = connect(db.url);
  scope.defer("database pool", () => sql.end({ timeout: 5 }));
  await migrate(sql);
  const port = await freePort();
  let config = loadConfig({
    PORT: String(port),
    HOST: "127.0.0.1",
    RUCHE_ORIGIN: `http://127.0.0.1:${port}`,
    RUCHE_DATA: dataDir,
    DATABASE_URL: db.url,
    RUCHE_FEDERATION: "siblings",
    RUCHE_ALLOW_PRIVATE_ADDRESS: "true",
    RUCHE_INSTANCE_NAME: opts.name ?? "bench",
    RUCHE_LOG_LEVEL: "warning",
  });
  config = await settleOrigin(sql, config, { record: true });
  const instance = await createInstance(config, sql, db.url);
  scope.defer("instance worker", () => instance.stop());
  const server = serve({ fetch: instance.app.fetch, port, hostname: "127.0.0.1" }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once("listening", () => resolve());
    server.once("error", reject);
  });
  scope.defer("HTTP server", () => new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  }));
  if (opts.worker === "process") await startWorkerProcess(scope, { ...config, databaseUrl: db.url, dataDir });
  else await instance.startWorker();
  for (const s of opts.siblings ?? []) await addSibling(sql, s);
  await instance.data.siblings.refresh();
  return { origin: config.origin, port, instance, sql, db, server };
}

/** A worker-role process started as `npm run start:worker` runs (its node flags), on the web instance's database and origin. */
async function startWorkerProcess(scope: Scope, c: { origin: string; databaseUrl: string; dataDir: string; instanceName: string }): Promise<void> {
  const worker = await startServerProcess(scope, c.dataDir, {
    script: "start:worker",
    env: {
      RUCHE_ROLE: "worker", RUCHE_ORIGIN: c.origin, DATABASE_URL: c.databaseUrl, RUCHE_FEDERATION: "siblings",
      RUCHE_ALLOW_PRIVATE_ADDRESS: "true", RUCHE_INSTANCE_NAME: c.instanceName,
    },
  });
  const deadline = performance.now() + 60_000;
  while (Number.isNaN(worker.lineAt("Worker role started"))) {
    if (worker.child.exitCode != null) throw new Error(`the worker process exited with ${worker.child.exitCode}:\n${worker.output()}`);
    if (performance.now() > deadline) throw new Error(`the worker process did not start in 60 s:\n${worker.output()}`);
    await sleep(50);
  }
}
