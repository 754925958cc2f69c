// Memory after load: `node server/main.ts` (what `npm start` runs) on a fresh data directory, then 60 s of mixed
// load — actor documents, WebFinger, home and public timelines through the Mastodon API, signed Create(Note)
// deliveries from a sibling to the shared inbox — then 30 s idle; the resident set (VmRSS) of the Node process is
// read at the end (the embedded PostgreSQL runs in its own processes, not counted).
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import type { Benchmark } from "./lib/bench.ts";
import { Scope, sleep } from "./lib/cleanup.ts";
import { runLoad, statusText, type WireRequest } from "./lib/load.ts";
import { statusKb } from "./lib/proc.ts";
import { atMost, formatNumber, type Report } from "./lib/report.ts";
import { startSender } from "./lib/sender.ts";
import { startServerProcess } from "./lib/server-process.ts";

const LOAD_MS = 60_000;
const IDLE_MS = 30_000;
const CONCURRENCY = 16;
const INBOX_SHARE = 4; // one request in four is a signed delivery
const REQUESTS = 24_000;
const repoRoot = fileURLToPath(new URL("../", import.meta.url));
const run = promisify(execFile);

async function cli(dataDir: string, origin: string, ...args: string[]): Promise<string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== "DATABASE_URL" && !k.startsWith("RUCHE_")) env[k] = v;
  const r = await run(process.execPath, ["server/cli.ts", ...args], {
    cwd: repoRoot, env: { ...env, RUCHE_DATA: dataDir, RUCHE_ORIGIN: origin, RUCHE_LOG_LEVEL: "error" },
  });
  return r.stdout;
}

export const memoryLoad: Benchmark = {
  name: "memload",
  title: "RSS of the node process of `npm start` after 60 s of mixed load and 30 s idle (PostgreSQL excluded)",
  async run(report: Report) {
    const scope = new Scope("memload");
    try {
      const sender = await startSender(scope);
      const dataDir = await mkdtemp(join(tmpdir(), "ruche-bench-memload-"));
      scope.defer(`temp dir ${dataDir}`, () => rm(dataDir, { recursive: true, force: true }));
      const server = await startServerProcess(scope, dataDir, {
        env: { RUCHE_SIBLINGS: sender.origin, RUCHE_ALLOW_PRIVATE_ADDRESS: "true" },
      });
      await server.waitFor200("/", 60_000);
      const idleKb = statusKb(server.pid, "VmRSS");
      await cli(dataDir, server.origin, "user", "create", "alice");
      const token = (await cli(dataDir, server.origin, "token", "create", "alice", "--scopes", "read")).trim().split("\n").pop()!;
      const host = new URL(server.origin).host;

      const gets: WireRequest[] = [
        { method: "GET", path: "/users/alice", headers: { Accept: "application/activity+json" } },
        { method: "GET", path: `/.well-known/webfinger?resource=acct:alice@${host}`, headers: { Accept: "application/jrd+json" } },
        { method: "GET", path: "/api/v1/timelines/home?limit=20", headers: { Authorization: `Bearer ${token}` } },
        { method: "GET", path: "/api/v1/timelines/public?limit=20", headers: { Authorization: `Bearer ${token}` } },
      ];
      const requests: WireRequest[] = [];
      for (let i = 0; i < REQUESTS; i++) {
        requests.push(i % INBOX_SHARE === 0
          ? await sender.sign(`${server.origin}/inbox`, sender.createNote(i, 3_072))
          : gets[i % gets.length]);
      }
      const r = await runLoad({
        host: "127.0.0.1", port: server.port, mode: "repeat", requests, concurrency: CONCURRENCY,
        maxCount: 10 * REQUESTS, maxTimeMs: LOAD_MS + 15_000, warmupMs: 0, durationMs: LOAD_MS, requestTimeoutMs: 30_000,
      });
      const afterLoadKb = statusKb(server.pid, "VmRSS");
      report.note(`load: ${formatNumber(r.elapsedMs / 1000)} s, ${CONCURRENCY} in flight, one request in ${INBOX_SHARE} a signed ` +
        `Create(Note) from a sibling, the others actor / WebFinger / home / public timeline → ${statusText(r.statuses, r.errors)}`);
      await sleep(IDLE_MS);
      const rssKb = statusKb(server.pid, "VmRSS");
      report.add("memory after load (node RSS)", rssKb / 1024, "MB", { target: atMost(200, "200 MB") });
      report.note(`same process: idle before the load ${formatNumber(idleKb / 1024)} MB, at the end of the load ` +
        `${formatNumber(afterLoadKb / 1024)} MB, peak (VmHWM) ${formatNumber(statusKb(server.pid, "VmHWM") / 1024)} MB`);
    } finally {
      await scope.close();
    }
  },
};
