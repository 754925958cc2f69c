// Every process, server, database and temp directory a benchmark makes is registered in its Scope and released in
// reverse order when the benchmark ends — normally, on an exception, or when bench/run.ts receives SIGINT/SIGTERM.

type Task = { what: string; fn: () => Promise<void> | void };

const open = new Set<Scope>();
/** Release steps registered after their scope was closed (a resource made while Ctrl-C tore the run down). */
const late = new Set<Promise<void>>();

export class Scope {
  #tasks: Task[] = [];
  #closed = false;
  readonly name: string;
  /** Released after every other scope (shared services such as the embedded PostgreSQL of a run). */
  readonly last: boolean;

  constructor(name: string, opts: { last?: boolean } = {}) {
    this.name = name;
    this.last = opts.last ?? false;
    open.add(this);
  }

  /** Registers a release step; steps run last-in first-out. */
  defer(what: string, fn: () => Promise<void> | void): void {
    if (this.#closed) {
      // Too late to wait for close(): release it now, and let closeAllScopes() wait for it.
      const p: Promise<void> = withTimeout(Promise.resolve().then(fn), 30_000, `cleanup: ${what}`)
        .catch((e) => console.error(`  ! cleanup of ${what} failed: ${(e as Error).message}`))
        .finally(() => late.delete(p));
      late.add(p);
      return;
    }
    this.#tasks.push({ what, fn });
  }

  /** Runs every release step (each bounded in time); failures are printed, never thrown. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    open.delete(this);
    while (this.#tasks.length > 0) {
      const t = this.#tasks.pop()!;
      try {
        await withTimeout(Promise.resolve().then(t.fn), 30_000, `cleanup: ${t.what}`);
      } catch (e) {
        console.error(`  ! cleanup of ${t.what} failed: ${(e as Error).message}`);
      }
    }
  }
}

/** Closes every scope still open, newest first and `last` scopes at the end (end of run, signal handler). */
export async function closeAllScopes(): Promise<void> {
  const scopes = [...open].reverse();
  for (const s of scopes.filter((x) => !x.last)) await s.close();
  for (const s of scopes.filter((x) => x.last)) await s.close();
  await Promise.allSettled([...late]);
}

export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
