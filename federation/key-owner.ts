// Our own key-ownership check. Fedify 2.3.6 trusts a key document's self-declared `owner` (GHSA-q9f8-5hc7-898f,
// corpus case 1) and follows redirects from the actor's URL to another actor's document (GHSA-8863-8468-7hq7,
// case 5). We confirm ownership from the actor's side: the key must share the actor's origin, and the document
// fetched at the actor's own IRI must carry that IRI as its `id` and list the key id among its keys.
import type { DocumentLoader } from "@fedify/vocab-runtime";

interface Entry { ok: boolean; expires: number }

export class KeyOwnerVerifier {
  #loader: DocumentLoader;
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
    let ok = false;
    try {
      const { document, documentUrl } = await this.#loader(actorIri);
      ok = documentUrl === actorIri && listsKey(document, actorIri, keyId);
    } catch {
      ok = false;
    }
    // Positive answers last an hour (ownership does not change with key rotation: the key id stays); negative ones
    // a minute, so a peer that fixes itself is heard again soon.
    this.#cache.set(cacheKey, { ok, expires: Date.now() + (ok ? 3_600_000 : 60_000) });
    if (this.#cache.size > 50_000) this.#cache.clear();
    return ok;
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
