// Inbox guards: what Fedify 2.3.6 leaves open, closed before the request reaches it. Each check names the attack
// it stops (../shared/reference/security-corpus.md). Cheap checks first: an outsider is refused before we read
// its body or fetch anything. The hostile-peer tests (federation/security-*.test.ts) send each attack to a running
// instance.
import { createHash } from "node:crypto";
import type { SiblingPolicy } from "../sibling-policy.ts";
import type { KeyOwnerVerifier } from "../key-owner.ts";
import { assertJsonBounds } from "../document-loader.ts";
import { jsonLdReadingAgrees, unknownContexts } from "./activity-reading.ts";
import { isAcceptableAlgorithm, missingCoverage, parseSignatureClaim } from "./signature-header.ts";

export const INBOX_LIMITS = {
  /** Mastodon refuses activities over 1 MB; an enterprise network needs far less. Case 19. */
  maxBodyBytes: 256 * 1024,
  /** Total time to receive a body (slow uploads). */
  bodyTimeoutMs: 10_000,
  maxDepth: 32,
  maxArray: 5_000,
  maxString: 256 * 1024,
  /** Date skew accepted either way (Fedify's window is one hour too). Case 13. */
  clockSkewMs: 3_600_000,
};

export interface GuardDeps {
  siblings: SiblingPolicy;
  keyOwners: KeyOwnerVerifier;
  now?: () => number;
}

/**
 * `ok: false` with status 202: accepted and ignored (a forwarded activity), logged like a refusal. An accepted inbox
 * delivery also carries its activity, already parsed and checked (`activity`).
 */
export type GuardResult =
  | { ok: true; request: Request; activity?: Record<string, unknown> }
  | { ok: false; status: number; error: string };

const fail = (status: number, error: string): GuardResult => ({ ok: false, status, error });

function originOf(iri: string): string | null {
  try {
    const u = new URL(iri);
    return u.protocol === "https:" || u.protocol === "http:" ? u.origin : null;
  } catch {
    return null;
  }
}

async function readBody(request: Request, limit: number, timeoutMs: number): Promise<Uint8Array | "too_large" | "timeout"> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) return "too_large";
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const left = deadline - Date.now();
    if (left <= 0) {
      reader.cancel().catch(() => {});
      return "timeout";
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), left)));
    const next = await Promise.race([reader.read(), timeout]);
    clearTimeout(timer);
    if (next === "timeout") {
      reader.cancel().catch(() => {});
      return "timeout";
    }
    if (next.done) break;
    size += next.value.byteLength;
    if (size > limit) {
      reader.cancel().catch(() => {});
      return "too_large";
    }
    chunks.push(next.value);
  }
  const out = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.byteLength;
  }
  return out;
}

function digestMatches(headers: Headers, body: Uint8Array): boolean | null {
  const sha256 = createHash("sha256").update(body).digest("base64");
  const digest = headers.get("digest");
  const contentDigest = headers.get("content-digest");
  if (!digest && !contentDigest) return null;
  if (digest) {
    const parts = digest.split(",").map((p) => p.trim());
    const s = parts.find((p) => p.toLowerCase().startsWith("sha-256="));
    if (!s || s.slice(8) !== sha256) return false;
  }
  if (contentDigest) {
    const m = /sha-256=:([^:]+):/i.exec(contentDigest);
    if (!m || m[1] !== sha256) return false;
  }
  return true;
}

function idOf(v: unknown): string | null {
  if (typeof v === "string") return v;
  if (v && typeof v === "object" && !Array.isArray(v) && typeof (v as { id?: unknown }).id === "string") return (v as { id: string }).id;
  return null;
}

/**
 * Host rewrite (case 12): node-server builds the request URL from the Host header, and the signature covers that
 * header as sent. A request signed for another server (a sibling, or a peer we once fetched from with a signed GET)
 * and replayed here with its original Host would verify and be routed by path to our user of the same name.
 */
function hostIsOurs(request: Request, selfOrigin: string): boolean {
  const host = request.headers.get("host");
  if (!host) return false;
  const self = new URL(selfOrigin);
  try {
    return new URL(`${self.protocol}//${host}`).host === self.host;
  } catch {
    return false;
  }
}

/** Signed GETs (authorized fetch): an outsider's signature is refused with 403 before Fedify looks at it. */
export function guardSignedFetch(request: Request, deps: GuardDeps): GuardResult {
  const claim = parseSignatureClaim(request.headers);
  if (claim === null) return { ok: true, request };
  if (claim === "malformed") return fail(401, "malformed signature header");
  const origin = originOf(claim.keyId);
  if (!origin) return fail(401, "keyId is not an http(s) URL");
  if (!deps.siblings.allows(origin)) return fail(403, `${origin} is not a sibling of this instance`);
  if (!hostIsOurs(request, deps.siblings.selfOrigin)) return fail(401, "the signed request was made for another host");
  return { ok: true, request };
}

export async function guardInbox(request: Request, deps: GuardDeps): Promise<GuardResult> {
  const now = deps.now?.() ?? Date.now();
  // Who claims to sign? Unsigned deliveries are refused outright. Malformed or ambiguous headers (two signatures,
  // pairs Fedify would read differently) too: see signature-header.ts.
  const claim = parseSignatureClaim(request.headers);
  if (claim === null) return fail(401, "the request is not signed");
  if (claim === "malformed") return fail(401, "malformed signature header");
  const keyOrigin = originOf(claim.keyId);
  if (!keyOrigin) return fail(401, "keyId is not an http(s) URL");
  // Sibling policy: outsiders are refused before we read their body.
  if (!deps.siblings.allows(keyOrigin)) return fail(403, `${keyOrigin} is not a sibling of this instance`);
  if (!isAcceptableAlgorithm(claim.algorithm)) return fail(401, `signature algorithm ${claim.algorithm} is not accepted`);
  // Cases 11/12: the signature must cover target, host, date and body digest, or parts could be swapped.
  const missing = missingCoverage(claim);
  if (missing.length > 0) return fail(401, `the signature does not cover ${missing.join(", ")}`);
  // Case 12: a request signed for another host, replayed here.
  if (!hostIsOurs(request, deps.siblings.selfOrigin)) return fail(401, "the signed request was made for another host");
  // Case 13: stale or future-dated requests.
  const dateHeader = request.headers.get("date");
  const when = claim.created != null ? claim.created * 1000 : dateHeader ? Date.parse(dateHeader) : NaN;
  if (!Number.isFinite(when)) return fail(401, "the signed request has no usable Date");
  if (Math.abs(now - when) > INBOX_LIMITS.clockSkewMs) return fail(401, "the signed request's Date is outside the accepted window");
  // Case 19: bounded body, bounded time.
  const body = await readBody(request, INBOX_LIMITS.maxBodyBytes, INBOX_LIMITS.bodyTimeoutMs);
  if (body === "too_large") return fail(413, `activities are limited to ${INBOX_LIMITS.maxBodyBytes} bytes`);
  if (body === "timeout") return fail(408, "the request body took too long");
  // Case 11: a body that does not match its signed digest.
  const digestOk = digestMatches(request.headers, body);
  if (digestOk !== true) return fail(401, digestOk === null ? "no Digest header" : "the body does not match its Digest");
  // Case 21: parse and bound the JSON before any JSON-LD expansion.
  let activity: unknown;
  try {
    activity = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
  } catch {
    return fail(400, "the body is not JSON");
  }
  try {
    assertJsonBounds(activity, { maxDepth: INBOX_LIMITS.maxDepth, maxArray: INBOX_LIMITS.maxArray, maxString: INBOX_LIMITS.maxString });
  } catch (e) {
    return fail(413, `the activity is too large or too deep: ${(e as Error).message}`);
  }
  if (!activity || typeof activity !== "object" || Array.isArray(activity)) return fail(400, "an activity is a JSON object");
  const a = activity as Record<string, unknown>;
  // Case 20: only preloaded contexts; a remote context would be a fetch we never make.
  const unknown = unknownContexts(a);
  if (unknown.length > 0) {
    return fail(400, `the activity uses JSON-LD contexts this instance does not preload: ${unknown.slice(0, 3).join(", ")}${unknown.length > 3 ? ", …" : ""}`);
  }
  const actorIri = Array.isArray(a.actor) && a.actor.length === 1 ? idOf(a.actor[0]) : idOf(a.actor);
  if (!actorIri) return fail(400, "the activity has no single actor");
  const actorOrigin = originOf(actorIri);
  // A remote account a moderator suspended here (issue #15 point 5): nothing it sends is taken.
  if (deps.siblings.isSuspendedActor(actorIri)) return fail(403, "this account is suspended on this instance");
  const rebuild = () => new Request(request.url, { method: "POST", headers: request.headers, body: body as BufferSource });
  // Case 2: only the actor's own server speaks for it. A server that forwards another server's activity (Hollo
  // forwarding one of our users' Likes back to us, a reply forwarded to followers) is answered 202 — a 401 would make
  // it retry for days — once its own signature verifies, and the activity is not processed: we never act on a claim
  // its origin did not sign (Mastodon ignores unverifiable forwards the same way). The middleware logs it.
  if (actorOrigin !== keyOrigin) {
    const bad = await deps.keyOwners.verifySignature(rebuild(), claim.keyId);
    if (bad) return fail(401, bad);
    return fail(202, `a forwarded activity (actor on ${actorOrigin ?? "no origin"}) is not processed`);
  }
  // Case 3: an activity id on another origin could steal the genuine activity's idempotency slot (GHSA-4qhx).
  if (a.id != null) {
    if (typeof a.id !== "string" || originOf(a.id) !== actorOrigin) return fail(401, "the activity id is not on the actor's origin");
  }
  // Inline contexts can make `actor` or `id` mean something else to Fedify than to the checks above.
  if (!(await jsonLdReadingAgrees(a, actorIri))) {
    return fail(400, "the activity's actor or id reads differently as JSON-LD");
  }
  // Cases 1 and 5: the actor's own document must list the signing key (Fedify 2.3.6 trusts the key's `owner`).
  if (!(await deps.keyOwners.owns(actorIri, claim.keyId))) {
    return fail(401, "the signing key does not belong to the activity's actor");
  }
  // The signature itself, with that key: Fedify 2.3.6 skips the HTTP signature when a Linked Data signature
  // verifies, and an LD key's owner is self-declared (key-owner.ts).
  const bad = await deps.keyOwners.verifySignature(rebuild(), claim.keyId);
  if (bad) return fail(401, bad);
  // The request is rebuilt only for a caller that hands it on (Fedify); the inbox queue takes `activity` instead.
  return { ok: true, activity: a, get request() { return rebuild(); } };
}

const PERSONAL_INBOX = /^\/users\/([^/]+)\/inbox$/;

export function isInboxPath(pathname: string): boolean {
  return pathname === "/inbox" || PERSONAL_INBOX.test(pathname);
}

/**
 * Whose inbox an inbox path is: null for the shared inbox, the identifier for `/users/{identifier}/inbox`; undefined
 * when the identifier does not decode (Fedify's router then answers as it would).
 */
export function inboxOwner(pathname: string): string | null | undefined {
  if (pathname === "/inbox") return null;
  const m = PERSONAL_INBOX.exec(pathname);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return undefined;
  }
}
