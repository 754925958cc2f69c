// The actor/WebFinger response cache on an injected clock: an entry is served until its time-to-live is over and
// not after, the oldest entry makes room when full, and the account.changed event's clear() empties it.
import { describe, expect, it } from "vitest";
import { ManualClock } from "../server/clock.ts";
import { actorCacheKey, ResponseCache } from "./response-cache.ts";

const json = (body: string) => new Response(body, { status: 200, headers: { "content-type": "application/activity+json" } });

describe("ResponseCache", () => {
  it("serves an entry for its time-to-live, then forgets it", async () => {
    const clock = new ManualClock();
    const cache = new ResponseCache({ ttlMs: 60_000, clock });
    const sent = await cache.put("k", json('{"id":"a"}'));
    expect(await sent.text()).toBe('{"id":"a"}');
    clock.advance(59_999);
    expect(await cache.get("k")?.text()).toBe('{"id":"a"}');
    clock.advance(1);
    expect(cache.get("k")).toBeNull();
  });

  it("drops the oldest entry when full, and everything on clear()", async () => {
    const cache = new ResponseCache({ max: 2, clock: new ManualClock() });
    for (const k of ["a", "b", "c"]) await cache.put(k, json(k));
    expect(cache.get("a")).toBeNull();
    expect(await cache.get("c")?.text()).toBe("c");
    cache.clear();
    expect(cache.get("b")).toBeNull();
  });

  it("caches unsigned actor GETs and WebFinger lookups only", () => {
    const get = (path: string, headers: Record<string, string> = {}) => {
      const url = new URL(path, "https://paris.example");
      return actorCacheKey(new Request(url, { headers }), url);
    };
    expect(get("/users/alice", { accept: "application/activity+json" })).not.toBeNull();
    expect(get("/users/alice", { accept: "text/html" })).toBeNull();
    expect(get("/users/alice", { accept: "application/activity+json", signature: "keyId=x" })).toBeNull();
    expect(get("/.well-known/webfinger?resource=acct:alice@paris.example")).toBe("webfinger\n?resource=acct:alice@paris.example");
    expect(get("/.well-known/webfinger?resource=acct:alice@paris.example", { signature: "keyId=x" })).toBeNull();
    expect(get("/users/alice/outbox", { accept: "application/activity+json" })).toBeNull();
  });
});
