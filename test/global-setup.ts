// Starts (or reaches) one PostgreSQL server for the whole run and prepares a migrated template database; each
// test file then clones its own database from it (test/db.ts), so files run in parallel.
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import type { TestProject } from "vitest/node";
import postgres from "postgres";
import { ensureTestTls } from "./tls.ts";
import { prepareChromium } from "./browser.ts";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../server/db/embedded.ts";
import { listMigrations, migrate } from "../server/db/migrate.ts";
import { connect } from "../server/db/pool.ts";
import { HEARTBEAT_SECONDS, QUEUES } from "../server/jobs/queues.ts";

declare module "vitest" {
  export interface ProvidedContext {
    dbAdminUrl: string;
    dbTemplate: string;
    tls: { caCert: string; cert: string; key: string };
  }
}

let embedded: EmbeddedDatabase | undefined;
let dataDir: string | undefined;

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

export default async function setup(project: TestProject) {
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    dataDir = await mkdtemp(join(tmpdir(), "ruche-test-pg-"));
    embedded = await startEmbeddedPostgres(dataDir);
    adminUrl = withDatabase(embedded.url, "postgres");
  }
  const hash = createHash("sha256");
  for (const m of await listMigrations()) hash.update(m.name).update(m.sql);
  // The job system's schema and queues are part of what migrate() builds.
  hash.update(JSON.stringify(QUEUES)).update(String(HEARTBEAT_SECONDS)).update(JSON.parse(readFileSync(join(import.meta.dirname, "../node_modules/pg-boss/package.json"), "utf8")).version);
  const template = `ruche_tpl_${hash.digest("hex").slice(0, 12)}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin`SELECT pg_advisory_lock(4242002)`;
    const exists = await admin`SELECT 1 FROM pg_database WHERE datname = ${template}`;
    if (exists.length === 0) {
      const tmp = `${template}_build_${process.pid}`;
      await admin.unsafe(`DROP DATABASE IF EXISTS "${tmp}"`);
      await admin.unsafe(`CREATE DATABASE "${tmp}"`);
      const db = connect(withDatabase(adminUrl, tmp), { max: 1 });
      try {
        await migrate(db);
      } finally {
        await db.end();
      }
      await admin.unsafe(`ALTER DATABASE "${tmp}" RENAME TO "${template}"`);
    }
    await admin`SELECT pg_advisory_unlock(4242002)`;
  } finally {
    await admin.end();
  }
  // Unpack the npm-shipped Chromium once here, before test files run in parallel, when no other one is installed.
  await prepareChromium();
  const tls = ensureTestTls(join(tmpdir(), "ruche-test-tls"));
  // Child processes started by tests (CLI-run instances) trust the test CA through the environment.
  process.env.NODE_EXTRA_CA_CERTS = tls.caCert;
  project.provide("tls", { caCert: tls.caCert, cert: tls.cert, key: tls.key });
  project.provide("dbAdminUrl", adminUrl);
  project.provide("dbTemplate", template);
  return async () => {
    if (embedded) await embedded.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
}
