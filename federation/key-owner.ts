// Our own key-ownership and signature checks. Fedify 2.3.6 trusts a key document's self-declared `owner`
// (GHSA-q9f8-5hc7-898f, corpus case 1) and follows redirects from the actor's URL to another actor's document
// (GHSA-8863-8468-7hq7, case 5). We confirm ownership from the actor's side: the key must share the actor's origin,
// and the document fetched at the actor's own IRI must carry that IRI as its `id` and list the key id among its keys.
//
// We also verify the HTTP signature ourselves, with exactly the key whose ownership we confirmed. Leaving that to
// Fedify is not enough: when an activity carries a Linked Data signature that verifies, Fedify 2.3.6 never looks at
// the HTTP signature, and the LD key's owner is again self-declared — a forged HTTP signature naming a sibling's key
// plus an LD signature by an attacker's key claiming the victim was accepted as the victim.
import { type KeyCache, verifyRequestDetailed } from "@fedify/fedify";
import type { CryptographicKey, Multikey } from "@fedify/vocab";
import type { DocumentLoader } from "@fedify/vocab-runtime";
import { createContextLoader } from "./document-loader.ts";

interface Entry { ok: boolean; expires: number }

const MAX_ENTRIES = 50_000;

/** Public keys for signature checks: 10 minutes (Fedify refetches on a failed check, so rotation still works). */
class MemoryKeyCache implements KeyCache {
  #keys = new Map<string, { key: CryptographicKey | Multikey | null; expires: number }>();

  async get(keyId: URL): Promise<CryptographicKey | Multikey | null | undefined> {
    const hit = this.#keys.get(keyId.href);
    if (!hit) return undefined;
    if (hit.expires > Date.now()) return hit.key;
    this.#keys.delete(keyId.href);
    return undefined;
  }

  async set(keyId: URL, key: CryptographicKey | Multikey | null): Promise<void> {
    if (this.#keys.size > MAX_ENTRIES) this.#keys.clear();
    // Unavailable keys are remembered briefly, so a peer that fixes itself is heard again soon.
    this.#keys.set(keyId.href, { key, expires: Date.now() + (key ? 600_000 : 5_000) });
  }
}

export class KeyOwnerVerifier {
  #loader: DocumentLoader;
  #contextLoader = createContextLoader();
  #keyCache = new MemoryKeyCache();
  #cache = new Map<string, Entry>();

  constructor(loader: DocumentLoader) {
    this.#loader = loader;
  }

  /** Does the actor at `actorIri` own the key `keyId`? */
  async owns(actorIri: string, keyId: string): Promise<boolean> {
    let actor: URL, key: URL;
    try {
      actor = new URL(actorIri);
      key = new URL(keyId);
    } catch {
      return false;
    }
    if (actor.origin !== key.origin) return false;
    const cacheKey = `${actorIri}\n${keyId}`;
    const hit = this.#cache.get(cacheKey);
    if (hit && hit.expires > Date.now()) return hit.ok;
    let ok = false, ttl: number;
    try {
      const { document, documentUrl } = await this.#loader(actorIri);
      ok = documentUrl === actorIri && listsKey(document, actorIri, keyId);
      // Positive answers last an hour (ownership does not change with key rotation: the key id stays); a document
      // that does not list the key, a minute, so a peer that fixes itself is heard again soon.
      ttl = ok ? 3_600_000 : 60_000;
    } catch {
      // A failed fetch (refused address, wrong type, timeout under load) may be transient: remember it only briefly.
      ttl = 5_000;
    }
    this.#cache.set(cacheKey, { ok, expires: Date.now() + ttl });
    if (this.#cache.size > MAX_ENTRIES) this.#cache.clear();
    return ok;
  }

  /**
   * Does the request's HTTP signature (draft-cavage or RFC 9421) verify with the key `keyId` — that key and no
   * other? `request` must have an unread body. Returns null when it does, else a reason for the 401.
   */
  async verifySignature(request: Request, keyId: string): Promise<string | null> {
    let result;
    try {
      result = await verifyRequestDetailed(request, {
        documentLoader: this.#loader,
        contextLoader: this.#contextLoader,
        timeWindow: { hours: 1 },
        keyCache: this.#keyCache,
      });
    } catch {
      return "the signature could not be checked";
    }
    if (!result.verified) {
      return result.reason.type === "keyFetchError" ? "the signing key could not be fetched" : "the signature does not verify";
    }
    if (result.key.id?.href !== keyId) return "the signature was made with another key than the one named";
    return null;
  }
}

function ids(value: unknown): string[] {
  if (value == null) return [];
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(ids);
  if (typeof value === "object" && typeof (value as { id?: unknown }).id === "string") return [(value as { id: string }).id];
  return [];
}

export function listsKey(document: unknown, actorIri: string, keyId: string): boolean {
  if (typeof document !== "object" || document == null) return false;
  const doc = document as Record<string, unknown>;
  if (doc.id !== actorIri) return false;
  return [...ids(doc.publicKey), ...ids(doc.assertionMethod)].includes(keyId);
}
