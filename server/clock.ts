// Time as a dependency: code that decides by the clock (cache expiry, key caches, later held notifications and
// delayed sends for the right to disconnect) takes a Clock, so its tests move time instead of sleeping.
import { AsyncLocalStorage } from "node:async_hooks";

export interface Clock {
  /** Milliseconds since the epoch, like Date.now(). */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told: for tests. */
export class ManualClock implements Clock {
  #t: number;
  #listeners = new Set<(now: number) => void>();
  constructor(start = Date.UTC(2026, 11, 3, 9, 0, 0)) {
    this.#t = start;
  }
  now(): number {
    return this.#t;
  }
  advance(ms: number): void {
    this.#t += ms;
    for (const l of this.#listeners) l(this.#t);
  }
  /** Moves to an instant (never backwards). */
  set(ms: number): void {
    this.advance(Math.max(0, ms - this.#t));
  }
  onAdvance(listener: (now: number) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }
}

// The clock of the instance whose work is running. Deep domain code (notify(), called from a dozen features'
// transactions) asks `currentClock()` instead of taking a clock argument through every caller: createInstance
// runs its requests, inbox queue and job handlers inside `withClock(its clock, …)` (ADR 0015). Outside any
// instance (the CLI, a unit test) it is the system clock.
const running = new AsyncLocalStorage<Clock>();

export function withClock<T>(clock: Clock, fn: () => T): T {
  return running.run(clock, fn);
}

export function currentClock(): Clock {
  return running.getStore() ?? systemClock;
}

/** A ManualClock's listeners hear each advance: work due "at 9:00" (held notifications) runs when a test moves there. */
export interface WatchableClock extends Clock {
  onAdvance(listener: (now: number) => void): () => void;
}
