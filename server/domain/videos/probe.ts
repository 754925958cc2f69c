// What a file is, asked of ffprobe (its content, never its name or the client's Content-Type): a playable video
// has a video stream in a codec our decoder knows, a positive duration within the instance's limit, and a size
// ffmpeg will accept. Anything else is a DomainError with a stable code the uploader can act on.
import { runMediaTool } from "../../../media/ffmpeg.ts";
import { DomainError } from "../errors.ts";

export interface Probe {
  durationS: number;
  /** Display size: the sample aspect ratio applied and a 90°/270° rotation swapped, as viewers see it. */
  width: number;
  height: number;
  fps: number;
  hasAudio: boolean;
  videoCodec: string;
  /** The demuxer ffprobe chose, forced on every later ffmpeg run (never guessed again from the content). */
  demuxer: string;
}

/**
 * Containers we accept, by ffprobe's demuxer name. Playlists (hls), concat scripts, image sequences and the like are
 * refused: they make ffmpeg open other files (corpus case 27), and they are not what a person uploads as a video.
 */
const CONTAINERS = new Set(["mov", "matroska", "avi", "mpegts", "flv", "ogg", "mpeg", "mxf", "asf", "webm"]);

const PROBE_TIMEOUT_MS = 30_000;
/** Above this many pixels a frame is refused before anything decodes it (a 1 KiB header can claim 60k × 60k). */
export const MAX_VIDEO_PIXELS = 4096 * 2304;

function rate(s: string | undefined): number {
  const [n, d] = (s ?? "").split("/").map(Number);
  return n > 0 && d > 0 ? n / d : 0;
}

/** The rotation a stream asks for (tags.rotate in older muxers, display-matrix side data in newer ones). */
function rotationOf(stream: any): number {
  const tag = Number(stream.tags?.rotate);
  if (Number.isFinite(tag) && tag !== 0) return tag;
  for (const sd of stream.side_data_list ?? []) if (typeof sd.rotation === "number") return sd.rotation;
  return 0;
}

/** Reads the probe JSON; exported for tests of odd shapes without files. */
export function interpretProbe(json: any, limits: { maxSeconds: number }): Probe {
  const streams: any[] = Array.isArray(json?.streams) ? json.streams : [];
  const demuxer = String(json?.format?.format_name ?? "").split(",")[0];
  if (!CONTAINERS.has(demuxer)) throw new DomainError("not_a_video", 422, "this file is not a video we can read", "upload_id");
  const video = streams.find((s) => s.codec_type === "video" && s.disposition?.attached_pic !== 1);
  const audio = streams.find((s) => s.codec_type === "audio");
  if (!video) {
    if (audio) throw new DomainError("audio_only", 422, "this file has sound but no picture: the WebTV takes videos only", "upload_id");
    throw new DomainError("not_a_video", 422, "this file is not a video we can read", "upload_id");
  }
  if (!video.codec_name || video.codec_name === "unknown") {
    throw new DomainError("unsupported_codec", 422, "the video is in a format we cannot decode", "upload_id");
  }
  const durationS = Number(json.format?.duration ?? video.duration);
  if (!(durationS > 0)) throw new DomainError("not_a_video", 422, "this video has no length (it may be damaged)", "upload_id");
  if (durationS > limits.maxSeconds) {
    throw new DomainError("too_long", 422, `the video lasts longer than this instance accepts (${Math.floor(limits.maxSeconds / 60)} minutes)`, "upload_id");
  }
  let w = Number(video.width), h = Number(video.height);
  if (!(w > 0 && h > 0)) throw new DomainError("not_a_video", 422, "the video has no picture size (it may be damaged)", "upload_id");
  if (w * h > MAX_VIDEO_PIXELS) throw new DomainError("too_large_picture", 422, "the picture is larger than 4K", "upload_id");
  const [sn, sd] = String(video.sample_aspect_ratio ?? "1:1").split(":").map(Number);
  if (sn > 0 && sd > 0 && sn !== sd) w = Math.round((w * sn) / sd); // anamorphic: stored narrow, shown wide
  if (Math.abs(rotationOf(video)) % 180 === 90) [w, h] = [h, w];
  const fps = rate(video.avg_frame_rate) || rate(video.r_frame_rate) || 25;
  return { durationS, width: w, height: h, fps: Math.min(fps, 60), hasAudio: audio != null, videoCodec: video.codec_name, demuxer };
}

/** Text that makes a demuxer open other files: refused before ffprobe reads anything (corpus case 27). */
function isScript(head: Uint8Array): boolean {
  const text = new TextDecoder().decode(head).replace(/^\uFEFF/, "").trimStart();
  return text.startsWith("#EXTM3U") || text.startsWith("ffconcat") || text.startsWith("file ") || text.startsWith("<");
}

/** Probes a local file (file protocol only, corpus case 27). `head`: its first bytes. */
export async function probeVideo(ffprobe: string, file: string, head: Uint8Array, limits: { maxSeconds: number }): Promise<Probe> {
  if (isScript(head)) throw new DomainError("not_a_video", 422, "this file is not a video we can read", "upload_id");
  const r = await runMediaTool(ffprobe, [
    "-v", "error", "-protocol_whitelist", "file", "-show_streams", "-show_format", "-of", "json", file,
  ], { timeoutMs: PROBE_TIMEOUT_MS, captureStdout: true, niceness: 5 });
  if (!r.ok && !r.started) throw new Error(`ffprobe (${ffprobe}) could not be started`);
  let json: unknown = null;
  try { json = JSON.parse(r.stdout); } catch { /* not JSON: not a media file */ }
  if (!r.ok || !json) throw new DomainError("not_a_video", 422, "this file is not a video we can read (damaged or not a video)", "upload_id");
  return interpretProbe(json, limits);
}
