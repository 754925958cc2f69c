// The transcoding job (queue `video-transcode`, worker role): the ladder chosen at registration, encoded one rung
// at a time, lowest first. The lowest rung is an EVENT playlist listed in the master as soon as its first segment
// exists (state `playable`: people watch while the rest encodes); each other rung joins the master when finished;
// `ready` at the end, when the source is deleted. A rung's state is recorded when it finishes, so a killed job,
// retried by the queue, skips the finished rungs and starts the unfinished one afresh. A file ffmpeg cannot
// decode, or a rung over its time budget, fails the video with a readable `error` and removes what was made.
import { readFile, rename, rm, stat, writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { getLogger } from "@logtape/logtape";
import { findFfmpeg, findFfprobe, runMediaTool } from "../../../media/ffmpeg.ts";
import type { Db, Sql } from "../../db/pool.ts";
import { enqueueOutbox } from "../outbox.ts";
import { avcCodec, audioBitrate, type MasterEntry, masterPlaylist, playlistSegments, type Rung, rungArgs } from "./ladder.ts";
import { findVideo, videoDir, type VideoRung, type VideoView } from "./videos.ts";

const logger = getLogger(["ruche", "videos"]);

export interface TranscodeEnv {
  dataDir: string;
  ffmpegPath?: string;
  ffprobePath?: string;
  /** Scheduling priority of ffmpeg (default 10): encodes yield the CPU to the web process. */
  niceness?: number;
  /** A rung's time budget: `budgetFactor` seconds of encoding per second of video (default 20) plus `budgetBaseSeconds` (60). */
  budgetFactor?: number;
  budgetBaseSeconds?: number;
  /** Told of each step (tests: kill the job after a rung). */
  onStep?: (step: { videoId: string; rung: number; event: "first-segment" | "rung-ready" }) => void;
}

/** A failure that retrying cannot fix: the video is marked failed with this message. */
class VideoFailure extends Error {}

async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path); // a player never reads a half-written master
}

async function writeMaster(dir: string, entries: MasterEntry[]): Promise<void> {
  await writeAtomically(join(dir, "hls", "master.m3u8"), masterPlaylist(entries));
}

/** The master entry of a finished rung, from the encoded files: peak segment rate, codecs, frame rate. */
async function measure(ffprobe: string, rungDir: string, rung: Rung, hasAudio: boolean): Promise<MasterEntry> {
  const segments = playlistSegments(await readFile(join(rungDir, "index.m3u8"), "utf8"));
  let peak = 0;
  for (const s of segments) {
    const bytes = (await stat(join(rungDir, s.uri))).size;
    if (s.duration > 0) peak = Math.max(peak, Math.ceil((bytes * 8) / s.duration));
  }
  const r = await runMediaTool(ffprobe, ["-v", "error", "-protocol_whitelist", "file", "-select_streams", "v:0", "-show_streams", "-of", "json",
    join(rungDir, "index.m3u8")], { timeoutMs: 30_000, captureStdout: true });
  const v = r.ok ? JSON.parse(r.stdout).streams?.[0] : undefined;
  const [n, d] = String(v?.avg_frame_rate ?? v?.r_frame_rate ?? "0/1").split("/").map(Number);
  return {
    label: rung.label, width: rung.width, height: rung.height, bandwidth: peak,
    codecs: [avcCodec(v?.profile, v?.level), ...(hasAudio ? ["mp4a.40.2"] : [])].join(","),
    frameRate: n > 0 && d > 0 ? n / d : 0,
  };
}

/** Before a growing rung can be measured: its target rates, and the source's frame rate. */
function estimate(rung: Rung, video: VideoView): MasterEntry {
  const audio = video.hasAudio ? audioBitrate(rung) : 0;
  return {
    label: rung.label, width: rung.width, height: rung.height, bandwidth: Math.round((rung.bitrate * 1.2 + audio) * 1.1),
    codecs: [avcCodec("main", rung.label <= 360 ? 30 : 31), ...(video.hasAudio ? ["mp4a.40.2"] : [])].join(","), frameRate: video.fps,
  };
}

const entryOf = (r: VideoRung): MasterEntry => ({ label: r.label, width: r.width, height: r.height, bandwidth: r.bandwidth!, codecs: r.codecs!, frameRate: r.frameRate! });

async function fail(db: Db, dir: string, id: string, message: string): Promise<void> {
  logger.warn("Video {id} failed: {message}", { id, message });
  await db`UPDATE videos SET state = 'failed', error = ${message}, updated_at = now() WHERE id = ${id}`;
  await db`UPDATE video_rungs SET state = 'pending' WHERE video_id = ${id}`;
  await rm(join(dir, "hls"), { recursive: true, force: true });
  await rm(join(dir, "source"), { force: true });
}

/** Watches a growing playlist until it lists a segment, then calls `then` once. Returns the stopper. */
/**
 * Runs `then` once, as soon as the playlist lists a segment (polled every 250 ms while ffmpeg writes it). The
 * returned `stop(encoded)` ends the polling and waits for a publication under way; when the rung was encoded, it makes
 * the publication if the rung was quicker than the first poll — so it happens exactly once, and always before the
 * rung's own master is written.
 */
function onFirstSegment(playlist: string, then: () => Promise<void>): (encoded: boolean) => Promise<void> {
  let done = false;
  let running: Promise<void> | null = null;
  const publish = () => (running ??= then().catch((e) => logger.error("Publishing a first segment: {e}", { e: String(e) })));
  const tick = async () => {
    if (done || running) return;
    const text = await readFile(playlist, "utf8").catch(() => "");
    if (done || running) return;
    if (playlistSegments(text).length > 0) await publish();
    else setTimeout(tick, 250).unref();
  };
  setTimeout(tick, 250).unref();
  return async (encoded) => {
    done = true;
    if (encoded) await publish();
    else await running;
  };
}

/** The job. Returns quietly for a video that is gone, finished or failed (a duplicate or late job). */
export async function transcodeVideo(db: Sql, env: TranscodeEnv, videoId: string, signal?: AbortSignal): Promise<void> {
  const video = await findVideo(db, videoId);
  if (!video || video.state === "ready" || video.state === "failed") return;
  const dir = videoDir(env.dataDir, video.id);
  const source = join(dir, "source");
  try {
    if (!(await stat(source).catch(() => null))) throw new VideoFailure("the uploaded file is no longer there");
    const ffmpeg = await findFfmpeg(env.ffmpegPath), ffprobe = await findFfprobe(env.ffprobePath, env.ffmpegPath);
    if (!ffmpeg || !ffprobe) throw new Error("ffmpeg or ffprobe is missing on this worker");
    const demuxer = video.demuxer;
    await mkdir(join(dir, "hls"), { recursive: true });
    const ready: MasterEntry[] = video.rungs.filter((r) => r.state === "ready").map(entryOf);
    // A rung left half-done by a killed job is not in the master: start the master from the finished ones.
    await writeMaster(dir, ready);
    for (const [index, rung] of video.rungs.entries()) {
      if (rung.state === "ready") continue;
      const rungDir = join(dir, "hls", String(rung.label));
      await rm(rungDir, { recursive: true, force: true });
      await mkdir(rungDir);
      await db`UPDATE video_rungs SET state = 'encoding' WHERE video_id = ${video.id} AND label = ${rung.label}`;
      const first = index === 0;
      const stop = first ? onFirstSegment(join(rungDir, "index.m3u8"), async () => {
        await writeMaster(dir, [...ready, estimate(rung, video)]);
        await db`UPDATE videos SET state = 'playable', updated_at = now() WHERE id = ${video.id} AND state = 'processing'`;
        env.onStep?.({ videoId: video.id, rung: rung.label, event: "first-segment" });
      }) : async (_encoded: boolean) => {};
      const budgetMs = ((env.budgetBaseSeconds ?? 60) + video.durationS * (env.budgetFactor ?? 20)) * 1000;
      const r = await runMediaTool(ffmpeg, rungArgs(source, { hasAudio: video.hasAudio, demuxer }, rung, first), {
        cwd: rungDir, timeoutMs: budgetMs, niceness: env.niceness ?? 10, signal,
      });
      await stop(r.ok);
      if (!r.ok) {
        if (signal?.aborted || !r.started) throw new Error(r.started ? "transcoding stopped" : `ffmpeg (${ffmpeg}) could not be started`);
        if (r.timedOut) throw new VideoFailure(`encoding the ${rung.label}p version took longer than its time budget (${Math.round(budgetMs / 1000)} s)`);
        const reason = r.stderr.trim().split("\n").pop() ?? "";
        throw new VideoFailure(`the video could not be decoded at ${rung.label}p (the file may be damaged)${reason ? `: ${reason.slice(0, 200)}` : ""}`);
      }
      const entry = await measure(ffprobe, rungDir, rung, video.hasAudio);
      await db`UPDATE video_rungs SET state = 'ready', bandwidth = ${entry.bandwidth}, codecs = ${entry.codecs}, frame_rate = ${entry.frameRate}
        WHERE video_id = ${video.id} AND label = ${rung.label}`;
      ready.push(entry);
      await writeMaster(dir, ready);
      await db`UPDATE videos SET state = 'playable', updated_at = now() WHERE id = ${video.id} AND state = 'processing'`;
      env.onStep?.({ videoId: video.id, rung: rung.label, event: "rung-ready" });
    }
    await db.begin(async (tx) => {
      await tx`UPDATE videos SET state = 'ready', updated_at = clock_timestamp() WHERE id = ${video.id}`;
      // Siblings learn of the full ladder: an Update of the post's Video (federation/mappers/video.ts).
      if (video.postId && video.visibility !== "local") await enqueueOutbox(tx, { kind: "update-note", postId: video.postId });
    });
    await rm(source, { force: true }); // the ladder replaces it; nothing left to resume
  } catch (e) {
    if (e instanceof VideoFailure) return await fail(db, dir, video.id, e.message);
    throw e; // retried by the queue (a killed or stopped worker, a missing binary); the finished rungs stay
  }
}
