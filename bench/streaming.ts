// Streaming fan-out (issue #9): one post reaching 1,000 connected `user` streams on one web process. 1,000 local
// accounts follow the poster, each with its own token and an open WebSocket (`/api/v1/streaming?stream=user`);
// the poster posts through the API and each client notes when its `update` arrives. Delivery time = from the moment
// the POST is sent to each client's `update` (so it includes the request, the transaction, NOTIFY and the hub's
// visibility check per subscriber). One warm-up post, then POSTS measured posts, each once the previous has
// reached everyone. Clients run in the benchmark process, on the same cores as the server.
import { loadavg } from "node:os";
import type { Benchmark } from "./lib/bench.ts";
import { Scope, sleep } from "./lib/cleanup.ts";
import { cpuSeconds } from "./lib/proc.ts";
import { atMost, formatNumber, percentile, type Report, sortedCopy } from "./lib/report.ts";
import { openUserStreams, startStreamingServer } from "./lib/stream-clients.ts";

const CLIENTS = 1_000;
const POSTS = 5;
const DELIVERY_LIMIT_MS = 60_000;

export const streaming: Benchmark = {
  name: "streaming",
  title: `one post fanned out to ${CLIENTS.toLocaleString("en")} connected user streams (WebSocket), one web process`,
  async run(report: Report) {
    const scope = new Scope("streaming");
    try {
      const { server, dbKind, posterToken, listenerTokens } = await startStreamingServer(scope, CLIENTS);
      const t0 = performance.now();
      const streams = await openUserStreams(scope, server.origin, listenerTokens);
      report.note(`node server/main.ts (pid ${server.pid}, as npm start) on ${dbKind}; ${streams.length} WebSockets open in ` +
        `${formatNumber((performance.now() - t0) / 1000)} s`);

      const post = async (text: string) => {
        const sent = performance.now();
        const res = await fetch(`${server.origin}/api/v1/statuses`, {
          method: "POST", headers: { Authorization: `Bearer ${posterToken}`, "Content-Type": "application/json" },
          body: JSON.stringify({ status: text }),
        });
        if (res.status !== 200) throw new Error(`POST /api/v1/statuses: ${res.status} ${await res.text()}`);
        const answered = performance.now();
        const { id } = await res.json() as { id: string };
        const deadline = performance.now() + DELIVERY_LIMIT_MS;
        const arrived = () => streams.filter((s) => s.updates.some((u) => u.id === id)).length;
        while (arrived() < streams.length && performance.now() < deadline) await sleep(10);
        const times = streams.flatMap((s) => s.updates.filter((u) => u.id === id).map((u) => u.at - sent));
        return { id, times, api: answered - sent };
      };

      const warm = await post("échauffement");
      report.note(`warm-up post reached ${warm.times.length}/${streams.length} streams, last after ${formatNumber(Math.max(...warm.times))} ms`);
      const all: number[] = [];
      const perPost: string[] = [];
      let missing = 0, api = 0;
      const cpuBefore = cpuSeconds(server.pid);
      for (let i = 0; i < POSTS; i++) {
        const r = await post(`Annonce ${i + 1} à toute l'équipe`);
        all.push(...r.times);
        missing += streams.length - r.times.length;
        api += r.api;
        const sorted = sortedCopy(r.times);
        perPost.push(`${formatNumber(percentile(sorted, 95))}`);
        await sleep(200);
      }
      const cpu = cpuSeconds(server.pid) - cpuBefore;
      const sorted = sortedCopy(all);
      report.add("fan-out p50 delivery, 1,000 user streams", percentile(sorted, 50), "ms");
      report.add("fan-out p95 delivery, 1,000 user streams", percentile(sorted, 95), "ms", { target: atMost(200, "200 ms") });
      report.add("fan-out slowest delivery", sorted[sorted.length - 1] ?? NaN, "ms");
      report.note(`${POSTS} posts × ${streams.length} streams; p95 of each post: ${perPost.join(", ")} ms; POST answered in ` +
        `${formatNumber(api / POSTS)} ms on average; ${missing} deliveries missing after ${DELIVERY_LIMIT_MS / 1000} s`);
      report.note(`server CPU over the measured posts: ${formatNumber(cpu)} s; load average ${loadavg().map((l) => l.toFixed(2)).join(" / ")}`);
      if (missing > 0) report.add("deliveries missing", missing, "", { target: atMost(0, "0") });
    } finally {
      await scope.close();
    }
  },
};
