// Fetching and storing remote actors (by IRI or by @user@host handle).
import { lookupObject } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { type Account, findAccountByHandle, findAccountByIri, upsertRemoteAccount } from "../server/domain/accounts/accounts.ts";
import { safeFetch } from "./safe-fetch.ts";
import { isSafeUrlSyntax } from "./url-guard.ts";
import type { Ctx } from "./context.ts";
import { actorToRemoteAccount, isActor } from "./mappers/actor.ts";
import { INSTANCE_ACTOR } from "./uris.ts";

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
    const loader = await ctx.getDocumentLoader({ identifier: INSTANCE_ACTOR });
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
    return await findAccountByHandle(ctx.data.sql, user, null);
  }
  const known = await findAccountByHandle(ctx.data.sql, user, host);
  if (known && known.fetchedAt && Date.now() - known.fetchedAt.getTime() < 3_600_000) return known;
  const iri = await webfinger(ctx, user, host);
  if (!iri) return known;
  return await resolveActorByIri(ctx, iri, { maxAgeMs: 0 });
}

/**
 * WebFinger over https (as every server does), through our guarded fetch: Fedify's own lookup cannot be told to
 * reach loopback test instances without giving up our loaders. The actor IRI it returns is then fetched from its
 * own origin, which must be allowed too.
 */
async function webfinger(ctx: Ctx, user: string, host: string): Promise<string | null> {
  const origin = `https://${host}`;
  if (!ctx.data.siblings.allows(new URL(origin).origin)) return null;
  const url = `${origin}/.well-known/webfinger?resource=${encodeURIComponent(`acct:${user}@${host}`)}`;
  try {
    const res = await safeFetch(url, {
      headers: { Accept: "application/jrd+json, application/json" },
      allowPrivateAddress: ctx.data.config.allowPrivateAddress,
      maxBytes: 64 * 1024,
    });
    if (res.status !== 200) return null;
    const jrd = JSON.parse(new TextDecoder().decode(res.body)) as { links?: { rel?: string; type?: string; href?: string }[] };
    const self = jrd.links?.find((l) => l.rel === "self" && /^application\/(activity\+json|ld\+json)/.test(l.type ?? ""));
    if (!self?.href || !isSafeUrlSyntax(self.href)) return null;
    return self.href;
  } catch (e) {
    logger.info("WebFinger lookup failed for {user}@{host}: {error}", { user, host, error: String(e) });
    return null;
  }
}
