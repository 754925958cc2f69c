// The idle collector collects once the process is quiet after the heap has grown, and not while it is busy or when
// nothing has grown since the last collection.
import { describe, expect, it } from "vitest";
import { idleGcStep } from "./idle-gc.ts";

const MiB = 2 ** 20;

function probe() {
  const state = { heap: 50 * MiB, busy: 0.5, collections: 0 };
  return {
    state,
    heapUsed: () => state.heap,
    busyShare: () => state.busy,
    gc: () => {
      state.collections++;
      state.heap = 52 * MiB;
    },
  };
}

describe("idle full collection", () => {
  it("waits for the quiet after growth, collects once, then waits for new growth", () => {
    const p = probe();
    const step = idleGcStep(p);
    p.state.heap = 170 * MiB; // a burst, still busy
    expect(step()).toBe(false);
    p.state.busy = 0.005; // quiet now
    expect(step()).toBe(true);
    expect(p.state.collections).toBe(1);
    expect(step()).toBe(false); // nothing grew since
    p.state.heap = 60 * MiB; // below the growth threshold
    expect(step()).toBe(false);
    p.state.heap = 90 * MiB;
    expect(step()).toBe(true);
    expect(p.state.collections).toBe(2);
  });

  it("takes a collection V8 made on its own as the new baseline", () => {
    const p = probe();
    const step = idleGcStep(p);
    p.state.heap = 40 * MiB; // V8 collected: lower than where we started
    p.state.busy = 0;
    expect(step()).toBe(false);
    p.state.heap = 50 * MiB; // 10 MiB above the new baseline: not worth it
    expect(step()).toBe(false);
    expect(p.state.collections).toBe(0);
  });
});
