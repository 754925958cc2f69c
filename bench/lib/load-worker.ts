// The load generator's thread (see load.ts): N keep-alive connections through node:http, each loop sending its next
// request as soon as the previous answer is read. Bounded by count and by time; loopback only.
import { Agent, request } from "node:http";
import { parentPort, workerData } from "node:worker_threads";
import type { LoadResult, LoadSpec, WireRequest } from "./load.ts";

const spec = workerData as LoadSpec;
if (spec.host !== "127.0.0.1" && spec.host !== "localhost") throw new Error(`load generator: loopback only, not ${spec.host}`);

const agent = new Agent({ keepAlive: true, maxSockets: spec.concurrency, maxFreeSockets: spec.concurrency });
const clock = () => performance.timeOrigin + performance.now();

function send(r: WireRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...r.headers };
    if (r.body) headers["content-length"] = String(r.body.byteLength);
    const req = request({ host: spec.host, port: spec.port, method: r.method, path: r.path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const status = res.statusCode ?? 0;
        resolve({ status, body: status >= 200 && status < 300 ? "" : Buffer.concat(chunks).toString("utf8").slice(0, 300) });
      });
      res.on("error", reject);
    });
    req.setTimeout(spec.requestTimeoutMs, () => req.destroy(new Error(`no answer within ${spec.requestTimeoutMs} ms`)));
    req.on("error", reject);
    req.end(r.body ? Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength) : undefined);
  });
}

async function main(): Promise<LoadResult> {
  const total = spec.mode === "each" ? Math.min(spec.requests.length, spec.maxCount) : spec.maxCount;
  const started = clock();
  const hardStop = started + spec.maxTimeMs;
  const measureFrom = spec.mode === "repeat" ? started + (spec.warmupMs ?? 0) : started;
  const measureUntil = spec.mode === "repeat" ? measureFrom + (spec.durationMs ?? 0) : hardStop;
  const latencies = new Float64Array(total);
  let recorded = 0;
  let next = 0;
  let errors = 0;
  let lastEnd = started;
  let firstMeasured = Infinity;
  const statuses: Record<string, number> = {};
  const failures: string[] = [];

  const loop = async () => {
    while (next < total) {
      const t0 = clock();
      if (t0 >= hardStop || (spec.mode === "repeat" && t0 >= measureUntil)) return;
      const i = next++;
      const r = spec.requests[i % spec.requests.length];
      const measured = t0 >= measureFrom;
      try {
        const res = await send(r);
        const t1 = clock();
        if (!measured) continue;
        firstMeasured = Math.min(firstMeasured, t0);
        latencies[recorded++] = t1 - t0;
        lastEnd = Math.max(lastEnd, t1);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (res.body && failures.length < 5) failures.push(`HTTP ${res.status}: ${res.body}`);
      } catch (e) {
        if (!measured) continue;
        errors++;
        lastEnd = Math.max(lastEnd, clock());
        if (failures.length < 5) failures.push((e as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, loop));
  agent.destroy();
  const from = Number.isFinite(firstMeasured) ? firstMeasured : started;
  return {
    latencies: latencies.slice(0, recorded),
    statuses,
    errors,
    failures,
    startedAt: from,
    endedAt: lastEnd,
    elapsedMs: Math.max(1e-3, lastEnd - from),
    timedOut: clock() >= hardStop && recorded + errors < total,
  };
}

main().then(
  (result) => parentPort!.postMessage({ ok: true, result }, [result.latencies.buffer as ArrayBuffer]),
  (e) => parentPort!.postMessage({ ok: false, error: (e as Error).stack ?? String(e) }),
);
