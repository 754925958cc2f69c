import { afterAll, describe, expect, test } from "vitest";
import { Temporal } from "@js-temporal/polyfill";
import type { MessageQueueEnqueueOptions } from "@fedify/fedify";
import { testMessageQueue } from "@fedify/testing";
import { connect } from "../server/db/pool.ts";
import { createTestDatabase, type TestDatabase } from "../test/db.ts";
import { PostgresMessageQueue } from "./mq.ts";

// Every test gets its own database (a cheap template clone), so the tests run concurrently without sharing a queue.
const dbs: TestDatabase[] = [];
async function freshDb(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  dbs.push(db);
  return db;
}
afterAll(() => Promise.all(dbs.map((db) => db.drop())));

// Fedify's types name the global Temporal, absent from Node 24; the polyfill's durations are what it passes.
type Delay = NonNullable<MessageQueueEnqueueOptions["delay"]>;
const after = (milliseconds: number) => Temporal.Duration.from({ milliseconds }) as unknown as Delay;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
async function waitUntil(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}

describe.concurrent("PostgresMessageQueue", () => {
  test("passes Fedify's testMessageQueue suite, ordering keys included", async () => {
    const db = await freshDb();
    await testMessageQueue(
      () => new PostgresMessageQueue({ sql: db.sql, pollIntervalMs: 500 }),
      ({ controller }) => controller.abort(),
      { testOrderingKey: true },
    );
  });

  test("a message delayed by 1.5 s is not delivered before and is delivered after", async () => {
    const db = await freshDb();
    const queue = new PostgresMessageQueue({ sql: db.sql, pollIntervalMs: 100 });
    const received: { message: unknown; at: number }[] = [];
    const controller = new AbortController();
    const listening = queue.listen((message) => void received.push({ message, at: Date.now() }), { signal: controller.signal });
    const t0 = Date.now();
    await queue.enqueue({ kind: "late" }, { delay: after(1500) });
    await sleep(1200);
    expect(received).toEqual([]);
    await waitUntil(() => received.length === 1, 5000);
    expect(received[0].message).toEqual({ kind: "late" });
    expect(received[0].at - t0).toBeGreaterThanOrEqual(1490);
    controller.abort();
    await listening;
  });

  test("20 messages of one key run one at a time in order, across 2 listeners × 4, while another key proceeds", async () => {
    const db = await freshDb();
    const q1 = new PostgresMessageQueue({ sql: db.sql, pollIntervalMs: 100, parallelism: 4 });
    const q2 = new PostgresMessageQueue({ sql: db.sql, pollIntervalMs: 100, parallelism: 4 });
    for (let n = 0; n < 20; n++) await q1.enqueue({ key: "a", n }, { orderingKey: "a" });
    for (let n = 0; n < 5; n++) await q1.enqueue({ key: "b", n }, { orderingKey: "b" });
    const order: Record<string, number[]> = { a: [], b: [] };
    const active: Record<string, number> = { a: 0, b: 0 };
    let overlaps = 0;
    let firstADoneAt = 0;
    let lastBDoneAt = 0;
    const handler = async (m: { key: string; n: number }) => {
      if (active[m.key]++ > 0) overlaps++;
      order[m.key].push(m.n);
      await sleep(m.key === "a" && m.n === 0 ? 800 : Math.random() * 10);
      active[m.key]--;
      if (m.key === "a" && m.n === 0) firstADoneAt = Date.now();
      if (m.key === "b") lastBDoneAt = Date.now();
    };
    const controller = new AbortController();
    const listening = [q1.listen(handler, { signal: controller.signal }), q2.listen(handler, { signal: controller.signal })];
    await waitUntil(() => order.a.length === 20 && order.b.length === 5, 10_000);
    controller.abort();
    await Promise.all(listening);
    expect(order.a).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(order.b).toEqual([0, 1, 2, 3, 4]);
    expect(overlaps).toBe(0);
    expect(lastBDoneAt).toBeLessThan(firstADoneAt); // the slow head of "a" did not hold back "b"
  });

  test("a listener that crashes mid-handler loses nothing: another one processes the message again", async () => {
    const db = await freshDb();
    const crashSql = connect(db.url, { max: 5 });
    const doomed = new PostgresMessageQueue({ sql: crashSql, visibilityTimeoutMs: 800, pollIntervalMs: 100 });
    const survivor = new PostgresMessageQueue({ sql: db.sql, visibilityTimeoutMs: 800, pollIntervalMs: 100 });
    let doomedGot: unknown;
    const doomedController = new AbortController();
    void doomed.listen((message) => {
      doomedGot = message;
      return new Promise<void>(() => {}); // hangs until the "process" dies
    }, { signal: doomedController.signal });
    await survivor.enqueue({ activity: "Create" });
    await waitUntil(() => doomedGot !== undefined, 5000);
    expect((await survivor.getDepth()).queued).toBe(0); // held by the doomed listener
    doomedController.abort();
    await crashSql.end({ timeout: 0 }); // the crash: its heartbeats, delete and release can no longer run

    const received: unknown[] = [];
    const controller = new AbortController();
    const listening = survivor.listen((message) => void received.push(message), { signal: controller.signal });
    await waitUntil(() => received.length === 1, 5000);
    expect(received).toEqual([{ activity: "Create" }]);
    expect(doomedGot).toEqual({ activity: "Create" });
    await waitUntil(() => false, 300).catch(() => {}); // give a wrongful second delivery a chance to show
    controller.abort();
    await listening;
    expect(received.length).toBe(1);
    expect(await db.sql`SELECT id FROM fedify_mq`).toHaveLength(0);
  });

  test("two listeners on one table never handle the same message twice, and each message is handled once", async () => {
    const db = await freshDb();
    const otherSql = connect(db.url, { max: 8 });
    const queues = [
      new PostgresMessageQueue({ sql: db.sql, pollIntervalMs: 100, parallelism: 4 }),
      new PostgresMessageQueue({ sql: otherSql, pollIntervalMs: 100, parallelism: 4 }),
    ];
    const total = 200;
    await queues[0].enqueueMany(Array.from({ length: 150 }, (_, n) => n));
    for (let n = 150; n < total; n++) await queues[0].enqueue(n, { orderingKey: `k${n % 7}` });
    const counts = new Map<number, number>();
    const active = new Set<number>();
    const perListener = [0, 0];
    let concurrentDuplicates = 0;
    const controller = new AbortController();
    const listening = queues.map((queue, i) =>
      queue.listen(async (n: number) => {
        if (active.has(n)) concurrentDuplicates++;
        active.add(n);
        perListener[i]++;
        await sleep(Math.random() * 15);
        active.delete(n);
        counts.set(n, (counts.get(n) ?? 0) + 1);
      }, { signal: controller.signal }),
    );
    await waitUntil(() => counts.size === total, 15_000);
    await sleep(300); // let any duplicate delivery surface
    controller.abort();
    await Promise.all(listening);
    await otherSql.end();
    expect(concurrentDuplicates).toBe(0);
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
    expect(perListener[0]).toBeGreaterThan(0);
    expect(perListener[1]).toBeGreaterThan(0);
  });

  test("getDepth counts waiting messages, splits ready from delayed, and leaves out those in flight", async () => {
    const db = await freshDb();
    const queue = new PostgresMessageQueue({ sql: db.sql, pollIntervalMs: 100, parallelism: 1 });
    expect(await queue.getDepth()).toEqual({ queued: 0, ready: 0, delayed: 0 });
    await queue.enqueueMany(["r1", "r2", "r3"]);
    await queue.enqueue("k1", { orderingKey: "k" });
    await queue.enqueueMany(["d1", "d2"], { delay: after(60_000) });
    expect(await queue.getDepth()).toEqual({ queued: 6, ready: 4, delayed: 2 });

    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const handled: unknown[] = [];
    const controller = new AbortController();
    const listening = queue.listen(async (m) => {
      handled.push(m);
      if (handled.length === 1) await gate;
    }, { signal: controller.signal });
    await waitUntil(() => handled.length === 1, 5000);
    expect(await queue.getDepth()).toEqual({ queued: 5, ready: 3, delayed: 2 });
    release();
    await waitUntil(() => handled.length === 4, 5000);
    await sleep(100);
    expect(await queue.getDepth()).toEqual({ queued: 2, ready: 0, delayed: 2 });
    controller.abort();
    await listening;
  });

  test("a throwing handler is retried after a backoff (not hot), keeps its key blocked, and is dropped at maxAttempts", async () => {
    const db = await freshDb();
    const queue = new PostgresMessageQueue({ sql: db.sql, pollIntervalMs: 50, retryBackoffMs: 300, maxAttempts: 3 });
    const calls: Record<string, number[]> = { flaky: [], next: [], poison: [] };
    const controller = new AbortController();
    await queue.enqueue("flaky", { orderingKey: "obj" });
    await queue.enqueue("next", { orderingKey: "obj" });
    await queue.enqueue("poison");
    const listening = queue.listen((m: string) => {
      calls[m].push(Date.now());
      if (m === "poison" || (m === "flaky" && calls.flaky.length === 1)) throw new Error(`${m} failed`);
    }, { signal: controller.signal });
    await waitUntil(() => calls.poison.length === 3 && calls.next.length === 1, 5000);
    await sleep(1500); // a fourth poison attempt would come 1.2 s after the third
    controller.abort();
    await listening;
    expect(calls.flaky.length).toBe(2);
    expect(calls.flaky[1] - calls.flaky[0]).toBeGreaterThanOrEqual(290);
    expect(calls.next[0]).toBeGreaterThanOrEqual(calls.flaky[1]); // "next" waited for "flaky" to succeed
    expect(calls.poison.length).toBe(3);
    expect(calls.poison[1] - calls.poison[0]).toBeGreaterThanOrEqual(290);
    expect(calls.poison[2] - calls.poison[1]).toBeGreaterThanOrEqual(590);
    expect(await db.sql`SELECT id FROM fedify_mq`).toHaveLength(0);
  });
  test("one slow inbox host holds at most laneLimit slots; deliveries to other hosts go on", async () => {
    const db = await freshDb();
    const queue = new PostgresMessageQueue({ sql: db.sql, pollIntervalMs: 50, parallelism: 6, laneLimit: 2 });
    const outbox = (host: string, n: number) => ({ type: "outbox", id: `${host}-${n}`, inbox: `https://${host}/inbox` });
    for (let n = 0; n < 8; n++) await queue.enqueue(outbox("slow.example", n));
    await queue.enqueue(outbox("fast.example", 0));
    await queue.enqueue({ type: "inbox", id: "in-0" });
    let slowNow = 0, slowMax = 0;
    const done: string[] = [];
    const controller = new AbortController();
    const listening = queue.listen(async (m: { id: string; inbox?: string }) => {
      if (m.inbox?.includes("slow.example")) {
        slowMax = Math.max(slowMax, ++slowNow);
        await sleep(300);
        slowNow--;
      }
      done.push(m.id);
    }, { signal: controller.signal });
    await waitUntil(() => done.includes("fast.example-0") && done.includes("in-0"), 5000);
    // The fast host and the inbox message did not wait for the slow host's eight deliveries.
    expect(done.filter((id) => id.startsWith("slow")).length).toBeLessThan(3);
    await waitUntil(() => done.length === 10, 10_000);
    controller.abort();
    await listening;
    expect(slowMax).toBe(2);
  });

  test("Fedify's re-enqueued copy of a failed delivery keeps its place: a later message of its key waits for it", async () => {
    const db = await freshDb();
    const queue = new PostgresMessageQueue({ sql: db.sql, pollIntervalMs: 50 });
    await queue.enqueue({ id: "create", attempt: 0 }, { orderingKey: "note\nhttps://lyon.example" });
    await queue.enqueue({ id: "update", attempt: 0 }, { orderingKey: "note\nhttps://lyon.example" });
    const seen: string[] = [];
    const controller = new AbortController();
    const listening = queue.listen(async (m: { id: string; attempt: number }) => {
      seen.push(`${m.id}#${m.attempt}`);
      // What Fedify does when a delivery fails: enqueue the same message again with a delay, then return.
      if (m.id === "create" && m.attempt === 0) await queue.enqueue({ ...m, attempt: 1 }, { orderingKey: "note\nhttps://lyon.example", delay: after(400) });
    }, { signal: controller.signal });
    await waitUntil(() => seen.length === 3, 5000);
    controller.abort();
    await listening;
    expect(seen).toEqual(["create#0", "create#1", "update#0"]);
  });
});
