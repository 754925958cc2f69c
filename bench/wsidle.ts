// Idle memory with 1,000 open WebSockets (issue #9): `node server/main.ts` as npm start runs it, 1,000 local
// accounts each holding a `user` stream open and silent; the server process's resident set (VmRSS) once the
// connections are open and the process has gone quiet (its idle collection, ADR 0008, has had time to run).
import type { Benchmark } from "./lib/bench.ts";
import { Scope, sleep } from "./lib/cleanup.ts";
import { statusKb } from "./lib/proc.ts";
import { atMost, formatNumber, type Report } from "./lib/report.ts";
import { openUserStreams, startStreamingServer } from "./lib/stream-clients.ts";

const CLIENTS = 1_000;
const IDLE_MS = 10_000;

export const wsidle: Benchmark = {
  name: "wsidle",
  title: `RSS of the server process with ${CLIENTS.toLocaleString("en")} idle WebSocket streams open`,
  async run(report: Report) {
    const scope = new Scope("wsidle");
    try {
      const { server, dbKind, listenerTokens } = await startStreamingServer(scope, CLIENTS);
      await sleep(IDLE_MS);
      const before = statusKb(server.pid, "VmRSS");
      const streams = await openUserStreams(scope, server.origin, listenerTokens);
      await sleep(IDLE_MS);
      const after = statusKb(server.pid, "VmRSS");
      const open = streams.filter((s) => s.ws.readyState === s.ws.OPEN).length;
      report.note(`node server/main.ts (pid ${server.pid}, as npm start) on ${dbKind}; RSS read ${IDLE_MS / 1000} s after start ` +
        `and ${IDLE_MS / 1000} s after the last connection opened; ${open}/${streams.length} still open`);
      report.add(`server RSS with ${CLIENTS.toLocaleString("en")} idle WebSockets`, after / 1024, "MB", { target: atMost(250, "250 MB") });
      report.note(`before the connections: ${formatNumber(before / 1024)} MB, so ≈ ${formatNumber((after - before) / CLIENTS)} kB per connection; ` +
        `peak (VmHWM) ${formatNumber(statusKb(server.pid, "VmHWM") / 1024)} MB`);
      if (open < streams.length) report.add("connections dropped while idle", streams.length - open, "", { target: atMost(0, "0") });
    } finally {
      await scope.close();
    }
  },
};
