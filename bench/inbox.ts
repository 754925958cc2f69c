// Inbox throughput: a sibling POSTs signed Create(Note) activities (≈3 KB, unique ids, RSA-2048, draft-cavage with
// Digest, as Mastodon sends) to the shared inbox of an in-process instance, 32 in flight, 3,000 after a warm-up.
// Measured: accepted/s and latency of the HTTP exchange, then the time until Fedify's queue (fedify_mq) is empty.
import { availableParallelism } from "node:os";
import type { Benchmark } from "./lib/bench.ts";
import { Scope, sleep } from "./lib/cleanup.ts";
import { startBenchInstance } from "./lib/instance.ts";
import { runLoad, statusText, summarise, type WireRequest } from "./lib/load.ts";
import { captureLogs, releaseLogs } from "./lib/logs.ts";
import { cpuReport, cpuSnapshot } from "./lib/proc.ts";
import { atLeast, atMost, formatNumber, mb, now, type Report } from "./lib/report.ts";
import { startSender } from "./lib/sender.ts";
import type { Sql } from "../server/db/pool.ts";

const WARMUP = 200;
const COUNT = 3_000;
const CONCURRENCY = 32;
const BODY_BYTES = 3_072;
const HTTP_TIME_LIMIT_MS = 120_000;
const DRAIN_TIME_LIMIT_MS = 180_000;

const QUEUE_ROWS = "SELECT count(*)::int AS n FROM fedify_mq";
// The drain wait polls every 50 ms: a count of a few thousand rows there cost the server's PostgreSQL ~0.4 ms of CPU
// per activity, charged to the instance; whether one row is left costs next to nothing.
const QUEUE_EMPTY = "SELECT NOT EXISTS (SELECT 1 FROM fedify_mq) AS empty";

async function queueRows(sql: Sql): Promise<number> {
  const [row] = await sql.unsafe<{ n: number }[]>(QUEUE_ROWS);
  return row.n;
}

/**
 * Counts the statements the instance's pool sends (postgres.js reads `options.debug` on every query), grouped by
 * their first words; the benchmark's own queue polling is left out.
 */
function countStatements(sql: Sql): { stop(): Map<string, number> } {
  const counts = new Map<string, number>();
  const options = sql.options as unknown as { debug: unknown };
  const before = options.debug;
  options.debug = (_conn: number, query: string) => {
    if (query === QUEUE_ROWS || query === QUEUE_EMPTY) return;
    const key = query.replace(/\s+/g, " ").trim().slice(0, 48);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  return {
    stop() {
      options.debug = before;
      return counts;
    },
  };
}

/** Remote posts stored from this run, once the posts table exists (issue #4); null before. */
async function storedPosts(sql: Sql, prefix: string): Promise<number | null> {
  const [t] = await sql<{ t: string | null }[]>`SELECT to_regclass('public.posts')::text AS t`;
  if (!t.t) return null;
  const [row] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM posts WHERE iri LIKE ${`${prefix}%`}`;
  return row.n;
}

/** Polls until fedify_mq is empty; returns the epoch ms it was first seen empty, or null after the time limit. */
async function waitForEmptyQueue(sql: Sql, limitMs: number): Promise<number | null> {
  const deadline = now() + limitMs;
  while (now() < deadline) {
    const [row] = await sql.unsafe<{ empty: boolean }[]>(QUEUE_EMPTY);
    if (row.empty) return now();
    await sleep(50);
  }
  return null;
}

export const inbox: Benchmark = {
  name: "inbox",
  title: "signed Create(Note) deliveries to the shared inbox: accepted/s, latency, processed/s (one process, then web + worker processes)",
  async run(report: Report) {
    await measure(report, "in-process");
    report.note("— the same run with the worker role in its own process (RUCHE_ROLE=worker on the same database), the " +
      "in-process instance serving HTTP only; \"child processes\" below then include the worker process —");
    await measure(report, "process");
  },
};

async function measure(report: Report, worker: "in-process" | "process"): Promise<void> {
  const label = worker === "process" ? " (web + worker)" : "";
  const scope = new Scope("inbox");
  let sampling = false;
  try {
    const logs = await captureLogs();
    scope.defer("log capture", releaseLogs);
    const sender = await startSender(scope);
    const inst = await startBenchInstance(scope, { siblings: [sender.origin], worker });
    const inboxUrl = `${inst.origin}/inbox`;
    report.note(`in-process instance ${inst.origin} (${inst.db.kind}); sibling sender ${sender.origin}`);

    const t0 = now();
    const prepare = async (from: number, count: number): Promise<WireRequest[]> => {
      const out: WireRequest[] = [];
      for (let i = from; i < from + count; i++) out.push(await sender.sign(inboxUrl, sender.createNote(i, BODY_BYTES)));
      return out;
    };
    const warm = await prepare(0, WARMUP);
    const measured = await prepare(WARMUP, COUNT);
    const signSeconds = (now() - t0) / 1000;
    const bodyBytes = measured[0].body!.byteLength;
    report.note(`${WARMUP + COUNT} activities of ${bodyBytes} bytes signed beforehand (RSA-2048 draft-cavage + Digest, ` +
      `${formatNumber((WARMUP + COUNT) / signSeconds)}/s with Fedify's signRequest), so signing is outside the measured window`);
    report.note(`load: ${CONCURRENCY} in flight over keep-alive connections from a worker thread of this process; ` +
      `the machine has ${availableParallelism()} cores and the load generator shares them with the server and PostgreSQL`);

    // Warm-up: key fetch, JIT, connection pool; then let the queue drain.
    const w = await runLoad({
      host: "127.0.0.1", port: inst.port, mode: "each", requests: warm, concurrency: CONCURRENCY,
      maxCount: WARMUP, maxTimeMs: 60_000, requestTimeoutMs: 30_000,
    });
    const warmAccepted = Object.entries(w.statuses).filter(([c]) => c.startsWith("2")).reduce((s, [, n]) => s + n, 0);
    report.note(`warm-up: ${WARMUP} deliveries → ${statusText(w.statuses, w.errors)}`);
    if (warmAccepted === 0) {
      report.note(`warm-up failures: ${w.failures.join(" | ") || "none recorded"}`);
      throw new Error("the instance accepted none of the warm-up deliveries");
    }
    if ((await waitForEmptyQueue(inst.sql, 60_000)) == null) report.note("warm-up: the queue did not drain within 60 s");
    logs.clear();

    // Measured run. The queue depth is sampled meanwhile (a cheap count on a small table).
    let peak = 0;
    sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, await queueRows(inst.sql).catch(() => 0));
        await sleep(250);
      }
    })();
    const storedBefore = await storedPosts(inst.sql, `${sender.actorIri}/statuses/`);
    const statements = countStatements(inst.sql);
    const cpuBefore = cpuSnapshot();
    const r = await runLoad({
      host: "127.0.0.1", port: inst.port, mode: "each", requests: measured, concurrency: CONCURRENCY,
      maxCount: COUNT, maxTimeMs: HTTP_TIME_LIMIT_MS, requestTimeoutMs: 30_000,
    });
    const cpuHttp = cpuSnapshot();
    sampling = false;
    await sampler;
    const left = await queueRows(inst.sql);
    const emptyAt = await waitForEmptyQueue(inst.sql, DRAIN_TIME_LIMIT_MS);
    const cpuDrained = cpuSnapshot();
    const sqlCounts = statements.stop();
    const storedAfter = await storedPosts(inst.sql, `${sender.actorIri}/statuses/`);
    const stored = storedAfter == null ? null : storedAfter - (storedBefore ?? 0);

    const accepted = Object.entries(r.statuses).filter(([c]) => c.startsWith("2")).reduce((s, [, n]) => s + n, 0);
    const lat = summarise(r.latencies);
    report.note(`measured: ${COUNT} deliveries → ${statusText(r.statuses, r.errors)}${r.timedOut ? ` (stopped at the ${HTTP_TIME_LIMIT_MS / 1000} s limit)` : ""}`);
    if (r.failures.length > 0) report.note(`first failures: ${r.failures.slice(0, 3).join(" | ")}`);
    report.add(`inbox throughput${label}`, accepted / (r.elapsedMs / 1000), "activities/s", { target: atLeast(500, "500/s") });
    report.add(`inbox p50${label}`, lat.p50, "ms");
    report.add(`inbox p95${label}`, lat.p95, "ms", { target: atMost(100, "100 ms") });
    report.add(`inbox p99${label}`, lat.p99, "ms");
    const processedSeconds = emptyAt == null ? NaN : (emptyAt - r.startedAt) / 1000;
    report.add(`inbox processed${label}`, emptyAt == null ? 0 : accepted / processedSeconds, "activities/s", { target: atLeast(500, "500/s") });
    if (stored != null && stored > 0) {
      report.add(`inbox stored${label}`, emptyAt == null ? 0 : stored / processedSeconds, "posts/s", { target: atLeast(500, "500/s") });
      report.note(`"processed" = accepted (HTTP 2xx) and run through the inbox queue, from the first request until fedify_mq is ` +
        `empty; ${stored} of the ${COUNT} measured posts are in the posts table.`);
    } else {
      report.note(`"processed" = accepted (HTTP 2xx) and run through the inbox queue: from the first request until fedify_mq ` +
        `is empty. Create(Note) is not stored yet (issue #4 brings storage): until then "stored" means "accepted and ` +
        `processed by the inbox queue"${stored == null ? "" : ` (the posts table exists but holds none of these posts: ` +
        `the Create listener may skip posts of an account nobody here follows, and the sender has no followers)`}.`);
    }
    report.note(`HTTP phase ${formatNumber(r.elapsedMs / 1000)} s; queue peaked at ≥ ${peak} rows, ${left} left after the last ` +
      `response; ${emptyAt == null ? `NOT empty after ${DRAIN_TIME_LIMIT_MS / 1000} s` : `empty ${formatNumber((emptyAt - r.endedAt) / 1000)} s after the last response`}`);
    report.note(`${cpuReport(cpuBefore, cpuHttp, availableParallelism())} (HTTP phase)`);
    if (cpuDrained.at - cpuHttp.at > 500) report.note(`${cpuReport(cpuHttp, cpuDrained, availableParallelism())} (drain phase)`);
    if (accepted > 0 && Number.isFinite(cpuDrained.thread)) {
      // CPU time per activity depends far less on what else runs on the machine than rates do: compare runs with it.
      const perActivity = (a: number, b: number) => formatNumber((1000 * (b - a)) / accepted, 2);
      report.note(`CPU per accepted activity, from the first request until the queue is empty: server main thread ` +
        `${perActivity(cpuBefore.thread, cpuDrained.thread)} ms, whole benchmark process ${perActivity(cpuBefore.process, cpuDrained.process)} ms, ` +
        `embedded PostgreSQL ${perActivity(cpuBefore.children, cpuDrained.children)} ms`);
    }
    const totalStatements = [...sqlCounts.values()].reduce((a, b) => a + b, 0);
    const topStatements = [...sqlCounts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 14)
      .map(([q, n]) => `${formatNumber(n / COUNT, 2)} × ${q}`);
    report.note(`SQL statements sent by the instance's pool: ${formatNumber(totalStatements / COUNT, 1)} per activity ` +
      `(LISTEN/NOTIFY deliveries not counted):\n  ${topStatements.join("\n  ")}`);
    report.note(`sender: actor document fetched ${sender.fetches()} × by the instance; ${sender.received()} deliveries back`);
    const processedByListener = logs.count("Unsupported activity type");
    if (processedByListener > 0) {
      report.note(`the queue worker reached listener dispatch for ${processedByListener} activities (logged by Fedify as ` +
        `"Unsupported activity type" at error level — in \`npm start\` each is printed with the whole activity)`);
    }
    const logLines = logs.summary(5);
    if (logLines.length > 0) report.note(`warnings/errors logged during the run (counting sink, not printed):\n  ${logLines.join("\n  ")}`);
    report.note(`benchmark process RSS after the run (server + load generator + sender): ${formatNumber(mb(process.memoryUsage().rss))} MB`);
  } finally {
    sampling = false;
    await scope.close();
  }
}
