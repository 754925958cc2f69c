// Fedify's MessageQueue on PostgreSQL (table fedify_mq, migration 0002): at-least-once delivery shared by any number
// of listeners and processes, with delays, ordering keys, LISTEN/NOTIFY wake-ups and a polling safety net.
import type {
  MessageQueue,
  MessageQueueDepth,
  MessageQueueEnqueueOptions,
  MessageQueueListenOptions,
} from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import type { Sql } from "../server/db/pool.ts";

const logger = getLogger(["ruche", "federation", "mq"]);

/** Serialises claims across listeners (see #claim). Distinct from the migration lock 4242001. */
const CLAIM_LOCK = 4242101;

export interface PostgresMessageQueueOptions {
  sql: Sql;
  /** NOTIFY channel that wakes listeners on enqueue. */
  channel?: string;
  /** Safety-net poll, for lost notifications, expired locks and retries. */
  pollIntervalMs?: number;
  /** How long a claim lasts without a heartbeat: a crashed listener's messages come back after this. */
  visibilityTimeoutMs?: number;
  /** Handler calls at once per listen() call; the pool must be larger (fedify#603). */
  parallelism?: number;
  /**
   * Deliveries to one inbox host at once per listen() call: a server that answers in 10 s (or not at all) holds
   * at most this many slots, and deliveries to every other server go on.
   */
  laneLimit?: number;
  /** First backoff after a handler throws; doubles per attempt, capped at 5 minutes. */
  retryBackoffMs?: number;
  /** Claims before a message that keeps failing (or crashing its worker) is dropped, so it cannot block its key. */
  maxAttempts?: number;
}

interface Claimed {
  id: string;
  message: unknown;
  attempts: number;
  lane: string | null;
}

/** Fedify passes @js-temporal/polyfill durations; anything with total() works. Negative delays mean none. */
function delayMs(options?: MessageQueueEnqueueOptions): number {
  return options?.delay == null ? 0 : Math.max(0, options.delay.total("millisecond"));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

export class PostgresMessageQueue implements MessageQueue {
  /** Fedify retries failed deliveries itself by re-enqueueing; our own retry only covers handlers that throw. */
  readonly nativeRetrial = false;
  #sql: Sql;
  #channel: string;
  #pollIntervalMs: number;
  #visibilityMs: number;
  #parallelism: number;
  #laneLimit: number;
  #retryBackoffMs: number;
  #maxAttempts: number;

  constructor(options: PostgresMessageQueueOptions) {
    this.#sql = options.sql;
    this.#channel = options.channel ?? "fedify_mq";
    this.#pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.#visibilityMs = options.visibilityTimeoutMs ?? 15_000; // heartbeats every 5 s keep a live claim
    this.#parallelism = Math.max(1, options.parallelism ?? 12);
    this.#laneLimit = Math.max(1, options.laneLimit ?? 3);
    this.#retryBackoffMs = options.retryBackoffMs ?? 1000;
    this.#maxAttempts = options.maxAttempts ?? 10;
  }

  enqueue(message: unknown, options?: MessageQueueEnqueueOptions): Promise<void> {
    return this.enqueueMany([message], options);
  }

  async enqueueMany(messages: readonly unknown[], options?: MessageQueueEnqueueOptions): Promise<void> {
    if (messages.length === 0) return;
    const delay = delayMs(options);
    // One statement for the batch, sent as one JSON array text (`::text` stops postgres.js from JSON-encoding it
    // again); WITH ORDINALITY keeps the ids, i.e. the order within an ordering key, in the caller's order.
    const batch = JSON.stringify(messages.map((m) => m ?? null));
    // A message of an ordering key whose Fedify id is already here, started (attempts > 0), is Fedify re-enqueueing
    // the message it is handling — a retry or a circuit-breaker hold: it takes the original's place and holds the key.
    const key = options?.orderingKey ?? null;
    // The NOTIFY that wakes listeners rides in the same statement (one round trip and one commit per enqueue, not
    // two); PostgreSQL delivers it when the insert commits. Its payload is the delay, so listeners can set a timer
    // instead of waiting for the next poll.
    await this.#sql`
      WITH inserted AS (
        INSERT INTO fedify_mq (message, ordering_key, deliver_at, lane, seq, holds_key)
        SELECT t.m, ${key}, now() + ${delay}::float8 * interval '1 millisecond',
          CASE WHEN t.m->>'type' = 'outbox' THEN substring(t.m->>'inbox' from '^[a-z][a-z0-9+.-]*://([^/?#]+)') END,
          r.seq, r.seq IS NOT NULL
        FROM jsonb_array_elements(${batch}::text::jsonb) WITH ORDINALITY AS t(m, n)
        LEFT JOIN LATERAL (
          SELECT coalesce(o.seq, o.id) AS seq FROM fedify_mq o
          WHERE ${key}::text IS NOT NULL AND o.ordering_key = ${key} AND o.attempts > 0 AND o.message->>'id' = t.m->>'id'
          ORDER BY o.id LIMIT 1) r ON true
        ORDER BY t.n)
      SELECT pg_notify(${this.#channel}, ${String(delay)})`;
  }

  /** Waiting messages, excluding those a live listener holds (a failed one waiting for its retry is "delayed"). */
  async getDepth(): Promise<MessageQueueDepth> {
    const [row] = await this.#sql<{ queued: number; ready: number; delayed: number }[]>`
      SELECT count(*)::int AS queued,
             count(*) FILTER (WHERE deliver_at <= now())::int AS ready,
             count(*) FILTER (WHERE deliver_at > now())::int AS delayed
      FROM fedify_mq WHERE locked_until IS NULL OR locked_until <= now()`;
    return row;
  }

  /** Resolves once `signal` aborts and the handlers in flight have finished; never rejects. */
  async listen(handler: (message: any) => Promise<void> | void, options?: MessageQueueListenOptions): Promise<void> {
    const signal = options?.signal;
    if (signal?.aborted) return;
    const inFlight = new Set<Promise<void>>();
    const lanes = new Map<string, number>(); // in-flight deliveries per inbox host
    const timers = new Set<ReturnType<typeof setTimeout>>();
    let polling = false;
    let again = false;
    let current: Promise<void> = Promise.resolve();

    // One fill loop at a time per listener; wake-ups arriving meanwhile make it run once more.
    const poll = (): Promise<void> => {
      if (polling) {
        again = true;
        return current;
      }
      // A flag, not the promise: the body may finish synchronously, before `current` is even assigned.
      polling = true;
      current = (async () => {
        try {
          do {
            again = false;
            while (!signal?.aborted && inFlight.size < this.#parallelism) {
              const want = this.#parallelism - inFlight.size;
              const rows = await this.#claim(want, lanes);
              for (const row of rows) {
                if (row.lane) lanes.set(row.lane, (lanes.get(row.lane) ?? 0) + 1);
                const run: Promise<void> = this.#run(row, handler).finally(() => {
                  inFlight.delete(run);
                  if (row.lane) {
                    const n = (lanes.get(row.lane) ?? 1) - 1;
                    if (n > 0) lanes.set(row.lane, n);
                    else lanes.delete(row.lane);
                  }
                  // A finished message may unblock the next one of its ordering key.
                  if (!signal?.aborted) void poll();
                });
                inFlight.add(run);
              }
              // Fewer than asked: the queue is drained — unless a lane just filled up, which may have hidden others.
              const filled = rows.some((r) => r.lane && (lanes.get(r.lane) ?? 0) >= this.#laneLimit);
              if (rows.length < want && !filled) break;
            }
          } while (again && !signal?.aborted);
        } catch (error) {
          logger.error("Polling the queue failed: {error}", { error });
        } finally {
          // Cleared in the same tick as the last `again` check, so no wake-up falls between the two.
          polling = false;
        }
      })();
      return current;
    };

    const wake = (payload: string) => {
      if (signal?.aborted) return;
      const ms = Number(payload);
      if (!(ms > 0)) return void poll();
      // The server set deliver_at by its clock; a little slack avoids waking just before it.
      const timer = setTimeout(() => {
        timers.delete(timer);
        void poll();
      }, ms + 20);
      timers.add(timer);
    };
    // The third argument runs on every (re)connection: notifications sent while disconnected are lost, so poll.
    const subscription = await this.#sql
      .listen(this.#channel, wake, () => void poll())
      .catch((error) => {
        logger.error("LISTEN failed; falling back to polling only: {error}", { error });
        return null;
      });

    try {
      await poll();
      while (!signal?.aborted) {
        await sleep(this.#pollIntervalMs, signal);
        if (!signal?.aborted) await poll();
      }
    } finally {
      for (const timer of timers) clearTimeout(timer);
      await subscription?.unlisten().catch(() => {});
      await current;
      await Promise.allSettled([...inFlight]);
    }
  }

  /**
   * Claims up to `limit` messages. A message is eligible when it is due, not held by a live listener, and — with an
   * ordering key — no other message of its key has been started and not finished (attempts > 0 stays until the row
   * is deleted, also during a retry backoff) and no earlier message of its key is due or holds it. A message
   * enqueued with a delay does not block its key until it is due, as in Fedify's InProcessMessageQueue; but Fedify's
   * re-enqueued copy of a message it failed to deliver (its retry, or a hold while a server's circuit is open) keeps
   * the original's place (seq) and holds the key: a later activity about the same object, to the same server, waits
   * behind it (Fedify's retries are capped at a minute apart, federation/builder.ts).
   *
   * The eligibility check reads other rows, so two concurrent claims could each start a message of the same key;
   * the transaction-level advisory lock serialises claims (a few milliseconds each) and the second claim's
   * statement sees the first one's commit. SKIP LOCKED still keeps us off rows being deleted or released.
   * statement_timestamp(), not now(): now() is the transaction's start, before the wait for the lock.
   *
   * Lanes: a delivery is not claimed while this listener already runs `laneLimit` deliveries to its inbox host
   * (`busy`), nor more than what is left of that limit in one claim.
   */
  async #claim(limit: number, busy: Map<string, number>): Promise<Claimed[]> {
    const full = [...busy].filter(([, n]) => n >= this.#laneLimit).map(([lane]) => lane);
    const used = JSON.stringify(Object.fromEntries(busy));
    return this.#sql.begin(async (tx) => {
      await tx`SELECT pg_advisory_xact_lock(${CLAIM_LOCK})`;
      return tx<Claimed[]>`
        WITH candidates AS (
          SELECT m.id, m.lane, m.deliver_at FROM fedify_mq m
          WHERE m.deliver_at <= statement_timestamp()
            AND (m.lane IS NULL OR m.lane <> ALL(${full}::text[]))
            AND (m.locked_until IS NULL OR m.locked_until <= statement_timestamp())
            AND (m.ordering_key IS NULL OR NOT EXISTS (
              SELECT 1 FROM fedify_mq o
              WHERE o.ordering_key = m.ordering_key AND o.id <> m.id
                AND (o.attempts > 0
                  OR (coalesce(o.seq, o.id) < coalesce(m.seq, m.id) AND (o.deliver_at <= statement_timestamp() OR o.holds_key)))))
          ORDER BY m.deliver_at, m.id
          LIMIT ${limit * 4}
          FOR UPDATE OF m SKIP LOCKED),
        ranked AS (
          SELECT id, lane, deliver_at, row_number() OVER (PARTITION BY lane ORDER BY deliver_at, id) AS n FROM candidates),
        picked AS (
          SELECT id FROM ranked
          WHERE lane IS NULL OR n + coalesce((${used}::text::jsonb ->> lane)::int, 0) <= ${this.#laneLimit}
          ORDER BY deliver_at, id
          LIMIT ${limit})
        UPDATE fedify_mq q
        SET locked_until = statement_timestamp() + ${this.#visibilityMs}::float8 * interval '1 millisecond',
            attempts = q.attempts + 1
        FROM picked WHERE q.id = picked.id
        RETURNING q.id::text AS id, q.message, q.attempts, q.lane`;
    });
  }

  /**
   * Runs the handler; deletes the message only after it resolves (at-least-once). `attempts` is the claim's token:
   * if our lock expired and another listener re-claimed the row, our delete, release and heartbeat touch nothing.
   */
  async #run(row: Claimed, handler: (message: any) => Promise<void> | void): Promise<void> {
    // A slow handler in a live process keeps its claim; only a dead process lets the lock lapse.
    const heartbeat = setInterval(() => {
      this.#sql`
        UPDATE fedify_mq SET locked_until = now() + ${this.#visibilityMs}::float8 * interval '1 millisecond'
        WHERE id = ${row.id} AND attempts = ${row.attempts}`.catch(() => {});
    }, Math.max(50, this.#visibilityMs / 3));
    heartbeat.unref(); // the listen loop keeps the process alive; a hung handler alone should not
    try {
      try {
        await handler(row.message);
      } catch (error) {
        await this.#fail(row, error);
        return;
      }
      await this.#sql`DELETE FROM fedify_mq WHERE id = ${row.id} AND attempts = ${row.attempts}`;
    } catch (error) {
      // The database is unreachable: the lock lapses and the message is processed again.
      logger.error("Could not settle message {id}: {error}", { id: row.id, error });
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** A throwing handler: retry after an exponential backoff (never a hot loop), or drop after maxAttempts. */
  async #fail(row: Claimed, error: unknown): Promise<void> {
    if (row.attempts >= this.#maxAttempts) {
      logger.error("Dropping message {id} after {attempts} failed attempts: {error}", {
        id: row.id,
        attempts: row.attempts,
        message: row.message,
        error,
      });
      await this.#sql`DELETE FROM fedify_mq WHERE id = ${row.id} AND attempts = ${row.attempts}`;
      return;
    }
    const backoff = Math.min(this.#retryBackoffMs * 2 ** (row.attempts - 1), 300_000);
    logger.warn("Message {id} failed (attempt {attempts}); retrying in {backoff} ms: {error}", {
      id: row.id,
      attempts: row.attempts,
      backoff,
      error,
    });
    await this.#sql`
      UPDATE fedify_mq
      SET locked_until = NULL, deliver_at = now() + ${backoff}::float8 * interval '1 millisecond'
      WHERE id = ${row.id} AND attempts = ${row.attempts}`;
  }
}
