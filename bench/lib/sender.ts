// The sending sibling: a small plain-http ActivityPub server on loopback that serves one Person (RSA-2048 public
// key, as Mastodon actors have) and builds Mastodon-shaped Create(Note) deliveries signed with Fedify's own
// `signRequest` (draft-cavage-http-signatures-12 with a Digest header, as Mastodon sends them).
import { createServer, type Server } from "node:http";
import { randomBytes } from "node:crypto";
import { signRequest } from "@fedify/fedify";
import { freePort } from "../../server/db/embedded.ts";
import type { Scope } from "./cleanup.ts";
import type { WireRequest } from "./load.ts";

const AS = "https://www.w3.org/ns/activitystreams";
const PUBLIC = `${AS}#Public`;
const AP_JSON = "application/activity+json";

export interface Sender {
  origin: string;
  actorIri: string;
  keyId: string;
  /** GETs of the actor document the instance made (key and ownership fetches). */
  fetches(): number;
  /** Deliveries the instance POSTed to the sender (none expected). */
  received(): number;
  /** A Mastodon-shaped Create(Note) JSON body, about `size` bytes, with unique ids. */
  createNote(n: number, size?: number): string;
  /** Signs one delivery of `body` to `inboxUrl` and returns it ready for the wire. */
  sign(inboxUrl: string, body: string): Promise<WireRequest>;
}

function toPem(der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString("base64").replace(/.{64}/g, "$&\n");
  return `-----BEGIN PUBLIC KEY-----\n${b64.trimEnd()}\n-----END PUBLIC KEY-----\n`;
}

const LOREM =
  "Point d'étape sur le projet de mutualisation des achats entre filiales : les volumes consolidés du trimestre sont " +
  "en ligne, les écarts de prix constatés entre sites restent supérieurs à ce qui était prévu, et la réunion de " +
  "synthèse est déplacée à jeudi. Merci à toutes les équipes pour les relevés, particulièrement à Lyon et Nantes. ";

export async function startSender(scope: Scope): Promise<Sender> {
  const keys = (await crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  )) as CryptoKeyPair;
  const publicKeyPem = toPem(await crypto.subtle.exportKey("spki", keys.publicKey));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const actorIri = `${origin}/users/sender`;
  const keyId = `${actorIri}#main-key`;
  const person = JSON.stringify({
    "@context": [AS, "https://w3id.org/security/v1"],
    id: actorIri,
    type: "Person",
    preferredUsername: "sender",
    name: "Bench Sender",
    summary: "<p>Load generator for Ruche benchmarks.</p>",
    url: `${origin}/@sender`,
    inbox: `${actorIri}/inbox`,
    outbox: `${actorIri}/outbox`,
    followers: `${actorIri}/followers`,
    following: `${actorIri}/following`,
    endpoints: { sharedInbox: `${origin}/inbox` },
    manuallyApprovesFollowers: false,
    discoverable: true,
    published: "2024-01-01T00:00:00Z",
    publicKey: { id: keyId, owner: actorIri, publicKeyPem },
  });
  let fetches = 0;
  let received = 0;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/users/sender") {
      fetches++;
      res.writeHead(200, { "Content-Type": AP_JSON, "Content-Length": Buffer.byteLength(person) });
      res.end(person);
      return;
    }
    if (req.method === "POST" && (path === "/inbox" || path === "/users/sender/inbox")) {
      received++;
      req.resume();
      req.on("end", () => {
        res.writeHead(202);
        res.end();
      });
      return;
    }
    res.writeHead(404, { "Content-Type": "text/plain" });
    res.end("not found");
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  scope.defer("sender actor server", () => new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  }));

  const run = randomBytes(4).toString("hex");
  return {
    origin,
    actorIri,
    keyId,
    fetches: () => fetches,
    received: () => received,
    createNote(n, size = 3072) {
      const statusId = `${run}${String(n).padStart(7, "0")}`;
      const noteId = `${actorIri}/statuses/${statusId}`;
      const published = new Date().toISOString().replace(/\.\d+Z$/, "Z");
      const build = (text: string) => {
        const html = `<p>${text}</p><p><a href="${origin}/tags/achats" class="mention hashtag" rel="tag">#<span>achats</span></a></p>`;
        return JSON.stringify({
          "@context": [AS, {
            ostatus: "http://ostatus.org#",
            atomUri: "ostatus:atomUri",
            inReplyToAtomUri: "ostatus:inReplyToAtomUri",
            conversation: "ostatus:conversation",
            sensitive: "as:sensitive",
            toot: "http://joinmastodon.org/ns#",
            votersCount: "toot:votersCount",
            Hashtag: "as:Hashtag",
          }],
          id: `${noteId}/activity`,
          type: "Create",
          actor: actorIri,
          published,
          to: [PUBLIC],
          cc: [`${actorIri}/followers`],
          object: {
            id: noteId,
            type: "Note",
            summary: null,
            inReplyTo: null,
            published,
            url: `${origin}/@sender/${statusId}`,
            attributedTo: actorIri,
            to: [PUBLIC],
            cc: [`${actorIri}/followers`],
            sensitive: false,
            atomUri: noteId,
            inReplyToAtomUri: null,
            conversation: `tag:127.0.0.1,2026:objectId=${statusId}:objectType=Conversation`,
            content: html,
            contentMap: { fr: html },
            attachment: [],
            tag: [{ type: "Hashtag", href: `${origin}/tags/achats`, name: "#achats" }],
            replies: {
              id: `${noteId}/replies`,
              type: "Collection",
              first: { type: "CollectionPage", next: `${noteId}/replies?only_other_accounts=true&page=true`, partOf: `${noteId}/replies`, items: [] },
            },
          },
        });
      };
      // Pad the text so the whole body is about `size` bytes (the content appears twice: content and contentMap).
      const empty = Buffer.byteLength(build(""));
      const want = Math.max(0, Math.floor((size - empty) / 2));
      let text = "";
      while (Buffer.byteLength(text) < want) text += LOREM;
      while (Buffer.byteLength(text) > want) text = text.slice(0, -1);
      return build(text.trimEnd());
    },
    async sign(inboxUrl, body) {
      const url = new URL(inboxUrl);
      const signed = await signRequest(
        new Request(url, {
          method: "POST",
          headers: { "Content-Type": AP_JSON, Accept: AP_JSON, "User-Agent": "RucheBench/0.1 (Mastodon-like sender)" },
          body,
        }),
        keys.privateKey,
        new URL(keyId),
        { spec: "draft-cavage-http-signatures-12" },
      );
      const headers: Record<string, string> = {};
      signed.headers.forEach((v, k) => (headers[k] = v));
      return { method: "POST", path: url.pathname + url.search, headers, body: new Uint8Array(await signed.arrayBuffer()) };
    },
  };
}
