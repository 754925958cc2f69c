// Text responses are compressed on the wire when the client accepts it (issue #8 point 21): the page and the API
// come back gzip-encoded and several times smaller; ranged media and clients that do not ask get them as they are.
import { request } from "node:https";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { readFileSync } from "node:fs";
import { startTestInstance, type TestInstance } from "../../test/instance.ts";

interface Raw { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }

describe("response compression", () => {
  let paris: TestInstance;
  const ca = readFileSync(inject("tls").caCert);
  beforeAll(async () => {
    paris = await startTestInstance({ name: "Paris" });
    await paris.createUser("alice", { displayName: "Alice Martin" });
  });
  afterAll(async () => {
    await paris?.close();
  });

  /** The bytes as they travel, not decoded (fetch would decode them). */
  const raw = (path: string, headers: Record<string, string>) => new Promise<Raw>((resolve, reject) => {
    const url = new URL(path, paris.origin);
    const req = request(url, { ca, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });

  it("gzips pages and API JSON for clients that accept it, and not for the others", async () => {
    for (const path of ["/login", "/static/app.css"]) {
      const plain = await raw(path, { "accept-language": "fr" });
      const zipped = await raw(path, { "accept-language": "fr", "accept-encoding": "gzip, deflate, br" });
      expect(plain.status, path).toBe(200);
      expect(plain.headers["content-encoding"], path).toBeUndefined();
      expect(zipped.headers["content-encoding"], path).toBe("gzip");
      expect(zipped.headers.vary, path).toMatch(/accept-encoding/i);
      const decoded = gunzipSync(zipped.body);
      // The sign-in page carries a fresh CSRF token each time; the stylesheet is the same bytes.
      if (path.endsWith(".css")) expect(decoded.equals(plain.body), path).toBe(true);
      else expect(decoded.toString("utf8").startsWith("<!doctype html>") && Math.abs(decoded.length - plain.body.length) < 100, path).toBe(true);
      expect(zipped.body.length, path).toBeLessThan(plain.body.length / 2);
    }
    const api = await raw("/api/v2/instance", { accept: "application/json", "accept-encoding": "gzip" });
    expect(api.status).toBe(200);
    expect(api.headers["content-encoding"]).toBe("gzip");
    expect(JSON.parse(gunzipSync(api.body).toString("utf8")).domain).toBe(paris.host);
  });

  it("leaves ranged responses alone", async () => {
    const part = await raw("/static/app.css", { range: "bytes=0-99", "accept-encoding": "gzip" });
    expect(part.status).toBe(206);
    expect(part.headers["content-encoding"]).toBeUndefined();
    expect(part.body.length).toBe(100);
  });
});
