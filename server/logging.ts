import { AsyncLocalStorage } from "node:async_hooks";
import { configure, getConsoleSink, reset } from "@logtape/logtape";

let configured = false;

export async function setupLogging(level: "debug" | "info" | "warning" | "error"): Promise<void> {
  if (configured) await reset();
  configured = true;
  await configure({
    contextLocalStorage: new AsyncLocalStorage(),
    sinks: { console: getConsoleSink() },
    loggers: [
      { category: ["ruche"], lowestLevel: level, sinks: ["console"] },
      { category: ["fedify"], lowestLevel: level === "debug" ? "info" : "warning", sinks: ["console"] },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["console"] },
    ],
  });
}
