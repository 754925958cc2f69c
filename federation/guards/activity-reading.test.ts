// The plain reading of `id` and `actor` skips the JSON-LD expansion only when the contexts cannot change what they
// mean: every hostile aliasing trick must fall back to the expansion ("unsure"), and whenever the plain reading
// decides, the expanded reading (what Fedify acts on) must say the same.
import { describe, expect, it } from "vitest";
import { expandedReadingAgrees, jsonLdReadingAgrees, plainReadingHolds } from "./activity-reading.ts";

const AS = "https://www.w3.org/ns/activitystreams";
const actor = "https://a.example/users/x";
const base = { id: "https://a.example/users/x/follow/1", type: "Follow", actor, object: "https://b.example/users/y" };
const victim = "https://b.example/users/victim";

const everyday: Record<string, Record<string, unknown>> = {
  "ActivityStreams alone": { "@context": AS, ...base },
  "Mastodon's contexts": {
    "@context": [AS, "https://w3id.org/security/v1", {
      ostatus: "http://ostatus.org#", atomUri: "ostatus:atomUri", sensitive: "as:sensitive", toot: "http://joinmastodon.org/ns#",
      Hashtag: "as:Hashtag", votersCount: "toot:votersCount", conversation: "ostatus:conversation",
    }],
    ...base,
  },
  "Fedify's contexts": {
    "@context": [AS, "https://w3id.org/security/data-integrity/v1", {
      toot: "http://joinmastodon.org/ns#", misskey: "https://misskey-hub.net/ns#", _misskey_quote: "misskey:_misskey_quote",
      fedibird: "http://fedibird.com/ns#", emojiReactions: { "@id": "fedibird:emojiReactions", "@type": "@id" },
    }],
    ...base,
  },
  "the http spelling of the ActivityStreams context": { "@context": "http://www.w3.org/ns/activitystreams", ...base },
};

const hostile: Record<string, Record<string, unknown>> = {
  "actor redefined, another term aliased to as:actor": {
    "@context": [AS, { actor: "https://example.invalid/ns#decoy", sneaky: { "@id": "as:actor", "@type": "@id" } }], ...base, sneaky: victim,
  },
  "a second term meaning as:actor": { "@context": [AS, { sneaky: { "@id": "as:actor", "@type": "@id" } }], ...base, sneaky: victim },
  "the full IRI of as:actor": { "@context": [AS, { sneaky: { "@id": `${AS}#actor`, "@type": "@id" } }], ...base, sneaky: victim },
  "a prefix defined after its use": {
    "@context": [AS, { sneaky: { "@id": "p:actor", "@type": "@id" }, p: `${AS}#` }], ...base, sneaky: victim,
  },
  "a @vocab that spells as:actor": { "@context": [AS, { "@vocab": `${AS}#act` }], ...base, or: victim },
  "an @id key": { "@context": AS, type: "Follow", actor, object: base.object, "@id": "https://b.example/other" },
  "a compact-IRI key": { "@context": AS, ...base, "as:actor": victim },
  "a term aliasing @id": { "@context": [AS, { ident: "@id" }], ...base, ident: "https://b.example/other" },
  "a type-scoped context": {
    "@context": [AS, { Follow: { "@id": "as:Follow", "@context": { sneaky: { "@id": "as:actor", "@type": "@id" } } } }], ...base, sneaky: victim,
  },
  "a @nest alias": { "@context": [AS, { n: "@nest" }], ...base, n: { sneaky: victim } },
  "a @graph alias": { "@context": [AS, { g: "@graph" }], ...base, g: [{ id: victim }] },
  "a reverse property": { "@context": [AS, { r: { "@reverse": "as:actor" } }], ...base, r: victim },
  "an inline context before ActivityStreams": { "@context": [{ sneaky: "as:actor" }, AS], ...base },
  "a context that is not preloaded": { "@context": [AS, "https://evil.example/ctx"], ...base },
  "an actor given as an object": { "@context": AS, ...base, actor: { id: actor } },
};

describe("the plain reading of an activity's id and actor", () => {
  for (const [name, doc] of Object.entries(everyday)) {
    it(`decides without expanding, and agrees with the expansion: ${name}`, async () => {
      expect(plainReadingHolds(structuredClone(doc), actor)).toBe(true);
      expect(await expandedReadingAgrees(structuredClone(doc), actor)).toBe(true);
    });
  }
  for (const [name, doc] of Object.entries(hostile)) {
    it(`leaves the decision to the expansion: ${name}`, async () => {
      expect(plainReadingHolds(structuredClone(doc), actor)).toBe("unsure");
      // and the guard's verdict is the expansion's
      expect(await jsonLdReadingAgrees(structuredClone(doc), actor)).toBe(await expandedReadingAgrees(structuredClone(doc), actor));
    });
  }
  it("refuses the aliasing attack through the expansion", async () => {
    expect(await jsonLdReadingAgrees(structuredClone(hostile["actor redefined, another term aliased to as:actor"]), actor)).toBe(false);
    expect(await jsonLdReadingAgrees(structuredClone(hostile["a second term meaning as:actor"]), actor)).toBe(false);
  });
});
