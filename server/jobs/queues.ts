// The named queues of the one job system (pg-boss on our PostgreSQL, schema `pgboss`). Each queue says how its
// jobs are ordered, retried and dead-lettered, how many run at once per process, and which worker group takes it
// (RUCHE_QUEUES=federation,directory lets a worker process take a subset). New features add a queue here and a
// handler in the layer that owns the work; the domain only enqueues (server/jobs/enqueue.ts).

export const JOB_SCHEMA = "pgboss";
export const DEAD_LETTER = "dead-letter";

/**
 * The lease: a running job's worker refreshes its heartbeat every few seconds; a job whose heartbeat is older
 * than this (its process was killed) is failed and retried within about this plus the supervision interval.
 */
export const HEARTBEAT_SECONDS = 10;

export interface QueueDefinition {
  /** pg-boss policy: `key_strict_fifo` runs one job per key at a time, in order; `short` keeps one queued per key. */
  policy: "standard" | "short" | "key_strict_fifo";
  /** Attempts after the first before the job goes to the dead-letter queue. */
  retryLimit: number;
  /** First retry delay in seconds, doubled per attempt (with jitter), capped at retryDelayMax. */
  retryDelay: number;
  retryDelayMax: number;
  /** A job active longer than this (a hung handler) is failed and retried. */
  expireInSeconds: number;
  /** Jobs of this queue one process runs at once. */
  concurrency: number;
  /** Worker group, for RUCHE_QUEUES. */
  group: "federation" | "directory" | "accounts" | "push" | "media";
  /** Lower runs later when both are ready. */
  priority?: number;
}

export const QUEUES = {
  /** Activities we send (follows, posts, likes, boosts): built from the database, handed to Fedify's queue. */
  deliver: { policy: "key_strict_fifo", retryLimit: 10, retryDelay: 2, retryDelayMax: 3600, expireInSeconds: 120, concurrency: 4, group: "federation" },
  /** A changed profile's Update(Person), built from the state at delivery: one queued per account. */
  "actor-update": { policy: "short", retryLimit: 10, retryDelay: 2, retryDelayMax: 3600, expireInSeconds: 120, concurrency: 2, group: "federation" },
  /** Signed refetch of a sibling's person after their Update (internal fields): one queued per actor. */
  "profile-refresh": { policy: "short", retryLimit: 4, retryDelay: 10, retryDelayMax: 600, expireInSeconds: 60, concurrency: 2, group: "directory" },
  /** One page of a sibling's directory feed; the last page schedules the next pull. One queued per sibling. */
  "directory-pull": { policy: "short", retryLimit: 6, retryDelay: 30, retryDelayMax: 3600, expireInSeconds: 120, concurrency: 1, group: "directory" },
  /** A sibling's NodeInfo, for the name it publishes. One queued per sibling. */
  "instance-info": { policy: "short", retryLimit: 6, retryDelay: 30, retryDelayMax: 3600, expireInSeconds: 60, concurrency: 1, group: "directory" },
  /** A person's archive (GDPR export), built as a zip: one at a time per process, long-running, few retries. */
  "account-export": { policy: "standard", retryLimit: 2, retryDelay: 30, retryDelayMax: 600, expireInSeconds: 1800, concurrency: 1, group: "accounts" },
  /** Removes an archive 48 hours after it was ready. */
  "account-export-expire": { policy: "standard", retryLimit: 5, retryDelay: 60, retryDelayMax: 3600, expireInSeconds: 60, concurrency: 1, group: "accounts" },
  /** Account deletion (issue #16 point 3): the erasure at the end of the grace period, then the shell's removal. */
  "account-delete": { policy: "standard", retryLimit: 10, retryDelay: 60, retryDelayMax: 3600, expireInSeconds: 600, concurrency: 1, group: "accounts" },
  "account-purge": { policy: "standard", retryLimit: 10, retryDelay: 60, retryDelayMax: 3600, expireInSeconds: 300, concurrency: 1, group: "accounts" },
  /**
   * One Web Push (a notification × a subscription), enqueued by notify() in the notification's transaction
   * (server/domain/push/): encrypted and sent by server/push/deliver.ts. A push service's 408, 429 and 5xx are
   * retried with back-off (5 s, 10 s, 20 s… as Mastodon retries 5 times); a push older than its TTL is useless.
   */
  push: { policy: "standard", retryLimit: 5, retryDelay: 5, retryDelayMax: 900, expireInSeconds: 60, concurrency: 4, group: "push" },
  /** A poll reaching its deadline (queued, delayed, by the transaction that creates it): poll-ended notifications. */
  "poll-close": { policy: "short", retryLimit: 10, retryDelay: 5, retryDelayMax: 600, expireInSeconds: 60, concurrency: 1, group: "federation" },
  /**
   * A local poll's fresh tallies as one Update(Question), built from the state at delivery. Queued with a short delay
   * by every vote; one queued per poll, so a burst of votes sends one Update, not one per vote.
   */
  "poll-tally": { policy: "short", retryLimit: 10, retryDelay: 2, retryDelayMax: 600, expireInSeconds: 120, concurrency: 2, group: "federation" },
  /**
   * Held notifications released at the start of working periods (issue #15, quiet/held.ts): queued, delayed to that
   * instant, by a notification held until then; one queued per instant, releasing everyone due in batches.
   */
  "quiet-release": { policy: "short", retryLimit: 10, retryDelay: 5, retryDelayMax: 600, expireInSeconds: 60, concurrency: 2, group: "push" },
  /** A status whose author chose when it is sent (Mastodon's scheduled_at, quiet/scheduled.ts): published then. */
  "scheduled-status": { policy: "standard", retryLimit: 10, retryDelay: 5, retryDelayMax: 600, expireInSeconds: 120, concurrency: 2, group: "accounts" },
  /**
   * A WebTV video's HLS ladder (server/domain/videos/transcode.ts), one queued per video. Its own queue and worker
   * group ("media"), so hours of encoding never hold a federation job; one at a time per process unless
   * RUCHE_TRANSCODE_CONCURRENCY says otherwise (runner override). A killed worker's job is retried after its lease
   * and resumes from the last finished rung; the lease is long because a rung of a long video takes long.
   */
  "video-transcode": { policy: "short", retryLimit: 2, retryDelay: 10, retryDelayMax: 300, expireInSeconds: 6 * 3600, concurrency: 1, group: "media" },
  /**
   * A local event's participant counts as one Update(Event), built from the state at delivery (issue #12). Queued
   * with a short delay by every change of its answers; one queued per event, as poll-tally.
   */
  "event-counts": { policy: "short", retryLimit: 10, retryDelay: 2, retryDelayMax: 600, expireInSeconds: 120, concurrency: 2, group: "federation" },
  /**
   * Engagement analytics (issue #16 point 2, server/domain/analytics/): the weekly cells of the current and previous
   * weeks, the raw days past retention erased, then each sibling's published aggregates fetched (signed). One queued;
   * each run queues the next an hour later, and the worker queues one when it starts.
   */
  /**
   * Event reminders (issue #12, server/domain/events/notices.ts): every 5 minutes, the occurrences starting within
   * the hour that our people attend get their reminder, once. One queued; each run queues the next, and the worker
   * queues one when it starts.
   */
  "event-reminders": { policy: "short", retryLimit: 3, retryDelay: 30, retryDelayMax: 300, expireInSeconds: 300, concurrency: 1, group: "federation" },
  analytics: { policy: "short", retryLimit: 3, retryDelay: 60, retryDelayMax: 1800, expireInSeconds: 900, concurrency: 1, group: "directory" },
} as const satisfies Record<string, QueueDefinition>;

export type QueueName = keyof typeof QUEUES;
export const QUEUE_NAMES = Object.keys(QUEUES) as QueueName[];
export const WORKER_GROUPS = ["federation", "directory", "accounts", "push", "media"] as const;

/** Which queues a `take` list selects: group names expand to their queues; unknown names are refused. */
export function selectQueues(take: string[] = []): QueueName[] {
  if (take.length === 0) return [...QUEUE_NAMES];
  const out = new Set<QueueName>();
  for (const t of take) {
    if ((WORKER_GROUPS as readonly string[]).includes(t)) {
      for (const q of QUEUE_NAMES) if (QUEUES[q].group === t) out.add(q);
    } else if ((QUEUE_NAMES as string[]).includes(t)) out.add(t as QueueName);
    else throw new Error(`RUCHE_QUEUES: unknown queue or group "${t}" (groups: ${WORKER_GROUPS.join(", ")}; queues: ${QUEUE_NAMES.join(", ")})`);
  }
  return [...out];
}
