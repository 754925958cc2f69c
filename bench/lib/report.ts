// Figures and how they are printed: `inbox throughput: 612 activities/s (target ≥ 500/s)  PASS`. A figure without a
// target is context (printed, never judged). A MISS is reported, never thrown: benchmarks do not fail a build.

export interface Target {
  op: ">=" | "<=";
  value: number;
  /** As printed after "target", e.g. "≥ 500/s" or "≤ 100 ms". */
  text: string;
}

export interface Figure {
  bench: string;
  label: string;
  value: number;
  unit: string;
  /** Decimals to print; by default 0 from 100 up, 1 below 100, 2 below 1. */
  digits?: number;
  target?: Target;
}

export type Verdict = "PASS" | "MISS" | "";

export function verdict(f: Figure): Verdict {
  if (!f.target) return "";
  if (!Number.isFinite(f.value)) return "MISS";
  return (f.target.op === ">=" ? f.value >= f.target.value : f.value <= f.target.value) ? "PASS" : "MISS";
}

export function formatNumber(value: number, digits?: number): string {
  if (!Number.isFinite(value)) return "n/a";
  const d = digits ?? (Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 1 ? 1 : 2);
  return value.toFixed(d);
}

export function formatValue(f: Figure): string {
  return `${formatNumber(f.value, f.digits)}${f.unit ? ` ${f.unit}` : ""}`;
}

export function figureLine(f: Figure): string {
  const base = `${f.label}: ${formatValue(f)}`;
  return f.target ? `${base} (target ${f.target.text})  ${verdict(f)}` : base;
}

/** Collects a benchmark's figures and prints each one as it is added. */
export class Report {
  readonly bench: string;
  readonly figures: Figure[] = [];

  constructor(bench: string) {
    this.bench = bench;
  }

  add(label: string, value: number, unit: string, opts: { target?: Target; digits?: number } = {}): Figure {
    const f: Figure = { bench: this.bench, label, value, unit, ...opts };
    this.figures.push(f);
    console.log(`  ${figureLine(f)}`);
    return f;
  }

  /** A line of context (setup, caveats, breakdowns), indented like the figures. */
  note(text: string): void {
    for (const l of text.split("\n")) console.log(`  · ${l}`);
  }
}

export const atLeast = (value: number, text: string): Target => ({ op: ">=", value, text: `≥ ${text}` });
export const atMost = (value: number, text: string): Target => ({ op: "<=", value, text: `≤ ${text}` });

/** Nearest-rank percentile of an ascending-sorted array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/** Plain-text table, columns padded to their widest cell. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const fmt = (r: string[]) => r.map((c, i) => (c ?? "").padEnd(widths[i])).join("  ").trimEnd();
  return [fmt(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(fmt)].join("\n");
}

export const mb = (bytes: number) => bytes / (1024 * 1024);
export const now = () => performance.timeOrigin + performance.now();
