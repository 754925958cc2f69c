// Ordered plain-SQL migrations (server/db/migrations/NNNN_name.sql), each applied in its own transaction and
// recorded in schema_migrations. A session advisory lock keeps two processes from migrating at once.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
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
  } finally {
    await conn`SELECT pg_advisory_unlock(4242001)`.catch(() => {});
    conn.release();
  }
  return applied;
}
