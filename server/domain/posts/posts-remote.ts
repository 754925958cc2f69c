// Posts from other servers, as the federation mappers hand them over: already validated, HTML already sanitised
// (sanitizeRemoteHtml, corpus case 24), origins already checked. This module makes storage idempotent and
// order-proof:
//   - a replayed Create hits the unique IRI and changes nothing (returns created: false);
//   - a Delete that arrives before its Create leaves a tombstone, and the late Create is dropped (case 9);
//   - Update and Delete act only on the author's own posts (case 8, Mastodon's non_matching_uri_hosts?).
//
//   storeRemotePost(db, input) → { id, created } | null (tombstoned)
//   updateRemotePost(db, input) → boolean
//   deleteRemotePost(db, iri, authorId) → void
import { getLogger } from "@logtape/logtape";
import { atomically, type Db } from "../../db/pool.ts";
import { recordUrgent, siblingReason } from "../quiet/urgent.ts";
import { notify } from "../notifications/notifications.ts";
import type { Visibility } from "../audience/visibility.ts";
import { publish } from "../../events/bus.ts";
import { type RemotePollInput, storeRemotePoll, updateRemoteTallies } from "../polls/polls-remote.ts";
import { enqueueOutbox } from "../outbox.ts";
import { recordDirectPost } from "../conversations/conversations.ts";
import { type RemoteEventInput, storeRemoteEvent } from "../events/events-remote.ts";

const logger = getLogger(["ruche", "posts"]);

export interface RemoteAttachment { url: string; contentType: string; description: string; width: number | null; height: number | null }

export interface RemotePostInput {
  iri: string;
  url: string | null;
  authorId: string;
  origin: string;
  visibility: Exclude<Visibility, "local">;
  inReplyToIri: string | null;
  contentHtml: string;
  contentText: string;
  summary: string;
  sensitive: boolean;
  language: string | null;
  createdAt: Date;
  editedAt: Date | null;
  /** Account ids of mentioned (tagged) accounts we know. */
  mentionIds: string[];
  tags: string[];
  media: RemoteAttachment[];
  /** A Question's poll (federation/mappers/question.ts). */
  poll?: RemotePollInput | null;
  /** An Event's event (federation/mappers/event.ts). */
  event?: RemoteEventInput | null;
  /** The group the post was made in (its account id here), and whether this instance relays it (its own group). */
  groupId?: string | null;
  relayToGroup?: boolean;
  /** Its (sibling) instance marked it urgent: recorded before anyone is notified, so quiet time lets it through. */
  urgent?: boolean;
}

export async function storeRemotePost(db: Db, input: RemotePostInput): Promise<{ id: string; created: boolean } | null> {
  return await atomically(db, (tx) => storeRemotePostIn(tx, input));
}

async function storeRemotePostIn(db: Db, input: RemotePostInput): Promise<{ id: string; created: boolean } | null> {
  // One round trip before the insert (tombstone and parent), one for the post with its tags, mentions and the
  // replies that arrived before it (out of order) — the inbox stores hundreds of these a second.
  const [before] = await db`SELECT EXISTS (SELECT 1 FROM tombstones WHERE iri = ${input.iri}) AS tombstoned,
      parent.id::text AS parent_id, parent.account_id::text AS parent_account_id
    FROM (SELECT 1) AS one
    LEFT JOIN posts AS parent ON parent.iri = ${input.inReplyToIri} AND parent.reblog_of_id IS NULL`;
  if (before.tombstoned) return null;
  const parent = before.parent_id ? { id: before.parent_id as string, account_id: before.parent_account_id as string } : undefined;
  const { mentionIds, tags } = details(input);
  const [row] = await db`WITH post AS (
      INSERT INTO posts (iri, url, account_id, local, origin, visibility, in_reply_to_id, in_reply_to_iri,
        in_reply_to_account_id, content_html, content_text, summary, sensitive, language, created_at, edited_at, group_id)
      VALUES (${input.iri}, ${input.url}, ${input.authorId}, false, ${input.origin}, ${input.visibility}, ${parent?.id ?? null},
        ${input.inReplyToIri}, ${parent?.account_id ?? null}, ${input.contentHtml}, ${input.contentText}, ${input.summary},
        ${input.sensitive}, ${input.language}, ${input.createdAt}, ${input.editedAt}, ${input.groupId ?? null})
      ON CONFLICT (iri) DO NOTHING RETURNING id
    ), tagged AS (
      INSERT INTO post_tags (post_id, tag) SELECT post.id, t FROM post, unnest(${tags}::text[]) AS t ON CONFLICT DO NOTHING
    ), mentioned AS (
      INSERT INTO mentions (post_id, account_id) SELECT post.id, m FROM post, unnest(${mentionIds}::bigint[]) AS m ON CONFLICT DO NOTHING
    ), early_replies AS (
      UPDATE posts SET in_reply_to_id = post.id, in_reply_to_account_id = ${input.authorId} FROM post
      WHERE posts.in_reply_to_iri = ${input.iri} AND posts.in_reply_to_id IS NULL
    )
    SELECT id::text FROM post`;
  if (!row) {
    const [existing] = await db`SELECT id::text FROM posts WHERE iri = ${input.iri}`;
    return existing ? { id: existing.id, created: false } : null;
  }
  const id = row.id as string;
  await writeAttachments(db, id, input);
  if (input.poll) await storeRemotePoll(db, id, input.poll);
  if (input.event) await storeRemoteEvent(db, id, input.event);
  // A direct message joins its conversation in the transaction that stores it, before anyone is notified.
  await recordDirectPost(db, id);
  if (input.urgent) await recordUrgent(db, { postId: id, senderId: input.authorId, reason: siblingReason(input.origin), recipients: input.mentionIds });
  // The answered post's author gets 'reply' (servers tag them as a Mention too); everyone else named, 'mention'.
  for (const m of new Set(input.mentionIds)) {
    if (m !== parent?.account_id) await notify(db, { accountId: m, type: "mention", fromAccountId: input.authorId, postId: id });
  }
  if (parent) await notify(db, { accountId: parent.account_id, type: "reply", fromAccountId: input.authorId, postId: id });
  // A member's post to one of our groups: the group relays it to the other members' servers (FEP-1b12).
  if (input.groupId && input.relayToGroup) await enqueueOutbox(db, { kind: "group-announce", postId: id });
  await publish(db, { type: "post.created", postId: id, accountId: input.authorId });
  return { id, created: true };
}

/** The mentions and tags stored for a post: distinct, tags lower-cased and bounded (30 tags of ≤ 100 characters). */
function details(input: RemotePostInput): { mentionIds: string[]; tags: string[] } {
  const tags = [...new Set(input.tags.map((t) => t.toLowerCase()))].filter((t) => t.length > 0 && t.length <= 100).slice(0, 30);
  return { mentionIds: [...new Set(input.mentionIds)], tags };
}

async function writeAttachments(db: Db, id: string, input: RemotePostInput): Promise<void> {
  let position = 0;
  for (const m of input.media.slice(0, 8)) {
    await db`INSERT INTO attachments (account_id, post_id, position, url, remote, content_type, description, width, height)
      VALUES (${input.authorId}, ${id}, ${position++}, ${m.url}, true, ${m.contentType}, ${m.description}, ${m.width}, ${m.height})`;
  }
}

/** An edit replaces the post's mentions, tags and attachments. */
async function replaceDetails(db: Db, id: string, input: RemotePostInput): Promise<void> {
  const { mentionIds, tags } = details(input);
  await db`DELETE FROM mentions WHERE post_id = ${id}`;
  await db`DELETE FROM post_tags WHERE post_id = ${id}`;
  await db`DELETE FROM attachments WHERE post_id = ${id}`;
  if (mentionIds.length > 0) {
    await db`INSERT INTO mentions (post_id, account_id) SELECT ${id}, unnest(${mentionIds}::bigint[]) ON CONFLICT DO NOTHING`;
  }
  if (tags.length > 0) await db`INSERT INTO post_tags (post_id, tag) SELECT ${id}, unnest(${tags}::text[]) ON CONFLICT DO NOTHING`;
  await writeAttachments(db, id, input);
}

/** Update(Note) by its author: the previous version goes to the history. Visibility never changes on edit. */
export async function updateRemotePost(db: Db, input: RemotePostInput): Promise<boolean> {
  return await atomically(db, (tx) => updateRemotePostIn(tx, input));
}

async function updateRemotePostIn(db: Db, input: RemotePostInput): Promise<boolean> {
  // The row lock serialises Updates of one post that the inbox queue runs side by side (a backlog flushed at once):
  // each sees the version the previous one left, so none is lost from the history.
  const [current] = await db`SELECT id::text, content_html, summary, sensitive, created_at, edited_at FROM posts
    WHERE iri = ${input.iri} AND account_id = ${input.authorId} AND NOT local FOR UPDATE`;
  if (!current) return false;
  // Mastodon pushes a poll's new tallies as Update(Question) with the text unchanged: that is no edit.
  if (input.poll && current.content_html === input.contentHtml && current.summary === input.summary && current.sensitive === input.sensitive) {
    await updateRemoteTallies(db, current.id, input.authorId, input.poll);
    return true;
  }
  // An event's Update often changes only its counts or status: no edit of the post's text.
  if (input.event && current.content_html === input.contentHtml && current.summary === input.summary) {
    await storeRemoteEvent(db, current.id, input.event);
    await publish(db, { type: "post.updated", postId: current.id, accountId: input.authorId });
    return true;
  }
  // An Update that is not newer than what we hold: a replay (same time) changes nothing; an older version that
  // arrived late goes into the history at its own time, and the current text stays.
  const held = current.edited_at as Date | null;
  if (input.editedAt && held && input.editedAt.getTime() <= held.getTime()) {
    if (input.editedAt.getTime() < held.getTime()) {
      await db`INSERT INTO post_edits (post_id, content_html, summary, sensitive, created_at)
        SELECT ${current.id}, ${input.contentHtml}, ${input.summary}, ${input.sensitive}, ${input.editedAt}
        WHERE NOT EXISTS (SELECT 1 FROM post_edits WHERE post_id = ${current.id} AND created_at = ${input.editedAt})`;
      logger.info("An older version of {iri} arrived after a newer one: kept in its history", { iri: input.iri });
    }
    return true;
  }
  await db`INSERT INTO post_edits (post_id, content_html, summary, sensitive, created_at)
    VALUES (${current.id}, ${current.content_html}, ${current.summary}, ${current.sensitive}, ${current.edited_at ?? current.created_at})`;
  await db`UPDATE posts SET content_html = ${input.contentHtml}, content_text = ${input.contentText}, summary = ${input.summary},
    sensitive = ${input.sensitive}, language = ${input.language}, edited_at = ${input.editedAt ?? new Date()} WHERE id = ${current.id}`;
  await replaceDetails(db, current.id, input);
  if (input.poll) await updateRemoteTallies(db, current.id, input.authorId, input.poll);
  if (input.event) await storeRemoteEvent(db, current.id, input.event);
  await recordDirectPost(db, current.id);
  await publish(db, { type: "post.updated", postId: current.id, accountId: input.authorId });
  return true;
}

/**
 * Delete by the author. Unknown IRIs are tombstoned too (Delete before Create); someone else's post is left alone
 * (case 9) — its tombstone is not written either, so a forged Delete cannot pre-empt a genuine Create.
 */
export async function deleteRemotePost(db: Db, iri: string, authorId: string, authorOrigin: string): Promise<void> {
  const [post] = await db`SELECT id, account_id::text FROM posts WHERE iri = ${iri}`;
  if (post && post.account_id !== authorId) return;
  let sameOrigin = false;
  try {
    sameOrigin = new URL(iri).origin === authorOrigin;
  } catch {
    return;
  }
  if (!sameOrigin) return;
  await atomically(db, async (tx) => {
    if (post) {
      await tx`DELETE FROM posts WHERE id = ${post.id}`;
      await publish(tx, { type: "post.deleted", postId: String(post.id), accountId: authorId });
    }
    await tx`INSERT INTO tombstones (iri, account_id) VALUES (${iri}, ${authorId}) ON CONFLICT DO NOTHING`;
  });
}

/**
 * Does anyone here want this post from outside the group (open mode)? A local follower of its author, a local
 * account it mentions, or a local post it answers. Otherwise an outsider could fill our database unasked.
 */
export async function hasLocalAudience(db: Db, authorId: string, mentionIds: string[], inReplyToIri: string | null): Promise<boolean> {
  const [r] = await db`SELECT
      EXISTS (SELECT 1 FROM follows f JOIN accounts a ON a.id = f.follower_id
        WHERE f.following_id = ${authorId} AND f.state = 'accepted' AND a.domain IS NULL)
      OR EXISTS (SELECT 1 FROM accounts a WHERE a.id = ANY(${mentionIds}::bigint[]) AND a.domain IS NULL)
      OR EXISTS (SELECT 1 FROM posts p WHERE p.iri = ${inReplyToIri ?? ""} AND p.local) AS wanted`;
  return r.wanted as boolean;
}
