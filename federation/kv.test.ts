import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Temporal } from "@js-temporal/polyfill";
import type { KvKey, KvStoreSetOptions } from "@fedify/fedify";
import { createTestDatabase, type TestDatabase } from "../test/db.ts";
import { PostgresKvStore } from "./kv.ts";

let db: TestDatabase;
let kv: PostgresKvStore;

beforeAll(async () => {
  db = await createTestDatabase();
  kv = new PostgresKvStore(db.sql);
});
afterAll(() => db.drop());

// Fedify's types name the global Temporal, absent from Node 24; the polyfill's durations are what it passes.
type Ttl = NonNullable<KvStoreSetOptions["ttl"]>;
const ms = (milliseconds: number) => ({ ttl: Temporal.Duration.from({ milliseconds }) as unknown as Ttl });
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

async function keysUnder(prefix?: KvKey): Promise<string[]> {
  const keys: string[] = [];
  for await (const entry of kv.list(prefix)) keys.push(JSON.stringify(entry.key));
  return keys.sort();
}

describe("PostgresKvStore", () => {
  test("JSON values of every kind round-trip; absent keys read as undefined; delete removes", async () => {
    const values = ["text", 42, 1.5, true, null, [1, "two"], { nested: { a: [1] } }];
    for (const [i, value] of values.entries()) await kv.set(["rt", String(i)], value);
    for (const [i, value] of values.entries()) expect(await kv.get(["rt", String(i)])).toEqual(value);
    expect(await kv.get(["rt", "missing"])).toBeUndefined();
    await kv.set(["rt", "0"], "replaced");
    expect(await kv.get(["rt", "0"])).toBe("replaced");
    await kv.delete(["rt", "0"]);
    expect(await kv.get(["rt", "0"])).toBeUndefined();
  });

  test("a TTL expires the entry for get and list, and cleanup deletes the row", async () => {
    await kv.set(["ttl", "short"], "soon gone", ms(300));
    await kv.set(["ttl", "day"], "stays", { ttl: Temporal.Duration.from({ days: 1 }) as unknown as Ttl });
    expect(await kv.get(["ttl", "short"])).toBe("soon gone");
    await sleep(450);
    expect(await kv.get(["ttl", "short"])).toBeUndefined();
    expect(await keysUnder(["ttl"])).toEqual(['["ttl","day"]']);
    expect(await kv.cleanup()).toBe(1);
    const rows = await db.sql`SELECT key FROM fedify_kv WHERE key LIKE '["ttl"%'`;
    expect(rows.map((r) => r.key)).toEqual(['["ttl","day"]']);
  });

  test("setting a key again without a TTL clears the old TTL; with a new TTL it replaces it", async () => {
    await kv.set(["reset", "clear"], 1, ms(300));
    await kv.set(["reset", "clear"], 2);
    await kv.set(["reset", "extend"], 1, ms(300));
    await kv.set(["reset", "extend"], 2, ms(60_000));
    await sleep(450);
    expect(await kv.get(["reset", "clear"])).toBe(2);
    expect(await kv.get(["reset", "extend"])).toBe(2);
    const [row] = await db.sql`SELECT expires_at FROM fedify_kv WHERE key = '["reset","clear"]'`;
    expect(row.expires_at).toBeNull();
  });

  test("list by prefix matches whole segments only and treats LIKE wildcards literally", async () => {
    for (const key of [
      ["a", "b"],
      ["a", "b", "c"],
      ["a", "b", "c", "d"],
      ["a", "bc"],
      ["a", 'b"', "x"],
      ["a_", "x"],
      ["ab", "x"],
      ["a%", "y"],
      ["a"],
    ] as KvKey[])
      await kv.set(key, key.join("/"));
    expect(await keysUnder(["a", "b"])).toEqual(['["a","b","c","d"]', '["a","b","c"]', '["a","b"]'].sort());
    expect(await keysUnder(["a_"])).toEqual(['["a_","x"]']);
    expect(await keysUnder(["a%"])).toEqual(['["a%","y"]']);
    expect(await keysUnder(["a", "b", "c", "d", "e"])).toEqual([]);
    expect((await keysUnder(["a"])).length).toBe(6);
    const all = await keysUnder();
    expect(all).toContain('["ab","x"]');
    expect(all.length).toBeGreaterThanOrEqual(9);
    for await (const entry of kv.list(["a", "bc"])) expect(entry).toEqual({ key: ["a", "bc"], value: "a/bc" });
  });

  test("list pages through more rows than one page", async () => {
    const n = 1203;
    await db.sql`
      INSERT INTO fedify_kv (key, value)
      SELECT json_build_array('page', lpad(i::text, 5, '0'))::text, to_jsonb(i) FROM generate_series(1, ${n}) i`;
    const seen: number[] = [];
    for await (const entry of kv.list(["page"])) seen.push(entry.value as number);
    expect(seen).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  });

  test("cas: undefined means absent, values compare deeply, expired counts as absent", async () => {
    expect(await kv.cas(["cas", "k"], undefined, { v: 1, w: [1] })).toBe(true);
    expect(await kv.get(["cas", "k"])).toEqual({ v: 1, w: [1] });
    expect(await kv.cas(["cas", "k"], undefined, "nope")).toBe(false);
    expect(await kv.cas(["cas", "k"], { v: 2, w: [1] }, "nope")).toBe(false);
    expect(await kv.cas(["cas", "k"], { w: [1], v: 1 }, "swapped")).toBe(true);
    expect(await kv.get(["cas", "k"])).toBe("swapped");
    expect(await kv.cas(["cas", "k"], "swapped", undefined)).toBe(true); // delete when it matches
    expect(await kv.get(["cas", "k"])).toBeUndefined();

    await kv.set(["cas", "exp"], "old", ms(200));
    await sleep(300);
    expect(await kv.cas(["cas", "exp"], "old", "new")).toBe(false);
    expect(await kv.cas(["cas", "exp"], undefined, "fresh", ms(60_000))).toBe(true);
    expect(await kv.get(["cas", "exp"])).toBe("fresh");
  });

  test("cas: of 10 concurrent swaps from the same value exactly one wins", async () => {
    await kv.set(["race", "counter"], 0);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => kv.cas(["race", "counter"], 0, i + 1)));
    expect(results.filter(Boolean).length).toBe(1);
    expect(await kv.get(["race", "counter"])).toBe(results.indexOf(true) + 1);

    const inserts = await Promise.all(Array.from({ length: 10 }, (_, i) => kv.cas(["race", "absent"], undefined, i)));
    expect(inserts.filter(Boolean).length).toBe(1);
    expect(await kv.get(["race", "absent"])).toBe(inserts.indexOf(true));
  });
});
