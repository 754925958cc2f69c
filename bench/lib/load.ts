// Closed-loop HTTP load from a worker thread of the benchmark process: the in-process server keeps the main thread's
// event loop to itself, while the load generator runs on the other core. (Both still share the machine's cores —
// every benchmark says so in its output.) Requests are prepared (and signed) before the run, so the measured window
// holds only the HTTP exchanges.
import { Worker } from "node:worker_threads";
import { percentile, sortedCopy } from "./report.ts";

export interface WireRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array;
}

export interface LoadSpec {
  host: "127.0.0.1" | "localhost";
  port: number;
  /** "each": every request once, in order; "repeat": cycle through them for warmupMs + durationMs. */
  mode: "each" | "repeat";
  requests: WireRequest[];
  concurrency: number;
  /** Upper bound on requests sent (both modes). */
  maxCount: number;
  /** Hard upper bound on the run's wall time. */
  maxTimeMs: number;
  warmupMs?: number;
  durationMs?: number;
  requestTimeoutMs: number;
}

export interface LoadResult {
  /** Milliseconds per measured exchange (request written → response fully read). */
  latencies: Float64Array;
  statuses: Record<string, number>;
  errors: number;
  failures: string[];
  /** Epoch milliseconds (performance.timeOrigin based) of the first measured request and the last answer. */
  startedAt: number;
  endedAt: number;
  elapsedMs: number;
  timedOut: boolean;
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const worker = new Worker(new URL("./load-worker.ts", import.meta.url), { workerData: spec });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await new Promise<LoadResult>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error("load generator did not finish in time")), spec.maxTimeMs + 60_000);
      worker.once("message", (m: { ok: true; result: LoadResult } | { ok: false; error: string }) => {
        if (m.ok) resolve(m.result);
        else reject(new Error(`load generator failed: ${m.error}`));
      });
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`load generator exited with ${code}`)));
    });
  } finally {
    clearTimeout(timer);
    await worker.terminate();
  }
}

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarise(latencies: ArrayLike<number>): LatencySummary {
  const s = sortedCopy(latencies);
  let sum = 0;
  for (const v of s) sum += v;
  return {
    count: s.length,
    p50: percentile(s, 50),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    max: s.length ? s[s.length - 1] : NaN,
    mean: s.length ? sum / s.length : NaN,
  };
}

export function statusText(statuses: Record<string, number>, errors: number): string {
  const parts = Object.entries(statuses).sort().map(([code, n]) => `${n} × HTTP ${code}`);
  if (errors) parts.push(`${errors} × network error`);
  return parts.join(", ") || "none";
}
