// `npm start` as an operator runs it, minus npm: `node server/main.ts` as a direct child (so the pid we hold is the
// Node process itself, not npm or a shell), on a free loopback port, with its own data directory and therefore its
// own embedded PostgreSQL (DATABASE_URL is removed from its environment). Output lines are time-stamped on arrival
// to split start-up into phases.
import { spawn, type ChildProcess } from "node:child_process";
import { get } from "node:http";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { freePort, processAlive as alive } from "../../server/db/embedded.ts";
import { sleep, withTimeout, type Scope } from "./cleanup.ts";
import { commandLine } from "./proc.ts";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

export interface OutputLine {
  /** Milliseconds since spawn. */
  at: number;
  text: string;
}

export interface ServerProcess {
  pid: number;
  port: number;
  origin: string;
  child: ChildProcess;
  spawnedAt: number;
  lines: OutputLine[];
  /** Milliseconds since spawn of the first output line containing `text`, or NaN. */
  lineAt(text: string): number;
  output(): string;
  /** Polls GET `path` until it answers 200; returns the milliseconds since spawn. */
  waitFor200(path: string, limitMs: number): Promise<number>;
  stop(): Promise<void>;
}

function getStatus(url: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: false, headers: { Accept: "text/html" } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error("timeout")));
    req.on("error", reject);
  });
}


/** The embedded PostgreSQL of a data directory, if it still runs (postmaster.pid names its pid). */
function postmasterPid(dataDir: string): number | null {
  const file = `${dataDir}/postgres/postmaster.pid`;
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return null;
  return commandLine(pid).some((a) => a.includes("postgres")) ? pid : null;
}

export async function startServerProcess(
  scope: Scope,
  dataDir: string,
  opts: { port?: number; env?: Record<string, string>; script?: "start" | "start:worker" } = {},
): Promise<ServerProcess> {
  // A second start on the same data directory must keep the port: the origin is recorded on first start.
  const port = opts.port ?? await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k === "DATABASE_URL" || k === "PORT" || k === "HOST" || k.startsWith("RUCHE_")) continue;
    env[k] = v;
  }
  Object.assign(env, {
    PORT: String(port), HOST: "127.0.0.1", RUCHE_ORIGIN: origin, RUCHE_DATA: dataDir, RUCHE_LOG_LEVEL: "info", ...opts.env,
  });
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, startArgs(repoRoot, opts.script ?? "start"), { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
  const lines: OutputLine[] = [];
  const collect = (chunk: Buffer) => {
    const at = performance.now() - spawnedAt;
    for (const text of chunk.toString("utf8").split("\n")) if (text.trim()) lines.push({ at, text });
    if (lines.length > 500) lines.splice(0, lines.length - 500);
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  if (child.pid == null) throw new Error("could not spawn node server/main.ts");
  const pid = child.pid;

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode == null && child.signalCode == null) {
      child.kill("SIGTERM");
      try {
        await withTimeout(exited, 20_000, "server shutdown");
      } catch {
        child.kill("SIGKILL"); // our own child, by its pid
        await withTimeout(exited, 5_000, "server kill").catch(() => {});
      }
    }
    // If the server could not stop its PostgreSQL, stop it (fast shutdown) by the pid it recorded.
    const pg = postmasterPid(dataDir);
    if (pg != null) {
      process.kill(pg, "SIGINT");
      for (let i = 0; i < 100 && alive(pg); i++) await sleep(100);
    }
  };
  scope.defer(`node server/main.ts (pid ${pid})`, stop);

  return {
    pid, port, origin, child, spawnedAt, lines, stop,
    lineAt: (text) => lines.find((l) => l.text.includes(text))?.at ?? NaN,
    output: () => lines.map((l) => `[${(l.at / 1000).toFixed(2)} s] ${l.text}`).join("\n"),
    async waitFor200(path, limitMs) {
      const deadline = spawnedAt + limitMs;
      while (true) {
        if (child.exitCode != null || child.signalCode != null) {
          throw new Error(`node server/main.ts exited (${child.exitCode ?? child.signalCode}) before answering:\n${lines.map((l) => l.text).join("\n")}`);
        }
        try {
          if ((await getStatus(`${origin}${path}`, 2_000)) === 200) return performance.now() - spawnedAt;
        } catch { /* not listening yet */ }
        if (performance.now() > deadline) throw new Error(`no 200 on ${path} within ${limitMs / 1000} s:\n${lines.map((l) => l.text).join("\n")}`);
        await sleep(20);
      }
    },
  };
}

/**
 * The node arguments of one of package.json's start scripts (e.g. GC flags), so the bench measures what
 * `npm start` (or `npm run start:worker`) runs.
 */
function startArgs(repoRoot: string, script: "start" | "start:worker"): string[] {
  const pkg = JSON.parse(readFileSync(`${repoRoot}/package.json`, "utf8")) as { scripts: Record<string, string> };
  const line = pkg.scripts[script] ?? "";
  const words = line.trim().split(/\s+/);
  if (words[0] !== "node") throw new Error(`unexpected ${script} script: ${line}`);
  return words.slice(1);
}
