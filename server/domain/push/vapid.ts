// The instance's VAPID key pair (RFC 8292): push services check that every push to a subscription is signed by
// the key the subscription was made with. Made on first need and kept in the database (instance setting `vapid`),
// so every web and worker process of the instance signs with the same key; changing it would void every
// subscription.
import { generateKeyPairSync } from "node:crypto";
import type { Db } from "../../db/pool.ts";
import { settingOnce } from "../instance/instance-settings.ts";

export interface VapidKeys {
  /** base64url, an uncompressed P-256 point: Mastodon's `server_key` / `vapid_key`. */
  publicKey: string;
  /** base64url, 32 bytes. */
  privateKey: string;
}

/** A P-256 pair in the raw forms VAPID uses (what web-push's generateVAPIDKeys() makes, without loading it). */
function makeVapidKeys(): VapidKeys {
  const jwk = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" });
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, "base64url"), Buffer.from(jwk.y!, "base64url")]);
  return { publicKey: point.toString("base64url"), privateKey: jwk.d! };
}

export async function vapidKeys(db: Db): Promise<VapidKeys> {
  return await settingOnce<VapidKeys>(db, "vapid", makeVapidKeys);
}

export async function vapidPublicKey(db: Db): Promise<string> {
  return (await vapidKeys(db)).publicKey;
}
