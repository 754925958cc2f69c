// WebTV videos (issue #13): registering an uploaded file as a video, reading it, and who may watch it. A video is
// carried by a post — title, description and the watch link — so who may watch is who may read that post (the one
// audience rule, server/domain/audience/), and the post is what timelines show and federation sends. The files
// live under <data>/videos/<id>/; transcode.ts fills hls/ from source.
import { randomBytes, randomUUID } from "node:crypto";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { findFfmpeg, findFfprobe, runMediaTool } from "../../../media/ffmpeg.ts";
import type { Db, Sql } from "../../db/pool.ts";
import { enqueueJob } from "../../jobs/enqueue.ts";
import { canRead, type Viewer } from "../audience/visibility.ts";
import { DomainError } from "../errors.ts";
import { createPost, deletePost } from "../posts/posts.ts";
import { chooseLadder, posterArgs } from "./ladder.ts";
import { type Probe, probeVideo } from "./probe.ts";

export const VIDEO_STATES = ["processing", "playable", "ready", "failed"] as const;
export type VideoState = (typeof VIDEO_STATES)[number];
/** The post scopes a video may have; a direct or group video has no page to show it yet. */
export const VIDEO_VISIBILITIES = ["public", "unlisted", "internal", "followers", "local"] as const;

export interface VideoRung {
  label: number; width: number; height: number; bitrate: number; state: "pending" | "encoding" | "ready";
  bandwidth: number | null; codecs: string | null; frameRate: number | null;
}

export interface VideoView {
  id: string; uuid: string; accountId: string; postId: string | null; title: string; description: string;
  visibility: (typeof VIDEO_VISIBILITIES)[number]; state: VideoState; error: string | null;
  durationS: number; width: number; height: number; fps: number; hasAudio: boolean; sizeBytes: number;
  /** The demuxer ffprobe chose at registration, forced on every later ffmpeg run. */
  demuxer: string;
  signKey: Buffer; createdAt: Date; updatedAt: Date; rungs: VideoRung[];
}

export interface VideoEnv {
  dataDir: string;
  origin: string;
  ffmpegPath?: string;
  ffprobePath?: string;
  limits: { maxBytes: number; maxSeconds: number };
}

export const videoInputSchema = z.object({
  upload_id: z.string().regex(/^[0-9]{1,18}_[0-9a-f]{32}$/, "is not an upload of this instance"),
  title: z.string().trim().min(1, "is required").max(200, "at most 200 characters"),
  description: z.string().max(5000, "at most 5000 characters").default(""),
  visibility: z.enum(VIDEO_VISIBILITIES).default("internal"),
});
export type VideoInput = z.output<typeof videoInputSchema>;

export const videosDir = (dataDir: string) => join(dataDir, "videos");
export const videoDir = (dataDir: string, id: string) => join(videosDir(dataDir), id);
/** Where the watch page of a video is. */
export const watchPath = (id: string) => `/webtv/${id}`;

/** Who uploaded an upload: its id starts with the uploader's account id (uploads.ts names them). */
export function uploadOwner(uploadId: string): string {
  return uploadId.split("_")[0];
}

async function binaries(env: VideoEnv): Promise<{ ffmpeg: string; ffprobe: string }> {
  const ffmpeg = await findFfmpeg(env.ffmpegPath);
  const ffprobe = await findFfprobe(env.ffprobePath, env.ffmpegPath);
  if (!ffmpeg || !ffprobe) throw new Error("the WebTV needs ffmpeg and ffprobe (FFMPEG_PATH, FFPROBE_PATH, PATH or the npm packages)");
  return { ffmpeg, ffprobe };
}

/**
 * Checks an uploaded file — size, content (ffprobe), a first frame that decodes (the poster) — and returns what
 * it is, with the poster written to `poster`. Throws the DomainError the uploader sees; writes nothing else.
 */
export async function inspectUpload(env: VideoEnv, file: string, poster: string): Promise<Probe> {
  const size = (await stat(file).catch(() => null))?.size;
  if (size == null) throw new DomainError("not_found", 404, "no such upload (finished uploads are kept a day)", "upload_id");
  if (size === 0) throw new DomainError("empty_file", 422, "the file is empty", "upload_id");
  if (size > env.limits.maxBytes) throw new DomainError("file_too_large", 413, `the file is larger than this instance accepts (${Math.floor(env.limits.maxBytes / 1024 ** 2)} MiB)`, "upload_id");
  const head = Buffer.alloc(64);
  const fh = await open(file, "r");
  try { await fh.read(head, 0, 64, 0); } finally { await fh.close(); }
  const { ffmpeg, ffprobe } = await binaries(env);
  const probe = await probeVideo(ffprobe, file, head, env.limits);
  const r = await runMediaTool(ffmpeg, posterArgs(file, probe, poster), { timeoutMs: 60_000, niceness: 5 });
  if (!r.ok && !r.started) throw new Error(`ffmpeg (${ffmpeg}) could not be started`);
  if (!r.ok || !((await stat(poster).catch(() => null))?.size)) {
    throw new DomainError("not_a_video", 422, "the video's pictures cannot be decoded (the file may be damaged)", "upload_id");
  }
  return probe;
}

/** The text of the post that carries a video: its title, the start of its description, and the watch link. */
function postText(origin: string, id: string, input: VideoInput): string {
  const description = input.description.trim();
  const short = description.length > 1000 ? `${description.slice(0, 1000)}…` : description;
  return [input.title, short, `${origin}${watchPath(id)}`].filter(Boolean).join("\n\n");
}

/**
 * Turns a finished upload (`file`, owned by `accountId`) into a video: inspected, moved into the video's folder,
 * recorded with its ladder, carried by a new post, and queued for transcoding. On any refusal or failure the
 * upload's file and everything made from it is removed, and no row remains.
 */
export async function registerVideo(sql: Sql, env: VideoEnv, accountId: string, file: string, input: VideoInput): Promise<VideoView> {
  await mkdir(videosDir(env.dataDir), { recursive: true });
  const work = join(videosDir(env.dataDir), `.new-${randomBytes(8).toString("hex")}`);
  let id: string | null = null;
  try {
    await mkdir(work);
    const probe = await inspectUpload(env, file, join(work, "poster.jpg"));
    const size = (await stat(file)).size;
    await rename(file, join(work, "source"));
    const rungs = chooseLadder(probe);
    id = await sql.begin(async (tx) => {
      const [row] = await tx`INSERT INTO videos (account_id, uuid, title, description, visibility, duration_s, width, height, fps,
          has_audio, size_bytes, demuxer, sign_key)
        VALUES (${accountId}, ${randomUUID()}, ${input.title}, ${input.description}, ${input.visibility}, ${probe.durationS},
          ${probe.width}, ${probe.height}, ${probe.fps}, ${probe.hasAudio}, ${size}, ${probe.demuxer}, ${randomBytes(32)})
        RETURNING id::text`;
      for (const r of rungs) {
        await tx`INSERT INTO video_rungs (video_id, label, width, height, bitrate) VALUES (${row.id}, ${r.label}, ${r.width}, ${r.height}, ${r.bitrate})`;
      }
      return row.id as string;
    });
    const videoId = id;
    await rename(work, videoDir(env.dataDir, videoId));
    // The post, its link to the video and the transcode job commit together: the post's Create is built as a Video.
    await createPost(sql, env.origin, accountId, { text: postText(env.origin, videoId, input), visibility: input.visibility }, {
      attach: async (tx, postId) => {
        await tx`UPDATE videos SET post_id = ${postId} WHERE id = ${videoId}`;
        await enqueueJob(tx, "video-transcode", { videoId }, { key: videoId });
      },
    });
    return (await findVideo(sql, videoId))!;
  } catch (e) {
    await rm(work, { recursive: true, force: true });
    if (id) {
      await sql`DELETE FROM videos WHERE id = ${id}`;
      await rm(videoDir(env.dataDir, id), { recursive: true, force: true });
    }
    throw e;
  } finally {
    await rm(file, { force: true });
  }
}

function rungOf(r: any): VideoRung {
  return {
    label: r.label, width: r.width, height: r.height, bitrate: r.bitrate, state: r.state,
    bandwidth: r.bandwidth ?? null, codecs: r.codecs ?? null, frameRate: r.frame_rate ?? null,
  };
}

/** The video a post carries, if any (the post's ActivityPub object is then a Video). */
export async function findVideoOfPost(db: Db, postId: string): Promise<VideoView | null> {
  const [row] = await db`SELECT id::text FROM videos WHERE post_id = ${postId}`;
  return row ? await findVideo(db, row.id) : null;
}

export async function findVideo(db: Db, id: string): Promise<VideoView | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const [v] = await db`SELECT v.*, v.id::text AS id, v.account_id::text AS account_id, v.post_id::text AS post_id,
      v.size_bytes::float8 AS size_bytes,
      COALESCE((SELECT json_agg(r ORDER BY r.label) FROM video_rungs r WHERE r.video_id = v.id), '[]') AS rungs
    FROM videos v WHERE v.id = ${id}`;
  if (!v) return null;
  return {
    id: v.id, uuid: v.uuid, accountId: v.account_id, postId: v.post_id, title: v.title, description: v.description,
    visibility: v.visibility, state: v.state, error: v.error, durationS: v.duration_s, width: v.width, height: v.height,
    fps: v.fps, hasAudio: v.has_audio, sizeBytes: v.size_bytes, demuxer: v.demuxer, signKey: v.sign_key, createdAt: v.created_at, updatedAt: v.updated_at,
    rungs: (v.rungs as any[]).map(rungOf),
  };
}

/** The uploader always; anyone else when they may read the post that carries the video (the audience rule). */
export async function canWatch(db: Db, viewer: Viewer, video: VideoView): Promise<boolean> {
  if (viewer.kind === "local" && viewer.accountId === video.accountId) return true;
  return video.postId != null && (await canRead(db, viewer, video.postId));
}

/** Whether a video's files may be cached by anyone (a public or unlisted post's). */
export const isPublicVideo = (v: VideoView) => v.visibility === "public" || v.visibility === "unlisted";

/**
 * The uploader deletes a video: its post (whose Delete reaches everyone who got it, through the post outbox), its
 * row and rungs, and its files. A job still transcoding it finds no video and stops at its next step.
 */
export async function deleteVideo(sql: Sql, dataDir: string, video: VideoView, actorId: string): Promise<void> {
  if (video.accountId !== actorId) throw new DomainError("not_found", 404, "no such video of yours");
  if (video.postId) await deletePost(sql, video.postId, actorId, dataDir);
  await sql`DELETE FROM videos WHERE id = ${video.id}`;
  await rm(videoDir(dataDir, video.id), { recursive: true, force: true });
}
