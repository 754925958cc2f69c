// Authorized fetch of posts and post collections (ARCHITECTURE.md §4): unsigned → 401, signed by a server or actor
// that may not read the object → 403, allowed → 200. Fedify's authorize predicates can only say yes or no (and
// Fedify then answers 401), so a predicate records which refusal it meant, and the middleware's onUnauthorized
// (federation/hono.ts) turns it into the status: an outsider that signed correctly learns "forbidden", not
// "sign your request" — and a sibling-only object is never served to it (the Done-when of issue #4).
import type { RequestContext } from "@fedify/fedify";
import { findAccountByIri } from "../server/domain/accounts/accounts.ts";
import { resolveActorByIri } from "./remote-actors.ts";
import type { Viewer } from "../server/domain/audience/visibility.ts";
import type { AppContext } from "./context.ts";

const refusals = new WeakMap<Request, 401 | 403>();

export function refuse(request: Request, status: 401 | 403): false {
  refusals.set(request, status);
  return false;
}

/** Fedify's onUnauthorized: the status the authorize predicate chose (401 when it chose none). */
export function unauthorizedResponse(request: Request): Response {
  const status = refusals.get(request) ?? 401;
  const error = status === 403 ? "the signer may not read this" : "this requires a signed request (authorized fetch)";
  return jsonError(status, error, { Vary: "Accept, Signature" });
}

/** An ActivityPub error answer: JSON, never plain text (activitypub-testing and others crash on text; issue #8). */
export function jsonError(status: number, error: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error }, { status, headers: { "Content-Type": "application/json; charset=utf-8", ...headers } });
}

/**
 * Who signed this GET, as a visibility Viewer, or null when it is unsigned or the signature does not hold. The
 * key's owner is confirmed from the actor's own document (key-owner.ts: Fedify trusts a self-declared owner,
 * GHSA-q9f8). A signer we have never met is fetched (its server's policy applies, remote-actors.ts): without its
 * account, a person's signature counted as its whole server's, so a sibling's employee read a direct message
 * addressed to a colleague of theirs (issue #9 point 2) — the grants of follows and mentions are per person.
 */
export async function signedViewer(ctx: RequestContext<AppContext>): Promise<Viewer | null> {
  const key = await ctx.getSignedKey().catch(() => null);
  if (!key?.id) return null;
  const ownerId = key.ownerId;
  if (!ownerId || !(await ctx.data.keyOwners.owns(ownerId.href, key.id.href))) return null;
  const origin = ownerId.origin;
  const account = await findAccountByIri(ctx.data.sql, ownerId.href) ?? await resolveActorByIri(ctx, ownerId.href).catch(() => null);
  const instanceActor = /\/users\/instance\.actor$/.test(ownerId.pathname) ||
    account?.actorType === "Application" || account?.actorType === "Service";
  return {
    kind: "remote",
    accountId: account?.id ?? null,
    domain: ownerId.host,
    sibling: origin === ctx.data.siblings.selfOrigin || ctx.data.siblings.isSibling(origin),
    instanceActor,
  };
}
