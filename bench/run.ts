// `npm run bench` runs every benchmark in sequence; `npm run bench -- inbox actor` runs the ones named. Each prints
// its figures beside their targets (PASS/MISS) and a summary table closes the run. A MISS is a result, not a
// failure: the exit code is 0 unless a benchmark could not run at all (then 1), or a name is unknown (2).
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { actor } from "./actor.ts";
import { inbox } from "./inbox.ts";
import { memory } from "./memory.ts";
import { memoryLoad } from "./memory-load.ts";
import { startup } from "./startup.ts";
import { directory } from "./directory.ts";
import { timeline } from "./timeline.ts";
import { streaming } from "./streaming.ts";
import { wsidle } from "./wsidle.ts";
import { quiet } from "./quiet.ts";
import { webtv } from "./webtv.ts";
import { events } from "./events.ts";
import { searchBench } from "./search.ts";
import { analyticsBench } from "./analytics.ts";
import type { Benchmark } from "./lib/bench.ts";
import { closeAllScopes } from "./lib/cleanup.ts";
import { formatValue, mb, Report, table, verdict, type Figure } from "./lib/report.ts";

const all: Benchmark[] = [inbox, actor, memory, memoryLoad, startup, directory, timeline, streaming, wsidle, quiet, webtv, events, searchBench, analyticsBench];

const args = process.argv.slice(2).filter((a) => a !== "--");
if (args.includes("--help") || args.includes("-h")) {
  console.log(`usage: npm run bench [-- <name>…]\n\n${all.map((b) => `  ${b.name.padEnd(8)} ${b.title}`).join("\n")}`);
  process.exit(0);
}
const unknown = args.filter((a) => !all.some((b) => b.name === a));
if (unknown.length > 0) {
  console.error(`unknown benchmark: ${unknown.join(", ")} (known: ${all.map((b) => b.name).join(", ")})`);
  process.exit(2);
}
const selected = args.length > 0 ? all.filter((b) => args.includes(b.name)) : all;

// A stray rejection (a database connection cut while a benchmark is torn down, a load request failing late) must
// not kill the run before it has released what it started: print it and go on; every loop is bounded in time.
let strays = 0;
const stray = (kind: string) => (e: unknown) => {
  if (++strays <= 3) console.error(`  ! ${kind} (ignored): ${(e as Error)?.message ?? String(e)}`);
  else if (strays === 4) console.error("  ! further stray errors are not printed");
};
process.on("unhandledRejection", stray("unhandled rejection"));
process.on("uncaughtException", stray("uncaught exception"));

// Ctrl-C / SIGTERM: release every process, database and temp dir before leaving. The benchmark in progress may run
// on for a moment (its loops are bounded); the process leaves once everything is released.
let interrupted: Promise<void> | null = null;
const leave = () => {
  console.error("cleaned up; exiting");
  process.exit(130);
};
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130); // a second Ctrl-C: leave at once
    console.error(`\n${signal}: cleaning up…`);
    const force = setTimeout(() => process.exit(130), 60_000);
    force.unref();
    interrupted = closeAllScopes().finally(leave);
  });
}

const cores = availableParallelism();
console.log(`Ruche benchmarks — Node ${process.version}, ${cores} cores (${cpus()[0]?.model.trim() ?? "unknown CPU"}), ` +
  `${Math.round(mb(totalmem()))} MB RAM`);
console.log(`The load generator runs on this machine and shares its ${cores} cores with the server under test ` +
  `(and its PostgreSQL): figures are lower bounds of what the server alone would do.`);
console.log(`Database for in-process instances: ${process.env.DATABASE_URL ? "a temporary database on DATABASE_URL" : "embedded PostgreSQL in a temp dir"}` +
  `; process benchmarks (memory, startup) always use the embedded one, as \`npm start\` does.`);

const figures: Figure[] = [];
const errors: { bench: string; error: string }[] = [];
for (const b of selected) {
  if (interrupted) await interrupted;
  console.log(`\n== ${b.name}: ${b.title}`);
  console.log(`  · machine load average before the run: ${loadavg().map((l) => l.toFixed(2)).join(" / ")} (1 / 5 / 15 min)`);
  const report = new Report(b.name);
  const started = performance.now();
  try {
    await b.run(report);
  } catch (e) {
    const message = (e as Error).stack ?? String(e);
    errors.push({ bench: b.name, error: (e as Error).message ?? String(e) });
    const lines = message.split("\n");
    console.log(`  ERROR: ${lines.slice(0, 30).join("\n  ")}${lines.length > 30 ? `\n  … (${lines.length - 30} more lines)` : ""}`);
  }
  figures.push(...report.figures);
  console.log(`  (${b.name} took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

if (interrupted) await interrupted; // leaves the process
await closeAllScopes(); // the embedded PostgreSQL shared by in-process benchmarks, if one was started

console.log("\n== summary");
const rows = figures.map((f) => [f.bench, f.label, formatValue(f), f.target?.text ?? "", verdict(f) || "info"]);
for (const e of errors) rows.push([e.bench, "did not run", e.error.split("\n")[0].slice(0, 80), "", "ERROR"]);
console.log(table(["benchmark", "figure", "value", "target", "result"], rows));
const judged = figures.filter((f) => f.target);
const passed = judged.filter((f) => verdict(f) === "PASS").length;
console.log(`\n${passed}/${judged.length} targets met${errors.length ? `, ${errors.length} benchmark(s) failed to run` : ""}` +
  `${judged.length - passed > 0 ? " (a MISS is reported, not an error: exit code 0)" : ""}. ` +
  `Load generator and server shared ${cores} cores.`);
process.exit(errors.length > 0 ? 1 : 0);
