// Real instances for tests: own database, own HTTPS origin on loopback, signatures on, worker running.
import { createServer as createHttpsServer } from "node:https";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve, type ServerType } from "@hono/node-server";
import { inject } from "vitest";
import { loadConfig } from "../server/config.ts";
import { freePort } from "../server/db/embedded.ts";
import { createInstance, type Instance } from "../server/instance.ts";
import { createLocalUser, type LocalUser } from "../server/domain/accounts/accounts.ts";
import { createApiToken } from "../server/domain/accounts/tokens.ts";
import { addSibling } from "../server/domain/instance/siblings.ts";
import { follow, listFollowing } from "../server/domain/follows/follows.ts";
import { resolveHandle } from "../federation/remote-actors.ts";
import { INSTANCE_ACTOR } from "../federation/uris.ts";
import { createTestDatabase, type TestDatabase } from "./db.ts";
import { trustTestCa } from "./tls.ts";
import { setupLogging } from "../server/logging.ts";
import type { Clock } from "../server/clock.ts";

let logging = false;

export interface TestInstance {
  origin: string;
  /** Where this process listens: the origin, or for a second web process of an instance (`webProcessOf`) its own port. */
  url: string;
  /** host:port, as it appears in handles (@user@host:port). */
  host: string;
  instance: Instance;
  db: TestDatabase;
  dataDir: string;
  createUser(username: string, opts?: { locked?: boolean; admin?: boolean; password?: string; displayName?: string }): Promise<LocalUser & { token: string }>;
  addSibling(origin: string): Promise<void>;
  /** false: every request gets 503, as from a reverse proxy while the instance is down for maintenance. */
  setReachable(up: boolean): void;
  close(): Promise<void>;
}

/**
 * `webProcessOf`: another process of that instance — same database and origin, its own port — as when several web
 * processes share one PostgreSQL behind a load balancer. Closing it leaves the database to its first process.
 */
export async function startTestInstance(opts: { federation?: "siblings" | "open"; name?: string; env?: Record<string, string>; webProcessOf?: TestInstance; clock?: Clock } = {}): Promise<TestInstance> {
  const tls = inject("tls");
  trustTestCa(tls.caCert);
  if (process.env.RUCHE_TEST_LOG && !logging) {
    logging = true;
    await setupLogging(process.env.RUCHE_TEST_LOG as "debug");
  }
  const shared = opts.webProcessOf;
  const db = shared?.db ?? await createTestDatabase();
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), "ruche-test-data-"));
  const config = loadConfig({
    PORT: String(port),
    HOST: "127.0.0.1",
    RUCHE_ORIGIN: shared?.origin ?? `https://localhost:${port}`,
    RUCHE_DATA: dataDir,
    DATABASE_URL: db.url,
    RUCHE_FEDERATION: opts.federation ?? "siblings",
    RUCHE_ALLOW_PRIVATE_ADDRESS: "true",
    RUCHE_INSTANCE_NAME: opts.name ?? `test-${port}`,
    RUCHE_TLS_CERT: tls.cert,
    RUCHE_TLS_KEY: tls.key,
    RUCHE_LOG_LEVEL: process.env.RUCHE_TEST_LOG ?? "error",
    ...opts.env,
  });
  const instance = await createInstance(config, db.sql, db.url, { clock: opts.clock });
  let reachable = true;
  const server: ServerType = serve({
    fetch: (req, ...rest) => (reachable ? instance.app.fetch(req, ...rest) : new Response("maintenance", { status: 503 })),
    port,
    hostname: "127.0.0.1",
    websocket: { server: instance.websocket },
    createServer: createHttpsServer,
    serverOptions: { key: readFileSync(tls.key), cert: readFileSync(tls.cert) },
  });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  await instance.startWorker();
  return {
    origin: config.origin,
    url: `https://localhost:${port}`,
    host: new URL(config.origin).host,
    instance,
    db,
    dataDir,
    async createUser(username, o = {}) {
      const user = await createLocalUser(db.sql, config.origin, { username, locked: o.locked, admin: o.admin, password: o.password, displayName: o.displayName });
      const token = await createApiToken(db.sql, user.account.id, ["read", "write", "follow"]);
      return { ...user, token };
    },
    async addSibling(origin) {
      await addSibling(db.sql, origin);
      await instance.data.siblings.refresh();
    },
    setReachable(up) {
      reachable = up;
    },
    async close() {
      instance.streaming.stop(); // open event streams would otherwise keep server.close() waiting
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await instance.stop();
      if (!shared) await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` returns a truthy value (federation is asynchronous), or throws after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 15_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

/**
 * Starts instances named e.g. "Paris" and "Lyon" and makes every pair siblings of each other. A Clock given first
 * is every instance's (quiet hours: the test moves time instead of sleeping).
 */
export async function startSiblings(...args: [Clock, ...string[]] | string[]): Promise<TestInstance[]> {
  const clock = typeof args[0] === "string" ? undefined : args[0];
  const names = (clock ? args.slice(1) : args) as string[];
  const instances = await Promise.all(names.map((name) => startTestInstance({ name, clock })));
  for (const a of instances) for (const b of instances) if (a !== b) await a.addSibling(b.origin);
  return instances;
}

/** `followerId` on `from` follows `username` on `to` (found by its handle) and waits for the Accept. */
export async function followAcross(from: TestInstance, followerId: string, to: TestInstance, username: string): Promise<void> {
  const target = await resolveHandle(from.instance.context(), `@${username}@${to.host}`);
  if (target?.iri !== `${to.origin}/users/${username}`) throw new Error(`@${username}@${to.host} did not resolve`);
  await follow(from.db.sql, from.origin, followerId, target.id);
  await eventually(async () => (await listFollowing(from.db.sql, followerId)).items.some((a) => a.id === target.id), 15_000, `the Accept from ${to.origin}`);
}

/** A fetch of `iri` signed by `from`'s actor `signer` (its instance actor unless named), as an HTTP status. */
export async function signedFetchStatus(from: TestInstance, iri: string, signer = INSTANCE_ACTOR): Promise<number> {
  const loader = await from.instance.context().getDocumentLoader({ identifier: signer });
  try {
    await loader(iri);
    return 200;
  } catch (e) {
    return Number(/HTTP (\d{3})/.exec(String(e))?.[1] ?? 0);
  }
}
