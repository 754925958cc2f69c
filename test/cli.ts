// The operator CLI as a child process against a test database, the way an operator runs it.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface CliResult { code: number; out: string; err: string }

export function cliRunner(databaseUrl: () => string, extraEnv: Record<string, string> = {}): (...args: string[]) => Promise<CliResult> {
  return async (...args) => {
    try {
      const r = await run(process.execPath, ["server/cli.ts", ...args], {
        env: { ...process.env, DATABASE_URL: databaseUrl(), RUCHE_ORIGIN: "https://paris.test", RUCHE_LOG_LEVEL: "error", ...extraEnv },
        maxBuffer: 10 * 1024 * 1024,
      });
      return { code: 0, out: r.stdout, err: r.stderr };
    } catch (e) {
      const x = e as { code: number; stdout: string; stderr: string };
      return { code: x.code, out: x.stdout, err: x.stderr };
    }
  };
}
