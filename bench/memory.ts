// Idle memory of `npm start`: `node server/main.ts` on a fresh data directory, 5 s after its first 200 on `/`; the
// resident set (VmRSS) of the Node process alone — the embedded PostgreSQL runs in its own processes, not counted.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Benchmark } from "./lib/bench.ts";
import { Scope, sleep } from "./lib/cleanup.ts";
import { commandLine, descendants, pssKb, statusKb } from "./lib/proc.ts";
import { atMost, formatNumber, type Report } from "./lib/report.ts";
import { startServerProcess } from "./lib/server-process.ts";

const IDLE_MS = 5_000;

export const memory: Benchmark = {
  name: "memory",
  title: "idle RSS of the node process of `npm start` (PostgreSQL excluded)",
  async run(report: Report) {
    const scope = new Scope("memory");
    try {
      const dataDir = await mkdtemp(join(tmpdir(), "ruche-bench-mem-"));
      scope.defer(`temp dir ${dataDir}`, () => rm(dataDir, { recursive: true, force: true }));
      const server = await startServerProcess(scope, dataDir);
      const ready = await server.waitFor200("/", 60_000);
      await sleep(IDLE_MS);
      // The pid must be the Node process running server/main.ts, not npm, a shell or PostgreSQL.
      const cmd = commandLine(server.pid);
      if (!cmd.some((a) => a.endsWith("server/main.ts")) || !/node/.test(cmd[0] ?? "")) {
        throw new Error(`pid ${server.pid} is not node server/main.ts: ${cmd.join(" ")}`);
      }
      const rssKb = statusKb(server.pid, "VmRSS");
      report.note(`node server/main.ts (pid ${server.pid}, ${cmd[0]}) answered 200 on / after ${formatNumber(ready / 1000)} s; ` +
        `read ${IDLE_MS / 1000} s later from /proc/${server.pid}/status`);
      report.add("idle memory (node RSS)", rssKb / 1024, "MB", { target: atMost(150, "150 MB") });
      report.note(`same process: peak RSS (VmHWM) ${formatNumber(statusKb(server.pid, "VmHWM") / 1024)} MB, ` +
        `PSS ${formatNumber(pssKb(server.pid) / 1024)} MB`);
      const children = descendants(server.pid);
      const isPg = (p: number) => commandLine(p).some((a) => a.includes("postgres"));
      const pg = children.filter(isPg);
      if (pg.length > 0) {
        const pss = pg.reduce((s, p) => s + (pssKb(p) || 0), 0);
        report.note(`not counted: the embedded PostgreSQL, ${pg.length} processes, ${formatNumber(pss / 1024)} MB PSS in total`);
      }
      for (const p of children.filter((c) => !isPg(c))) {
        const name = (commandLine(p)[0] ?? "?").split("/").pop();
        report.note(`not counted either: child process ${name} (pid ${p}), ${formatNumber(statusKb(p, "VmRSS") / 1024)} MB RSS`);
      }
    } finally {
      await scope.close();
    }
  },
};
