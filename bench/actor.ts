// Actor document reads: `GET /users/alice` with `Accept: application/activity+json`, then WebFinger lookups of
// acct:alice, each with 32 concurrent keep-alive connections for 5 s after a 1 s warm-up, against an in-process
// instance. Measured: requests/s and latency.
import { availableParallelism } from "node:os";
import type { Benchmark } from "./lib/bench.ts";
import { Scope } from "./lib/cleanup.ts";
import { startBenchInstance } from "./lib/instance.ts";
import { runLoad, statusText, summarise } from "./lib/load.ts";
import { captureLogs, releaseLogs } from "./lib/logs.ts";
import { cpuReport, cpuSnapshot } from "./lib/proc.ts";
import { atLeast, type Report } from "./lib/report.ts";
import { createLocalUser } from "../server/domain/accounts/accounts.ts";

const CONCURRENCY = 32;
const WARMUP_MS = 1_000;
const DURATION_MS = 5_000;
const MAX_REQUESTS = 200_000;

export const actor: Benchmark = {
  name: "actor",
  title: "GET /users/alice as application/activity+json, and WebFinger for alice: requests/s and latency",
  async run(report: Report) {
    const scope = new Scope("actor");
    try {
      const logs = await captureLogs();
      scope.defer("log capture", releaseLogs);
      const inst = await startBenchInstance(scope);
      await createLocalUser(inst.sql, inst.origin, { username: "alice", displayName: "Alice Martin" });
      const host = new URL(inst.origin).host;
      const headers = { Host: host, Accept: "application/activity+json", "User-Agent": "RucheBench/0.1" };

      // One request first: the figure only means something if it is the actor document.
      const probe = await fetch(`${inst.origin}/users/alice`, { headers });
      const probeBody = await probe.text();
      const type = probe.headers.get("content-type") ?? "";
      if (probe.status !== 200 || !/activity\+json|ld\+json/.test(type)) {
        throw new Error(`GET /users/alice answered ${probe.status} ${type}: ${probeBody.slice(0, 200)}`);
      }
      report.note(`in-process instance ${inst.origin} (${inst.db.kind}); the document is ${Buffer.byteLength(probeBody)} bytes of ${type.split(";")[0]}` +
        `${probe.headers.get("etag") ? ", with an ETag" : ", no ETag"}${probe.headers.get("cache-control") ? `, Cache-Control: ${probe.headers.get("cache-control")}` : ""}`);
      report.note(`load: ${CONCURRENCY} keep-alive connections (node:http) from a worker thread of this process, ` +
        `${WARMUP_MS / 1000} s warm-up then ${DURATION_MS / 1000} s measured; ${availableParallelism()} cores shared with the server`);

      const cpuBefore = cpuSnapshot();
      const r = await runLoad({
        host: "127.0.0.1", port: inst.port, mode: "repeat", requests: [{ method: "GET", path: "/users/alice", headers }],
        concurrency: CONCURRENCY, maxCount: MAX_REQUESTS, maxTimeMs: WARMUP_MS + DURATION_MS + 30_000,
        warmupMs: WARMUP_MS, durationMs: DURATION_MS, requestTimeoutMs: 30_000,
      });
      const cpuAfter = cpuSnapshot();
      const ok = r.statuses["200"] ?? 0;
      const lat = summarise(r.latencies);
      report.note(`measured: ${statusText(r.statuses, r.errors)} in ${(r.elapsedMs / 1000).toFixed(1)} s`);
      if (r.failures.length > 0) report.note(`first failures: ${r.failures.slice(0, 3).join(" | ")}`);
      report.add("actor GET", ok / (r.elapsedMs / 1000), "req/s", { target: atLeast(2000, "2000/s") });
      report.add("actor GET p50", lat.p50, "ms");
      report.add("actor GET p95", lat.p95, "ms");
      report.note(cpuReport(cpuBefore, cpuAfter, availableParallelism()));

      // WebFinger: what every server does before it mentions or follows someone here.
      const wfPath = `/.well-known/webfinger?resource=${encodeURIComponent(`acct:alice@${host}`)}`;
      const wfHeaders = { Host: host, Accept: "application/jrd+json", "User-Agent": "RucheBench/0.1" };
      const wfProbe = await fetch(`${inst.origin}${wfPath}`, { headers: wfHeaders });
      const wfBody = await wfProbe.text();
      if (wfProbe.status !== 200 || !wfBody.includes(`${inst.origin}/users/alice`)) throw new Error(`WebFinger answered ${wfProbe.status}: ${wfBody.slice(0, 200)}`);
      const wf = await runLoad({
        host: "127.0.0.1", port: inst.port, mode: "repeat", requests: [{ method: "GET", path: wfPath, headers: wfHeaders }],
        concurrency: CONCURRENCY, maxCount: MAX_REQUESTS, maxTimeMs: WARMUP_MS + DURATION_MS + 30_000,
        warmupMs: WARMUP_MS, durationMs: DURATION_MS, requestTimeoutMs: 30_000,
      });
      const wfLat = summarise(wf.latencies);
      report.note(`WebFinger measured: ${statusText(wf.statuses, wf.errors)} in ${(wf.elapsedMs / 1000).toFixed(1)} s`);
      report.add("WebFinger", (wf.statuses["200"] ?? 0) / (wf.elapsedMs / 1000), "req/s", { target: atLeast(3000, "3000/s") });
      report.add("WebFinger p95", wfLat.p95, "ms");
      const logLines = logs.summary(5);
      if (logLines.length > 0) report.note(`warnings/errors logged (counting sink):\n  ${logLines.join("\n  ")}`);
    } finally {
      await scope.close();
    }
  },
};
