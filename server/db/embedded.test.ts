// The embedded PostgreSQL after its owner is killed: the next start adopts the orphaned cluster and its shutdown
// stops it (before, the orphan was joined and left running forever).
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { processAlive as alive, startEmbeddedPostgres } from "./embedded.ts";

async function postmasterPid(dataDir: string): Promise<number> {
  return Number((await readFile(join(dataDir, "postgres", "postmaster.pid"), "utf8")).split("\n")[0]);
}

describe("embedded PostgreSQL", () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("adopts a cluster whose owner was killed with SIGKILL, and stops it on shutdown", async () => {
    dir = await mkdtemp(join(tmpdir(), "ruche-embedded-"));
    const script = `import { startEmbeddedPostgres } from ${JSON.stringify(join(import.meta.dirname, "embedded.ts"))};
      await startEmbeddedPostgres(${JSON.stringify(dir)}); console.log("ready"); setInterval(() => {}, 1000);`;
    const owner = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve, reject) => {
      owner.stdout!.on("data", (d) => String(d).includes("ready") && resolve());
      owner.once("exit", (code) => reject(new Error(`owner exited with ${code}`)));
    });
    const pid = await postmasterPid(dir);
    owner.kill("SIGKILL");
    await new Promise((r) => owner.once("exit", r));
    expect(alive(pid)).toBe(true); // the orphan this is about

    const db = await startEmbeddedPostgres(dir);
    expect(await postmasterPid(dir)).toBe(pid); // adopted, not a second cluster
    await db.stop();
    expect(alive(pid)).toBe(false);
  }, 90_000);
});
