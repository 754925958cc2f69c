// Log records as a test's positive signal: `recordLogs(category, level)` in a file's top-level scope collects what
// that LogTape category logs during the file's tests (and resets LogTape afterwards).
import { afterAll, beforeAll } from "vitest";
import { configure, type LogLevel, type LogRecord, reset } from "@logtape/logtape";

export function recordLogs(category: string[], lowestLevel: LogLevel = "info"): LogRecord[] {
  const records: LogRecord[] = [];
  beforeAll(async () => {
    await configure({
      sinks: { test: (r: LogRecord) => void records.push(r) },
      loggers: [
        { category, lowestLevel, sinks: ["test"] },
        { category: ["logtape", "meta"], lowestLevel: "warning", sinks: [] },
      ],
    });
  });
  afterAll(async () => {
    await reset();
  });
  return records;
}
