import type { Config } from "../config.ts";
import postgres from "postgres";
import { ensureDatabase, startEmbeddedPostgres } from "./embedded.ts";
import { migrate } from "./migrate.ts";
import { connect, type Sql } from "./pool.ts";

export interface OpenDatabase {
  sql: Sql;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

/** DATABASE_URL when set, otherwise the embedded server under the data directory. */
export async function openDatabase(config: Config, opts: { migrate: boolean }): Promise<OpenDatabase> {
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres(config.dataDir);
  const url = config.databaseUrl ?? embedded!.url;
  if (config.databaseUrl) await createDatabaseIfMissing(config.databaseUrl);
  const sql = connect(url);
  try {
    if (opts.migrate) await migrate(sql);
  } catch (e) {
    await sql.end();
    await embedded?.stop();
    throw e;
  }
  return {
    sql, url, embedded: embedded != null,
    async close() {
      await sql.end({ timeout: 5 });
      await embedded?.stop();
    },
  };
}

/** A fresh server (e.g. the postgres container) has no database for us yet: create it, like the embedded case. */
async function createDatabaseIfMissing(url: string): Promise<void> {
  const probe = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 15 });
  try {
    await probe`SELECT 1`;
  } catch (e) {
    if ((e as { code?: string }).code !== "3D000") throw e;
    const u = new URL(url);
    const name = decodeURIComponent(u.pathname.slice(1));
    u.pathname = "/postgres";
    await ensureDatabase(u.toString(), name);
  } finally {
    await probe.end({ timeout: 1 }).catch(() => {});
  }
}
