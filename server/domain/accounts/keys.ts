// Key pairs for local actors and the instance actor: RSA-2048 (draft-cavage HTTP signatures; 2048 bits signs ~7×
// faster than Fedify's 4096-bit default, see reference/anchor-figures.md §1.1) and Ed25519 (Object Integrity Proofs).
import type { Db } from "../../db/pool.ts";

export interface StoredKeyPair {
  algorithm: "RSASSA-PKCS1-v1_5" | "Ed25519";
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

export async function generateKeyPairs(): Promise<{ algorithm: StoredKeyPair["algorithm"]; privateJwk: JsonWebKey; publicJwk: JsonWebKey }[]> {
  const rsa = await crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  );
  const ed = (await crypto.subtle.generateKey("Ed25519", true, ["sign", "verify"])) as CryptoKeyPair;
  return [
    { algorithm: "RSASSA-PKCS1-v1_5", privateJwk: await crypto.subtle.exportKey("jwk", rsa.privateKey), publicJwk: await crypto.subtle.exportKey("jwk", rsa.publicKey) },
    { algorithm: "Ed25519", privateJwk: await crypto.subtle.exportKey("jwk", ed.privateKey), publicJwk: await crypto.subtle.exportKey("jwk", ed.publicKey) },
  ];
}

export async function storeKeyPairs(db: Db, owner: string): Promise<void> {
  for (const k of await generateKeyPairs()) {
    await db`INSERT INTO key_pairs (owner, algorithm, private_jwk, public_jwk)
      VALUES (${owner}, ${k.algorithm}, ${db.json(k.privateJwk as never)}, ${db.json(k.publicJwk as never)})
      ON CONFLICT DO NOTHING`;
  }
}

/**
 * Generates the key pairs of `owner` if it has none yet. Accounts created in bulk (CSV import) get their keys on
 * first use instead: RSA generation costs ~90 ms, 1,000 imported people would wait 90 s for keys they may never use.
 */
export async function ensureKeyPairs(db: Db, owner: string): Promise<void> {
  const [row] = await db`SELECT count(*)::int AS n FROM key_pairs WHERE owner = ${owner}`;
  if (row.n < 2) await storeKeyPairs(db, owner);
}

// Imported CryptoKeys are cached: key import dominates signature costs (anchor-figures §1.1).
const cache = new Map<string, Promise<StoredKeyPair[]>>();

export function loadKeyPairs(db: Db, owner: string, cacheScope: string): Promise<StoredKeyPair[]> {
  const cacheKey = `${cacheScope}\n${owner}`;
  let p = cache.get(cacheKey);
  if (!p) {
    p = (async () => {
      const rows = await db<{ algorithm: StoredKeyPair["algorithm"]; private_jwk: JsonWebKey; public_jwk: JsonWebKey }[]>`
        SELECT algorithm, private_jwk, public_jwk FROM key_pairs WHERE owner = ${owner} ORDER BY algorithm DESC`;
      return Promise.all(rows.map(async (r) => {
        const alg = r.algorithm === "Ed25519" ? "Ed25519" : { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
        return {
          algorithm: r.algorithm,
          privateKey: await crypto.subtle.importKey("jwk", r.private_jwk, alg, true, ["sign"]),
          publicKey: await crypto.subtle.importKey("jwk", r.public_jwk, alg, true, ["verify"]),
        };
      }));
    })();
    p.catch(() => cache.delete(cacheKey));
    if (cache.size > 10_000) cache.clear();
    cache.set(cacheKey, p);
  }
  return p;
}
