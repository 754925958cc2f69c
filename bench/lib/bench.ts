// What every benchmark module exports.
import type { Report } from "./report.ts";

export interface Benchmark {
  name: string;
  /** One line: what is measured. */
  title: string;
  run(report: Report): Promise<void>;
}
