import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createServer, type IncomingMessage, type ServerResponse, type Server } from "node:http";
import { gzipSync, createGzip } from "node:zlib";
import type { AddressInfo } from "node:net";
import { safeFetch } from "./safe-fetch.ts";
import { UrlGuardError } from "./url-guard.ts";

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

async function startServer(handler: Handler): Promise<{ base: string; hits: string[]; server: Server }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? "");
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => handler(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, hits, server };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof UrlGuardError)) throw e;
    return e.code;
  }
  return "accepted";
}

const zeros20MB = gzipSync(Buffer.alloc(20 * 1024 * 1024));
let a: Awaited<ReturnType<typeof startServer>>;
let b: Awaited<ReturnType<typeof startServer>>; // a second origin (other port) for cross-origin redirects
const seenHeaders: Record<string, IncomingMessage["headers"]> = {};

beforeAll(async () => {
  b = await startServer((req, res, body) => {
    seenHeaders[`b${req.url}`] = req.headers;
    res.setHeader("content-type", "text/plain");
    res.end(`b:${req.method}:${body}`);
  });
  a = await startServer((req, res, body) => {
    const url = new URL(req.url ?? "/", a.base);
    seenHeaders[url.pathname] = req.headers;
    const n = Number(url.searchParams.get("n") ?? "0");
    switch (url.pathname) {
      case "/hello":
        res.setHeader("content-type", "text/plain");
        res.setHeader("x-test", "1");
        return res.end("hello");
      case "/echo":
        return res.end(`${req.method}:${body}:${req.headers["x-signed-for"] ?? ""}`);
      case "/chain": // /chain?n=3 → 3 redirects then 200
        if (n > 0) {
          res.writeHead(302, { location: `/chain?n=${n - 1}` });
          return res.end();
        }
        return res.end("end of chain");
      case "/loop": // endless
        res.writeHead(302, { location: `/loop?n=${n + 1}` });
        return res.end();
      case "/status":
        res.writeHead(Number(url.searchParams.get("code")), { location: url.searchParams.get("to") ?? "" });
        return res.end();
      case "/size": {
        const size = Number(url.searchParams.get("bytes"));
        if (url.searchParams.has("chunked")) {
          res.write(Buffer.alloc(size - 1, 0x61));
          return res.end("a");
        }
        res.setHeader("content-length", String(size));
        return res.end(Buffer.alloc(size, 0x61));
      }
      case "/gzip-bomb":
        res.writeHead(200, { "content-encoding": "gzip", "content-length": String(zeros20MB.length) });
        return res.end(zeros20MB);
      case "/gzip-endless": {
        // Infinite decompressed output: only a streaming limit can stop this (buffering would hit the deadline).
        res.writeHead(200, { "content-encoding": "gzip" });
        const gz = createGzip();
        gz.pipe(res);
        const chunk = Buffer.alloc(64 * 1024);
        let stopped = false;
        res.on("close", () => {
          stopped = true;
          gz.destroy();
        });
        const pump = () => {
          while (!stopped && gz.write(chunk));
          if (!stopped) gz.once("drain", pump);
        };
        return pump();
      }
      case "/trickle": {
        res.writeHead(200, { "content-type": "application/activity+json" });
        const t = setInterval(() => res.write("x"), 200);
        res.on("close", () => clearInterval(t));
        return;
      }
      case "/hang": // never answers
        return;
      default:
        res.writeHead(404);
        return res.end();
    }
  });
});

afterAll(async () => {
  for (const s of [a, b]) {
    s.server.closeAllConnections();
    await new Promise((r) => s.server.close(r));
  }
});

describe("safeFetch basics", () => {
  it("fetches a local server when private addresses are allowed", async () => {
    const r = await safeFetch(`${a.base}/hello`, { allowPrivateAddress: true });
    expect(r.status).toBe(200);
    expect(new TextDecoder().decode(r.body)).toBe("hello");
    expect(r.headers.get("x-test")).toBe("1");
    expect(r.url).toBe(`${a.base}/hello`);
    expect(r.redirected).toBe(false);
  });

  it("never connects to the same server when private addresses are not allowed", async () => {
    const before = a.hits.length;
    expect(await codeOf(safeFetch(`${a.base}/hello`, { allowPrivateAddress: false }))).toBe("private_address");
    expect(a.hits.length).toBe(before);
  });

  it("refuses every corpus-17 target before calling fetch", async () => {
    let calls = 0;
    const fetchImpl = (async () => {
      calls++;
      return new Response("should not happen");
    }) as typeof fetch;
    const lookup = async (h: string) => (h === "rebind.example" ? ["10.0.0.1"] : ["93.184.216.34"]);
    for (const u of ["http://127.0.0.1/", "http://[::1]/", "http://169.254.169.254/", "http://10.0.0.1/",
      "http://172.16.0.1/", "http://192.168.1.1/", "http://100.64.0.1/", "http://198.18.0.1/",
      "http://[64:ff9b::a00:1]/", "http://[2001::1]/", "http://[2002:0a00:0001::]/", "http://0.0.0.0/", "http://[::]/",
      "http://2130706433/", "http://0177.0.0.1/", "http://rebind.example/"]) {
      expect(await codeOf(safeFetch(u, { allowPrivateAddress: false, fetchImpl, lookup })), u).toBe("private_address");
    }
    expect(calls).toBe(0);
  });

  it("returns non-2xx responses as they are (no redirect without Location)", async () => {
    const r = await safeFetch(`${a.base}/nope`, { allowPrivateAddress: true });
    expect(r.status).toBe(404);
  });
});

describe("safeFetch redirects", () => {
  it("follows redirects and reports the final URL", async () => {
    const r = await safeFetch(`${a.base}/chain?n=3`, { allowPrivateAddress: true, maxRedirects: 3 });
    expect(r.status).toBe(200);
    expect(r.url).toBe(`${a.base}/chain?n=0`);
    expect(r.redirected).toBe(true);
    expect(new TextDecoder().decode(r.body)).toBe("end of chain");
  });

  it("refuses more than maxRedirects, having made exactly maxRedirects + 1 requests", async () => {
    const before = a.hits.length;
    expect(await codeOf(safeFetch(`${a.base}/loop`, { allowPrivateAddress: true, maxRedirects: 3 }))).toBe(
      "too_many_redirects",
    );
    expect(a.hits.length - before).toBe(4);
    expect(await codeOf(safeFetch(`${a.base}/chain?n=6`, { allowPrivateAddress: true }))).toBe("too_many_redirects");
  });

  it("checks every hop: a public host redirecting to a private address is refused before connecting", async () => {
    const before = a.hits.length;
    const lookup = async (h: string) => (h === "rebind.example" ? ["192.168.1.20"] : ["93.184.216.34"]);
    for (const target of [`${a.base}/hello`, "http://rebind.example/", "http://[::ffff:127.0.0.1]/",
      "http://2130706433/", "http://169.254.169.254/latest/meta-data/"]) {
      // Stand-in for a public server: answers with a redirect to `target`; real requests go to the local server.
      const fetchImpl = (async (req: Request, init?: RequestInit) => {
        if (new URL(req.url).hostname === "public.example") {
          return new Response(null, { status: 302, headers: { location: target } });
        }
        return fetch(req, init);
      }) as typeof fetch;
      const code = await codeOf(
        safeFetch("https://public.example/actor", { allowPrivateAddress: false, lookup, fetchImpl }),
      );
      expect(code, target).toBe("private_address");
    }
    expect(a.hits.length).toBe(before);
  });

  it("refuses redirects to non-http schemes", async () => {
    for (const to of ["file:///etc/passwd", "data:application/activity+json,{}", "ftp://example.com/"]) {
      const r = safeFetch(`${a.base}/status?code=302&to=${encodeURIComponent(to)}`, { allowPrivateAddress: true });
      expect(await codeOf(r), to).toBe("bad_scheme");
    }
  });

  it("turns POST into GET on 303 and keeps it on 307", async () => {
    const r303 = await safeFetch(`${a.base}/status?code=303&to=/echo`, { method: "POST", body: "x=1", allowPrivateAddress: true });
    expect(new TextDecoder().decode(r303.body)).toBe("GET::");
    const r307 = await safeFetch(`${a.base}/status?code=307&to=/echo`, { method: "POST", body: "x=1", allowPrivateAddress: true });
    expect(new TextDecoder().decode(r307.body)).toBe("POST:x=1:");
  });

  it("drops Authorization and Cookie on a cross-origin redirect, keeps them same-origin", async () => {
    const headers = { authorization: "Bearer secret", cookie: "s=1", "x-keep": "yes" };
    await safeFetch(`${a.base}/status?code=302&to=${encodeURIComponent(`${b.base}/landing`)}`, {
      headers, allowPrivateAddress: true,
    });
    expect(seenHeaders["b/landing"]["x-keep"]).toBe("yes");
    expect(seenHeaders["b/landing"].authorization).toBeUndefined();
    expect(seenHeaders["b/landing"].cookie).toBeUndefined();
    await safeFetch(`${a.base}/status?code=302&to=/echo`, { headers, allowPrivateAddress: true });
    expect(seenHeaders["/echo"].authorization).toBe("Bearer secret");
  });

  it("re-signs every hop for that hop's URL", async () => {
    const signed: string[] = [];
    const sign = async (req: Request) => {
      signed.push(req.url);
      const h = new Headers(req.headers);
      h.set("x-signed-for", new URL(req.url).pathname);
      return new Request(req, { headers: h });
    };
    const r = await safeFetch(`${a.base}/status?code=302&to=/echo`, { allowPrivateAddress: true, sign });
    expect(signed).toEqual([`${a.base}/status?code=302&to=/echo`, `${a.base}/echo`]);
    expect(new TextDecoder().decode(r.body)).toBe("GET::/echo");
  });

  it("refuses a signer that re-targets the request", async () => {
    const sign = async (req: Request) => new Request("http://169.254.169.254/", req);
    expect(await codeOf(safeFetch(`${a.base}/hello`, { allowPrivateAddress: true, sign }))).toBe("sign_changed_url");
  });
});

describe("safeFetch limits", () => {
  it("accepts a body of exactly maxBytes and refuses one byte more (declared and chunked)", async () => {
    const ok = await safeFetch(`${a.base}/size?bytes=1000`, { allowPrivateAddress: true, maxBytes: 1000 });
    expect(ok.body.byteLength).toBe(1000);
    expect(await codeOf(safeFetch(`${a.base}/size?bytes=1001`, { allowPrivateAddress: true, maxBytes: 1000 }))).toBe(
      "too_large",
    );
    expect(
      await codeOf(safeFetch(`${a.base}/size?bytes=1001&chunked`, { allowPrivateAddress: true, maxBytes: 1000 })),
    ).toBe("too_large");
  });

  it("defaults to a 1 MiB limit", async () => {
    expect(await codeOf(safeFetch(`${a.base}/size?bytes=${1024 * 1024 + 1}&chunked`, { allowPrivateAddress: true })))
      .toBe("too_large");
  });

  it("applies the limit after decompression (20 MB gzip bomb)", async () => {
    expect(zeros20MB.length).toBeLessThan(1024 * 1024); // the compressed body alone would pass
    expect(await codeOf(safeFetch(`${a.base}/gzip-bomb`, { allowPrivateAddress: true }))).toBe("too_large");
  });

  it("stops an endless gzip stream while streaming instead of buffering it", async () => {
    const t0 = Date.now();
    const code = await codeOf(safeFetch(`${a.base}/gzip-endless`, { allowPrivateAddress: true, timeoutMs: 5000 }));
    expect(code).toBe("too_large");
    expect(Date.now() - t0).toBeLessThan(4000);
  });

  it("cuts a peer trickling 1 byte/200 ms at the total deadline", async () => {
    const t0 = Date.now();
    const code = await codeOf(safeFetch(`${a.base}/trickle`, { allowPrivateAddress: true, timeoutMs: 1000 }));
    const elapsed = Date.now() - t0;
    expect(code).toBe("timeout");
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(2000);
  });

  it("cuts a peer that never sends headers at the deadline", async () => {
    const t0 = Date.now();
    expect(await codeOf(safeFetch(`${a.base}/hang`, { allowPrivateAddress: true, timeoutMs: 500 }))).toBe("timeout");
    expect(Date.now() - t0).toBeLessThan(1500);
  });

  it("counts DNS time against the deadline", async () => {
    const slowLookup = () => new Promise<string[]>((r) => setTimeout(() => r(["93.184.216.34"]), 5000));
    const t0 = Date.now();
    const code = await codeOf(
      safeFetch("https://slow-dns.example/", { allowPrivateAddress: false, lookup: slowLookup, timeoutMs: 300 }),
    );
    expect(code).toBe("timeout");
    expect(Date.now() - t0).toBeLessThan(1500);
  });

  it("honours the caller's abort signal", async () => {
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(new Error("caller gave up")), 100);
    await expect(safeFetch(`${a.base}/hang`, { allowPrivateAddress: true, signal: ctl.signal })).rejects.toThrow(
      "caller gave up",
    );
  });
});
