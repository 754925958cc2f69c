// The job system on a real PostgreSQL with a real runner: jobs commit with the change that causes them, run in
// order per key, fail into the dead-letter queue after their attempts, come back with `ruche jobs retry`, and a
// worker takes only the queues it is given.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db.ts";
import { cliRunner } from "../../test/cli.ts";
import { eventually } from "../../test/instance.ts";
import { enqueueJob } from "./enqueue.ts";
import { deadLetters, jobsOf, queueCounts } from "./admin.ts";
import { type JobHandler, type JobHandlers, type JobRunner, startJobRunner } from "./runner.ts";
import { QUEUE_NAMES, selectQueues } from "./queues.ts";

describe("job system", () => {
  let db: TestDatabase;
  let runner: JobRunner | undefined;
  const cli = cliRunner(() => db.url);
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
  });
  afterAll(async () => {
    await db?.drop();
  });

  const handlers = (over: Partial<JobHandlers>): JobHandlers => {
    const none: JobHandler = async () => {};
    return Object.fromEntries(QUEUE_NAMES.map((q) => [q, over[q] ?? none])) as JobHandlers;
  };
  const start = async (over: Partial<JobHandlers>, take?: string[]) => {
    runner = await startJobRunner({ databaseUrl: db.url, handlers: handlers(over), take, pollingIntervalSeconds: 0.5, superviseIntervalSeconds: 1 });
    return runner;
  };

  it("a job commits with its transaction, or not at all", async () => {
    await expect(db.sql.begin(async (tx) => {
      await enqueueJob(tx, "deliver", { kind: "test", n: "rolled-back" }, { key: "tx:1" });
      throw new Error("the change failed");
    })).rejects.toThrow("the change failed");
    await db.sql.begin(async (tx) => {
      await enqueueJob(tx, "deliver", { kind: "test", n: "committed" }, { key: "tx:1" });
    });
    const jobs = await jobsOf(db.sql, "deliver", { kind: "test" });
    expect(jobs.map((j) => j.data.n)).toEqual(["committed"]);
    await expect(enqueueJob(db.sql, "deliver", { kind: "test" })).rejects.toThrow(/needs a key/);
  });

  it("runs the jobs of one key one at a time, in order, while another key proceeds", async () => {
    const log: string[] = [];
    let running = 0, overlapped = false;
    await start({
      deliver: async (data) => {
        if (data.kind !== "order") return;
        if (data.key === "a") {
          if (running++ > 0) overlapped = true;
          await new Promise((r) => setTimeout(r, 60));
          running--;
        }
        log.push(`${data.key}${data.n}`);
      },
    });
    await db.sql.begin(async (tx) => {
      for (let n = 1; n <= 6; n++) await enqueueJob(tx, "deliver", { kind: "order", key: "a", n }, { key: "order:a" });
      await enqueueJob(tx, "deliver", { kind: "order", key: "b", n: 1 }, { key: "order:b" });
    });
    await eventually(async () => (log.length === 7 ? log : null), 20_000, "seven ordered jobs run");
    expect(log.filter((l) => l.startsWith("a"))).toEqual(["a1", "a2", "a3", "a4", "a5", "a6"]);
    expect(overlapped).toBe(false);
    // Key b did not wait for the six slow jobs of key a.
    expect(log.indexOf("b1")).toBeLessThan(log.indexOf("a6"));
  });

  it("after its last attempt a job is a dead letter; `jobs failed` shows it, `jobs retry` runs it again", async () => {
    let healthy = false;
    const attempts: number[] = [];
    await start({
      "profile-refresh": async (data, job) => {
        if (data.kind !== "dead") return;
        attempts.push(job.retryCount);
        if (!healthy) throw new Error("sibling answered 503");
      },
    });
    await enqueueJob(db.sql, "profile-refresh", { kind: "dead", iri: "https://lyon.test/users/x" }, { key: "dead:1", retryLimit: 1, retryDelay: 0 });
    const [letter] = await eventually(async () => {
      const list = await deadLetters(db.sql);
      return list.length ? list : null;
    }, 30_000, "the job in the dead-letter queue");
    expect(attempts).toEqual([0, 1]);
    expect(letter).toMatchObject({ source: "profile-refresh", kind: "dead" });
    expect(letter.error).toContain("sibling answered 503");
    expect((await queueCounts(db.sql)).find((c) => c.queue === "profile-refresh")).toMatchObject({ failed: 1 });

    const failed = await cli("jobs", "failed");
    expect(failed.code).toBe(0);
    expect(failed.out).toContain(letter.id);
    expect(failed.out).toContain("sibling answered 503");
    const list = await cli("jobs", "list");
    expect(list.out).toMatch(/^profile-refresh\s+0\s+0\s+0\s+1\s+/m);
    expect((await cli("jobs", "retry", "not-an-id")).err).toMatch(/Not a job id: not-an-id/);
    expect((await cli("jobs", "discard")).err).toMatch(/--all/);

    healthy = true;
    const retried = await cli("jobs", "retry", letter.id);
    expect(retried).toMatchObject({ code: 0 });
    expect(retried.out).toContain("Requeued 1 job(s)");
    await eventually(async () => (attempts.length === 3 ? attempts : null), 20_000, "the retried job runs");
    expect(await deadLetters(db.sql)).toEqual([]);
    expect((await cli("jobs", "failed")).out).toContain("No failed jobs.");
    const after = await jobsOf(db.sql, "profile-refresh", { kind: "dead" });
    await eventually(async () => ((await jobsOf(db.sql, "profile-refresh", { kind: "dead" })).some((j) => j.state === "completed") ? true : null), 10_000, "completed");
    expect(after.filter((j) => j.state === "failed")).toEqual([]);
  });

  it("a discarded dead letter frees its key: later jobs of that object run", async () => {
    const ran: string[] = [];
    await start({ deliver: async (data) => {
      if (data.kind !== "held") return;
      if (data.n === 1) throw new Error("receiver refused");
      ran.push(`n${data.n}`);
    } });
    await enqueueJob(db.sql, "deliver", { kind: "held", n: 1 }, { key: "held:1", retryLimit: 0 });
    await enqueueJob(db.sql, "deliver", { kind: "held", n: 2 }, { key: "held:1" });
    const [letter] = await eventually(async () => {
      const list = (await deadLetters(db.sql)).filter((d) => d.kind === "held");
      return list.length ? list : null;
    }, 20_000, "the first job dead-lettered");
    // The failed job holds its key: the second one waits behind it.
    expect((await jobsOf(db.sql, "deliver", { kind: "held", n: 2 })).map((j) => j.state)).toEqual(["created"]);
    const discarded = await cli("jobs", "discard", letter.id);
    expect(discarded.out).toContain("Discarded 1 job(s)");
    await eventually(async () => (ran.length ? ran : null), 20_000, "the second job runs once the key is free");
    expect(ran).toEqual(["n2"]);
  });

  it("a worker takes only the queues it is given", async () => {
    expect(selectQueues(["directory"]).sort()).toEqual(["analytics", "directory-pull", "instance-info", "profile-refresh"]);
    expect(selectQueues(["deliver", "directory"]).length).toBe(5);
    expect(() => selectQueues(["nope"])).toThrow(/unknown queue or group "nope"/);
    const seen: string[] = [];
    const r = await start({
      deliver: async (data) => { if (data.kind === "subset") seen.push("deliver"); },
      "directory-pull": async (data) => { if (data.kind === "subset") seen.push("directory-pull"); },
    }, ["directory"]);
    expect(r.queues.sort()).toEqual(["analytics", "directory-pull", "instance-info", "profile-refresh"]);
    await enqueueJob(db.sql, "deliver", { kind: "subset" }, { key: "subset:1" });
    await enqueueJob(db.sql, "directory-pull", { kind: "subset", origin: "https://lyon.test" }, { key: "subset:lyon" });
    await eventually(async () => (seen.length ? seen : null), 20_000, "the directory job runs");
    expect(seen).toEqual(["directory-pull"]);
    expect((await jobsOf(db.sql, "deliver", { kind: "subset" })).map((j) => j.state)).toEqual(["created"]);
  });
});
