// Runs the job queues this process takes (RUCHE_QUEUES, default all) on pg-boss, with its own small `pg` pool:
// leases (expireInSeconds), retries with exponential back-off, dead letters, LISTEN/NOTIFY wake-ups and polling
// as a safety net. Handlers come from the layer that owns the work (federation/jobs.ts); a handler that throws
// is retried, and after its last attempt copied to the dead-letter queue (`npm run ruche -- jobs failed`).
import { PgBoss } from "pg-boss";
import { getLogger } from "@logtape/logtape";
import { JOB_SCHEMA, QUEUES, type QueueName, selectQueues } from "./queues.ts";

const logger = getLogger(["ruche", "jobs"]);

export type JobHandler = (data: any, job: { id: string; retryCount: number }) => Promise<void>;
export type JobHandlers = Record<QueueName, JobHandler>;

export interface JobRunnerOptions {
  databaseUrl: string;
  handlers: JobHandlers;
  /** Worker groups or queue names to take; empty means all. */
  take?: string[];
  /** Polling interval when no notification arrives (seconds, ≥ 0.5). */
  pollingIntervalSeconds?: number;
  /** Per-queue concurrency set by the configuration (RUCHE_TRANSCODE_CONCURRENCY), over the queue's default. */
  concurrency?: Partial<Record<QueueName, number>>;
  /** How often expired leases are noticed (seconds). */
  superviseIntervalSeconds?: number;
}

export interface JobRunner {
  queues: QueueName[];
  stop(): Promise<void>;
}

export async function startJobRunner(options: JobRunnerOptions): Promise<JobRunner> {
  const queues = selectQueues(options.take);
  const concurrencyOf = (q: QueueName) => options.concurrency?.[q] ?? QUEUES[q].concurrency;
  const concurrency = queues.reduce((n, q) => n + concurrencyOf(q), 0);
  const boss = new PgBoss({
    connectionString: options.databaseUrl,
    schema: JOB_SCHEMA,
    // Fetches, completions, heartbeats and the supervisor are short statements: a few connections serve every
    // worker (handlers use the instance's own pool). Each connection costs memory here and in PostgreSQL.
    max: Math.min(concurrency + 1, 4),
    application_name: "ruche-jobs",
    migrate: false,
    schedule: false,
    supervise: true,
    superviseIntervalSeconds: options.superviseIntervalSeconds ?? 10,
    useListenNotify: true,
    registerInstance: false,
  });
  boss.on("error", (error) => logger.error("Job system: {error}", { error: String(error) }));
  boss.on("warning", (warning) => logger.warn("Job system: {warning}", { warning: JSON.stringify(warning) }));
  await boss.start();
  const polling = options.pollingIntervalSeconds ?? 2;
  for (const name of queues) {
    const handler = options.handlers[name];
    await boss.work(name, {
      localConcurrency: concurrencyOf(name), batchSize: 1,
      // Notifications wake workers for new jobs, not for a key freed by a finished job (the next activity about
      // the same object) nor for a retry coming due: those wait one polling interval, so it stays short. Under a
      // backlog the worker fetches again at once.
      pollingIntervalSeconds: polling, notifyPollingIntervalSeconds: polling, burstWhenReadyExceeds: 1, includeMetadata: true,
    }, async (jobs) => {
      for (const job of jobs) {
        try {
          await handler(job.data, { id: job.id, retryCount: job.retryCount });
        } catch (error) {
          logger.warn("Job {queue} {id} failed (attempt {attempt}): {error}", {
            queue: name, id: job.id, attempt: job.retryCount + 1, error: String(error),
          });
          throw error;
        }
      }
    });
  }
  logger.info("Job queues taken: {queues}", { queues: queues.join(", ") });
  return {
    queues,
    async stop() {
      await boss.stop({ graceful: true, timeout: 10_000, close: true });
    },
  };
}
