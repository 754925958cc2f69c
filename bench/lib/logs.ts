// In-process instances log into a counting sink instead of the console: a run of 3,000 activities must not print
// 3,000 lines, but what was logged (and how often) is part of the result. Production (`npm start`) logs the same
// records to the console (server/logging.ts), which costs more than counting them.
import { configure, reset, type LogRecord } from "@logtape/logtape";

export interface LogCounts {
  /** "level category: message template" → count. */
  counts: Map<string, number>;
  /** One rendered example per key (truncated). */
  samples: Map<string, string>;
  clear(): void;
  /** Records logged with this template substring at warning level or above. */
  count(substring: string): number;
  summary(max?: number): string[];
}

function render(record: LogRecord): string {
  return record.message.map((m) => (typeof m === "string" ? m : safeString(m))).join("").replace(/\s+/g, " ").slice(0, 240);
}

function safeString(v: unknown): string {
  if (v instanceof Error) return `${v.name}: ${v.message}`;
  try {
    return typeof v === "object" ? JSON.stringify(v) : String(v);
  } catch {
    return String(v);
  }
}

export async function captureLogs(): Promise<LogCounts> {
  const counts = new Map<string, number>();
  const samples = new Map<string, string>();
  const sink = (record: LogRecord) => {
    const template = typeof record.rawMessage === "string" ? record.rawMessage : record.rawMessage.join("{}");
    const key = `${record.level} ${record.category.join(".")}: ${template.split("\n")[0]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (!samples.has(key)) samples.set(key, render(record));
  };
  await reset();
  await configure({
    sinks: { count: sink },
    loggers: [
      { category: ["ruche"], lowestLevel: "warning", sinks: ["count"] },
      { category: ["fedify"], lowestLevel: "warning", sinks: ["count"] },
      { category: ["logtape", "meta"], lowestLevel: "error", sinks: ["count"] },
    ],
  });
  return {
    counts,
    samples,
    clear() {
      counts.clear();
      samples.clear();
    },
    count(substring) {
      let n = 0;
      for (const [k, v] of counts) if (k.includes(substring)) n += v;
      return n;
    },
    summary(max = 6) {
      return [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, max)
        .map(([k, v]) => `${v} × ${k}${samples.get(k) ? `\n    e.g. ${samples.get(k)!.slice(0, 200)}` : ""}`);
    },
  };
}

export async function releaseLogs(): Promise<void> {
  await reset();
}
