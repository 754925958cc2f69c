// Writing local posts. Each function runs in one transaction that writes the change and the delivery jobs it
// causes (ADR 0004, ADR 0006); `local` posts queue none — they do not leave the instance.
//
//   createPost(sql, origin, authorId, input, ports?) → PostView
//       input: { text, sourceType?, visibility?, summary?, sensitive?, language?, inReplyToId?, mediaIds?, idempotencyKey? }
//       ports.resolveMention(handle): fetch an unknown remote `user@host` (the federation layer provides it)
//   editPost(sql, origin, postId, editorId, input, ports?) → PostView       (previous version kept: postHistory)
//   deletePost(sql, postId, actorId, dataDir) → void                       (tombstone; Delete federated; files removed)
//   postHistory(db, postId, viewer) → versions oldest first
// Reading: post-views.ts (loadPost/loadPosts), timelines.ts, interactions.ts (likes, boosts, bookmarks, pins).
import { z } from "zod";
import type { Db, Sql } from "../../db/pool.ts";
import { type Account, findAccountByHandle } from "../accounts/accounts.ts";
import { recordUrgent } from "../quiet/urgent.ts";
import { DomainError } from "../errors.ts";
import { htmlToText } from "./html.ts";
import { notify } from "../notifications/notifications.ts";
import { enqueueOutbox } from "../outbox.ts";
import { extractMentionsAndTags, renderPostHtml, type SourceType } from "./post-html.ts";
import { loadPost, type PostView } from "./post-views.ts";
import { removeAttachmentFiles } from "./post-media.ts";
import { localViewer, narrowest, VISIBILITIES, type Viewer, type Visibility, visibleTo } from "../audience/visibility.ts";
import { publish } from "../../events/bus.ts";
import { createPoll, pollInputSchema } from "../polls/polls.ts";
import { recordDirectPost } from "../conversations/conversations.ts";

export const POST_LIMITS = { text: 5000, summary: 500, media: 4, urlLength: 23 } as const;

const graphemes = new Intl.Segmenter("und", { granularity: "grapheme" });

/**
 * A post's length as Mastodon counts it (StatusLengthValidator), so that an app's counter and ours agree on what
 * fits: each link counts as POST_LIMITS.urlLength characters (what /api/v2/instance announces as
 * characters_reserved_per_url), a remote mention `@user@host` as `@user`, and a character is what a reader sees
 * as one (an emoji with its modifiers is one, not four UTF-16 units).
 */
export function postLength(text: string): number {
  const counted = text
    .replace(/https?:\/\/[^\s<>"]+/gi, "x".repeat(POST_LIMITS.urlLength))
    .replace(/(@[\p{L}\p{N}_.-]+)@[\p{L}\p{N}.-]+(?::\d+)?/gu, "$1");
  let n = 0;
  for (const _ of graphemes.segment(counted)) n++;
  return n;
}

export const postInputSchema = z.object({
  // The stored text is capped too, however long its links: a bound on what one post may weigh.
  text: z.string().max(4 * POST_LIMITS.text, `at most ${POST_LIMITS.text} characters`)
    .refine((t) => postLength(t) <= POST_LIMITS.text, `at most ${POST_LIMITS.text} characters`).default(""),
  sourceType: z.enum(["text/plain", "text/markdown"]).default("text/plain"),
  visibility: z.enum(VISIBILITIES).default("internal"),
  summary: z.string().max(POST_LIMITS.summary, `at most ${POST_LIMITS.summary} characters`).default(""),
  sensitive: z.boolean().default(false),
  language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, "must be a language code such as fr or en").nullable().optional(),
  inReplyToId: z.string().regex(/^\d{1,18}$/, "must be an id").nullable().optional(),
  mediaIds: z.array(z.string().regex(/^\d{1,18}$/)).max(POST_LIMITS.media, `at most ${POST_LIMITS.media} images`).default([]),
  idempotencyKey: z.string().min(1).max(200).optional(),
  /** A poll in the post (polls/polls.ts checks it: options, duration). */
  poll: pollInputSchema.nullable().optional(),
  /** The group (its account id) the post is made in: a project's post takes the group scope, a community's stays internal or public. */
  groupId: z.string().regex(/^\d{1,18}$/, "must be an id").nullable().optional(),
  /** Urgent (issue #15): bypasses the recipients' quiet time; the caller checked the role and the reason (quiet/urgent.ts). */
  urgentReason: z.string().min(1).max(500).nullable().optional(),
});
export type PostInput = z.input<typeof postInputSchema>;

export interface PostPorts {
  /** Resolves an unknown remote `user@host` (WebFinger + actor fetch). Without it, only known accounts are mentioned. */
  resolveMention?(handle: string): Promise<Account | null>;
  /**
   * What a post carries besides itself (a WebTV video: videos/videos.ts; an event, issue #12), written in the
   * post's transaction after the post and before its delivery jobs, so the Create is built from the whole thing.
   */
  attach?(tx: Db, postId: string): Promise<void>;
}

function parseInput(input: PostInput) {
  const parsed = postInputSchema.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new DomainError("validation_failed", 422, `${String(i.path[0])}: ${i.message}`, String(i.path[0]));
  }
  const p = parsed.data;
  if (p.poll) {
    // Mastodon: a poll needs its question, and takes no images.
    if (p.text.trim() === "") throw new DomainError("validation_failed", 422, "text: a poll needs a question", "text");
    if (p.mediaIds.length > 0) throw new DomainError("validation_failed", 422, "a post cannot have both a poll and images", "mediaIds");
  }
  if (p.text.trim() === "" && p.mediaIds.length === 0) throw new DomainError("validation_failed", 422, "text: a post needs text or an image", "text");
  return p;
}

/** Accounts named by the handles (local `user`, or `user@host`); unknown ones are resolved through the port. */
async function resolveHandles(db: Db, origin: string, handles: string[], ports: PostPorts): Promise<Map<string, Account>> {
  const localHost = new URL(origin).host.toLowerCase();
  const out = new Map<string, Account>();
  for (const handle of handles.slice(0, 20)) {
    const [user, host] = handle.split("@");
    const local = !host || host === localHost;
    let account = await findAccountByHandle(db, user, local ? null : host);
    if (!account && !local && ports.resolveMention) account = await ports.resolveMention(handle).catch(() => null);
    if (account) out.set(handle, account);
  }
  return out;
}

function render(origin: string, text: string, type: SourceType, accounts: Map<string, Account>) {
  const html = renderPostHtml(text, type, {
    mention: (handle) => {
      const a = accounts.get(handle);
      return a ? { url: a.url ?? a.iri, username: a.username } : null;
    },
    tagUrl: (tag) => `${origin}/tags/${encodeURIComponent(tag)}`,
  });
  return { html, text: htmlToText(html.replace(/<br>|<\/p><p>/g, "\n")) };
}

export async function createPost(sql: Sql, origin: string, authorId: string, input: PostInput, ports: PostPorts = {}): Promise<PostView> {
  const p = parseInput(input);
  if (p.idempotencyKey) {
    const [seen] = await sql`SELECT post_id::text AS id FROM post_idempotency
      WHERE account_id = ${authorId} AND key = ${p.idempotencyKey} AND created_at > now() - interval '1 hour'`;
    if (seen) {
      const post = await loadPost(sql, seen.id, localViewer(authorId));
      if (post) return post;
    }
  }
  const { handles, tags } = extractMentionsAndTags(p.text, p.sourceType);
  const mentioned = await resolveHandles(sql, origin, handles, ports);
  const id = await sql.begin(async (tx) => {
    const [author] = await tx`SELECT username FROM accounts WHERE id = ${authorId} AND domain IS NULL`;
    if (!author) throw new DomainError("not_found", 404, "no such local account");
    let visibility: Visibility = p.visibility;
    let parent: { id: string; iri: string; account_id: string; visibility: Visibility; group_id: string | null } | undefined;
    let groupId = p.groupId ?? null;
    if (p.inReplyToId) {
      // Only a post the author can read may be answered (no probing of hidden posts by reply).
      const rows = await tx`SELECT p.id::text, p.iri, p.account_id::text, p.visibility, p.group_id::text FROM posts p
        WHERE p.id = ${p.inReplyToId} AND p.reblog_of_id IS NULL AND ${visibleTo(tx, localViewer(authorId))}`;
      parent = rows[0] as typeof parent;
      if (!parent) throw new DomainError("not_found", 404, "the post you reply to does not exist or is not visible to you", "inReplyToId");
      visibility = parent.visibility === "local" ? "local" : narrowest(visibility, parent.visibility);
      // An answer in a group stays in it (a direct answer leaves it: narrower still).
      if (parent.group_id && visibility !== "direct") groupId = parent.group_id;
    }
    if (groupId) visibility = await groupScope(tx, groupId, authorId, visibility);
    else if (visibility === "group") throw new DomainError("validation_failed", 422, "visibility: a group post needs the group (ruche_group_id)", "visibility");
    const [{ id }] = await tx`SELECT nextval('posts_id_seq')::text AS id`;
    const iri = `${origin}/ap/note/${id}`;
    const { html, text } = render(origin, p.text, p.sourceType, mentioned);
    await tx`INSERT INTO posts (id, iri, url, account_id, local, origin, visibility, in_reply_to_id, in_reply_to_iri,
        in_reply_to_account_id, source, source_type, content_html, content_text, summary, sensitive, language, group_id)
      VALUES (${id}, ${iri}, ${`${origin}/@${author.username}/${id}`}, ${authorId}, true, ${origin}, ${visibility},
        ${parent?.id ?? null}, ${parent?.iri ?? null}, ${parent?.account_id ?? null}, ${p.text}, ${p.sourceType}, ${html}, ${text}, ${p.summary.trim()},
        ${p.sensitive || p.summary.trim() !== ""}, ${p.language ?? null}, ${visibility === "direct" ? null : groupId})`;
    const mentionIds = new Set([...mentioned.values()].map((a) => a.id));
    // The author of the answered post is addressed even when not named, so a followers-only or direct answer reaches them.
    if (parent) mentionIds.add(parent.account_id);
    mentionIds.delete(authorId);
    await writeMentionsAndTags(tx, id, [...mentionIds], tags);
    // Before anyone is notified: the audit record is what makes notify() deliver it at once.
    if (p.urgentReason) await recordUrgent(tx, { postId: id, senderId: authorId, reason: p.urgentReason, recipients: [...mentionIds] });
    await attachMedia(tx, id, authorId, p.mediaIds);
    if (p.poll) await createPoll(tx, id, p.poll);
    await ports.attach?.(tx, id);
    if (p.idempotencyKey) {
      await tx`INSERT INTO post_idempotency (account_id, key, post_id) VALUES (${authorId}, ${p.idempotencyKey}, ${id})
        ON CONFLICT (account_id, key) DO UPDATE SET post_id = excluded.post_id, created_at = now()`;
    }
    // A direct post joins its conversation before anyone is notified (a muted conversation notifies nothing).
    await recordDirectPost(tx, id);
    for (const m of mentionIds) {
      const type = parent && m === parent.account_id && ![...mentioned.values()].some((a) => a.id === m) ? "reply" : "mention";
      await notify(tx, { accountId: m, type, fromAccountId: authorId, postId: id });
    }
    if (visibility !== "local") await enqueueOutbox(tx, { kind: "create-note", postId: id });
    // A post in one of our groups is relayed by the group to its members' servers (FEP-1b12); in a remote group,
    // the Create goes to that group, which relays it.
    if (groupId && visibility !== "direct" && visibility !== "local" && (await isLocalAccount(tx, groupId))) {
      await enqueueOutbox(tx, { kind: "group-announce", postId: id });
    }
    await publish(tx, { type: "post.created", postId: id, accountId: authorId });
    return id as string;
  });
  return (await loadPost(sql, id, localViewer(authorId)))!;
}

/**
 * The scope of a post made in group `groupId`: only a member may post there; a project's (and a department's)
 * posts take the group scope, a community's stay internal (or public, or narrower, as chosen).
 */
async function groupScope(db: Db, groupId: string, authorId: string, chosen: Visibility): Promise<Visibility> {
  const [g] = await db`SELECT a.locked, a.domain, f.state FROM accounts a
    LEFT JOIN follows f ON f.following_id = a.id AND f.follower_id = ${authorId}
    WHERE a.id = ${groupId} AND a.actor_type = 'Group'`;
  if (!g) throw new DomainError("not_found", 404, "ruche_group_id: no such group", "groupId");
  if (g.state !== "accepted") throw new DomainError("not_member", 403, "only the group's members may post in it", "groupId");
  if (chosen === "direct") return "direct";
  if (g.locked) return "group";
  return chosen === "public" || chosen === "unlisted" ? chosen : "internal";
}

async function isLocalAccount(db: Db, id: string): Promise<boolean> {
  const [r] = await db`SELECT domain IS NULL AS local FROM accounts WHERE id = ${id}`;
  return r?.local === true;
}

async function writeMentionsAndTags(db: Db, postId: string, accountIds: string[], tags: string[]): Promise<void> {
  await db`DELETE FROM mentions WHERE post_id = ${postId}`;
  await db`DELETE FROM post_tags WHERE post_id = ${postId}`;
  if (accountIds.length > 0) {
    await db`INSERT INTO mentions (post_id, account_id) SELECT ${postId}, unnest(${accountIds}::bigint[]) ON CONFLICT DO NOTHING`;
  }
  if (tags.length > 0) {
    await db`INSERT INTO post_tags (post_id, tag) SELECT ${postId}, unnest(${tags}::text[]) ON CONFLICT DO NOTHING`;
  }
}

/** Attaches the author's own, not yet used uploads (someone else's media id is refused: no hijacking). */
async function attachMedia(db: Db, postId: string, authorId: string, mediaIds: string[]): Promise<void> {
  if (mediaIds.length === 0) return;
  const rows = await db`UPDATE attachments AS t SET post_id = ${postId}, position = x.pos
    FROM unnest(${mediaIds}::bigint[]) WITH ORDINALITY AS x(id, pos)
    WHERE t.id = x.id AND t.account_id = ${authorId} AND (t.post_id IS NULL OR t.post_id = ${postId}) RETURNING t.id`;
  if (rows.length !== new Set(mediaIds).size) throw new DomainError("validation_failed", 422, "mediaIds: unknown or already used media", "mediaIds");
}

/** Before a local post changes (an edit, an event's new details): its version until now goes to its history. */
export async function keepPreviousVersion(tx: Db, postId: string): Promise<void> {
  await tx`INSERT INTO post_edits (post_id, content_html, summary, sensitive, media, created_at)
    SELECT p.id, p.content_html, p.summary, p.sensitive,
      coalesce((SELECT jsonb_agg(jsonb_build_object('url', a.url, 'description', a.description, 'content_type', a.content_type)
        ORDER BY a.position, a.id) FROM attachments a WHERE a.post_id = p.id), '[]'::jsonb),
      coalesce(p.edited_at, p.created_at)
    FROM posts p WHERE p.id = ${postId}`;
}

export async function editPost(sql: Sql, origin: string, postId: string, editorId: string,
  input: { text?: string; summary?: string; sensitive?: boolean; language?: string | null; mediaIds?: string[]; sourceType?: SourceType },
  ports: PostPorts = {}): Promise<PostView> {
  const [current] = await sql`SELECT id::text, account_id::text, visibility, source, source_type, summary, sensitive, language,
      content_html, reblog_of_id, local, created_at, edited_at FROM posts WHERE id = ${postId}`;
  if (!current || current.account_id !== editorId || !current.local || current.reblog_of_id != null) {
    throw new DomainError("not_found", 404, "no such post of yours");
  }
  const currentMedia = await sql`SELECT id::text FROM attachments WHERE post_id = ${postId} ORDER BY position, id`;
  const p = parseInput({
    text: input.text ?? current.source, sourceType: input.sourceType ?? current.source_type, visibility: current.visibility,
    summary: input.summary ?? current.summary, sensitive: input.sensitive ?? current.sensitive,
    language: input.language === undefined ? current.language : input.language,
    mediaIds: input.mediaIds ?? currentMedia.map((m) => m.id as string),
  });
  const { handles, tags } = extractMentionsAndTags(p.text, p.sourceType);
  const mentioned = await resolveHandles(sql, origin, handles, ports);
  await sql.begin(async (tx) => {
    await keepPreviousVersion(tx, postId);
    const { html, text } = render(origin, p.text, p.sourceType, mentioned);
    await tx`UPDATE posts SET source = ${p.text}, source_type = ${p.sourceType}, content_html = ${html}, content_text = ${text},
      summary = ${p.summary.trim()}, sensitive = ${p.sensitive || p.summary.trim() !== ""}, language = ${p.language ?? null},
      edited_at = now() WHERE id = ${postId}`;
    const [{ parent }] = await tx`SELECT in_reply_to_account_id::text AS parent FROM posts WHERE id = ${postId}`;
    const before = new Set((await tx`SELECT account_id::text FROM mentions WHERE post_id = ${postId}`).map((r) => r.account_id as string));
    const ids = new Set([...mentioned.values()].map((a) => a.id));
    if (parent) ids.add(parent);
    ids.delete(editorId);
    await writeMentionsAndTags(tx, postId, [...ids], tags);
    // Removed images leave the post; the kept and new ones are (re)attached in order.
    await tx`UPDATE attachments SET post_id = NULL WHERE post_id = ${postId} AND NOT (id = ANY(${p.mediaIds}::bigint[]))`;
    await attachMedia(tx, postId, editorId, p.mediaIds);
    await recordDirectPost(tx, postId);
    for (const m of ids) if (!before.has(m)) await notify(tx, { accountId: m, type: "mention", fromAccountId: editorId, postId });
    if (current.visibility !== "local") await enqueueOutbox(tx, { kind: "update-note", postId });
    await publish(tx, { type: "post.updated", postId, accountId: editorId });
  });
  return (await loadPost(sql, postId, localViewer(editorId)))!;
}

/**
 * Deletes one of the author's posts (a boost is undone instead: interactions.unboost), and after the commit its
 * image files — also those of earlier versions that no other post uses — so that nothing of it stays readable.
 */
export async function deletePost(sql: Sql, postId: string, actorId: string, dataDir: string): Promise<void> {
  const files = await sql.begin(async (tx) => {
    const [row] = await tx`SELECT id::text, iri, account_id::text, visibility, local, reblog_of_id, group_id::text FROM posts WHERE id = ${postId} FOR UPDATE`;
    // A moderator's deletion (moderation/decisions.ts) passes the author as `actorId`: the Delete goes in their
    // name, as Mastodon's does, and every server that has the post removes it.
    // A boost is withdrawn with unboost (it federates as Undo(Announce), not as Delete).
    if (!row || row.account_id !== actorId || !row.local || row.reblog_of_id != null) throw new DomainError("not_found", 404, "no such post of yours");
    const mentionIds = (await tx`SELECT account_id::text FROM mentions WHERE post_id = ${postId}`).map((r) => r.account_id as string);
    const media = await tx`DELETE FROM attachments WHERE NOT remote AND (post_id = ${postId} OR (post_id IS NULL
        AND account_id = ${actorId} AND url IN (SELECT m->>'url' FROM post_edits e, jsonb_array_elements(e.media) m WHERE e.post_id = ${postId})))
      RETURNING url`;
    await tx`DELETE FROM posts WHERE id = ${postId}`;
    // Fetches of the IRI now answer 410 Gone, and a replayed Create of it (from a sibling's cache) is dropped.
    await tx`INSERT INTO tombstones (iri, account_id) VALUES (${row.iri}, ${actorId}) ON CONFLICT DO NOTHING`;
    if (row.visibility !== "local") {
      await enqueueOutbox(tx, { kind: "delete-note", postId: row.id, iri: row.iri, accountId: actorId, visibility: row.visibility, mentionIds, groupId: row.group_id ?? undefined });
    }
    await publish(tx, { type: "post.deleted", postId: row.id, accountId: actorId });
    return media.map((m) => m.url as string);
  });
  await removeAttachmentFiles(dataDir, files);
}

export interface PostVersion { contentHtml: string; summary: string; sensitive: boolean; createdAt: Date; media: { url: string; description: string; content_type: string }[] }

/** Every version of a post, oldest first, the current one last (Mastodon's status history). */
export async function postHistory(db: Db, postId: string, viewer: Viewer): Promise<PostVersion[] | null> {
  const current = await loadPost(db, postId, viewer);
  if (!current || current.reblog) return null;
  const rows = await db`SELECT content_html, summary, sensitive, media, created_at FROM post_edits WHERE post_id = ${postId} ORDER BY created_at, id`;
  return [
    ...rows.map((r) => ({ contentHtml: r.content_html, summary: r.summary, sensitive: r.sensitive, createdAt: r.created_at, media: r.media })),
    {
      contentHtml: current.contentHtml, summary: current.summary, sensitive: current.sensitive, createdAt: current.editedAt ?? current.createdAt,
      media: current.media.map((m) => ({ url: m.url, description: m.description, content_type: m.contentType })),
    },
  ];
}
