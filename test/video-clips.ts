// Short generated clips for the WebTV tests (testsrc2 + sine, a few seconds, small sizes): encoded niced by the
// ffmpeg the server uses, once per directory.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { findFfmpeg, findFfprobe, runMediaTool } from "../media/ffmpeg.ts";

/** `heavy`: lossless with grain, ~5 MB a second at 640×360 — a file big enough for several tus chunks. */
export interface ClipOptions { width: number; height: number; seconds: number; audio?: boolean; fps?: number; heavy?: boolean }

/** An H.264/AAC MP4 clip (or an MKV when `container` says so); returns its path. */
export async function makeClip(dir: string, name: string, o: ClipOptions): Promise<string> {
  const ffmpeg = (await findFfmpeg(process.env.FFMPEG_PATH))!;
  const out = join(dir, name);
  const r = await runMediaTool(ffmpeg, [
    "-nostdin", "-v", "error", "-f", "lavfi", "-i", `testsrc2=size=${o.width}x${o.height}:rate=${o.fps ?? 25}:duration=${o.seconds}`,
    ...(o.audio === false ? [] : ["-f", "lavfi", "-i", `sine=frequency=440:sample_rate=48000:duration=${o.seconds}`]),
    ...(o.heavy ? ["-vf", "noise=alls=6:allf=t", "-qp", "0"] : []),
    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", ...(o.audio === false ? [] : ["-c:a", "aac", "-shortest"]), "-y", out,
  ], { timeoutMs: 120_000, niceness: 10 });
  if (!r.ok) throw new Error(`could not make ${name}: ${r.stderr}`);
  return out;
}

/** Sound only (an M4A). */
export async function makeAudioOnly(dir: string, name: string, seconds = 2): Promise<string> {
  const ffmpeg = (await findFfmpeg(process.env.FFMPEG_PATH))!;
  const out = join(dir, name);
  const r = await runMediaTool(ffmpeg, ["-nostdin", "-v", "error", "-f", "lavfi", "-i", `sine=frequency=440:duration=${seconds}`,
    "-c:a", "aac", "-f", "mp4", "-y", out], { timeoutMs: 60_000, niceness: 10 });
  if (!r.ok) throw new Error(`could not make ${name}: ${r.stderr}`);
  return out;
}

/** Bytes that look like the start of an MP4 and are noise after it. */
export async function makeCorrupt(dir: string, name: string): Promise<string> {
  const out = join(dir, name);
  const noise = Buffer.alloc(64 * 1024);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
  noise.write("\0\0\0\x20ftypisom\0\0\x02\0isomiso2avc1mp41", 0, "binary");
  await writeFile(out, noise);
  return out;
}

/** ffprobe's view of a file (streams and format), for assertions on what we encoded. */
export async function probeJson(file: string): Promise<{ streams: any[]; format: any }> {
  const ffprobe = (await findFfprobe(process.env.FFPROBE_PATH, process.env.FFMPEG_PATH))!;
  const r = await runMediaTool(ffprobe, ["-v", "error", "-protocol_whitelist", "file", "-show_streams", "-show_format", "-of", "json", file],
    { timeoutMs: 60_000, captureStdout: true });
  if (!r.ok) throw new Error(`ffprobe ${file}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Keyframe timestamps of a file's video stream (packet flags), for the alignment check across rungs. */
export async function keyframeTimes(file: string): Promise<number[]> {
  const ffprobe = (await findFfprobe(process.env.FFPROBE_PATH, process.env.FFMPEG_PATH))!;
  const r = await runMediaTool(ffprobe, ["-v", "error", "-protocol_whitelist", "file", "-select_streams", "v:0", "-show_entries", "packet=pts_time,flags",
    "-of", "csv=p=0", file], { timeoutMs: 60_000, captureStdout: true });
  if (!r.ok) throw new Error(`ffprobe ${file}: ${r.stderr}`);
  return r.stdout.split("\n").filter((l) => l.includes("K")).map((l) => Number(l.split(",")[0]));
}

/** Uploads a file through tus (one PATCH) and registers it as a video; returns the API's video. */
export async function uploadVideo(url: string, token: string, file: string, fields: { title: string; description?: string; visibility?: string }): Promise<any> {
  const { readFile } = await import("node:fs/promises");
  const bytes = new Uint8Array(await readFile(file));
  const auth = { "Tus-Resumable": "1.0.0", Authorization: `Bearer ${token}` };
  const created = await fetch(`${url}/api/ruche/v1/uploads`, { method: "POST", headers: { ...auth, "Upload-Length": String(bytes.length) } });
  if (created.status !== 201) throw new Error(`tus creation: ${created.status}`);
  const location = created.headers.get("Location")!;
  const sent = await fetch(location, { method: "PATCH", body: bytes as BodyInit, headers: { ...auth, "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream" } });
  if (sent.status !== 204) throw new Error(`tus PATCH: ${sent.status}`);
  const res = await fetch(`${url}/api/ruche/v1/videos`, {
    method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ upload_id: location.split("/").pop(), ...fields }),
  });
  if (res.status !== 201) throw new Error(`POST /videos: ${res.status} ${await res.text()}`);
  return await res.json();
}

/** Waits for a video to reach a state (the worker transcodes it). */
export async function videoInState(url: string, token: string, id: string, state: string, timeoutMs = 120_000): Promise<any> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await (await fetch(`${url}/api/ruche/v1/videos/${id}`, { headers: { Authorization: `Bearer ${token}` } })).json();
    if (v.state === state) return v;
    if (v.state === "failed" || Date.now() > until) throw new Error(`video ${id} is ${v.state} (${v.error ?? ""}), not ${state}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
