// Which ffmpeg and ffprobe to run, and the one way we run them. ffmpeg: FFMPEG_PATH, else `ffmpeg` on PATH, else
// the binary shipped by @ffmpeg-installer/ffmpeg (an npm package, so `npm install` alone gives every machine one;
// ffmpeg-static downloads at install time and fails on machines without internet). ffprobe likewise: FFPROBE_PATH,
// else `ffprobe` beside a configured FFMPEG_PATH, else on PATH, else @ffprobe-installer/ffprobe.
import { execFile, spawn } from "node:child_process";
import { access, constants } from "node:fs/promises";
import { createRequire } from "node:module";
import { setPriority } from "node:os";
import { dirname, join } from "node:path";

function works(cmd: string): Promise<boolean> {
  return new Promise((resolve) => execFile(cmd, ["-version"], { timeout: 5_000 }, (error) => resolve(!error)));
}

const require = createRequire(import.meta.url);
let found: Promise<string | null> | undefined;
let foundProbe: Promise<string | null> | undefined;

/** The binary on PATH, else the one an npm package ships (its `path` export). */
function lookUp(name: string, npmPackage: string): Promise<string | null> {
  return (async () => {
    if (await works(name)) return name;
    try {
      const shipped = (require(npmPackage) as { path: string }).path;
      if (await works(shipped)) return shipped;
    } catch { /* not installed for this platform */ }
    return null;
  })();
}

export function findFfmpeg(configured: string | undefined): Promise<string | null> {
  if (configured) return Promise.resolve(configured);
  found ??= lookUp("ffmpeg", "@ffmpeg-installer/ffmpeg");
  return found;
}

export function findFfprobe(configured: string | undefined, ffmpegPath?: string): Promise<string | null> {
  if (configured) return Promise.resolve(configured);
  if (ffmpegPath && ffmpegPath.includes("/")) {
    const beside = join(dirname(ffmpegPath), "ffprobe");
    return access(beside, constants.X_OK).then(() => beside, () => findFfprobe(undefined));
  }
  foundProbe ??= lookUp("ffprobe", "@ffprobe-installer/ffprobe");
  return foundProbe;
}

export interface RunOptions {
  /** Killed (SIGKILL) after this long: a hostile or broken file must not hold a core forever. */
  timeoutMs: number;
  cwd?: string;
  /** Scheduling priority for the child (0–19): long encodes yield the CPU to the web process. */
  niceness?: number;
  signal?: AbortSignal;
  /** Standard output is collected (ffprobe's JSON); otherwise ignored. */
  captureStdout?: boolean;
}

export type RunResult =
  | { ok: true; stdout: string; stderr: string }
  | { ok: false; started: boolean; timedOut: boolean; stderr: string; stdout: string };

/**
 * Runs ffmpeg or ffprobe with an argument list (never a shell), bounded in time and output. `started: false` means
 * the binary could not be run at all (ENOENT, EACCES…): the server's problem, not the file's.
 */
export function runMediaTool(bin: string, args: string[], opts: RunOptions): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { cwd: opts.cwd, stdio: ["ignore", opts.captureStdout ? "pipe" : "ignore", "pipe"], signal: opts.signal, killSignal: "SIGKILL" });
    if (opts.niceness && child.pid) {
      try { setPriority(child.pid, opts.niceness); } catch { /* not permitted: run at normal priority */ }
    }
    let stderr = "", stdout = "", timedOut = false, settled = false;
    child.stderr!.on("data", (d: Buffer) => { stderr = (stderr + d.toString()).slice(-8192); });
    child.stdout?.on("data", (d: Buffer) => { if (stdout.length < 4 * 1024 * 1024) stdout += d.toString(); });
    const timer = setTimeout(() => { timedOut = true; child.kill("SIGKILL"); }, opts.timeoutMs);
    const done = (r: RunResult) => { if (!settled) { settled = true; clearTimeout(timer); resolve(r); } };
    child.on("error", (e: NodeJS.ErrnoException) => done({ ok: false, started: e.name === "AbortError" || typeof e.code !== "string" || e.code === "ABORT_ERR", timedOut, stderr, stdout }));
    child.on("close", (code) => done(code === 0 && !timedOut ? { ok: true, stdout, stderr } : { ok: false, started: true, timedOut, stderr, stdout }));
  });
}
