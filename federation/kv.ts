// Fedify's KvStore on PostgreSQL (table fedify_kv, migration 0002). Fedify keeps here remote documents, key caches,
// idempotence records and circuit-breaker state; values are JSON-serialisable.
import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from "@fedify/fedify";
import type { Sql } from "../server/db/pool.ts";

/** How many rows `list()` fetches per round trip: large listings never hold a connection or all rows at once. */
const LIST_PAGE = 500;

/**
 * Keys are stored as their JSON array text: `["a","b"]`. Every segment is a complete JSON string, so the prefix
 * `["a","b",` matches `["a","b","c"]` but never `["a","bc"]` or `["a","b\",…"]` (quotes inside segments are
 * escaped).
 */
function encodeKey(key: KvKey): string {
  return JSON.stringify(key);
}

/** Milliseconds of a TTL, or null for none. Durations with months or years throw (no reference date). */
function ttlMs(options?: KvStoreSetOptions): number | null {
  return options?.ttl == null ? null : Math.max(0, options.ttl.total("millisecond"));
}

export class PostgresKvStore implements KvStore {
  #sql: Sql;

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    const rows = await this.#sql<{ value: T }[]>`
      SELECT value FROM fedify_kv
      WHERE key = ${encodeKey(key)} AND (expires_at IS NULL OR expires_at > now())`;
    return rows.length === 0 ? undefined : rows[0].value;
  }

  async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    // expires_at is always overwritten: setting a key again without a TTL must clear the old one (the bug in
    // @fedify/postgres 1.8 kept it, so a re-set cache entry vanished later).
    await this.#sql`
      INSERT INTO fedify_kv (key, value, expires_at)
      VALUES (${encodeKey(key)}, ${json(value)}::text::jsonb, ${this.#expiry(options)})
      ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at`;
  }

  async delete(key: KvKey): Promise<void> {
    await this.#sql`DELETE FROM fedify_kv WHERE key = ${encodeKey(key)}`;
  }

  /**
   * Atomic compare-and-swap; an expired entry counts as absent, `expectedValue === undefined` means "absent" and
   * `newValue === undefined` deletes. Equality is jsonb equality (deep, object key order ignored), like Fedify's
   * MemoryKvStore. Each branch is one statement, so concurrent callers are serialised by the row lock (or by the
   * primary key for inserts) and exactly one of them sees the expected value.
   */
  async cas(key: KvKey, expectedValue: unknown, newValue: unknown, options?: KvStoreSetOptions): Promise<boolean> {
    const k = encodeKey(key);
    const live = this.#sql`(expires_at IS NULL OR expires_at > now())`;
    if (expectedValue === undefined) {
      if (newValue === undefined) {
        const rows = await this.#sql`SELECT 1 FROM fedify_kv WHERE key = ${k} AND ${live}`;
        return rows.length === 0;
      }
      // Inserts when absent, takes over an expired row, and does nothing (no row returned) when a live one exists.
      const rows = await this.#sql`
        INSERT INTO fedify_kv AS kv (key, value, expires_at)
        VALUES (${k}, ${json(newValue)}::text::jsonb, ${this.#expiry(options)})
        ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at
          WHERE kv.expires_at IS NOT NULL AND kv.expires_at <= now()
        RETURNING 1`;
      return rows.length === 1;
    }
    const rows =
      newValue === undefined
        ? await this.#sql`
            DELETE FROM fedify_kv WHERE key = ${k} AND value = ${json(expectedValue)}::text::jsonb AND ${live}
            RETURNING 1`
        : await this.#sql`
            UPDATE fedify_kv SET value = ${json(newValue)}::text::jsonb, expires_at = ${this.#expiry(options)}
            WHERE key = ${k} AND value = ${json(expectedValue)}::text::jsonb AND ${live}
            RETURNING 1`;
    return rows.length === 1;
  }

  /** Live entries whose key starts with the whole segments of `prefix` (all entries without one), by key. */
  async *list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
    // `["a","b",` .. `["a","b"-`: the range of texts starting with `["a","b",` under the bytewise "C" collation
    // (',' + 1 = '-'); the exact key `["a","b"]` is added separately, since a prefix matches itself.
    const exact = prefix == null ? null : encodeKey(prefix);
    const lower = exact == null ? "" : `${exact.slice(0, -1)},`;
    const upper = exact == null ? null : `${exact.slice(0, -1)}-`;
    let after: string | null = null;
    for (;;) {
      const rows: { key: string; value: unknown }[] = await this.#sql<{ key: string; value: unknown }[]>`
        SELECT key, value FROM fedify_kv
        WHERE (expires_at IS NULL OR expires_at > now())
          AND ${
            upper == null
              ? this.#sql`true`
              : this.#sql`(key = ${exact} OR (key >= ${lower} AND key < ${upper}))`
          }
          AND ${after == null ? this.#sql`true` : this.#sql`key > ${after}`}
        ORDER BY key
        LIMIT ${LIST_PAGE}`;
      for (const row of rows) yield { key: JSON.parse(row.key) as KvKey, value: row.value };
      if (rows.length < LIST_PAGE) return;
      after = rows[rows.length - 1].key;
    }
  }

  /** Deletes expired rows (reads already ignore them); returns how many. Run it periodically, e.g. hourly. */
  async cleanup(): Promise<number> {
    const result = await this.#sql`DELETE FROM fedify_kv WHERE expires_at <= now()`;
    return result.count;
  }

  /** The expiry computed by the server's clock, the one reads compare against. */
  #expiry(options?: KvStoreSetOptions) {
    const ms = ttlMs(options);
    return ms == null ? null : this.#sql`now() + ${ms}::float8 * interval '1 millisecond'`;
  }
}

/**
 * Values travel as JSON text cast `::text::jsonb`. With a bare `::jsonb` the server types the parameter jsonb and
 * postgres.js JSON-encodes our text a second time, turning 1 into "1".
 */
function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}
