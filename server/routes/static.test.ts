// Media and static files: streamed from storage with byte ranges, never outside their folder.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseRange } from "../../media/storage.ts";
import type { RouteDeps } from "./deps.ts";
import { registerStatic } from "./static.ts";

describe("static and media files", () => {
  let dir: string, app: Hono;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "ruche-static-"));
    await mkdir(join(dir, "media", "avatars"), { recursive: true });
    await writeFile(join(dir, "media", "avatars", "a.png"), "0123456789");
    await writeFile(join(dir, "secret.json"), "{}");
    app = new Hono();
    registerStatic(app, { config: { dataDir: dir } } as unknown as RouteDeps);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const get = (path: string, headers: Record<string, string> = {}, method = "GET") => app.request(path, { method, headers });

  it("serves the whole file, a range (206) and refuses an unsatisfiable one (416)", async () => {
    const whole = await get("/media/avatars/a.png");
    expect([whole.status, whole.headers.get("content-length"), whole.headers.get("accept-ranges")]).toEqual([200, "10", "bytes"]);
    expect(await whole.text()).toBe("0123456789");
    const part = await get("/media/avatars/a.png", { Range: "bytes=2-5" });
    expect([part.status, part.headers.get("content-range"), await part.text()]).toEqual([206, "bytes 2-5/10", "2345"]);
    const tail = await get("/media/avatars/a.png", { Range: "bytes=-3" });
    expect([tail.status, await tail.text()]).toEqual([206, "789"]);
    const past = await get("/media/avatars/a.png", { Range: "bytes=10-" });
    expect([past.status, past.headers.get("content-range")]).toEqual([416, "bytes */10"]);
    const head = await get("/media/avatars/a.png", {}, "HEAD");
    expect([head.status, head.headers.get("content-length"), await head.text()]).toEqual([200, "10", ""]);
  });

  it("never leaves the media folder", async () => {
    expect((await get("/media/%2e%2e/secret.json")).status).toBe(404);
    expect((await get("/media/avatars/missing.png")).status).toBe(404);
  });

  it("reads ranges as RFC 9110 says", () => {
    expect(parseRange("bytes=0-", 5)).toEqual({ start: 0, end: 4 });
    expect(parseRange("bytes=3-100", 5)).toEqual({ start: 3, end: 4 });
    expect(parseRange("bytes=-0", 5)).toBe("unsatisfiable");
    expect(parseRange("bytes=4-2", 5)).toBe("unsatisfiable");
    expect(parseRange("bytes=0-1,3-4", 5)).toBeNull();
    expect(parseRange(undefined, 5)).toBeNull();
  });
});
