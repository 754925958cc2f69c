// Fetching and storing remote actors (by IRI or by @user@host handle).
import { lookupObject } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { type Account, findAccountByIri, upsertRemoteAccount } from "../server/domain/accounts.ts";
import type { Ctx } from "./context.ts";
import { actorToRemoteAccount, isActor } from "./mappers/actor.ts";

const logger = getLogger(["ruche", "federation", "actors"]);

/** Returns the stored remote account, fetching the actor when unknown or stale (older than maxAgeMs). */
export async function resolveActorByIri(ctx: Ctx, iri: string, opts: { maxAgeMs?: number } = {}): Promise<Account | null> {
  const existing = await findAccountByIri(ctx.data.sql, iri);
  if (existing && (existing.domain == null || (existing.fetchedAt && Date.now() - existing.fetchedAt.getTime() < (opts.maxAgeMs ?? 86_400_000)))) {
    return existing;
  }
  return await refreshActor(ctx, iri) ?? existing;
}

export async function refreshActor(ctx: Ctx, iri: string): Promise<Account | null> {
  let url: URL;
  try {
    url = new URL(iri);
  } catch {
    return null;
  }
  if (url.origin === ctx.canonicalOrigin) return await findAccountByIri(ctx.data.sql, iri);
  if (!ctx.data.siblings.allows(url.origin)) return null;
  try {
    const loader = await ctx.getDocumentLoader({ identifier: "instance.actor" });
    const { document, documentUrl } = await loader(iri);
    // The document must be served at the IRI we asked for and claim that IRI (corpus cases 4 and 5).
    if (documentUrl !== iri) throw new Error(`redirected to ${documentUrl}`);
    const obj = await lookupObject(iri, { documentLoader: async () => ({ document, documentUrl, contextUrl: null }), contextLoader: ctx.contextLoader });
    if (!isActor(obj)) throw new Error("not an actor");
    return await upsertRemoteAccount(ctx.data.sql, await actorToRemoteAccount(ctx, obj, iri));
  } catch (e) {
    logger.warn("Could not fetch actor {iri}: {error}", { iri, error: String(e) });
    return null;
  }
}

/** Resolves `@user@host` (host may carry a port) through WebFinger. */
export async function resolveHandle(ctx: Ctx, handle: string): Promise<Account | null> {
  const m = /^@?([^@\s]+)@([^@\s/]+)$/.exec(handle.trim());
  if (!m) return null;
  const [, user, host] = m;
  if (host.toLowerCase() === new URL(ctx.canonicalOrigin).host.toLowerCase()) {
    const { findAccountByHandle } = await import("../server/domain/accounts.ts");
    return await findAccountByHandle(ctx.data.sql, user, null);
  }
  try {
    const loader = await ctx.getDocumentLoader({ identifier: "instance.actor" });
    const obj = await ctx.lookupObject(`acct:${user}@${host}`, { documentLoader: loader });
    if (!isActor(obj) || !obj.id) return null;
    // WebFinger told us where the actor lives; fetch it from there so its own origin vouches for it.
    return await resolveActorByIri(ctx, obj.id.href, { maxAgeMs: 0 });
  } catch (e) {
    logger.info("Handle lookup failed for {handle}: {error}", { handle, error: String(e) });
    return null;
  }
}
