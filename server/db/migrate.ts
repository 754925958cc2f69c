// Ordered plain-SQL migrations (server/db/migrations/NNNN_name.sql), each applied in its own transaction and
// recorded in schema_migrations, then the job system's schema and queues (server/jobs/schema.ts). A session
// advisory lock keeps two processes from migrating at once.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type postgres from "postgres";
import { enqueueOutbox, type OutboxItem } from "../domain/outbox.ts";
import { installJobSchema } from "../jobs/schema.ts";
import type { Sql } from "./pool.ts";

const dir = join(import.meta.dirname, "migrations");

export async function listMigrations(): Promise<{ name: string; sql: string }[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f)).sort();
  return Promise.all(files.map(async (name) => ({ name, sql: await readFile(join(dir, name), "utf8") })));
}

export async function migrate(sql: Sql): Promise<string[]> {
  const applied: string[] = [];
  const conn = await sql.reserve();
  try {
    await conn`SELECT pg_advisory_lock(4242001)`;
    await conn`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`;
    const done = new Set((await conn<{ name: string }[]>`SELECT name FROM schema_migrations`).map((r) => r.name));
    for (const m of await listMigrations()) {
      if (done.has(m.name)) continue;
      await conn`BEGIN`;
      try {
        await conn.unsafe(m.sql);
        await conn`INSERT INTO schema_migrations (name) VALUES (${m.name})`;
        await conn`COMMIT`;
      } catch (e) {
        await conn`ROLLBACK`;
        throw new Error(`Migration ${m.name} failed: ${(e as Error).message}`, { cause: e });
      }
      applied.push(m.name);
    }
    await installJobSchema(conn);
    await drainLegacyOutbox(conn);
  } finally {
    await conn`SELECT pg_advisory_unlock(4242001)`.catch(() => {});
    conn.release();
  }
  return applied;
}

/**
 * An instance upgraded from before the job system may still hold outbox rows: each becomes a job (same payload)
 * in one transaction with dropping the table, so none is lost or sent twice.
 */
async function drainLegacyOutbox(conn: postgres.ReservedSql): Promise<void> {
  const [{ present }] = await conn`SELECT to_regclass('public.outbox') IS NOT NULL AS present`;
  if (!present) return;
  await conn`BEGIN`;
  try {
    const rows = await conn`SELECT payload FROM outbox ORDER BY id`;
    for (const row of rows) await enqueueOutbox(conn, row.payload as OutboxItem);
    await conn`DROP TABLE outbox`;
    await conn`COMMIT`;
  } catch (e) {
    await conn`ROLLBACK`;
    throw new Error(`Moving the outbox into the job queues failed: ${(e as Error).message}`, { cause: e });
  }
}
