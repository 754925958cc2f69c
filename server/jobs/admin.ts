// What an operator (and a test) can see and do with the job queues: counts per queue and state, the dead letters
// with their last error, and retrying them (`npm run ruche -- jobs …`, server/cli.ts). pg-boss's own API where it
// has one, on a reserved postgres.js connection; plain reads of its job table for counts.
import { PgBoss } from "pg-boss";
import type postgres from "postgres";
import type { Db, Sql } from "../db/pool.ts";
import { DEAD_LETTER, JOB_SCHEMA } from "./queues.ts";

/**
 * Runs `fn` with a pg-boss instance that does no background work, on one connection: `sql`'s own when it is a
 * reserved connection (migrate() holds one), otherwise one reserved from the pool.
 */
export async function withBoss<T>(sql: Sql | postgres.ReservedSql, fn: (boss: PgBoss) => Promise<T>, opts: { migrate?: boolean } = {}): Promise<T> {
  const reserved = "release" in sql;
  const conn = reserved ? sql : await sql.reserve();
  try {
    const db = {
      executeSql: async (text: string, values?: unknown[]) => {
        const result = values && values.length > 0 ? await conn.unsafe(text, values as never[]) : await conn.unsafe(text);
        // A multi-statement text answers one result per statement: pg-boss wants every statement's rows.
        const rows = result.length > 0 && result.every((r) => Array.isArray(r)) ? (result as unknown as unknown[][]).flat() : [...result];
        return { rows };
      },
    };
    const boss = new PgBoss({ db, schema: JOB_SCHEMA, supervise: false, schedule: false, migrate: opts.migrate ?? false, registerInstance: false });
    const errors: unknown[] = [];
    boss.on("error", (e) => errors.push(e));
    await boss.start();
    try {
      return await fn(boss);
    } finally {
      await boss.stop({ graceful: false, close: false });
      if (errors.length) throw errors[0];
    }
  } finally {
    if (!reserved) conn.release();
  }
}

export interface QueueCounts { queue: string; queued: number; active: number; retry: number; failed: number; completed: number }

export async function queueCounts(db: Db): Promise<QueueCounts[]> {
  const rows = await db.unsafe(`
    SELECT q.name AS queue,
      count(j.id) FILTER (WHERE j.state = 'created')::int AS queued,
      count(j.id) FILTER (WHERE j.state = 'active')::int AS active,
      count(j.id) FILTER (WHERE j.state = 'retry')::int AS retry,
      count(j.id) FILTER (WHERE j.state = 'failed')::int AS failed,
      count(j.id) FILTER (WHERE j.state = 'completed')::int AS completed
    FROM ${JOB_SCHEMA}.queue q LEFT JOIN ${JOB_SCHEMA}.job_common j ON j.name = q.name
    GROUP BY q.name ORDER BY q.name`);
  return rows as unknown as QueueCounts[];
}

/** Jobs that are due now or running (the test helpers' "nothing left to do" signal). Delayed jobs do not count. */
export async function dueJobCount(db: Db): Promise<number> {
  const [{ n }] = await db.unsafe(`SELECT count(*)::int AS n FROM ${JOB_SCHEMA}.job_common
    WHERE name <> '${DEAD_LETTER}' AND (state = 'active' OR (state IN ('created', 'retry') AND start_after <= now()))`);
  return n as number;
}

/** Jobs of a queue, any state, optionally those whose data contains `data` (jsonb containment). */
export async function jobsOf(db: Db, queue: string, data?: object): Promise<{ id: string; state: string; data: any; retryCount: number }[]> {
  const rows = await db.unsafe(`SELECT id::text, state::text, data, retry_count AS "retryCount" FROM ${JOB_SCHEMA}.job_common
    WHERE name = $1 AND ($2::text IS NULL OR data @> $2::text::jsonb) ORDER BY created_on, id`, [queue, data ? JSON.stringify(data) : null]);
  return rows as never;
}

export interface DeadLetter { id: string; source: string; kind: string; failedAt: Date; error: string; data: unknown }

export async function deadLetters(db: Db, limit = 100): Promise<DeadLetter[]> {
  const rows = await db.unsafe(`SELECT id::text, coalesce(source_name, '') AS source, coalesce(data->>'kind', '') AS kind,
      created_on AS "failedAt", coalesce(source_output->>'message', source_output::text, '') AS error, data
    FROM ${JOB_SCHEMA}.job_common WHERE name = '${DEAD_LETTER}' AND state = 'created' ORDER BY created_on LIMIT $1`, [limit]);
  return rows as never;
}

/**
 * Sends dead letters back to the queue they came from; `ids` empty means all. The failed originals are deleted
 * first: in an ordered queue a failed job holds its key (later activities about the same object wait behind it).
 */
export async function retryDeadLetters(sql: Sql, ids: string[] = []): Promise<number> {
  await releaseFailedOriginals(sql, ids);
  return await withBoss(sql, (boss) => boss.redrive(DEAD_LETTER, ids.length ? { ids } : {}));
}

/** Gives up on dead letters (`ids` empty: all): they and their failed originals are deleted, their keys freed. */
export async function discardDeadLetters(sql: Sql, ids: string[] = []): Promise<number> {
  await releaseFailedOriginals(sql, ids);
  const rows = await sql.unsafe(`DELETE FROM ${JOB_SCHEMA}.job_common WHERE name = '${DEAD_LETTER}' AND state = 'created'
    AND ($1::uuid[] IS NULL OR id = ANY($1::uuid[])) RETURNING id`, [ids.length ? ids : null]);
  return rows.length;
}

async function releaseFailedOriginals(sql: Sql, ids: string[]): Promise<void> {
  await sql.unsafe(`DELETE FROM ${JOB_SCHEMA}.job_common j USING ${JOB_SCHEMA}.job_common d
    WHERE d.name = '${DEAD_LETTER}' AND d.state = 'created' AND ($1::uuid[] IS NULL OR d.id = ANY($1::uuid[]))
      AND j.id = d.source_id AND j.state = 'failed'`, [ids.length ? ids : null]);
}
