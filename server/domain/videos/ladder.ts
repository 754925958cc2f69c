// The HLS ladder, as pure functions: which rungs a source gets (1080/720/480/360/240 by its short side, never
// upscaled, even dimensions for H.264 4:2:0), the ffmpeg arguments of one rung, and our own master playlist
// (CODECS, RESOLUTION, BANDWIDTH, FRAME-RATE) — written by us because the shipped ffmpeg build crashes with
// `-master_pl_name`, and because rungs join it one by one as they finish.
import type { Probe } from "./probe.ts";

export interface Rung { label: number; width: number; height: number; bitrate: number }

export const LADDER = [1080, 720, 480, 360, 240] as const;
/** Average bits per pixel per rung (PeerTube's figures, shared/reference §3): higher for small pictures. */
const BPP: Record<number, number> = { 1080: 0.1, 720: 0.11, 480: 0.12, 360: 0.15, 240: 0.17 };
/** Segment length, and keyframes every half segment, forced at the same timestamps on every rung (aligned). */
export const SEGMENT_SECONDS = 4;
const KEYFRAME_SECONDS = 2;

const even = (x: number) => Math.max(2, Math.round(x / 2) * 2);

/** Rungs lowest first (the order they are encoded and published in). Portrait sources are laddered by width. */
export function chooseLadder(p: Pick<Probe, "width" | "height" | "fps">): Rung[] {
  const short = Math.min(p.width, p.height);
  const labels: number[] = LADDER.filter((l) => l <= short);
  if (labels.length === 0) labels.push(even(short)); // a source below 240p keeps its own size
  return labels.map((label) => {
    const f = label / short;
    const width = even(p.width * f), height = even(p.height * f);
    const bpp = BPP[label] ?? 0.17;
    return { label, width, height, bitrate: Math.round(width * height * Math.min(p.fps, 60) * bpp) };
  }).sort((a, b) => a.label - b.label);
}

export function audioBitrate(rung: Rung): number {
  return rung.label <= 360 ? 96_000 : 128_000;
}

/**
 * ffmpeg's arguments for one rung, run in the rung's own directory: the source through the file protocol only and
 * the demuxer ffprobe chose (no playlist or concat tricks, corpus case 27), H.264 Main + AAC-LC stereo in fMP4
 * segments. `event`: the playlist is an EVENT playlist that grows as segments are written (the first rung, played
 * while it is encoded); the others are VOD and join the master once finished.
 */
export function rungArgs(source: string, probe: Pick<Probe, "hasAudio" | "demuxer">, rung: Rung, event: boolean): string[] {
  return [
    "-nostdin", "-hide_banner", "-v", "error",
    "-protocol_whitelist", "file", "-f", probe.demuxer, "-i", source,
    "-map", "0:v:0", ...(probe.hasAudio ? ["-map", "0:a:0"] : []),
    "-vf", `scale=${rung.width}:${rung.height},setsar=1`,
    "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "main", "-pix_fmt", "yuv420p",
    "-b:v", String(rung.bitrate), "-maxrate", String(Math.round(rung.bitrate * 1.2)), "-bufsize", String(rung.bitrate * 2),
    "-force_key_frames", `expr:gte(t,n_forced*${KEYFRAME_SECONDS})`, "-sc_threshold", "0",
    ...(probe.hasAudio ? ["-c:a", "aac", "-b:a", String(audioBitrate(rung)), "-ac", "2", "-ar", "48000"] : []),
    "-map_metadata", "-1", "-map_chapters", "-1",
    "-f", "hls", "-hls_time", String(SEGMENT_SECONDS), "-hls_list_size", "0", "-hls_playlist_type", event ? "event" : "vod",
    "-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", "seg%05d.m4s",
    "-y", "index.m3u8",
  ];
}

/** The poster: one frame a second in (or mid-video for shorter clips), at most 1280 wide, JPEG. */
export function posterArgs(source: string, probe: Pick<Probe, "demuxer" | "durationS">, output: string): string[] {
  return [
    "-nostdin", "-hide_banner", "-v", "error", "-ss", String(Math.min(1, probe.durationS / 2)),
    "-protocol_whitelist", "file", "-f", probe.demuxer, "-i", source,
    "-map", "0:v:0", "-frames:v", "1", "-vf", "scale='min(1280,iw)':-2,setsar=1", "-map_metadata", "-1", "-q:v", "4", "-y", output,
  ];
}

/** RFC 6381 codec of an H.264 stream as ffprobe describes it (profile name and level), e.g. avc1.4d401e. */
export function avcCodec(profile: string | undefined, level: number | undefined): string {
  const p = (profile ?? "").toLowerCase();
  const [idc, constraints] = p.includes("high") ? ["64", "00"] : p.includes("baseline") ? ["42", "e0"] : ["4d", "40"];
  return `avc1.${idc}${constraints}${(level && level > 0 ? level : 30).toString(16).padStart(2, "0")}`;
}

export interface MasterEntry { label: number; width: number; height: number; bandwidth: number; codecs: string; frameRate: number }

/** Our master playlist: one variant per finished (or, for the first rung, growing) rung, lowest first. */
export function masterPlaylist(entries: MasterEntry[]): string {
  const lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS"];
  for (const e of [...entries].sort((a, b) => a.label - b.label)) {
    lines.push(`#EXT-X-STREAM-INF:BANDWIDTH=${e.bandwidth},RESOLUTION=${e.width}x${e.height},FRAME-RATE=${e.frameRate.toFixed(3)},CODECS="${e.codecs}"`);
    lines.push(`${e.label}/index.m3u8`);
  }
  return lines.join("\n") + "\n";
}

/** Segments of a media playlist with their durations (EXTINF), in order. */
export function playlistSegments(text: string): { uri: string; duration: number }[] {
  const out: { uri: string; duration: number }[] = [];
  let pending: number | null = null;
  for (const line of text.split("\n").map((l) => l.trim())) {
    if (line.startsWith("#EXTINF:")) pending = Number.parseFloat(line.slice(8));
    else if (line && !line.startsWith("#") && pending != null) {
      out.push({ uri: line, duration: pending });
      pending = null;
    }
  }
  return out;
}
