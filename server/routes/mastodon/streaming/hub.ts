// The process's streaming hub: it subscribes to the event bus once (the bus holds the one LISTEN connection, so
// every web process hears what any process changed) and, for each event, asks each connected client's channels
// whether it belongs there, as that client's viewer reads it. Transports (SSE, WebSocket) only add and remove
// clients and write the messages.
//
// Each client has its own queue, so its events keep their order (an edit never arrives before its post) while a
// slow client does not hold the others up; a client that falls too far behind is closed (it reconnects and
// reloads, as Mastodon's clients do).
import { getLogger } from "@logtape/logtape";
import type { Sql } from "../../../db/pool.ts";
import type { EventBus, EventPayload } from "../../../events/bus.ts";
import { findLocalUserById } from "../../../domain/accounts/accounts.ts";
import { getNotification } from "../../../domain/notifications/notifications.ts";
import type { PostView } from "../../../domain/posts/post-views.ts";
import type { Viewer } from "../auth.ts";
import { serializeNotifications } from "../notifications.ts";
import { getConversation } from "../../../domain/conversations/conversations.ts";
import { serializeConversations } from "../conversations.ts";
import { serializeStatuses } from "../status-serializer.ts";
import { accountsWithWarnFilters } from "../../../domain/timelines/filters.ts";
import { carriesConversations, carriesNotifications, carriesPosts, type Channel, contextOf, postOnChannel, postOnHomes } from "./streams.ts";

const logger = getLogger(["ruche", "streaming"]);

/** A message as Mastodon's WebSocket sends it; SSE writes `event` and `payload` alone. */
export interface StreamMessage { stream: string[]; event: string; payload?: string }

export interface StreamClient {
  viewer: Viewer | null;
  channels(): Iterable<Channel>;
  send(message: StreamMessage): void;
  /** Ends the connection (server stopping, or the client fell too far behind). */
  close(): void;
}

const encodings = new WeakMap<StreamMessage, Buffer>();

/**
 * A message as the WebSocket sends it (UTF-8 JSON), encoded once however many clients it goes to: with 1,000 home
 * streams, stringifying and encoding the same status per client was a visible share of the fan-out's CPU.
 */
export function encoded(message: StreamMessage): Buffer {
  let bytes = encodings.get(message);
  if (bytes === undefined) encodings.set(message, bytes = Buffer.from(JSON.stringify(message)));
  return bytes;
}

/** Events waiting for one client before it is dropped as too slow. */
const MAX_PENDING = 200;
/** Post ids remembered per client, so a `delete` reaches those who were sent the post. */
const REMEMBERED = 500;

interface State { client: StreamClient; queue: Promise<void>; pending: number; sent: Map<string, string[][]> }

export class StreamHub {
  #clients = new Set<State>();
  #off: (() => void)[] = [];
  /** Messages sent, all clients together (a test's positive signal). */
  readonly counts = { sent: 0, dropped: 0 };

  private readonly deps: { sql: Sql; origin: string; siblings: () => string[] };

  constructor(deps: { sql: Sql; origin: string; siblings: () => string[] }) {
    this.deps = deps;
  }

  start(events: EventBus): void {
    this.#off.push(
      events.subscribe("post.created", (e) => this.#onPost(e, "update")),
      events.subscribe("post.updated", (e) => this.#onPost(e, "status.update")),
      // New poll tallies (a vote, a remote Update, the close) refresh the post where it is shown, as Mastodon does.
      events.subscribe("poll.updated", (e) => this.#onPost(e, "status.update")),
      events.subscribe("post.deleted", (e) => this.#onDelete(e)),
      events.subscribe("notification.created", (e) => this.#onNotification(e)),
      events.subscribe("conversation.updated", (e) => this.#onConversation(e)),
      events.subscribe("filters.changed", (e) => this.#onFiltersChanged(e)),
      events.subscribe("account.changed", (e) => this.#onAccountChanged(e)),
      events.subscribe("token.revoked", (e) => this.#onTokenRevoked(e)),
    );
  }

  /** Subscriptions held by the connected clients (a WebSocket may hold several). */
  subscriptions(): number {
    let n = 0;
    for (const s of this.#clients) n += [...s.client.channels()].length;
    return n;
  }

  add(client: StreamClient): () => void {
    const state: State = { client, queue: Promise.resolve(), pending: 0, sent: new Map() };
    this.#clients.add(state);
    return () => void this.#clients.delete(state);
  }

  stop(): void {
    for (const off of this.#off) off();
    for (const s of this.#clients) s.client.close();
    this.#clients.clear();
  }

  #enqueue(s: State, work: () => Promise<void>): void {
    if (s.pending >= MAX_PENDING) {
      this.counts.dropped++;
      this.#clients.delete(s);
      s.client.close();
      return;
    }
    s.pending++;
    s.queue = s.queue.then(work)
      .catch((error) => logger.error("Streaming to a client failed: {error}", { error: String(error) }))
      .finally(() => void s.pending--);
  }

  #send(s: State, message: StreamMessage): void {
    if (!this.#clients.has(s)) return;
    this.counts.sent++;
    s.client.send(message);
  }

  #onPost(e: EventPayload<"post.created">, event: "update" | "status.update"): void {
    const { sql, origin, siblings } = this.deps;
    // Home streams are answered together: one query for all their viewers and one serialized status, shared by the
    // clients' queues (ADR 0010; bench/streaming.ts). Other streams ask their timeline per client.
    // Readers with `warn` filters for home get their own serialization (their `filtered` differs).
    let homes: Promise<{ readers: Set<string>; warned: Set<string>; post: PostView | null; message: StreamMessage | null }> | undefined;
    const home = () => homes ??= (async () => {
      const viewerIds = new Set<string>();
      for (const s of this.#clients) {
        if (s.client.viewer && [...s.client.channels()].some((c) => c.name === "user")) viewerIds.add(s.client.viewer.accountId);
      }
      const { readers, post } = await postOnHomes(sql, e.postId, [...viewerIds]);
      if (!post) return { readers, warned: new Set<string>(), post: null, message: null };
      const [serialized, warned] = await Promise.all([serializeStatuses(sql, origin, [post]), accountsWithWarnFilters(sql, [...readers], "home")]);
      return { readers, warned, post, message: { stream: ["user"], event, payload: JSON.stringify(serialized[0]) } };
    })();
    for (const s of this.#clients) {
      this.#enqueue(s, async () => {
        // Serialized once per filter context (`filtered` differs between home and public).
        const statuses = new Map<string, string>();
        const serialized = async (post: PostView, channel: Channel) => {
          const context = contextOf(channel);
          let status = statuses.get(context);
          if (status === undefined) {
            status = JSON.stringify((await serializeStatuses(sql, origin, [post], { viewer: s.client.viewer?.accountId ?? null, context }))[0]);
            statuses.set(context, status);
          }
          return status;
        };
        for (const channel of s.client.channels()) {
          if (!carriesPosts(channel)) continue;
          if (channel.name === "user") {
            const { readers, warned, post, message } = await home();
            if (!message || !post || !s.client.viewer || !readers.has(s.client.viewer.accountId)) continue;
            this.#remember(s, e.postId, channel.label);
            if (warned.has(s.client.viewer.accountId)) this.#send(s, { stream: channel.label, event, payload: await serialized(post, channel) });
            else this.#send(s, message); // one object for every home stream: the WebSocket encodes it once (encoded())
            continue;
          }
          const post = await postOnChannel(sql, channel, s.client.viewer, siblings(), e.postId);
          if (!post) continue;
          this.#remember(s, e.postId, channel.label);
          this.#send(s, { stream: channel.label, event, payload: await serialized(post, channel) });
        }
      });
    }
  }

  #remember(s: State, postId: string, label: string[]): void {
    const labels = s.sent.get(postId) ?? [];
    if (!labels.some((l) => l.join() === label.join())) labels.push(label);
    s.sent.delete(postId);
    s.sent.set(postId, labels);
    if (s.sent.size > REMEMBERED) s.sent.delete(s.sent.keys().next().value!);
  }

  /**
   * The post is gone, so its audience can no longer be read: the id goes to the clients that were sent the post
   * and to the author's followers' home streams (they may have loaded it before connecting). An id reveals nothing
   * else, and is all Mastodon sends.
   */
  #onDelete(e: EventPayload<"post.deleted">): void {
    const homes = [...this.#clients].filter((s) => s.client.viewer && [...s.client.channels()].some((c) => c.name === "user"));
    const viewerIds = [...new Set(homes.map((s) => s.client.viewer!.accountId))];
    const followers = viewerIds.length === 0 ? Promise.resolve(new Set<string>())
      : this.deps.sql`SELECT follower_id::text AS id FROM follows WHERE following_id = ${e.accountId} AND state = 'accepted'
          AND follower_id = ANY(${viewerIds}::bigint[])`.then((rows) => new Set(rows.map((r) => r.id as string)), () => new Set<string>());
    for (const s of this.#clients) {
      this.#enqueue(s, async () => {
        const labels = [...(s.sent.get(e.postId) ?? [])];
        s.sent.delete(e.postId);
        const me = s.client.viewer?.accountId;
        if (me && (me === e.accountId || (await followers).has(me))) {
          for (const c of s.client.channels()) if (c.name === "user" && !labels.some((l) => l.join() === c.label.join())) labels.push(c.label);
        }
        for (const stream of labels) this.#send(s, { stream, event: "delete", payload: e.postId });
      });
    }
  }

  /**
   * An event about one account's own things: each of its clients' channels that `carries` it gets `event` with the
   * payload `load` reads as that account (null: nothing to send — muted, or no longer readable).
   */
  #toOwner(accountId: string, carries: (c: Channel) => boolean, event: string, load: () => Promise<unknown | null>): void {
    for (const s of this.#clients) {
      if (s.client.viewer?.accountId !== accountId) continue;
      this.#enqueue(s, async () => {
        const channels = [...s.client.channels()].filter(carries);
        if (channels.length === 0) return;
        const entity = await load();
        if (entity == null) return;
        const payload = JSON.stringify(entity);
        for (const c of channels) this.#send(s, { stream: c.label, event, payload });
      });
    }
  }

  #onNotification(e: EventPayload<"notification.created">): void {
    const { sql, origin } = this.deps;
    this.#toOwner(e.accountId, carriesNotifications, "notification", async () => {
      const row = await getNotification(sql, e.accountId, e.notificationId);
      // muted or about a post no longer readable: the list would not show it either
      return row ? (await serializeNotifications(sql, origin, e.accountId, [row]))[0] : null;
    });
  }

  /**
   * A conversation of the subscriber's got a message or was read: Mastodon's `conversation` event on `direct`,
   * the Conversation entity as the subscriber reads it (its own row, its last message through the audience rule).
   */
  #onConversation(e: EventPayload<"conversation.updated">): void {
    const { sql, origin } = this.deps;
    this.#toOwner(e.accountId, carriesConversations, "conversation", async () => {
      const row = await getConversation(sql, e.accountId, e.conversationId);
      return row ? (await serializeConversations(sql, origin, e.accountId, [row]))[0] : null;
    });
  }

  /** Muted words or filters changed: Mastodon's clients reload their filters (no payload). */
  #onFiltersChanged(e: EventPayload<"filters.changed">): void {
    for (const s of this.#clients) {
      if (s.client.viewer?.accountId !== e.accountId) continue;
      this.#enqueue(s, async () => {
        for (const c of s.client.channels()) if (c.name === "user") this.#send(s, { stream: c.label, event: "filters_changed" });
      });
    }
  }

  /**
   * A revoked token's streams end at once, on every process (the token was checked when the stream opened): an app
   * signed out, the person revoked it in the settings, or it came from a replayed code.
   */
  #onTokenRevoked(e: EventPayload<"token.revoked">): void {
    const revoked = new Set(e.tokenIds);
    for (const s of this.#clients) {
      const id = s.client.viewer?.tokenId;
      if (id === undefined || !revoked.has(id)) continue;
      this.#clients.delete(s);
      s.client.close();
    }
  }

  /** A disabled account's streams end at once, as its tokens and sessions stop working (accounts.ts disableUser). */
  #onAccountChanged(e: EventPayload<"account.changed">): void {
    const mine = [...this.#clients].filter((s) => s.client.viewer?.accountId === e.accountId);
    if (mine.length === 0) return;
    void findLocalUserById(this.deps.sql, e.accountId).then((user) => {
      if (user && !user.disabled) return;
      for (const s of mine) {
        this.#clients.delete(s);
        s.client.close();
      }
    }).catch((error) => logger.error("Checking a changed account's streams failed: {error}", { error: String(error) }));
  }
}
