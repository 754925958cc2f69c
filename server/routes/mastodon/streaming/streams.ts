// The streams a client may subscribe to (Mastodon's names), what each needs, and which posts each shows. A stream
// is its timeline, live: a new post is sent on a stream when that timeline, read as the subscriber with the post's
// id as its only page (`onlyPost`), returns it — the same SQL, so visibility, scopes and mutes cannot disagree
// with what the REST timeline shows. A `list` stream is one of the subscriber's lists (listTimeline), checked as
// theirs when subscribing (checkChannel).
//
// A post is sent with its `filtered` (the subscriber's `warn` filters) for the stream's context: home for `user` and
// `list`, public for the others; `hide` filters already kept it off, in the timeline query.
import { z } from "zod";
import type { Sql } from "../../../db/pool.ts";
import { hasScope } from "../../../domain/accounts/tokens.ts";
import { ANONYMOUS, localViewer, type Viewer as ReadViewer } from "../../../domain/audience/visibility.ts";
import { loadPosts, type PostView } from "../../../domain/posts/post-views.ts";
import { homeReaders } from "../../../domain/timelines/home-timeline.ts";
import type { FilterContext } from "../../../domain/timelines/mutes.ts";
import {
  groupTimeline, hashtagTimeline, homeTimeline, listTimeline, localTimeline, onlyPost, remotePublicTimeline, type TimelinePage,
} from "../../../domain/timelines/timelines.ts";
import type { Viewer } from "../auth.ts";

export const STREAMS = ["user", "user:notification", "direct", "public", "public:local", "public:remote", "hashtag", "hashtag:local", "list"] as const;
export type StreamName = (typeof STREAMS)[number];

/** One subscription: a stream with its parameters, named as Mastodon names it in each message (`["hashtag","cats"]`). */
export interface Channel {
  name: StreamName;
  tag?: string;
  /** For `list`: the list's id. */
  list?: string;
  onlyMedia: boolean;
  /** What every message on this channel carries as `stream`. */
  label: string[];
  /** The key that makes a second identical subscription a no-op. */
  key: string;
}

/** Mastodon's error for a refused stream: its HTTP status (sent in the WebSocket message too) and text. */
export class StreamError extends Error {
  readonly status: 400 | 401 | 404 | 429;

  constructor(status: 400 | 401 | 404 | 429, message: string) {
    super(message);
    this.status = status;
  }
}

const flag = z.preprocess((v) => v === true || v === "true" || v === "1", z.boolean());
const paramsSchema = z.object({
  tag: z.string().trim().max(100).optional(),
  list: z.union([z.string(), z.number()]).transform(String).optional(),
  only_media: flag.optional(),
});

/** Which channel `stream` with `params` names, checked against the viewer's token: a Channel or a StreamError. */
export function channelOf(stream: unknown, params: Record<string, unknown>, viewer: Viewer | null, opts: { anonymousPublic: boolean }): Channel {
  const name = STREAMS.find((s) => s === stream);
  if (!name) throw new StreamError(400, "Unknown stream type");
  const p = paramsSchema.safeParse(params);
  if (!p.success) throw new StreamError(400, "Invalid stream parameters");
  const personal = name === "user" || name === "user:notification" || name === "direct" || name === "list";
  if (!viewer && (personal || !opts.anonymousPublic)) throw new StreamError(401, "Missing access token");
  if (viewer) {
    const scope = name === "user:notification" ? "read:notifications" : name === "list" ? "read:lists" : "read:statuses";
    if (!hasScope(viewer.scopes, scope)) throw new StreamError(401, "Access token does not have the required scopes");
  }
  const onlyMedia = p.data.only_media ?? false;
  if (name === "hashtag" || name === "hashtag:local") {
    const tag = (p.data.tag ?? "").replace(/^#/, "").toLowerCase();
    if (!/^[\p{L}\p{N}_]+$/u.test(tag)) throw new StreamError(400, "Missing tag name parameter");
    return { name, tag, onlyMedia, label: [name, tag], key: `${name}:${tag}` };
  }
  if (name === "list") {
    const list = p.data.list ?? "";
    if (!/^\d{1,18}$/.test(list)) throw new StreamError(400, "Missing list name parameter");
    return { name, list, onlyMedia, label: [name, list], key: `${name}:${list}` };
  }
  const label = [onlyMedia && name.startsWith("public") ? `${name}:media` : name];
  return { name, onlyMedia, label, key: label[0] };
}

/** A `list` channel must name one of the subscriber's lists (Mastodon's answer otherwise); other channels pass. */
export async function checkChannel(sql: Sql, channel: Channel, viewer: Viewer | null): Promise<void> {
  if (channel.name !== "list") return;
  const [own] = viewer ? await sql`SELECT 1 FROM lists WHERE id = ${channel.list!} AND account_id = ${viewer.accountId}` : [];
  if (!own) throw new StreamError(401, "Not authorized to stream this list");
}

/** The filter context of a channel's posts. */
export const contextOf = (c: Channel): FilterContext => (c.name === "user" || c.name === "list" ? "home" : "public");

/**
 * Does the channel carry posts (update, status.update, delete), notifications, conversations? `direct` carries
 * Mastodon's `conversation` events only (the Conversation entity, its last message inside).
 */
export const carriesPosts = (c: Channel) => c.name !== "user:notification" && c.name !== "direct";
export const carriesConversations = (c: Channel) => c.name === "direct";
export const carriesNotifications = (c: Channel) => c.name === "user" || c.name === "user:notification";

export function readerOf(viewer: Viewer | null): ReadViewer {
  return viewer ? localViewer(viewer.accountId) : ANONYMOUS;
}

/** The post as `viewer` reads it when it belongs on the channel's timeline, else null. */
export async function postOnChannel(sql: Sql, channel: Channel, viewer: Viewer | null, siblings: string[], postId: string): Promise<PostView | null> {
  const reader = readerOf(viewer);
  const page = onlyPost(postId);
  let found: TimelinePage;
  switch (channel.name) {
    case "user":
      if (!viewer) return null;
      found = await homeTimeline(sql, viewer.accountId, page);
      break;
    case "public": found = await groupTimeline(sql, reader, siblings, page); break;
    case "public:local": found = await localTimeline(sql, reader, page); break;
    case "public:remote": found = await remotePublicTimeline(sql, reader, siblings, page); break;
    case "hashtag": case "hashtag:local":
      found = await hashtagTimeline(sql, reader, channel.tag!, { ...page, localOnly: channel.name === "hashtag:local" });
      break;
    case "list": {
      if (!viewer) return null;
      const list = await listTimeline(sql, viewer.accountId, channel.list!, page);
      if (!list) return null;
      found = list;
      break;
    }
    default: return null;
  }
  const post = found.items.find((p) => p.id === postId) ?? null;
  if (post && channel.onlyMedia && post.media.length === 0) return null;
  return post;
}

/**
 * Every `user` stream of the process at once: which of `viewerIds` have the post on their home timeline (one query,
 * homeReaders — the home timeline's rule), and the post as one of them reads it. Its viewer relation is left
 * blank: one payload goes to every stream, as Mastodon renders a streamed status without a current user.
 */
export async function postOnHomes(sql: Sql, postId: string, viewerIds: string[]): Promise<{ readers: Set<string>; post: PostView | null }> {
  const readers = await homeReaders(sql, postId, viewerIds);
  if (readers.length === 0) return { readers: new Set(), post: null };
  const [post] = await loadPosts(sql, [postId], localViewer(readers[0]));
  if (!post) return { readers: new Set(), post: null };
  const blank = { liked: false, boosted: false, bookmarked: false, pinned: false };
  return { readers: new Set(readers), post: { ...post, viewer: blank, ...(post.reblog ? { reblog: { ...post.reblog, viewer: blank } } : {}) } };
}
