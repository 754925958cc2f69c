// A hostile ActivityPub peer for security tests: an HTTPS server on loopback (test CA) that serves whatever a test
// configures — actors, keys that lie about their owner, redirects, wrong content types — and records what the
// instance under test fetches from it or delivers to it. Requests to an instance are built here too: correctly
// signed with Fedify's own `signRequest`, or broken by hand (headers left out of the signature, a body swapped after
// signing, a Date outside the window), and sent with node:https so that every header and byte goes out as written.
import { createHash, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { request as httpsRequest, createServer, type Server } from "node:https";
import type { IncomingMessage } from "node:http";
import { createServer as createTcpServer } from "node:net";
import type { AddressInfo } from "node:net";
import { signRequest } from "@fedify/fedify";
import { inject } from "vitest";
import type { Sql } from "../server/db/pool.ts";
import { eventually } from "./instance.ts";
import { dueJobCount } from "../server/jobs/admin.ts";

export const AS_CONTEXT = "https://www.w3.org/ns/activitystreams";
export const SECURITY_CONTEXT = "https://w3id.org/security/v1";
export const AP_JSON = "application/activity+json";

/** What a route answers: a document (JSON-encoded unless a string/Buffer), or a function of the request. */
export interface Served {
  status?: number;
  /** Content-Type; defaults to application/activity+json for documents. */
  contentType?: string;
  headers?: Record<string, string>;
  body?: unknown;
}
export type Route = Served | ((req: IncomingMessage, body: Buffer) => Served | Promise<Served>);

export interface Received {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export interface PeerActor {
  name: string;
  iri: string;
  keyId: string;
  inbox: string;
  privateKey: CryptoKey;
  publicKeyPem: string;
  /** The actor document, served live at `iri`: tests may change it. */
  document: Record<string, unknown>;
}

export interface ActorOptions {
  /** The `owner` the key claims (default: the actor itself). Case 1 makes it lie. */
  keyOwner?: string;
  type?: string;
  locked?: boolean;
}

export interface HostilePeer {
  origin: string;
  /** host:port as it appears in Host headers. */
  host: string;
  url(path: string): string;
  /** Serves `route` at `path` (exact pathname, any query). Replaces an earlier route. */
  route(path: string, route: Route): void;
  createActor(name: string, opts?: ActorOptions): Promise<PeerActor>;
  /** Every request received, in order. */
  readonly received: Received[];
  /** How many requests hit `path` (pathname, method GET unless given). */
  hits(path: string, method?: string): number;
  /** Bodies (parsed JSON) POSTed to any inbox of this peer. */
  inboxPosts(): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

function tlsFiles(): { key: Buffer; cert: Buffer; ca: Buffer } {
  const t = inject("tls");
  return { key: readFileSync(t.key), cert: readFileSync(t.cert), ca: readFileSync(t.caCert) };
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function generateRsaKeys(): Promise<{ privateKey: CryptoKey; publicKeyPem: string }> {
  const pair = (await crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  )) as CryptoKeyPair;
  const spki = Buffer.from(await crypto.subtle.exportKey("spki", pair.publicKey)).toString("base64");
  const publicKeyPem = `-----BEGIN PUBLIC KEY-----\n${spki.match(/.{1,64}/g)!.join("\n")}\n-----END PUBLIC KEY-----\n`;
  return { privateKey: pair.privateKey, publicKeyPem };
}

export async function startHostilePeer(): Promise<HostilePeer> {
  const { key, cert } = tlsFiles();
  const routes = new Map<string, Route>();
  const received: Received[] = [];
  const server: Server = createServer({ key, cert }, async (req, res) => {
    const path = new URL(req.url ?? "/", "https://peer.invalid").pathname;
    const body = await readAll(req).catch(() => Buffer.alloc(0));
    received.push({ method: req.method ?? "GET", path, headers: req.headers, body: body.toString("utf8") });
    let served: Served;
    const route = routes.get(path);
    if (route) served = typeof route === "function" ? await route(req, body) : route;
    else if (req.method === "POST" && /(^|\/)inbox$/.test(path)) served = { status: 202, body: "" };
    else served = { status: 404, contentType: "text/plain", body: "not found" };
    const payload = served.body === undefined ? "" : typeof served.body === "string" || Buffer.isBuffer(served.body) ? served.body : JSON.stringify(served.body);
    res.writeHead(served.status ?? 200, { "content-type": served.contentType ?? AP_JSON, ...served.headers });
    res.end(payload);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `https://localhost:${port}`;
  const peer: HostilePeer = {
    origin,
    host: `localhost:${port}`,
    received,
    url: (path) => new URL(path, origin).href,
    route(path, route) {
      routes.set(path, route);
    },
    async createActor(name, opts = {}) {
      const { privateKey, publicKeyPem } = await generateRsaKeys();
      const iri = `${origin}/users/${name}`;
      // The key is a fragment of the actor document, like Mastodon's (Fedify 2.3.6 cannot read a stand-alone key
      // document typed "Key").
      const keyId = `${iri}#main-key`;
      const actor: PeerActor = {
        name, iri, keyId, inbox: `${iri}/inbox`, privateKey, publicKeyPem,
        document: {
          "@context": [AS_CONTEXT, SECURITY_CONTEXT],
          id: iri,
          type: opts.type ?? "Person",
          preferredUsername: name,
          name: `${name} (hostile peer)`,
          inbox: `${iri}/inbox`,
          outbox: `${iri}/outbox`,
          followers: `${iri}/followers`,
          following: `${iri}/following`,
          endpoints: { sharedInbox: `${origin}/inbox` },
          manuallyApprovesFollowers: opts.locked ?? false,
          publicKey: { id: keyId, type: "Key", owner: opts.keyOwner ?? iri, publicKeyPem },
        },
      };
      routes.set(`/users/${name}`, () => ({ body: actor.document }));
      return actor;
    },
    hits: (path, method = "GET") => received.filter((r) => r.path === path && r.method === method).length,
    inboxPosts: () => received.filter((r) => r.method === "POST" && /(^|\/)inbox$/.test(r.path)).map((r) => JSON.parse(r.body)),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  return peer;
}

/** A bare TCP listener that counts connection attempts (SSRF tests: it must stay at zero). */
export async function startCountingListener(host: "127.0.0.1" | "::1"): Promise<{ port: number; connections(): number; close(): Promise<void> }> {
  let count = 0;
  const server = createTcpServer((socket) => {
    count++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => count,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Requests to an instance.

/** A request exactly as it goes on the wire. `url` says where to connect; the Host header may say otherwise. */
export interface Outgoing {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** Bytes, or a stream of chunks (sent chunked unless a Content-Length header is set). */
  body?: string | Uint8Array | AsyncIterable<Uint8Array>;
}

export interface Reply {
  status: number;
  text: string;
  /** The `error` field of a JSON error answer (our guards), if any. */
  error: string | null;
  ms: number;
}

const encoder = new TextEncoder();

export function activity(fields: Record<string, unknown>): Record<string, unknown> {
  return { "@context": AS_CONTEXT, ...fields };
}

/** A fresh activity id on the actor's origin. */
export function newId(actorIri: string, kind = "activity"): string {
  return `${new URL(actorIri).origin}/activities/${kind}/${randomUUID()}`;
}

export function followActivity(actorIri: string, objectIri: string, id = newId(actorIri, "follow")): Record<string, unknown> {
  return activity({ id, type: "Follow", actor: actorIri, object: objectIri });
}

export function digestOf(body: string | Uint8Array): string {
  return `SHA-256=${createHash("sha256").update(body).digest("base64")}`;
}

/** A correctly signed POST made by Fedify's own signer (draft-cavage by default, or RFC 9421). */
export async function signedPost(signer: Pick<PeerActor, "privateKey" | "keyId">, url: string, body: unknown,
  opts: { spec?: "draft-cavage-http-signatures-12" | "rfc9421"; date?: Date } = {}): Promise<Outgoing> {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const headers: Record<string, string> = { "content-type": AP_JSON, accept: AP_JSON };
  if (opts.date) headers.date = opts.date.toUTCString();
  const req = new Request(url, { method: "POST", headers, body: text });
  const signed = await signRequest(req, signer.privateKey, new URL(signer.keyId), { spec: opts.spec ?? "draft-cavage-http-signatures-12" });
  return { method: "POST", url, headers: Object.fromEntries(signed.headers), body: text };
}

/** A correctly signed GET (authorized fetch), by Fedify's signer. */
export async function signedGet(signer: Pick<PeerActor, "privateKey" | "keyId">, url: string): Promise<Outgoing> {
  const req = new Request(url, { headers: { accept: AP_JSON } });
  const signed = await signRequest(req, signer.privateKey, new URL(signer.keyId));
  return { method: "GET", url, headers: Object.fromEntries(signed.headers) };
}

export interface HandSignOptions {
  /** Headers in the signature's `headers=` list (default: (request-target) host date digest). */
  covered?: string[];
  date?: Date;
  /** The Digest header; null leaves it out. Defaults to the body's SHA-256. */
  digest?: string | null;
  algorithm?: string;
  keyId?: string;
  /** Extra Signature parameters appended verbatim (parser-differential tests). */
  signatureSuffix?: string;
}

/** A draft-cavage signature built by hand, so tests can leave headers out of it or sign the wrong things. */
export async function handSignedPost(signer: Pick<PeerActor, "privateKey" | "keyId">, url: string, body: unknown,
  opts: HandSignOptions = {}): Promise<Outgoing> {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const u = new URL(url);
  const headers: Record<string, string> = {
    host: u.host,
    date: (opts.date ?? new Date()).toUTCString(),
    "content-type": AP_JSON,
  };
  const digest = opts.digest === undefined ? digestOf(text) : opts.digest;
  if (digest !== null) headers.digest = digest;
  const covered = opts.covered ?? ["(request-target)", "host", "date", "digest"];
  const signingString = covered
    .map((h) => (h === "(request-target)" ? `(request-target): post ${u.pathname}` : `${h}: ${headers[h] ?? ""}`))
    .join("\n");
  const sig = await crypto.subtle.sign("RSASSA-PKCS1-v1_5", signer.privateKey, encoder.encode(signingString));
  headers.signature = `keyId="${opts.keyId ?? signer.keyId}",algorithm="${opts.algorithm ?? "rsa-sha256"}",` +
    `headers="${covered.join(" ")}",signature="${Buffer.from(sig).toString("base64")}"${opts.signatureSuffix ?? ""}`;
  return { method: "POST", url, headers, body: text };
}

/** Sends `out` over HTTPS to the host:port of `out.url`, headers exactly as given; resolves on the response. */
export async function deliver(out: Outgoing, opts: { timeoutMs?: number } = {}): Promise<Reply> {
  const { ca } = tlsFiles();
  const u = new URL(out.url);
  const headers = { ...out.headers };
  if (!Object.keys(headers).some((h) => h.toLowerCase() === "host")) headers.host = u.host;
  const fixed = typeof out.body === "string" ? encoder.encode(out.body) : out.body instanceof Uint8Array ? out.body : null;
  if (fixed && !Object.keys(headers).some((h) => h.toLowerCase() === "content-length")) headers["content-length"] = String(fixed.byteLength);
  const started = performance.now();
  return await new Promise<Reply>((resolve, reject) => {
    let settled = false;
    const req = httpsRequest({
      host: "127.0.0.1", port: Number(u.port), path: u.pathname + u.search, method: out.method, headers,
      servername: u.hostname, ca, agent: false,
    }, async (res) => {
      const text = (await readAll(res).catch(() => Buffer.alloc(0))).toString("utf8");
      settled = true;
      clearTimeout(timer);
      req.destroy();
      let error: string | null = null;
      try {
        const parsed = JSON.parse(text) as { error?: unknown };
        if (typeof parsed?.error === "string") error = parsed.error;
      } catch {
        // not a JSON error answer
      }
      resolve({ status: res.statusCode ?? 0, text, error, ms: performance.now() - started });
    });
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      req.destroy();
      reject(new Error(`no response within ${opts.timeoutMs ?? 20_000} ms`));
    }, opts.timeoutMs ?? 20_000);
    req.on("error", (e) => {
      // Writing after the server answered and closed is expected for oversized bodies; the answer wins.
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        reject(e);
      }
    });
    if (out.body === undefined || fixed) {
      req.end(fixed ?? undefined);
      return;
    }
    const stream = out.body;
    void (async () => {
      for await (const chunk of stream) {
        if (settled || req.destroyed) return;
        if (!req.write(chunk)) await new Promise((r) => req.once("drain", r).once("close", r));
      }
      if (!settled) req.end();
    })().catch(() => {});
  });
}

/** An endless stream of `chunkBytes`-byte chunks (stops when the request is destroyed). */
export async function* endlessStream(chunkBytes = 64 * 1024): AsyncIterable<Uint8Array> {
  const chunk = new Uint8Array(chunkBytes).fill(0x20);
  for (;;) yield chunk;
}

/** A few bytes, then silence: the rest never comes. */
export async function* stalledStream(first: string, stalled: Promise<void>): AsyncIterable<Uint8Array> {
  yield encoder.encode(first);
  await stalled;
}

// ---------------------------------------------------------------------------------------------------------------
// Observing the instance under attack.

/** Waits until every inbox message the instance accepted (202) has been handled: its queue holds none. */
export async function inboxSettled(sql: Sql): Promise<void> {
  await eventually(async () => {
    const [r] = await sql`SELECT count(*)::int AS n FROM fedify_mq WHERE message->>'type' = 'inbox'`;
    return r.n === 0;
  }, 15_000, "the inbox queue to drain");
}

/** Waits until the instance has nothing left to do now: no job due or running, no due queue message (deliveries). */
export async function allSettled(sql: Sql): Promise<void> {
  await eventually(async () => {
    const [r] = await sql`SELECT count(*)::int AS n FROM fedify_mq WHERE deliver_at <= now()`;
    return r.n + await dueJobCount(sql) === 0;
  }, 15_000, "the instance's queues to drain");
}

/** Follow rows whose follower is `followerIri`, with the followed account's IRI. */
export async function followsBy(sql: Sql, followerIri: string): Promise<Array<{ state: string; iri: string; target: string }>> {
  return await sql`SELECT f.state, f.iri, t.iri AS target FROM follows f
    JOIN accounts a ON a.id = f.follower_id JOIN accounts t ON t.id = f.following_id WHERE a.iri = ${followerIri} ORDER BY f.id`;
}

export async function accountRow(sql: Sql, iri: string): Promise<Record<string, unknown> | undefined> {
  const [row] = await sql`SELECT * FROM accounts WHERE iri = ${iri}`;
  return row;
}
