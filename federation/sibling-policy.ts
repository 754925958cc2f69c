// Who may deliver to and fetch from this instance. Siblings come from the CLI-managed table (and RUCHE_SIBLINGS);
// the set is cached in memory and refreshed on the `siblings.changed` event (the CLI publishes it), after the event
// connection reconnects, and every 30 s. With them, what moderators refused (issue #15 point 5): blocked servers and
// suspended remote accounts, refused by the inbox guard.
import type { Sql } from "../server/db/pool.ts";
import type { EventBus } from "../server/events/bus.ts";
import { listSiblings } from "../server/domain/instance/siblings.ts";
import { federationRefusals } from "../server/domain/moderation/domain-blocks.ts";

export class SiblingPolicy {
  #sql: Sql;
  #fromEnv: string[];
  #origins = new Set<string>();
  #blockedHosts = new Set<string>();
  #suspendedActors = new Set<string>();
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
    const [siblings, refused] = await Promise.all([listSiblings(this.#sql), federationRefusals(this.#sql)]);
    this.#origins = new Set([...this.#fromEnv, ...siblings]);
    this.#blockedHosts = new Set(refused.domains);
    this.#suspendedActors = new Set(refused.actors);
  }

  /** A remote account a moderator suspended here: its activities are refused. */
  isSuspendedActor(iri: string): boolean {
    return this.#suspendedActors.has(iri);
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
    if (this.#blockedHosts.size > 0 && this.#blockedHosts.has(hostOf(origin))) return false;
    if (this.mode === "open") return true;
    return this.#origins.has(origin);
  }
}

function hostOf(origin: string): string {
  try {
    return new URL(origin).host;
  } catch {
    return origin;
  }
}
