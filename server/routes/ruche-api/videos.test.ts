// WebTV upload and playback access end to end on a real instance (issue #13 §1–3): a tus upload cut mid-way and
// resumed, registered as a video, transcoded by the worker's video-transcode queue into a ladder served with HLS
// types, caching and ranges; refusals with their codes for corrupt, empty, sound-only, over-limit and foreign
// uploads, leaving nothing behind; an internal video's files refused to an outsider, served on a signed URL.
import { request } from "node:https";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, startTestInstance, type TestInstance } from "../../../test/instance.ts";
import { makeAudioOnly, makeClip, makeCorrupt } from "../../../test/video-clips.ts";

const MAX_BYTES = 8 * 1024 * 1024;

describe("WebTV uploads and videos", () => {
  let paris: TestInstance, work: string;
  let alice: { token: string; account: { id: string } }, bob: { token: string };
  let clip: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "ruche-webtv-api-"));
    [paris, clip] = await Promise.all([
      startTestInstance({ name: "Paris", env: { RUCHE_VIDEO_MAX_BYTES: String(MAX_BYTES) } }),
      makeClip(work, "demo.mp4", { width: 640, height: 360, seconds: 3 }),
    ]);
    alice = await paris.createUser("alice");
    bob = await paris.createUser("bob");
  });
  afterAll(async () => {
    await paris?.close();
    await rm(work, { recursive: true, force: true });
  });

  const tusHeaders = (token: string) => ({ "Tus-Resumable": "1.0.0", Authorization: `Bearer ${token}` });
  async function create(token: string, length: number): Promise<Response> {
    return await fetch(`${paris.url}/api/ruche/v1/uploads`, { method: "POST", headers: { ...tusHeaders(token), "Upload-Length": String(length) } });
  }
  async function offsetOf(location: string, token: string): Promise<number> {
    const res = await fetch(location, { method: "HEAD", headers: tusHeaders(token) });
    expect(res.status).toBe(200);
    return Number(res.headers.get("Upload-Offset"));
  }
  async function patch(location: string, token: string, offset: number, bytes: Uint8Array): Promise<Response> {
    return await fetch(location, {
      method: "PATCH", body: bytes as BodyInit,
      headers: { ...tusHeaders(token), "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" },
    });
  }
  /**
   * A PATCH of the whole file whose connection drops after `sent` bytes, once the server has stored some of them
   * (bytes still in its receive buffer would be lost with the reset, leaving nothing to resume from).
   */
  function interruptedPatch(location: string, token: string, bytes: Uint8Array, sent: number): Promise<void> {
    const file = join(paris.dataDir, "uploads", location.split("/").pop()!);
    return new Promise((resolve) => {
      const req = request(location, {
        method: "PATCH",
        headers: { ...tusHeaders(token), "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream", "Content-Length": String(bytes.length) },
      });
      req.on("error", () => resolve());
      req.on("close", () => resolve());
      req.write(bytes.subarray(0, sent), () => {
        void eventually(async () => ((await stat(file)).size > 0 ? true : null), 30_000, "bytes on disk").then(() => req.destroy());
      });
    });
  }
  async function uploadWhole(token: string, bytes: Uint8Array): Promise<string> {
    const res = await create(token, bytes.length);
    expect(res.status).toBe(201);
    const location = res.headers.get("Location")!;
    if (bytes.length > 0) expect((await patch(location, token, 0, bytes)).status).toBe(204);
    return location.split("/").pop()!;
  }
  const api = (path: string, token: string | null, init: RequestInit = {}) => fetch(`${paris.url}${path}`, {
    ...init, headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), "Content-Type": "application/json", ...init.headers },
  });
  const register = (token: string, body: object) => api("/api/ruche/v1/videos", token, { method: "POST", body: JSON.stringify(body) });

  async function leftovers(): Promise<{ uploads: string[]; videoDirs: string[]; videos: number; posts: number }> {
    const list = (d: string) => readdir(join(paris.dataDir, d)).catch(() => [] as string[]);
    const [{ n }] = await paris.db.sql`SELECT count(*)::int AS n FROM videos`;
    const [{ p }] = await paris.db.sql`SELECT count(*)::int AS p FROM posts`;
    return { uploads: await list("uploads"), videoDirs: await list("videos"), videos: n, posts: p };
  }

  it("takes an upload cut mid-way and resumed, transcodes it, and serves the ladder to its audience only", async () => {
    const bytes = new Uint8Array(await readFile(clip));
    const created = await create(alice.token, bytes.length);
    expect(created.status).toBe(201);
    const location = created.headers.get("Location")!;
    expect(location).toMatch(new RegExp(`^${paris.origin}/api/ruche/v1/uploads/${alice.account.id}_[0-9a-f]{32}$`));
    await interruptedPatch(location, alice.token, bytes, Math.floor(bytes.length * 0.6));
    const offset = await eventually(async () => { const o = await offsetOf(location, alice.token); return o > 0 ? o : null; }, 15_000, "a partial offset");
    expect(offset).toBeLessThan(bytes.length);
    // Bob can neither see nor resume nor claim Alice's upload.
    expect((await fetch(location, { method: "HEAD", headers: tusHeaders(bob.token) })).status).toBe(404);
    const uploadId = location.split("/").pop()!;
    expect((await register(bob.token, { upload_id: uploadId, title: "x" })).status).toBe(404);
    // Not finished: refused, and kept for the resume.
    const early = await register(alice.token, { upload_id: uploadId, title: "Démo" });
    expect([early.status, (await early.json()).error_code]).toEqual([409, "upload_incomplete"]);
    const rest = await patch(location, alice.token, offset, bytes.subarray(offset));
    expect(rest.status).toBe(204);
    expect(await offsetOf(location, alice.token)).toBe(bytes.length);

    const res = await register(alice.token, { upload_id: uploadId, title: "Démo du projet", description: "La mire", visibility: "internal" });
    expect(res.status).toBe(201);
    const video = await res.json();
    // The transcode job commits with the video: the worker may already have started on the first rung.
    expect(video).toMatchObject({ url: `${paris.origin}/webtv/${video.id}`, rungs: [{ height: 240 }, { height: 360, state: "pending" }] });
    expect(["processing", "playable"]).toContain(video.state);
    expect((await leftovers()).uploads).toEqual([]); // the upload became the video's source

    const ready = await eventually(async () => {
      const v = await (await api(`/api/ruche/v1/videos/${video.id}`, alice.token)).json();
      return v.state === "ready" ? v : null;
    }, 120_000, "the ladder");
    expect(ready.rungs).toEqual([expect.objectContaining({ height: 240, state: "ready" }), expect.objectContaining({ height: 360, state: "ready" })]);
    expect(ready.error).toBeNull();
    // An internal video's playlist is on a signed URL; its relative rung and segment URLs resolve under it.
    const master = ready.master_playlist_url as string;
    expect(master).toMatch(new RegExp(`/webtv/files/${video.id}/s/\\d+\\.[A-Za-z0-9_-]{32}/master\\.m3u8$`));
    const m = await fetch(master);
    expect([m.status, m.headers.get("Content-Type"), m.headers.get("Cache-Control")]).toEqual([200, "application/vnd.apple.mpegurl", "private, no-cache"]);
    expect(await m.text()).toContain('RESOLUTION=640x360');
    const rung = await fetch(new URL("360/index.m3u8", master));
    expect(rung.status).toBe(200);
    expect(rung.headers.get("Cache-Control")).toBe("private, max-age=86400");
    const segment = await fetch(new URL("360/seg00000.m4s", master), { headers: { Range: "bytes=0-99" } });
    expect([segment.status, segment.headers.get("Content-Type"), segment.headers.get("Content-Range")?.startsWith("bytes 0-99/")]).toEqual([206, "video/iso.segment", true]);
    expect((await segment.arrayBuffer()).byteLength).toBe(100);
    expect((await fetch(new URL("360/init.mp4", master))).headers.get("Content-Type")).toBe("video/mp4");

    // An outsider: no session, no token, no signature — or a forged link — gets nothing.
    const plain = `${paris.url}/webtv/files/${video.id}`;
    for (const file of ["master.m3u8", "360/index.m3u8", "360/seg00000.m4s", "240/init.mp4", "poster.jpg"]) {
      const r = await fetch(`${plain}/${file}`);
      expect([file, r.status, (await r.json()).error_code]).toEqual([file, 404, "not_found"]);
    }
    const forged = master.replace(/\.[A-Za-z0-9_-]{32}\//, `.${"A".repeat(32)}/`);
    const f = await fetch(forged);
    expect([f.status, (await f.json()).error_code]).toEqual([403, "invalid_link"]);
    const expired = master.replace(/\/s\/\d+\./, "/s/1000.");
    expect((await fetch(expired)).status).toBe(403);
    // Traversal attempts match no file name the transcoder writes.
    expect((await fetch(`${plain}/..%2F..%2Fsource`, { headers: { Authorization: `Bearer ${alice.token}` } })).status).toBe(404);
    // A colleague on the instance (the internal audience) reads it with their own credentials.
    expect((await fetch(`${plain}/master.m3u8`, { headers: { Authorization: `Bearer ${bob.token}` } })).status).toBe(200);
    // The post carrying it is in Alice's timeline, with the watch link.
    const status = await (await api(`/api/v1/statuses/${ready.status_id}`, alice.token)).json();
    expect([status.visibility, status.content]).toEqual(["private", expect.stringContaining(`/webtv/${video.id}`)]);
  }, 180_000);

  it("serves a public video's files to anyone, cached as public", async () => {
    const id = await uploadWhole(alice.token, new Uint8Array(await readFile(clip)));
    const video = await (await register(alice.token, { upload_id: id, title: "Public", visibility: "public" })).json();
    const ready = await eventually(async () => {
      const v = await (await api(`/api/ruche/v1/videos/${video.id}`, alice.token)).json();
      return v.state === "ready" ? v : null;
    }, 120_000, "the ladder");
    expect(ready.master_playlist_url).toBe(`${paris.origin}/webtv/files/${video.id}/master.m3u8`);
    const seg = await fetch(`${paris.url}/webtv/files/${video.id}/240/seg00000.m4s`);
    expect([seg.status, seg.headers.get("Cache-Control")]).toEqual([200, "public, max-age=31536000, immutable"]);
  }, 180_000);

  it("refuses what is not a playable video with a clear code, and leaves nothing behind", async () => {
    const before = await leftovers();
    const cases: [string, Uint8Array, number, string][] = [
      ["corrupt", new Uint8Array(await readFile(await makeCorrupt(work, "corrupt.mp4"))), 422, "not_a_video"],
      ["empty", new Uint8Array(0), 422, "empty_file"],
      ["sound only", new Uint8Array(await readFile(await makeAudioOnly(work, "sound.m4a"))), 422, "audio_only"],
      ["a playlist", new TextEncoder().encode("#EXTM3U\n#EXTINF:1,\nfile:///etc/passwd\n"), 422, "not_a_video"],
    ];
    for (const [what, bytes, status, code] of cases) {
      const id = await uploadWhole(alice.token, bytes);
      const res = await register(alice.token, { upload_id: id, title: what });
      const body = await res.json();
      expect([what, res.status, body.error_code]).toEqual([what, status, code]);
      expect(body.error.length).toBeGreaterThan(15); // a sentence, not a bare code
    }
    expect(await leftovers()).toEqual(before);
    // Over the instance's limit: refused when the upload is declared, before a byte is sent.
    const big = await create(alice.token, MAX_BYTES + 1);
    expect(big.status).toBe(413);
    expect((await leftovers()).uploads).toEqual(before.uploads);
  }, 120_000);

  it("needs credentials", async () => {
    const res = await fetch(`${paris.url}/api/ruche/v1/uploads`, { method: "POST", headers: { "Tus-Resumable": "1.0.0", "Upload-Length": "10" } });
    expect([res.status, (await res.json()).error_code]).toEqual([401, "unauthorized"]);
    expect((await api("/api/ruche/v1/videos/1", null)).status).toBe(401);
  });
});
