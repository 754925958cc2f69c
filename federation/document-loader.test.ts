import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createServer, type IncomingMessage, type ServerResponse, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createFederation,
  exportSpki,
  FetchError,
  MemoryKvStore,
  verifyRequest,
  type AuthenticatedDocumentLoaderFactory,
  type DocumentLoader,
} from "@fedify/fedify";
import { lookupObject, Note } from "@fedify/vocab";
import {
  ACTIVITY_ACCEPT,
  assertJsonBounds,
  createAuthenticatedDocumentLoaderFactory,
  createContextLoader,
  createDocumentLoader,
  JsonBoundsError,
} from "./document-loader.ts";
import { UrlGuardError } from "./url-guard.ts";

type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

async function startServer(handler: Handler): Promise<{ base: string; hits: string[]; server: Server }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? "");
    void handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, server };
}

const AS = "https://www.w3.org/ns/activitystreams";
function nested(depth: number): unknown {
  let v: unknown = {};
  for (let i = 1; i < depth; i++) v = { object: v };
  return v;
}

let a: Awaited<ReturnType<typeof startServer>>;
let b: Awaited<ReturnType<typeof startServer>>; // another origin
let ctxServer: Awaited<ReturnType<typeof startServer>>; // counts context fetches: must stay at 0
const accepts: string[] = [];
const verified: Array<string | null> = [];
let verifyKey: (req: Request) => Promise<string | null> = async () => null;

beforeAll(async () => {
  ctxServer = await startServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/ld+json" });
    res.end(JSON.stringify({ "@context": { evil: "https://www.w3.org/ns/activitystreams#content" } }));
  });
  b = await startServer((req, res) => {
    res.writeHead(200, { "content-type": "application/activity+json" });
    res.end(JSON.stringify({ "@context": AS, id: `${b.base}${req.url}`, type: "Note", content: "from b" }));
  });
  a = await startServer(async (req, res) => {
    const url = new URL(req.url ?? "/", a.base);
    accepts.push(String(req.headers.accept));
    const json = (type: string, body: unknown) => {
      res.writeHead(200, type === "" ? {} : { "content-type": type });
      res.end(typeof body === "string" ? body : JSON.stringify(body));
    };
    const note = { "@context": AS, id: `${a.base}${url.pathname}`, type: "Note", content: "hi" };
    switch (url.pathname) {
      case "/note":
        return json(url.searchParams.get("type") ?? "application/activity+json", note);
      case "/claims-b": // CVE-2024-23832: document claims an id on another origin
        return json("application/activity+json", { ...note, id: `${b.base}/victim` });
      case "/moved":
        res.writeHead(302, { location: `${b.base}/moved-here` });
        return res.end();
      case "/gone":
        res.writeHead(410);
        return res.end();
      case "/deep": { // built as text: JSON.stringify itself would overflow the stack at depth 10,000
        const d = Number(url.searchParams.get("depth")) - 1;
        return json("application/activity+json", `${'{"object":'.repeat(d)}{}${"}".repeat(d)}`);
      }
      case "/wide":
        return json("application/activity+json", { "@context": AS, type: "Note", to: Array(10_001).fill(AS + "#Public") });
      case "/big":
        return json("application/activity+json", { "@context": AS, type: "Note", content: "x".repeat(2_000_000) });
      case "/not-json":
        return json("application/activity+json", "{not json");
      case "/remote-ctx": // corpus 20: unknown remote contexts
        return json("application/activity+json", {
          "@context": [AS, ...Array.from({ length: 50 }, (_, i) => `${ctxServer.base}/ctx/${i}`)],
          id: `${a.base}/remote-ctx`, type: "Note", evil: "x",
        });
      case "/signed": {
        verified.push(await verifyKey(new Request(`${a.base}${req.url}`, { headers: req.headers as HeadersInit })));
        if (url.searchParams.has("hop")) {
          res.writeHead(302, { location: "/signed" });
          return res.end();
        }
        return json("application/activity+json", note);
      }
      default:
        res.writeHead(404);
        return res.end();
    }
  });
});

afterAll(async () => {
  for (const s of [a, b, ctxServer]) {
    s.server.closeAllConnections();
    await new Promise((r) => s.server.close(r));
  }
});

const loader = () => createDocumentLoader({ allowPrivateAddress: true });

async function fetchErrorCause(p: Promise<unknown>): Promise<unknown> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(FetchError);
  return (err as Error).cause;
}

describe("createDocumentLoader", () => {
  it("loads an AS2 document and sends the AS2 Accept header", async () => {
    const doc = await loader()(`${a.base}/note`);
    expect(doc).toEqual({
      contextUrl: null,
      documentUrl: `${a.base}/note`,
      document: { "@context": AS, id: `${a.base}/note`, type: "Note", content: "hi" },
    });
    expect(accepts.at(-1)).toBe(ACTIVITY_ACCEPT);
  });

  it.each(["application/activity+json", "application/activity+json; charset=utf-8",
    `application/ld+json; profile="${AS}"`, "application/ld+json", "Application/LD+JSON; charset=UTF-8"])(
    "accepts Content-Type %s", async (type) => {
      const doc = await loader()(`${a.base}/note?type=${encodeURIComponent(type)}`);
      expect((doc.document as { id: string }).id).toBe(`${a.base}/note`);
    });

  // CVE-2024-25623 / CVE-2024-25636: a JSON file served as media or generic JSON is not an actor.
  it.each(["application/json", "text/html", "image/png", "text/plain", "application/activity+jsonx", ""])(
    "refuses Content-Type %j", async (type) => {
      await expect(loader()(`${a.base}/note?type=${encodeURIComponent(type)}`)).rejects.toThrow(/Content-Type/);
    });

  it("reports the final URL after redirects as documentUrl (cases 4, 5)", async () => {
    const doc = await loader()(`${a.base}/moved`);
    expect(doc.documentUrl).toBe(`${b.base}/moved-here`);
  });

  it("lets Fedify's lookupObject reject a document claiming a foreign id, and accept a redirected one", async () => {
    const opts = { documentLoader: loader(), contextLoader: createContextLoader(), crossOrigin: "throw" as const };
    await expect(lookupObject(`${a.base}/claims-b`, opts)).rejects.toThrow(/different origin/);
    const moved = await lookupObject(`${a.base}/moved`, opts);
    expect(moved).toBeInstanceOf(Note);
    expect(moved?.id?.href).toBe(`${b.base}/moved-here`);
  });

  it("throws FetchError carrying the HTTP status", async () => {
    const err = await loader()(`${a.base}/gone`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect((err as FetchError).response?.status).toBe(410);
  });

  it("refuses private addresses unless allowed, without connecting, as a FetchError with the guard's code", async () => {
    const before = a.hits.length;
    const cause = await fetchErrorCause(createDocumentLoader({ allowPrivateAddress: false })(`${a.base}/note`));
    expect(cause).toBeInstanceOf(UrlGuardError);
    expect((cause as UrlGuardError).code).toBe("private_address");
    expect(a.hits.length).toBe(before);
  });

  it("refuses documents nested deeper than 64 levels and accepts 64", async () => {
    await expect(loader()(`${a.base}/deep?depth=64`)).resolves.toBeDefined();
    const cause = await fetchErrorCause(loader()(`${a.base}/deep?depth=65`));
    expect((cause as JsonBoundsError).code).toBe("too_deep");
    expect((await fetchErrorCause(loader()(`${a.base}/deep?depth=10000`)) as JsonBoundsError).code).toBe("too_deep");
  });

  it("refuses arrays over 10,000 elements, bodies over the size limit, and invalid JSON", async () => {
    expect((await fetchErrorCause(loader()(`${a.base}/wide`)) as JsonBoundsError).code).toBe("array_too_long");
    expect((await fetchErrorCause(loader()(`${a.base}/big`)) as UrlGuardError).code).toBe("too_large");
    expect(await fetchErrorCause(loader()(`${a.base}/not-json`))).toBeInstanceOf(SyntaxError);
  });
});

describe("assertJsonBounds", () => {
  it("enforces depth, array, key and string limits at their exact boundaries", () => {
    expect(() => assertJsonBounds(nested(5), { maxDepth: 5 })).not.toThrow();
    expect(() => assertJsonBounds(nested(6), { maxDepth: 5 })).toThrow(JsonBoundsError);
    expect(() => assertJsonBounds([[[[1]]]], { maxDepth: 4 })).not.toThrow();
    expect(() => assertJsonBounds([[[[[1]]]]], { maxDepth: 4 })).toThrow(/deeper/);
    expect(() => assertJsonBounds({ to: Array(10_000).fill("x") })).not.toThrow();
    expect(() => assertJsonBounds({ to: Array(10_001).fill("x") })).toThrow(/Array/);
    expect(() => assertJsonBounds(Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, i])), { maxArray: 10 }))
      .toThrow(/keys/);
    expect(() => assertJsonBounds({ content: "x".repeat(100) }, { maxString: 100 })).not.toThrow();
    expect(() => assertJsonBounds({ content: "x".repeat(101) }, { maxString: 100 })).toThrow(/String/);
    expect(() => assertJsonBounds({ ["k".repeat(101)]: 1 }, { maxString: 100 })).toThrow(/Key/);
    expect(() => assertJsonBounds({ a: [{ b: "x".repeat(1024 * 1024 + 1) }] })).toThrow(/String/);
  });

  it("is iterative: a 1,000,000-deep value throws JsonBoundsError, not a stack overflow", () => {
    expect(() => assertJsonBounds(nested(1_000_000))).toThrow(JsonBoundsError);
  });
});

describe("createContextLoader", () => {
  it("serves preloaded contexts, including common aliases", async () => {
    const cl = createContextLoader();
    const as = await cl(AS);
    expect(as.documentUrl).toBe(AS);
    expect(JSON.stringify(as.document)).toContain("@context");
    expect((await cl("http://www.w3.org/ns/activitystreams")).document).toBe(as.document);
    expect((await cl("https://w3id.org/security/v1")).documentUrl).toBe("https://w3id.org/security/v1");
  });

  it("never fetches an unknown context and names it in the error", async () => {
    const url = `${ctxServer.base}/ctx/1`;
    await expect(createContextLoader()(url)).rejects.toThrow(url);
    expect(ctxServer.hits.length).toBe(0);
  });

  it("makes Fedify refuse an object with 50 remote contexts, quickly and without fetching any", async () => {
    const doc = await loader()(`${a.base}/remote-ctx`);
    const t0 = performance.now();
    await expect(Note.fromJsonLd(doc.document, { documentLoader: loader(), contextLoader: createContextLoader() }))
      .rejects.toThrow(`${ctxServer.base}/ctx/`);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(ctxServer.hits.length).toBe(0);
  });
});

describe("createAuthenticatedDocumentLoaderFactory", () => {
  it("signs every hop with a signature Fedify verifies for that hop's URL", async () => {
    const keys = (await crypto.subtle.generateKey(
      { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
      true, ["sign", "verify"],
    )) as CryptoKeyPair;
    const keyId = new URL("https://local.example/users/alice#main-key");
    const keyDoc = {
      "@context": "https://w3id.org/security/v1",
      id: keyId.href, type: "CryptographicKey", owner: "https://local.example/users/alice",
      publicKeyPem: await exportSpki(keys.publicKey),
    };
    const keyLoader: DocumentLoader = async (u) => ({ contextUrl: null, documentUrl: u, document: keyDoc });
    verifyKey = async (req) =>
      (await verifyRequest(req, { documentLoader: keyLoader, contextLoader: createContextLoader() }))?.id?.href ?? null;

    const factory: AuthenticatedDocumentLoaderFactory = createAuthenticatedDocumentLoaderFactory({ allowPrivateAddress: true });
    const load = factory({ keyId, privateKey: keys.privateKey }, { userAgent: "Ruche/test" });
    verified.length = 0;
    const doc = await load(`${a.base}/signed?hop=1`);
    expect(doc.documentUrl).toBe(`${a.base}/signed`);
    expect(verified).toEqual([keyId.href, keyId.href]);

    // Unsigned loader → the same server cannot verify anything (the check above is not vacuous).
    verified.length = 0;
    await loader()(`${a.base}/signed`);
    expect(verified).toEqual([null]);
  });

  it("refuses to send a signed request to a private address when not allowed", async () => {
    const keys = (await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"])) as CryptoKeyPair;
    const before = a.hits.length;
    const load = createAuthenticatedDocumentLoaderFactory({ allowPrivateAddress: false })({
      keyId: new URL("https://local.example/k"), privateKey: keys.privateKey,
    });
    expect(((await fetchErrorCause(load(`${a.base}/signed`))) as UrlGuardError).code).toBe("private_address");
    expect(a.hits.length).toBe(before);
  });

  it("plugs into createFederation's loader factory options", () => {
    const federation = createFederation<void>({
      kv: new MemoryKvStore(),
      documentLoaderFactory: () => createDocumentLoader({ allowPrivateAddress: false }),
      contextLoaderFactory: () => createContextLoader(),
      authenticatedDocumentLoaderFactory: createAuthenticatedDocumentLoaderFactory({ allowPrivateAddress: false }),
    });
    expect(federation).toBeDefined();
  });
});
