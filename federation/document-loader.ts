// Fedify document/context loaders built on safeFetch. Fedify 2.3.6's built-in loader treats a response with no
// Content-Type as JSON-LD, JSON.parses anything else (even text/html), follows HTML/Link "alternate" pointers, and
// reads bodies unbounded; these loaders are strict instead. Wire them with
//   documentLoaderFactory: () => createDocumentLoader({ allowPrivateAddress }),
//   contextLoaderFactory: () => createContextLoader(),
//   authenticatedDocumentLoaderFactory: createAuthenticatedDocumentLoaderFactory({ allowPrivateAddress }),
// and do NOT set Fedify's own `allowPrivateAddress` / `userAgent` options: Fedify 2.3.6 throws a TypeError when
// they are combined with custom loader factories. Our `allowPrivateAddress` wins over the one Fedify passes to the
// factories (which is always Fedify's own option, false here).
import {
  FetchError,
  getUserAgent,
  preloadedContexts,
  signRequest,
  type AuthenticatedDocumentLoaderFactory,
  type DocumentLoader,
  type HttpMessageSignaturesSpec,
  type RemoteDocument,
} from "@fedify/fedify";
import { safeFetch, type SafeFetchInit } from "./safe-fetch.ts";

export const ACTIVITY_ACCEPT = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"';

export interface DocumentLoaderOptions {
  allowPrivateAddress: boolean;
  userAgent?: string;
  maxBytes?: number;
  timeoutMs?: number;
  sign?: (req: Request) => Promise<Request>;
  /** For tests: DNS and fetch overrides passed through to safeFetch. */
  lookup?: SafeFetchInit["lookup"];
  fetchImpl?: typeof fetch;
}

// ---------------------------------------------------------------------------------------------------------------
// JSON bounds (corpus 21): JSON-LD expansion is recursive and super-linear, so a 10,000-deep `object` chain or a
// 100k-element `to` array must be refused before it reaches jsonld. Iterative walk: the checker itself must not be
// the thing that overflows the stack.

export class JsonBoundsError extends Error {
  code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "JsonBoundsError";
    this.code = code;
  }
}

export interface JsonBounds {
  /** Maximum nesting of objects/arrays; the top-level value is depth 1. Default 64. */
  maxDepth?: number;
  /** Maximum elements in any array, and keys in any object. Default 10,000. */
  maxArray?: number;
  /** Maximum length (UTF-16 units) of any string value or key. Default 1 MiB. */
  maxString?: number;
}

export function assertJsonBounds(value: unknown, bounds: JsonBounds = {}): void {
  const maxDepth = bounds.maxDepth ?? 64;
  const maxArray = bounds.maxArray ?? 10_000;
  const maxString = bounds.maxString ?? 1024 * 1024;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v === "string") {
      if (v.length > maxString) throw new JsonBoundsError("string_too_long", `String longer than ${maxString}`);
      continue;
    }
    if (v === null || typeof v !== "object") continue;
    if (depth > maxDepth) throw new JsonBoundsError("too_deep", `JSON nested deeper than ${maxDepth} levels`);
    if (Array.isArray(v)) {
      if (v.length > maxArray) throw new JsonBoundsError("array_too_long", `Array longer than ${maxArray}`);
      for (const item of v) stack.push([item, depth + 1]);
    } else {
      const keys = Object.keys(v);
      if (keys.length > maxArray) throw new JsonBoundsError("too_many_keys", `Object with over ${maxArray} keys`);
      for (const k of keys) {
        if (k.length > maxString) throw new JsonBoundsError("string_too_long", `Key longer than ${maxString}`);
        stack.push([(v as Record<string, unknown>)[k], depth + 1]);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Document loader.

/**
 * Only AS2 media types count as ActivityPub documents (CVE-2024-25623 / CVE-2024-25636): otherwise a JSON file
 * uploaded as media to server X (served as application/json or image/png) would be accepted as an actor or note
 * "from X". Parameters (charset, profile) are allowed.
 */
function isActivityContentType(contentType: string | null): boolean {
  if (contentType === null) return false;
  const essence = contentType.split(";")[0].trim().toLowerCase();
  return essence === "application/activity+json" || essence === "application/ld+json";
}

/**
 * Fedify only knows how to react to FetchError (e.g. getSignedKeyOwner treats it as "unauthenticated" rather than
 * a 500; the key cache records its HTTP status), so every failure leaves the loader as a FetchError; the original
 * error (UrlGuardError with its code, JsonBoundsError, SyntaxError) is kept as `cause`.
 */
function asFetchError(url: string, error: unknown): FetchError {
  if (error instanceof FetchError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const wrapped = new FetchError(url, message);
  (wrapped as Error).cause = error;
  return wrapped;
}

export function createDocumentLoader(opts: DocumentLoaderOptions): DocumentLoader {
  return async (url: string, options?: { signal?: AbortSignal }): Promise<RemoteDocument> => {
    const headers: Record<string, string> = { Accept: ACTIVITY_ACCEPT };
    if (opts.userAgent) headers["User-Agent"] = opts.userAgent;
    let res;
    try {
      res = await safeFetch(url, {
        headers,
        allowPrivateAddress: opts.allowPrivateAddress,
        maxBytes: opts.maxBytes,
        timeoutMs: opts.timeoutMs,
        sign: opts.sign,
        lookup: opts.lookup,
        fetchImpl: opts.fetchImpl,
        signal: options?.signal,
      });
    } catch (error) {
      if (options?.signal?.aborted && error === options.signal.reason) throw error; // caller's own cancellation
      throw asFetchError(url, error);
    }
    if (res.status < 200 || res.status > 299) {
      // Carry the status in a Response so Fedify can tell 404/410 (gone) from 5xx (retry).
      throw new FetchError(res.url, `HTTP ${res.status}: ${res.url}`, new Response(null, { status: res.status }));
    }
    // Strict: no HTML/Link "alternate" discovery, no "missing Content-Type means JSON-LD".
    const contentType = res.headers.get("content-type");
    if (!isActivityContentType(contentType)) {
      throw new FetchError(res.url, `Not an ActivityPub document (Content-Type: ${contentType ?? "none"}): ${res.url}`);
    }
    let document: unknown;
    try {
      document = JSON.parse(new TextDecoder().decode(res.body));
      assertJsonBounds(document);
    } catch (error) {
      throw asFetchError(res.url, error);
    }
    // documentUrl is where the bytes really came from (after redirects), not the URL we were asked for: callers
    // compare it with the document's `id` (CVE-2024-23832 self-declared id, GHSA-8863 redirect to another actor).
    return { contextUrl: null, document, documentUrl: res.url };
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Context loader (corpus 20): JSON-LD contexts come only from Fedify's preloaded set. Remote contexts are an SSRF
// and amplification vector (50 remote URLs, self-including contexts) and make a document's meaning depend on a
// third server; an activity using an unknown context is rejected instead.

// Common spellings of the same contexts (http scheme, .jsonld suffix, trailing fragment).
const CONTEXT_ALIASES: Record<string, string> = {
  "http://www.w3.org/ns/activitystreams": "https://www.w3.org/ns/activitystreams",
  "https://www.w3.org/ns/activitystreams.jsonld": "https://www.w3.org/ns/activitystreams",
  "http://w3id.org/security/v1": "https://w3id.org/security/v1",
  "https://schema.org/": "http://schema.org/",
  "https://joinmastodon.org/ns": "http://joinmastodon.org/ns",
};

/** The preloaded context a context URL names (its usual spellings included), or null when none is preloaded. */
export function preloadedContextUrl(url: string): string | null {
  let key = url;
  if (URL.canParse(url)) {
    const u = new URL(url);
    u.hash = "";
    key = u.href;
  }
  key = CONTEXT_ALIASES[key] ?? key;
  return Object.hasOwn(preloadedContexts, key) ? key : null;
}

export function createContextLoader(): DocumentLoader {
  return async (url: string): Promise<RemoteDocument> => {
    const key = preloadedContextUrl(url);
    if (key !== null) {
      return { contextUrl: null, document: preloadedContexts[key], documentUrl: key };
    }
    throw new FetchError(url, `JSON-LD context not preloaded, refusing to fetch: ${url}`);
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Authenticated loader (authorized fetch): same strict path, each hop signed by the given actor key.

export interface AuthenticatedLoaderOptions extends Omit<DocumentLoaderOptions, "sign"> {
  /** Default draft-cavage (what Mastodon & co. verify); "rfc9421" is possible. */
  spec?: HttpMessageSignaturesSpec;
}

export function createAuthenticatedDocumentLoaderFactory(
  opts: AuthenticatedLoaderOptions,
): AuthenticatedDocumentLoaderFactory {
  return (identity, factoryOptions) => {
    const ua = factoryOptions?.userAgent;
    const userAgent = opts.userAgent ?? (typeof ua === "string" ? ua : ua != null ? getUserAgent(ua) : undefined);
    return createDocumentLoader({
      ...opts,
      userAgent,
      // Re-invoked by safeFetch on every redirect hop, so each signature covers the host actually contacted
      // (and the hop's URL was checked before signing: no signed requests to private addresses, CVE-2026-77632).
      sign: (req) =>
        signRequest(req, identity.privateKey, identity.keyId, { spec: opts.spec ?? "draft-cavage-http-signatures-12" }),
    });
  };
}
