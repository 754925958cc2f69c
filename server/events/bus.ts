// The one event bus: typed events over PostgreSQL LISTEN/NOTIFY on one channel, so every process (web or worker)
// hears what any process changed. The domain publishes in the transaction of the change (PostgreSQL delivers
// the notification at commit, never for a rolled-back change); each process holds one listening connection
// (`EventBus.start`) and fans events out to its subscribers — the actor cache, the sibling policy, and next the
// streaming API, live pages and Web Push, which apply visibility per subscriber when they receive an event.
//
// Events carry ids, not content: a subscriber reads what it may show with the domain's own rules. A payload is
// a few dozen bytes (NOTIFY allows 8,000).
import { z } from "zod";
import { getLogger } from "@logtape/logtape";
import type { Db, Sql } from "../db/pool.ts";

const logger = getLogger(["ruche", "events"]);
export const EVENT_CHANNEL = "ruche_events";

const id = z.string().regex(/^\d+$/);
/** Every event there is, with its payload. A new feature adds its events here. */
export const EVENT_SCHEMAS = {
  /** A notification was written for a local account (notifications/notifications.ts `notify`). */
  "notification.created": z.object({ accountId: id, notificationId: id }),
  /** A local account's public face changed (name, picture, bio, profile, disabled): actor documents are stale. */
  "account.changed": z.object({ accountId: id }),
  /** A local account's muted words or filters changed (timelines/mutes.ts, filters.ts): its streaming clients get `filters_changed`. */
  "filters.changed": z.object({ accountId: id }),
  /** Bearer tokens were revoked (an app's /oauth/revoke, the settings page, a refresh, a replayed code): their streams end. */
  "token.revoked": z.object({ tokenIds: z.array(id).min(1).max(100) }),
  /** A sibling was added or removed (CLI, admin). */
  "siblings.changed": z.object({ origin: z.string().url() }),
  /** A post was stored, edited or deleted — local or received (visibility is the subscriber's to apply). */
  "post.created": z.object({ postId: id, accountId: id }),
  "post.updated": z.object({ postId: id, accountId: id }),
  "post.deleted": z.object({ postId: id, accountId: id }),
  /** A poll's tallies changed (a vote, fresh remote tallies) or it closed: clients showing the post refresh it. */
  "poll.updated": z.object({ postId: id, accountId: id }),
  /** A local account's conversation got a message or was read (conversations/): its `direct` streams hear it. */
  "conversation.updated": z.object({ accountId: id, conversationId: id }),
} as const;

export type EventType = keyof typeof EVENT_SCHEMAS;
export type EventPayload<T extends EventType> = z.infer<(typeof EVENT_SCHEMAS)[T]>;
export type RucheEvent = { [T in EventType]: { type: T } & EventPayload<T> }[EventType];

/** Publishes in `db`'s transaction when it is one: subscribers hear it at commit, or never. */
export async function publish(db: Db, event: RucheEvent): Promise<void> {
  const { type, ...payload } = event;
  EVENT_SCHEMAS[type].parse(payload); // a wrong payload is a bug here, not in a far-away subscriber
  await db`SELECT pg_notify(${EVENT_CHANNEL}, ${JSON.stringify(event)})`;
}

type Handler<T extends EventType> = (event: { type: T } & EventPayload<T>) => void | Promise<void>;

export class EventBus {
  #handlers = new Map<EventType, Set<Handler<any>>>();
  #reconnect = new Set<() => void>();
  #unlisten: (() => Promise<void>) | undefined;
  /** Events received and dispatched, and those refused as malformed (a test's positive signal). */
  readonly counts = { received: 0, malformed: 0 };

  /** One LISTEN connection for the process (postgres.js keeps it, and re-listens after a reconnect). */
  static async start(sql: Sql): Promise<EventBus> {
    const bus = new EventBus();
    const sub = await sql.listen(EVENT_CHANNEL, (payload) => bus.#dispatch(payload), () => {
      // Events sent while the connection was down are lost: subscribers that cache state refresh it.
      for (const fn of bus.#reconnect) fn();
    });
    bus.#unlisten = () => sub.unlisten();
    return bus;
  }

  subscribe<T extends EventType>(type: T, handler: Handler<T>): () => void {
    let set = this.#handlers.get(type);
    if (!set) this.#handlers.set(type, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  /** Called after the listening connection (re)connects, including the first time. */
  onReconnect(fn: () => void): () => void {
    this.#reconnect.add(fn);
    return () => this.#reconnect.delete(fn);
  }

  #dispatch(payload: string): void {
    let event: RucheEvent;
    try {
      const raw = JSON.parse(payload) as { type?: string };
      const schema = EVENT_SCHEMAS[raw.type as EventType];
      if (!schema) throw new Error(`unknown event type ${String(raw.type)}`);
      const { type, ...rest } = raw;
      event = { type, ...schema.parse(rest) } as RucheEvent;
    } catch (error) {
      this.counts.malformed++;
      logger.warn("Ignoring a malformed event: {error}", { error: String(error), payload: payload.slice(0, 200) });
      return;
    }
    this.counts.received++;
    for (const handler of this.#handlers.get(event.type) ?? []) {
      Promise.resolve()
        .then(() => handler(event as never))
        .catch((error) => logger.error("Event subscriber failed on {type}: {error}", { type: event.type, error: String(error) }));
    }
  }

  async stop(): Promise<void> {
    this.#handlers.clear();
    this.#reconnect.clear();
    await this.#unlisten?.().catch(() => {});
  }
}
