// Memory back after a burst. V8 grows its heap under load and, once the process goes quiet, has no allocation left
// to trigger the collection that would shrink it: after 60 s of mixed load a `npm start` process kept ~170 MB of
// mostly dead heap through 30 s of idleness. When the event loop has been nearly idle for one interval and the heap
// has grown since the last full collection, one full collection runs (with `--expose-gc`, which `npm start` passes;
// without it this does nothing). A pause of tens of milliseconds while nobody is waiting. One more runs 3 s after
// start-up.
import { performance, type EventLoopUtilization } from "node:perf_hooks";
import { getLogger } from "@logtape/logtape";

const logger = getLogger(["ruche", "memory"]);

export interface IdleGcProbe {
  /** Heap in use, bytes. */
  heapUsed(): number;
  /** Share of the last interval the event loop was busy, 0..1. */
  busyShare(): number;
  gc(): void;
}

export interface IdleGcOptions {
  /** Below this busy share the process counts as idle (default 2 %). */
  idleBelow?: number;
  /** Heap growth since the last full collection that makes one worthwhile (default 16 MiB). */
  growthBytes?: number;
}

/** Decides, at each interval, whether to collect now; returns the step function (tested on its own). */
export function idleGcStep(probe: IdleGcProbe, opts: IdleGcOptions = {}): () => boolean {
  const idleBelow = opts.idleBelow ?? 0.02;
  const growth = opts.growthBytes ?? 16 * 1024 * 1024;
  let baseline = probe.heapUsed();
  return () => {
    const used = probe.heapUsed();
    if (used < baseline) baseline = used; // V8 collected on its own
    if (probe.busyShare() >= idleBelow || used - baseline < growth) return false;
    const t0 = performance.now();
    probe.gc();
    baseline = probe.heapUsed();
    logger.debug("Idle full collection: heap {before} MiB → {after} MiB in {ms} ms", {
      before: Math.round(used / 2 ** 20), after: Math.round(baseline / 2 ** 20), ms: Math.round(performance.now() - t0),
    });
    return true;
  };
}

/** Starts the idle collector when `gc` is exposed; returns a stop function. */
export function startIdleGc(intervalMs = 10_000): () => void {
  const exposed = (globalThis as { gc?: (options?: object) => void }).gc;
  if (typeof exposed !== "function") return () => {};
  // The "last resort" flavour also hands the freed pages back to the system; a plain major collection keeps them
  // pooled, and the resident set stays where the burst left it.
  const gc = () => exposed({ type: "major", execution: "sync", flavor: "last-resort" });
  let last: EventLoopUtilization = performance.eventLoopUtilization();
  const step = idleGcStep({
    heapUsed: () => process.memoryUsage().heapUsed,
    busyShare: () => {
      const now = performance.eventLoopUtilization();
      const share = performance.eventLoopUtilization(now, last).utilization;
      last = now;
      return share;
    },
    gc,
  });
  const timer = setInterval(step, intervalMs);
  timer.unref();
  // Start-up leaves its own garbage (migrations, module loading, caches warming): one collection once it is over.
  const first = setTimeout(() => gc(), 3_000);
  first.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
