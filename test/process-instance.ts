// Instances as an operator runs them: `node server/main.ts` child processes with their own data directory (and so
// their own embedded PostgreSQL), managed with the CLI. Used by the end-to-end test of the platform.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { inject } from "vitest";
import { freePort } from "../server/db/embedded.ts";
import { trustTestCa } from "./tls.ts";

const run = promisify(execFile);

export interface ProcessInstance {
  origin: string;
  host: string;
  dataDir: string;
  cli(...args: string[]): Promise<string>;
  stop(): Promise<void>;
  /** SIGKILL, as a crash or the OOM killer would: no shutdown hook runs. */
  kill(): Promise<void>;
  /** Starts the process again on the same data (after kill()). */
  restart(): Promise<void>;
  output(): string;
}

/**
 * `databaseUrl`: run on that database (a test database the test can also read) instead of the embedded server
 * under the data directory.
 */
export async function startProcessInstance(name: string, extraEnv: Record<string, string> = {}, opts: { databaseUrl?: string } = {}): Promise<ProcessInstance> {
  const tls = inject("tls");
  trustTestCa(tls.caCert);
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), `ruche-e2e-${name}-`));
  const origin = `https://localhost:${port}`;
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    PORT: String(port), HOST: "127.0.0.1", RUCHE_ORIGIN: origin, RUCHE_DATA: dataDir, RUCHE_INSTANCE_NAME: name,
    RUCHE_TLS_CERT: tls.cert, RUCHE_TLS_KEY: tls.key, RUCHE_ALLOW_PRIVATE_ADDRESS: "true", NODE_EXTRA_CA_CERTS: tls.caCert,
    RUCHE_LOG_LEVEL: "info", ...extraEnv,
  };
  // By default the operator's own database: the embedded server under the data directory, not the test server.
  if (opts.databaseUrl) env.DATABASE_URL = opts.databaseUrl;
  else delete env.DATABASE_URL;
  let out = "";
  let child: ChildProcess;
  const launch = async () => {
    child = spawn(process.execPath, ["server/main.ts"], { env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    const deadline = Date.now() + 60_000;
    while (true) {
      if (child.exitCode != null) throw new Error(`${name} exited with ${child.exitCode}:\n${out}`);
      try {
        const res = await fetch(`${origin}/nodeinfo/2.1`);
        if (res.ok) break;
      } catch { /* not yet */ }
      if (Date.now() > deadline) throw new Error(`${name} did not answer within 60 s:\n${out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  await launch();
  return {
    origin,
    host: `localhost:${port}`,
    dataDir,
    output: () => out,
    async cli(...args) {
      try {
        const r = await run(process.execPath, ["server/cli.ts", ...args], { env });
        return r.stdout;
      } catch (e) {
        const x = e as { stdout: string; stderr: string };
        throw new Error(`ruche ${args.join(" ")} failed: ${x.stderr || x.stdout}`);
      }
    },
    async kill() {
      if (child.exitCode != null || child.signalCode != null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGKILL");
      await exited;
    },
    restart: launch,
    async stop() {
      if (child.exitCode == null && child.signalCode == null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
