// Who may deliver to and fetch from this instance. Siblings come from the CLI-managed table (and RUCHE_SIBLINGS);
// the set is cached in memory and refreshed on the `siblings.changed` event (the CLI publishes it), after the event
// connection reconnects, and every 30 s.
import type { Sql } from "../server/db/pool.ts";
import type { EventBus } from "../server/events/bus.ts";
import { listSiblings } from "../server/domain/instance/siblings.ts";

export class SiblingPolicy {
  #sql: Sql;
  #fromEnv: string[];
  #origins = new Set<string>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #unlisten: (() => Promise<void>) | undefined;
  readonly mode: "siblings" | "open";
  readonly selfOrigin: string;

  constructor(sql: Sql, opts: { mode: "siblings" | "open"; selfOrigin: string; fromEnv: string[] }) {
    this.#sql = sql;
    this.mode = opts.mode;
    this.selfOrigin = opts.selfOrigin;
    this.#fromEnv = opts.fromEnv;
  }

  async start(events: EventBus): Promise<void> {
    await this.refresh();
    const refresh = () => void this.refresh().catch(() => {});
    const offEvent = events.subscribe("siblings.changed", refresh);
    const offReconnect = events.onReconnect(refresh);
    this.#unlisten = async () => {
      offEvent();
      offReconnect();
    };
    this.#timer = setInterval(() => void this.refresh().catch(() => {}), 30_000);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#unlisten?.().catch(() => {});
  }

  async refresh(): Promise<void> {
    this.#origins = new Set([...this.#fromEnv, ...(await listSiblings(this.#sql))]);
  }

  isSibling(origin: string): boolean {
    return this.#origins.has(origin);
  }

  list(): string[] {
    return [...this.#origins].sort();
  }

  /** May this origin talk to us at all (deliver, signed fetch)? */
  allows(origin: string): boolean {
    if (origin === this.selfOrigin) return true;
    if (this.mode === "open") return true;
    return this.#origins.has(origin);
  }
}
