// What every benchmark module exports.
import type { Report } from "./report.ts";

export interface Benchmark {
  name: string;
  /** One line: what is measured. */
  title: string;
  run(report: Report): Promise<void>;
}

const RUNS = 3;

/** Median of 3 timings of `fn` (ms): one stray scheduling hiccup on a shared machine does not make a percentile. */
export async function medianOf(fn: () => Promise<unknown>): Promise<number> {
  const t: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await fn();
    t.push(performance.now() - start);
  }
  return t.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
}

/** `node bench/<name>.ts`: runs that one benchmark alone, releases what it started, and exits. */
export async function runAlone(b: Benchmark): Promise<void> {
  const { Report } = await import("./report.ts");
  const { closeAllScopes } = await import("./cleanup.ts");
  const report = new Report(b.name);
  try {
    await b.run(report);
  } finally {
    await closeAllScopes();
  }
  process.exit(0);
}
