// A local Web Push service for tests: an HTTPS server on loopback (the test certificate) that plays a browser's
// push service and the browser itself. Each subscriber has its own P-256 key pair and auth secret; every push
// received is decrypted here with our own RFC 8291 / RFC 8188 (aes128gcm) code on node:crypto — not with the
// library the server encrypts with — and its VAPID JWT (RFC 8292) is checked against the key it names.
import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify } from "node:crypto";
import { createServer, type Server } from "node:https";
import { readFileSync } from "node:fs";
import { inject } from "vitest";

export interface ReceivedPush {
  subscriber: string;
  headers: Record<string, string>;
  /** The decrypted payload, parsed (Mastodon's push JSON). */
  json: Record<string, unknown>;
  /** The VAPID public key the request was signed with (`k=`), the JWT's claims. */
  vapidKey: string;
  claims: { aud: string; exp: number; sub: string };
}

export interface Subscriber {
  name: string;
  endpoint: string;
  /** What a browser's PushSubscription.toJSON() gives: base64url without padding. */
  keys: { p256dh: string; auth: string };
  /** The statuses the next requests get, in order; after that 201. */
  answers: number[];
  /** Every request, answered or not (`status` is what we answered). */
  requests: { status: number }[];
}

export interface PushReceiver {
  origin: string;
  subscriber(name: string): Subscriber;
  /** Pushes decrypted so far, every subscriber's. */
  received: ReceivedPush[];
  /** Pushes that could not be decrypted or verified (a test expects none). */
  errors: string[];
  close(): Promise<void>;
}

const b64 = (b: Buffer) => b.toString("base64url");

/** RFC 8291 §3.4 + RFC 8188 §2: the receiving side of aes128gcm, one or more records. */
export function decryptAes128gcm(body: Buffer, uaPrivate: ReturnType<typeof createECDH>, authSecret: Buffer): Buffer {
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20];
  const asPublic = body.subarray(21, 21 + idlen);
  if (idlen !== 65) throw new Error(`keyid is ${idlen} bytes, not an uncompressed P-256 point`);
  const ecdhSecret = uaPrivate.computeSecret(asPublic);
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), uaPrivate.getPublicKey(), asPublic]);
  const ikm = Buffer.from(hkdfSync("sha256", ecdhSecret, authSecret, keyInfo, 32));
  const cek = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: aes128gcm\0"), 16));
  const nonce = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: nonce\0"), 12));
  const records = body.subarray(21 + idlen);
  const out: Buffer[] = [];
  for (let seq = 0, offset = 0; offset < records.length; seq++, offset += rs) {
    const record = records.subarray(offset, offset + rs);
    const iv = Buffer.from(nonce);
    iv.writeUInt32BE((iv.readUInt32BE(8) ^ seq) >>> 0, 8); // the nonce XOR the record's sequence number (< 2^32 here)
    const decipher = createDecipheriv("aes-128-gcm", cek, iv);
    decipher.setAuthTag(record.subarray(record.length - 16));
    const plain = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
    let end = plain.length - 1;
    while (end >= 0 && plain[end] === 0) end--; // padding
    const last = offset + rs >= records.length;
    if (plain[end] !== (last ? 2 : 1)) throw new Error(`record ${seq}: bad padding delimiter ${plain[end]}`);
    out.push(plain.subarray(0, end));
  }
  return Buffer.concat(out);
}

/** RFC 8292: `Authorization: vapid t=<JWT>, k=<public key>`, ES256 signed by the key in `k`. */
function checkVapid(header: string | undefined): { key: string; claims: ReceivedPush["claims"] } {
  const m = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+),\s*k=([\w-]+)$/.exec(header ?? "");
  if (!m) throw new Error(`no VAPID authorization: ${header}`);
  const [head, claims, signature] = m[1].split(".");
  const point = Buffer.from(m[2], "base64url");
  const key = createPublicKey({ key: { kty: "EC", crv: "P-256", x: b64(point.subarray(1, 33)), y: b64(point.subarray(33, 65)) }, format: "jwk" });
  if (!verify("sha256", Buffer.from(`${head}.${claims}`), { key, dsaEncoding: "ieee-p1363" }, Buffer.from(signature, "base64url"))) {
    throw new Error("VAPID signature does not verify");
  }
  return { key: m[2], claims: JSON.parse(Buffer.from(claims, "base64url").toString()) };
}

export async function startPushReceiver(): Promise<PushReceiver> {
  const tls = inject("tls");
  const subscribers = new Map<string, Subscriber & { ecdh: ReturnType<typeof createECDH>; auth: Buffer }>();
  const received: ReceivedPush[] = [];
  const errors: string[] = [];
  const server: Server = createServer({ key: readFileSync(tls.key), cert: readFileSync(tls.cert) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const name = decodeURIComponent((req.url ?? "").replace(/^\/push\//, ""));
      const sub = subscribers.get(name);
      if (!sub) {
        res.writeHead(404).end();
        return;
      }
      const status = sub.answers.shift() ?? 201;
      sub.requests.push({ status });
      if (status === 201) {
        try {
          if (req.headers["content-encoding"] !== "aes128gcm") throw new Error(`Content-Encoding ${req.headers["content-encoding"]}`);
          const vapid = checkVapid(req.headers.authorization);
          const json = JSON.parse(decryptAes128gcm(Buffer.concat(chunks), sub.ecdh, sub.auth).toString("utf8"));
          received.push({ subscriber: name, headers: req.headers as Record<string, string>, json, vapidKey: vapid.key, claims: vapid.claims });
        } catch (e) {
          errors.push(`${name}: ${String(e)}`);
        }
      }
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  const origin = `https://localhost:${port}`;
  return {
    origin, received, errors,
    subscriber(name) {
      const ecdh = createECDH("prime256v1");
      ecdh.generateKeys();
      const auth = randomBytes(16);
      const sub = {
        name, endpoint: `${origin}/push/${encodeURIComponent(name)}`, keys: { p256dh: b64(ecdh.getPublicKey()), auth: b64(auth) },
        answers: [], requests: [], ecdh, auth,
      };
      subscribers.set(name, sub);
      return sub;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
