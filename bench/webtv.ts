// WebTV (issue #13), three figures side by side:
//  - pipeline overhead: our ladder (transcodeVideo: probes, rung by rung, master writes, database updates) against
//    the very same ffmpeg commands run bare one after the other — the ratio is what the pipeline adds (≤ 1.05);
//    one ffmpeg decoding once for every rung (split filter) is printed as context (what rung-by-rung costs, ADR 0013);
//  - time from upload complete to first playable segment (registration: ffprobe, poster, rows; then the lowest
//    rung's first 4 s segment) for a long 1080p source (≤ 15 s on 2 cores);
//  - tus upload throughput on loopback (≥ 200 MB/s) and the server process's memory growth while uploading.
// Sources are generated (testsrc2 + sine). Sizes: WEBTV_BENCH_LADDER_SECONDS (20), WEBTV_BENCH_LONG_SECONDS (600),
// WEBTV_BENCH_UPLOAD_MB (2048). `npm run bench -- webtv`.
import { copyFile, mkdtemp, rm, stat } from "node:fs/promises";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { findFfmpeg, runMediaTool } from "../media/ffmpeg.ts";
import { createLocalUser } from "../server/domain/accounts/accounts.ts";
import { createApiToken } from "../server/domain/accounts/tokens.ts";
import { chooseLadder, rungArgs } from "../server/domain/videos/ladder.ts";
import { transcodeVideo } from "../server/domain/videos/transcode.ts";
import { registerVideo, videoDir, type VideoEnv } from "../server/domain/videos/videos.ts";
import { mkdir } from "node:fs/promises";
import type { Benchmark } from "./lib/bench.ts";
import { closeAllScopes, Scope } from "./lib/cleanup.ts";
import { startBenchInstance } from "./lib/instance.ts";
import { atLeast, atMost, formatNumber, mb, Report } from "./lib/report.ts";

const num = (name: string, fallback: number) => Number(process.env[name]) || fallback;

/**
 * CPU milliseconds of this process and of its finished children (utime, stime, cutime, cstime of /proc/self/stat,
 * in clock ticks of 10 ms): what the ladder costs, whatever else runs on the shared cores meanwhile.
 */
async function cpuMs(): Promise<number> {
  const { readFile } = await import("node:fs/promises");
  const fields = (await readFile("/proc/self/stat", "utf8")).split(") ")[1].split(" ");
  return fields.slice(11, 15).reduce((a, f) => a + Number(f), 0) * 10;
}

async function makeSource(ffmpeg: string, out: string, width: number, height: number, seconds: number): Promise<void> {
  const r = await runMediaTool(ffmpeg, ["-nostdin", "-v", "error", "-f", "lavfi", "-i", `testsrc2=size=${width}x${height}:rate=30:duration=${seconds}`,
    "-f", "lavfi", "-i", `sine=frequency=440:sample_rate=48000:duration=${seconds}`, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
    "-c:a", "aac", "-shortest", "-y", out], { timeoutMs: 3_600_000, niceness: 10 });
  if (!r.ok) throw new Error(`source: ${r.stderr}`);
}

/** The same rungs in one ffmpeg process: one decode, `split` to every scaler, one HLS output per rung. */
function oneCommandArgs(source: string, rungs: ReturnType<typeof chooseLadder>): string[] {
  const split = `[0:v]split=${rungs.length}${rungs.map((_, i) => `[s${i}]`).join("")};` +
    rungs.map((r, i) => `[s${i}]scale=${r.width}:${r.height},setsar=1[v${i}]`).join(";");
  const outs = rungs.flatMap((r, i) => {
    const one = rungArgs(source, { hasAudio: true, demuxer: "mov" }, r, false);
    const from = one.indexOf("-c:v");
    return ["-map", `[v${i}]`, "-map", "0:a:0", ...one.slice(from, -1).map((a) => (a === "seg%05d.m4s" ? `${r.label}/seg%05d.m4s` : a)), `${r.label}/index.m3u8`];
  });
  return ["-nostdin", "-hide_banner", "-v", "error", "-protocol_whitelist", "file", "-f", "mov", "-i", source, "-filter_complex", split, ...outs];
}

export const webtv: Benchmark = {
  name: "webtv",
  title: "WebTV: ladder overhead, time to first playable segment, tus upload throughput",
  async run(report: Report) {
    const scope = new Scope("webtv");
    try {
      const ffmpeg = await findFfmpeg(process.env.FFMPEG_PATH);
      if (!ffmpeg) throw new Error("no ffmpeg");
      const work = await mkdtemp(join(tmpdir(), "ruche-bench-webtv-"));
      scope.defer("temp dir", () => rm(work, { recursive: true, force: true }));
      const paris = await startBenchInstance(scope, { name: "Paris" });
      const { account } = await createLocalUser(paris.sql, paris.origin, { username: "alice" });
      const env: VideoEnv = { dataDir: paris.instance.config.dataDir, origin: paris.origin, limits: { maxBytes: 64 * 1024 ** 3, maxSeconds: 24 * 3600 } };
      report.note(`ffmpeg: ${ffmpeg}; load average before: ${loadavg().map((l) => l.toFixed(1)).join(", ")} (${availableParallelism()} cores)`);

      // 1. Overhead.
      const ladderSeconds = num("WEBTV_BENCH_LADDER_SECONDS", 20);
      const src = join(work, "ladder.mp4");
      await makeSource(ffmpeg, src, 1280, 720, ladderSeconds);
      const rungs = chooseLadder({ width: 1280, height: 720, fps: 30 });
      await paris.instance.stop(); // no worker from here on: the bench runs the transcode jobs itself
      // Interleaved rounds, the fastest of each kind kept: other processes on the shared cores come and go.
      const bareRuns: number[] = [], ourRuns: number[] = [], bareCpu: number[] = [], ourCpu: number[] = [];
      for (let round = 0; round < 2; round++) {
        const bare = join(work, `bare-${round}`);
        let c0 = await cpuMs();
        let t0 = performance.now();
        for (const r of rungs) {
          await mkdir(join(bare, String(r.label)), { recursive: true });
          const run = await runMediaTool(ffmpeg, rungArgs(src, { hasAudio: true, demuxer: "mov" }, r, r === rungs[0]), { cwd: join(bare, String(r.label)), timeoutMs: 3_600_000, niceness: 10 });
          if (!run.ok) throw new Error(run.stderr);
        }
        bareRuns.push(performance.now() - t0);
        bareCpu.push((await cpuMs()) - c0);
        await rm(bare, { recursive: true, force: true });
        const copy = join(work, `upload-${round}`);
        await copyFile(src, copy);
        const video = await registerVideo(paris.sql, env, account.id, copy, { upload_id: "x", title: "bench", description: "", visibility: "internal" });
        c0 = await cpuMs();
        t0 = performance.now();
        await transcodeVideo(paris.sql, { dataDir: env.dataDir }, video.id);
        ourRuns.push(performance.now() - t0);
        ourCpu.push((await cpuMs()) - c0);
        await rm(videoDir(env.dataDir, video.id), { recursive: true, force: true });
      }
      const bareMs = Math.min(...bareRuns), oursMs = Math.min(...ourRuns);
      const single = join(work, "single");
      for (const r of rungs) await mkdir(join(single, String(r.label)), { recursive: true });
      let t = performance.now();
      const one = await runMediaTool(ffmpeg, oneCommandArgs(src, rungs), { cwd: single, timeoutMs: 3_600_000, niceness: 10 });
      const oneMs = performance.now() - t;
      const list = (xs: number[]) => xs.map((x) => formatNumber(x / 1000)).join(" / ");
      report.note(`${ladderSeconds} s 720p30 source, ${rungs.length} rungs (${rungs.map((r) => r.label).join("/")}): bare commands ${list(bareRuns)} s, ` +
        `our pipeline ${list(ourRuns)} s (fastest kept), one ffmpeg with split ${one.ok ? `${formatNumber(oneMs / 1000)} s` : "failed"}`);
      report.note(`CPU: bare ${list(bareCpu)} s, our pipeline ${list(ourCpu)} s (ffmpeg, ffprobe and this process; the database's share is not counted)`);
      report.add("pipeline overhead, CPU (our ladder / same ffmpeg commands bare)", Math.min(...ourCpu) / Math.min(...bareCpu), "×", { target: atMost(1.05, "1.05"), digits: 3 });
      report.add("pipeline overhead, wall clock (context: the shared cores make it noisy)", oursMs / bareMs, "×", { digits: 3 });
      if (one.ok) report.add("rung-by-rung against one ffmpeg decoding once (context)", bareMs / oneMs, "×", { digits: 2 });

      // 2. Time to the first playable segment.
      const longSeconds = num("WEBTV_BENCH_LONG_SECONDS", 600);
      const long = join(work, "long.mp4");
      t = performance.now();
      await makeSource(ffmpeg, long, 1920, 1080, longSeconds);
      report.note(`generated a ${longSeconds} s 1080p30 source (${formatNumber(mb((await stat(long)).size))} MB) in ${formatNumber((performance.now() - t) / 1000)} s`);
      const upload = join(work, "upload-2");
      await copyFile(long, upload);
      const stop = new AbortController();
      t = performance.now();
      let firstMs = 0;
      const registered = await registerVideo(paris.sql, env, account.id, upload, { upload_id: "x", title: "long", description: "", visibility: "internal" });
      const registerMs = performance.now() - t;
      await transcodeVideo(paris.sql, { dataDir: env.dataDir, onStep: (s) => {
        if (s.event === "first-segment" && !firstMs) { firstMs = performance.now() - t; stop.abort(); }
      } }, registered.id, stop.signal).catch(() => {});
      report.note(`registration (ffprobe, poster, rows): ${formatNumber(registerMs / 1000)} s`);
      report.add(`upload complete → first playable segment (${longSeconds} s 1080p source)`, firstMs / 1000, "s", { target: atMost(15, "15 s on 2 cores") });

      // 3. tus throughput and memory (a fresh web process: the instance above was stopped).
      const web = await startBenchInstance(scope, { name: "Upload" });
      const user = await createLocalUser(web.sql, web.origin, { username: "bob" });
      const token = await createApiToken(web.sql, user.account.id, ["read", "write"]);
      const size = num("WEBTV_BENCH_UPLOAD_MB", 2048) * 1024 * 1024;
      const auth = { "Tus-Resumable": "1.0.0", Authorization: `Bearer ${token}` };
      const created = await fetch(`${web.origin}/api/ruche/v1/uploads`, { method: "POST", headers: { ...auth, "Upload-Length": String(size) } });
      const location = created.headers.get("Location")!;
      const chunk = new Uint8Array(1024 * 1024);
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= size) return controller.close();
          const n = Math.min(chunk.length, size - sent);
          sent += n;
          controller.enqueue(n === chunk.length ? chunk : chunk.subarray(0, n));
        },
      });
      global.gc?.();
      const rss0 = process.memoryUsage().rss;
      let peak = rss0;
      const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 50);
      t = performance.now();
      const res = await fetch(location, { method: "PATCH", body, duplex: "half", headers: { ...auth, "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream" } } as RequestInit);
      const uploadMs = performance.now() - t;
      clearInterval(sampler);
      if (res.status !== 204) throw new Error(`PATCH answered ${res.status}`);
      report.add(`tus upload throughput on loopback (${formatNumber(size / 1024 ** 3)} GiB, one PATCH, client and server in this process)`, size / 1e6 / (uploadMs / 1000), "MB/s", { target: atLeast(200, "200 MB/s") });
      report.add("memory growth of the process while uploading", mb(peak - rss0), "MB");
      report.note("memory: RSS of the whole benchmark process (server and client), sampled every 50 ms; flat means it does not grow with the file");
    } finally {
      await scope.close();
    }
  },
};

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    await webtv.run(new Report("webtv"));
  } finally {
    await closeAllScopes();
  }
  process.exit(0);
}
