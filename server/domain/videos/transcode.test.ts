// The WebTV transcoder on real ffmpeg with generated clips: the ladder chosen from the source (never upscaled,
// portrait and odd sizes made even), H.264/AAC fMP4 rungs checked with ffprobe, aligned keyframes, our master
// playlist; the lowest rung published while it is encoded; a killed job resuming from its last finished rung; a
// rung over its time budget failing the video with a readable error and nothing left of the ladder.
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalUser } from "../accounts/accounts.ts";
import { createTestDatabase, type TestDatabase } from "../../../test/db.ts";
import { keyframeTimes, makeClip, probeJson } from "../../../test/video-clips.ts";
import { copyFile } from "node:fs/promises";
import { chooseLadder, masterPlaylist, playlistSegments } from "./ladder.ts";
import { transcodeVideo } from "./transcode.ts";
import { findVideo, registerVideo, videoDir, type VideoEnv } from "./videos.ts";

const ORIGIN = "https://paris.test";

describe("the HLS ladder", () => {
  it("is chosen from the source's short side, never upscaled, with even sizes", () => {
    expect(chooseLadder({ width: 1920, height: 1080, fps: 30 }).map((r) => [r.label, r.width, r.height]))
      .toEqual([[240, 426, 240], [360, 640, 360], [480, 854, 480], [720, 1280, 720], [1080, 1920, 1080]]);
    expect(chooseLadder({ width: 640, height: 360, fps: 25 }).map((r) => r.label)).toEqual([240, 360]);
    // Portrait: laddered by its width; odd sizes rounded to even.
    expect(chooseLadder({ width: 361, height: 641, fps: 25 }).map((r) => [r.label, r.width, r.height])).toEqual([[240, 240, 426], [360, 360, 640]]);
    // Below the lowest rung: its own size, made even.
    expect(chooseLadder({ width: 213, height: 119, fps: 25 }).map((r) => [r.width, r.height])).toEqual([[214, 120]]);
  });

  it("has a master playlist with CODECS, RESOLUTION, BANDWIDTH and FRAME-RATE", () => {
    const text = masterPlaylist([{ label: 360, width: 640, height: 360, bandwidth: 900_000, codecs: "avc1.4d401e,mp4a.40.2", frameRate: 25 }]);
    expect(text).toContain('#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360,FRAME-RATE=25.000,CODECS="avc1.4d401e,mp4a.40.2"\n360/index.m3u8');
  });
});

describe("transcoding", () => {
  let db: TestDatabase, work: string, accountId: string;
  let env: VideoEnv;
  beforeAll(async () => {
    db = await createTestDatabase();
    work = await mkdtemp(join(tmpdir(), "ruche-webtv-"));
    env = { dataDir: join(work, "data"), origin: ORIGIN, limits: { maxBytes: 50 * 1024 * 1024, maxSeconds: 600 } };
    accountId = (await createLocalUser(db.sql, ORIGIN, { username: "alice" })).account.id;
  });
  afterAll(async () => {
    await db?.drop();
    await rm(work, { recursive: true, force: true });
  });

  async function upload(clip: string, title: string) {
    const file = join(work, `up-${Math.random().toString(16).slice(2)}`);
    await copyFile(clip, file);
    return await registerVideo(db.sql, env, accountId, file, { upload_id: "x", title, description: "", visibility: "internal" });
  }

  it("publishes the lowest rung while it is encoded, then the full ladder, each rung checked by ffprobe", async () => {
    const clip = await makeClip(work, "landscape.mp4", { width: 640, height: 360, seconds: 9 });
    const video = await upload(clip, "Démo");
    expect(video.state).toBe("processing");
    expect(video.rungs.map((r) => r.label)).toEqual([240, 360]);
    const hls = join(videoDir(env.dataDir, video.id), "hls");
    // What a player finds when the first segment of the lowest rung exists (read while encoding goes on).
    const seen: Promise<[Awaited<ReturnType<typeof findVideo>>, string]>[] = [];
    await transcodeVideo(db.sql, { dataDir: env.dataDir, niceness: 10, onStep: (s) => {
      if (s.event === "first-segment") seen.push(Promise.all([findVideo(db.sql, video.id), readFile(join(hls, "master.m3u8"), "utf8")]));
    } }, video.id);
    expect(seen.length).toBe(1);
    const [early, earlyMaster] = await seen[0];
    expect(early!.state).toBe("playable");
    expect(early!.rungs.find((r) => r.label === 360)!.state).toBe("pending");
    expect(earlyMaster).toContain("240/index.m3u8");
    expect(earlyMaster).not.toContain("360/index.m3u8");
    const done = (await findVideo(db.sql, video.id))!;
    expect(done.state).toBe("ready");
    expect(done.rungs.every((r) => r.state === "ready")).toBe(true);
    const master = await readFile(join(hls, "master.m3u8"), "utf8");
    expect(master).toMatch(/RESOLUTION=426x240,FRAME-RATE=25\.000,CODECS="avc1\.4d40[0-9a-f]{2},mp4a\.40\.2"\n240\/index\.m3u8/);
    expect(master).toMatch(/RESOLUTION=640x360,FRAME-RATE=25\.000,CODECS="avc1\.4d40[0-9a-f]{2},mp4a\.40\.2"\n360\/index\.m3u8/);
    // The first rung is an EVENT playlist (it grew while encoding), the others VOD; all 4-second fMP4 segments.
    expect(await readFile(join(hls, "240", "index.m3u8"), "utf8")).toContain("#EXT-X-PLAYLIST-TYPE:EVENT");
    expect(await readFile(join(hls, "360", "index.m3u8"), "utf8")).toContain("#EXT-X-PLAYLIST-TYPE:VOD");
    const keyframes: number[][] = [];
    for (const [label, w, h] of [[240, 426, 240], [360, 640, 360]]) {
      const probe = await probeJson(join(hls, String(label), "index.m3u8"));
      const v = probe.streams.find((s) => s.codec_type === "video"), a = probe.streams.find((s) => s.codec_type === "audio");
      expect([v.codec_name, v.width, v.height, v.pix_fmt, v.profile]).toEqual(["h264", w, h, "yuv420p", "Main"]);
      expect([a.codec_name, a.channels, a.sample_rate]).toEqual(["aac", 2, "48000"]);
      expect(Number(probe.format.duration)).toBeGreaterThan(8.5);
      const segments = playlistSegments(await readFile(join(hls, String(label), "index.m3u8"), "utf8"));
      expect(segments.map((s) => Math.round(s.duration))).toEqual([4, 4, 1]);
      keyframes.push(await keyframeTimes(join(hls, String(label), "index.m3u8")));
    }
    expect(keyframes[0]).toEqual(keyframes[1]); // aligned: a player switches rungs at any segment boundary
    expect((await stat(join(videoDir(env.dataDir, video.id), "poster.jpg"))).size).toBeGreaterThan(1000);
    await expect(stat(join(videoDir(env.dataDir, video.id), "source"))).rejects.toThrow(); // the ladder replaced it
  });

  it("handles portrait odd-sized sources without sound", async () => {
    const clip = await makeClip(work, "portrait.mp4", { width: 361, height: 641, seconds: 2, audio: false });
    const video = await upload(clip, "Portrait");
    // A 2-second clip's lowest rung may be encoded before the first poll of its playlist: it is published anyway,
    // once, before the next rung (the CI machine was quick enough to skip it).
    const steps: string[] = [];
    await transcodeVideo(db.sql, { dataDir: env.dataDir, onStep: (s) => void steps.push(`${s.event}:${s.rung}`) }, video.id);
    expect(steps).toEqual(["first-segment:240", "rung-ready:240", "rung-ready:360"]);
    const hls = join(videoDir(env.dataDir, video.id), "hls");
    for (const [label, w, h] of [[240, 240, 426], [360, 360, 640]]) {
      const probe = await probeJson(join(hls, String(label), "index.m3u8"));
      expect(probe.streams.map((s) => [s.codec_type, s.width, s.height])).toEqual([["video", w, h]]);
    }
    expect(await readFile(join(hls, "master.m3u8"), "utf8")).toMatch(/RESOLUTION=360x640,FRAME-RATE=25\.000,CODECS="avc1\.4d40[0-9a-f]{2}"\n/);
  });

  it("resumes a killed job from its last finished rung", async () => {
    const clip = await makeClip(work, "resume.mp4", { width: 640, height: 360, seconds: 3 });
    const video = await upload(clip, "Reprise");
    const kill = new AbortController();
    await expect(transcodeVideo(db.sql, { dataDir: env.dataDir, onStep: (s) => { if (s.event === "rung-ready") kill.abort(); } }, video.id, kill.signal))
      .rejects.toThrow(/stopped/);
    const half = (await findVideo(db.sql, video.id))!;
    expect(half.state).toBe("playable");
    expect(half.rungs.map((r) => [r.label, r.state])).toEqual([[240, "ready"], [360, "encoding"]]);
    const init240 = join(videoDir(env.dataDir, video.id), "hls", "240", "init.mp4");
    const before = (await stat(init240)).mtimeMs;
    const steps: number[] = [];
    await transcodeVideo(db.sql, { dataDir: env.dataDir, onStep: (s) => { if (s.event === "rung-ready") steps.push(s.rung); } }, video.id);
    expect(steps).toEqual([360]); // 240 was not encoded again
    expect((await stat(init240)).mtimeMs).toBe(before);
    expect((await findVideo(db.sql, video.id))!.state).toBe("ready");
  });

  it("fails a rung over its time budget with a readable error, and removes the ladder", async () => {
    const clip = await makeClip(work, "slow.mp4", { width: 640, height: 360, seconds: 3 });
    const video = await upload(clip, "Trop lent");
    await transcodeVideo(db.sql, { dataDir: env.dataDir, budgetBaseSeconds: 0, budgetFactor: 0.0001 }, video.id);
    const failed = (await findVideo(db.sql, video.id))!;
    expect(failed.state).toBe("failed");
    expect(failed.error).toMatch(/^encoding the 240p version took longer than its time budget/);
    await expect(stat(join(videoDir(env.dataDir, video.id), "hls"))).rejects.toThrow();
  });
});
