// Actor documents are compacted JSON-LD: Fedify spends milliseconds per GET on it (anchor-figures §1.2 measured
// 173 req/s uncached). Unsigned GETs of actor documents and WebFinger lookups are the hot path (every peer
// verifying a signature fetches the key; every mention resolves a handle), so their responses are cached in
// memory, cleared whenever an account changes (the `account.changed` event, published by the domain in the
// changing transaction) and after a minute anyway.
import { type Clock, systemClock } from "../server/clock.ts";

interface Entry { status: number; headers: [string, string][]; body: Uint8Array; expires: number }

export class ResponseCache {
  #entries = new Map<string, Entry>();
  #ttlMs: number;
  #max: number;
  #clock: Clock;

  constructor(opts: { ttlMs?: number; max?: number; clock?: Clock } = {}) {
    this.#ttlMs = opts.ttlMs ?? 60_000;
    this.#max = opts.max ?? 5_000;
    this.#clock = opts.clock ?? systemClock;
  }

  get(key: string): Response | null {
    const e = this.#entries.get(key);
    if (!e) return null;
    if (e.expires <= this.#clock.now()) {
      this.#entries.delete(key);
      return null;
    }
    return new Response(e.body as BodyInit, { status: e.status, headers: e.headers });
  }

  /** Stores a copy of a successful response and returns a response to send instead of the consumed one. */
  async put(key: string, response: Response): Promise<Response> {
    const body = new Uint8Array(await response.arrayBuffer());
    const headers = [...response.headers.entries()];
    if (this.#entries.size >= this.#max) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, { status: response.status, headers, body, expires: this.#clock.now() + this.#ttlMs });
    return new Response(body as BodyInit, { status: response.status, headers });
  }

  clear(): void {
    this.#entries.clear();
  }
}

const actorPath = /^\/users\/[^/]+$/;

/**
 * The cache key for a cacheable request, or null: unsigned GETs of actor documents asking for ActivityPub JSON,
 * and WebFinger lookups (Fedify answers one by running the actor dispatcher, key pairs included: ~90 req/s).
 * Both are cleared by the same `account.changed` event.
 */
export function actorCacheKey(request: Request, url: URL): string | null {
  if (request.method !== "GET") return null;
  if (request.headers.has("signature") || request.headers.has("signature-input")) return null;
  if (url.pathname === "/.well-known/webfinger") return `webfinger\n${url.search}`;
  if (!actorPath.test(url.pathname) || url.search) return null;
  const accept = request.headers.get("accept") ?? "";
  if (!/application\/(activity\+json|ld\+json)/.test(accept)) return null;
  return `${url.pathname}\n${accept}`;
}
