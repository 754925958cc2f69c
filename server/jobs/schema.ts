// Installs or upgrades pg-boss's schema and creates our queues, as part of `migrate()`: the domain can enqueue
// as soon as migrations ran, with or without a worker. Runs on one reserved postgres.js connection (pg-boss's
// migrations use BEGIN/COMMIT inside one statement text).
import type postgres from "postgres";
import type { Sql } from "../db/pool.ts";
import { withBoss } from "./admin.ts";
import { DEAD_LETTER, HEARTBEAT_SECONDS, QUEUES, QUEUE_NAMES } from "./queues.ts";

export async function installJobSchema(sql: Sql | postgres.ReservedSql): Promise<void> {
  await withBoss(sql, async (boss) => {
    const existing = new Set((await boss.getQueues()).map((q) => q.name));
    if (!existing.has(DEAD_LETTER)) {
      await boss.createQueue(DEAD_LETTER, { policy: "standard", retentionSeconds: 90 * 86_400, deleteAfterSeconds: 30 * 86_400 });
    }
    for (const name of QUEUE_NAMES) {
      const q = QUEUES[name];
      const options = {
        retryLimit: q.retryLimit, retryDelay: q.retryDelay, retryBackoff: true,
        expireInSeconds: q.expireInSeconds, heartbeatSeconds: HEARTBEAT_SECONDS, deadLetter: DEAD_LETTER, notify: true,
        // Finished jobs are kept a day for `jobs` inspection; queued ones never expire unrun.
        deleteAfterSeconds: 86_400, retentionSeconds: 365 * 86_400,
      };
      if (existing.has(name)) await boss.updateQueue(name, options);
      else await boss.createQueue(name, { ...options, policy: q.policy, retryDelayMax: q.retryDelayMax });
    }
  }, { migrate: true });
}
