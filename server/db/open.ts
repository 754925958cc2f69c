import type { Config } from "../config.ts";
import { startEmbeddedPostgres } from "./embedded.ts";
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
