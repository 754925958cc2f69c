// Start-up time of `npm start` (as `node server/main.ts`) on an empty data directory — initdb of the embedded
// PostgreSQL, migrations, key generation — until the first 200 on `/`; then a second start on the same directory.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Benchmark } from "./lib/bench.ts";
import { Scope } from "./lib/cleanup.ts";
import { atMost, formatNumber, type Report } from "./lib/report.ts";
import { startServerProcess, type ServerProcess } from "./lib/server-process.ts";

const LIMIT_MS = 60_000;

/**
 * Phases from the server's own log lines (time-stamped on arrival). main.ts logs "listening on … (port P, N ms)"
 * with N counted from just after its imports, so the time before that is Node's start and module loading.
 */
function phases(s: ServerProcess, ready: number, fresh: boolean): string {
  const listening = s.lines.find((l) => /listening on .*\(port \d+, \d+ ms\)/.test(l.text));
  const inMain = listening ? Number(/\(port \d+, (\d+) ms\)/.exec(listening.text)?.[1] ?? NaN) : NaN;
  const marks: [string, number][] = [
    ["Node start + module loading", listening ? listening.at - inMain : NaN],
    [fresh ? "PostgreSQL initdb + start" : "PostgreSQL start", s.lineAt("Embedded PostgreSQL listening")],
    ["migrations, keys, federation, listen", listening?.at ?? NaN],
    ["first 200 on /", ready],
  ];
  let prev = 0;
  const parts: string[] = [];
  for (const [name, at] of marks) {
    if (!Number.isFinite(at)) continue;
    parts.push(`${name} ${formatNumber((at - prev) / 1000, 2)} s`);
    prev = at;
  }
  return parts.join(", ");
}

export const startup: Benchmark = {
  name: "startup",
  title: "`npm start` on an empty data directory to the first 200 on /, then a warm second start",
  async run(report: Report) {
    const scope = new Scope("startup");
    try {
      const dataDir = await mkdtemp(join(tmpdir(), "ruche-bench-start-"));
      scope.defer(`temp dir ${dataDir}`, () => rm(dataDir, { recursive: true, force: true }));

      const cold = await startServerProcess(scope, dataDir);
      const coldMs = await cold.waitFor200("/", LIMIT_MS);
      report.add("startup cold (empty data dir)", coldMs / 1000, "s", { target: atMost(10, "10 s"), digits: 2 });
      report.note(`cold: ${phases(cold, coldMs, true)}`);
      await cold.stop();

      const warm = await startServerProcess(scope, dataDir, { port: cold.port });
      const warmMs = await warm.waitFor200("/", LIMIT_MS);
      report.add("startup warm (same data dir)", warmMs / 1000, "s", { digits: 2 });
      report.note(`warm: ${phases(warm, warmMs, false)}`);
      await warm.stop();
      report.note("timed from spawn of `node server/main.ts` (Node 24, no npm wrapper; `npm start` adds ~0.2–0.4 s of npm itself) " +
        "to the first 200, polling every 20 ms");
    } finally {
      await scope.close();
    }
  },
};
