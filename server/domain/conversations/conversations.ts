// Conversations (issue #9 point 2): direct posts grouped the way Mastodon groups them (its AccountConversation).
// A conversation is a thread of direct posts — a reply joins the thread of the post it answers — and each local
// participant holds one row per participant set in it, with a read marker, a mute and a "left" mark. Who reads a
// message is never decided here: a direct post is read by its author and the people it mentions (the audience
// rule, audience/visibility.ts), and every read below goes through `visibleTo`, so these tables only group what the
// rule already lets through (a blocked sender's messages leave the list as they leave every timeline).
//
//   recordDirectPost(db, postId)                 — in the transaction that stores the post (local or received)
//   listConversations(db, accountId, page)       → { items, nextMaxId, prevMinId } newest message first
//   getConversation(db, accountId, id)           → ConversationRow | null
//   conversationMessages(db, accountId, id, {limit, maxId}) → post ids, oldest first (the chat view)
//   markConversationRead / removeConversation / setConversationMuted / leaveConversation
//   conversationSilenced(db, recipient, postId)  — SQL: notify() writes nothing for a muted or left conversation
//   activeParticipants, conversationOfPost, addressBook — for the web's messages pages
import type { Db } from "../../db/pool.ts";
import { atomically } from "../../db/pool.ts";
import { type Account, accountColumns, toAccount } from "../accounts/accounts.ts";
import { localViewer, visibleTo } from "../audience/visibility.ts";
import { keysetCursors } from "../keyset.ts";
import { blocksBetween } from "../blocks/blocks.ts";
import { publish } from "../../events/bus.ts";

export interface ConversationRow {
  id: string;
  /** The other participants (Mastodon's `accounts`), by handle order. */
  accounts: Account[];
  /** The newest message the account may read. */
  lastPostId: string;
  lastPostAuthorId: string;
  lastReadPostId: string | null;
  unread: boolean;
  muted: boolean;
}

export interface ConversationPage { items: ConversationRow[]; nextMaxId: string | null; prevMinId: string | null }

const ID = /^\d{1,18}$/;

/**
 * Files a stored post into its conversation when it is direct: its thread (the parent's, else a new one) and its
 * participant set (author and mentioned), then one row per local participant. The author's own message is read
 * for them; a participant who left keeps the mark (the message is still theirs to read by the audience rule, it
 * just does not bring the conversation back). Idempotent by post (an edit re-files it with its new mentions).
 */
export async function recordDirectPost(db: Db, postId: string): Promise<void> {
  await atomically(db, async (tx) => {
    const [post] = await tx`SELECT p.id::text, p.account_id::text AS author_id, p.visibility, p.in_reply_to_id::text AS parent_id,
        ARRAY(SELECT DISTINCT x FROM unnest(array_append(ARRAY(SELECT m.account_id FROM mentions m WHERE m.post_id = p.id), p.account_id)) AS x ORDER BY x)::text[] AS participants,
        (SELECT cp.conversation_id::text FROM conversation_posts cp WHERE cp.post_id = p.in_reply_to_id) AS parent_conversation,
        (SELECT cp.conversation_id::text FROM conversation_posts cp WHERE cp.post_id = p.id) AS own_conversation
      FROM posts p WHERE p.id = ${postId}`;
    if (!post || post.visibility !== "direct") return;
    const participants = post.participants as string[];
    let conversationId = (post.own_conversation ?? post.parent_conversation) as string | null;
    if (!conversationId) [{ id: conversationId }] = await tx`INSERT INTO conversations DEFAULT VALUES RETURNING id::text`;
    await tx`INSERT INTO conversation_posts (post_id, conversation_id, participants)
      VALUES (${postId}, ${conversationId}, ${participants}::bigint[])
      ON CONFLICT (post_id) DO UPDATE SET participants = excluded.participants`;
    // Local participants only: a remote person's conversations are their server's.
    const rows = await tx`INSERT INTO account_conversations (account_id, conversation_id, participants, last_read_post_id, muted, left_at)
      SELECT a.id, ${conversationId}, ${participants}::bigint[],
        CASE WHEN a.id = ${post.author_id} THEN ${postId}::bigint END,
        EXISTS (SELECT 1 FROM account_conversations o WHERE o.account_id = a.id AND o.conversation_id = ${conversationId} AND o.muted),
        (SELECT max(o.left_at) FROM account_conversations o WHERE o.account_id = a.id AND o.conversation_id = ${conversationId})
      FROM accounts a WHERE a.id = ANY(${participants}::bigint[]) AND a.domain IS NULL
      ON CONFLICT (account_id, conversation_id, participants) DO UPDATE SET updated_at = now(),
        last_read_post_id = CASE WHEN excluded.account_id = ${post.author_id}
          THEN greatest(account_conversations.last_read_post_id, ${postId}::bigint) ELSE account_conversations.last_read_post_id END
      RETURNING id::text, account_id::text, left_at`;
    for (const r of rows) {
      if (r.left_at == null) await publish(tx, { type: "conversation.updated", accountId: r.account_id, conversationId: r.id });
    }
  });
}

/**
 * The newest message of each of the account's conversations that it may read, as a lateral lookup: deleting a post
 * or blocking its author changes what is last without any bookkeeping here.
 */
function conversationsOf(db: Db, accountId: string) {
  return db`SELECT ac.id::text, ac.participants::text[] AS participants, ac.last_read_post_id::text, ac.muted,
      last.id AS last_id, last.account_id::text AS last_author
    FROM account_conversations ac
    CROSS JOIN LATERAL (SELECT p.id, p.account_id FROM conversation_posts cp JOIN posts p ON p.id = cp.post_id
      WHERE cp.conversation_id = ac.conversation_id AND cp.participants = ac.participants AND ${visibleTo(db, localViewer(accountId))}
      ORDER BY cp.post_id DESC LIMIT 1) AS last
    WHERE ac.account_id = ${accountId} AND ac.left_at IS NULL`;
}

async function hydrate(db: Db, accountId: string, rows: Record<string, unknown>[]): Promise<ConversationRow[]> {
  const ids = [...new Set(rows.flatMap((r) => r.participants as string[]))].filter((id) => id !== accountId);
  const accounts = ids.length === 0 ? [] : await db`SELECT ${accountColumns(db)} FROM accounts a WHERE a.id = ANY(${ids}::bigint[])`;
  const byId = new Map(accounts.map((r) => [String(r.id), toAccount(r)]));
  return rows.map((r) => {
    const lastPostId = String(r.last_id);
    const lastRead = (r.last_read_post_id as string | null) ?? null;
    const others = (r.participants as string[]).filter((id) => id !== accountId).map((id) => byId.get(id)).filter((a): a is Account => !!a)
      .sort((a, b) => a.username.localeCompare(b.username));
    return {
      id: r.id as string, accounts: others, lastPostId, lastPostAuthorId: r.last_author as string, lastReadPostId: lastRead,
      unread: r.last_author !== accountId && (lastRead == null || BigInt(lastPostId) > BigInt(lastRead)),
      muted: r.muted as boolean,
    };
  });
}

/** Mastodon's pages: newest message first, max_id / min_id / since_id on the last message's id. */
export async function listConversations(db: Db, accountId: string, opts: { limit?: number; maxId?: string; minId?: string; sinceId?: string } = {}): Promise<ConversationPage> {
  const limit = Math.min(Math.max(opts.limit ?? 20, 1), 40);
  const lower = opts.minId ?? opts.sinceId;
  const rows = await db`SELECT * FROM (${conversationsOf(db, accountId)}) c
    WHERE true ${opts.maxId ? db`AND c.last_id < ${opts.maxId}` : db``} ${lower ? db`AND c.last_id > ${lower}` : db``}
    ORDER BY c.last_id ${opts.minId ? db`ASC` : db`DESC`} LIMIT ${limit}`;
  if (opts.minId) rows.reverse();
  const items = await hydrate(db, accountId, rows);
  return { items, ...keysetCursors(items, limit, (i) => i.lastPostId) };
}

export async function getConversation(db: Db, accountId: string, id: string): Promise<ConversationRow | null> {
  if (!ID.test(id)) return null;
  const rows = await db`SELECT * FROM (${conversationsOf(db, accountId)}) c WHERE c.id = ${id}`;
  return (await hydrate(db, accountId, rows))[0] ?? null;
}

/** How many conversations have a message the account has not read (the navigation's badge). */
export async function unreadConversations(db: Db, accountId: string): Promise<number> {
  const [r] = await db`SELECT count(*)::int AS n FROM (${conversationsOf(db, accountId)}) c
    WHERE c.last_author <> ${accountId} AND c.last_id > coalesce(c.last_read_post_id::bigint, 0)`;
  return r.n as number;
}

/** The conversation's messages the account may read, oldest first, `limit` before `maxId` (the chat view). */
export async function conversationMessages(db: Db, accountId: string, id: string, opts: { limit?: number; maxId?: string } = {}): Promise<string[]> {
  if (!ID.test(id)) return [];
  const limit = Math.min(Math.max(opts.limit ?? 40, 1), 80);
  const rows = await db`SELECT p.id::text FROM account_conversations ac
    JOIN conversation_posts cp ON cp.conversation_id = ac.conversation_id AND cp.participants = ac.participants
    JOIN posts p ON p.id = cp.post_id
    WHERE ac.id = ${id} AND ac.account_id = ${accountId} AND ac.left_at IS NULL AND ${visibleTo(db, localViewer(accountId))}
      ${opts.maxId && ID.test(opts.maxId) ? db`AND p.id < ${opts.maxId}` : db``}
    ORDER BY p.id DESC LIMIT ${limit}`;
  return rows.map((r) => r.id as string).reverse();
}

/** Moves the read marker to the newest message; null when there is no such conversation of the account's. */
export async function markConversationRead(db: Db, accountId: string, id: string): Promise<ConversationRow | null> {
  const row = await getConversation(db, accountId, id);
  if (!row) return null;
  await atomically(db, async (tx) => {
    await tx`UPDATE account_conversations SET last_read_post_id = greatest(last_read_post_id, ${row.lastPostId}::bigint), updated_at = now()
      WHERE id = ${id} AND account_id = ${accountId}`;
    await publish(tx, { type: "conversation.updated", accountId, conversationId: id });
  });
  return { ...row, unread: false, lastReadPostId: row.lastPostId };
}

/** Hides the conversation for the account (Mastodon's DELETE): a new message in it brings it back, unread. */
export async function removeConversation(db: Db, accountId: string, id: string): Promise<boolean> {
  if (!ID.test(id)) return false;
  const rows = await db`DELETE FROM account_conversations WHERE id = ${id} AND account_id = ${accountId} AND left_at IS NULL RETURNING id`;
  return rows.length > 0;
}

/** A muted conversation stays listed but notifies nothing (conversationSilenced). */
export async function setConversationMuted(db: Db, accountId: string, id: string, muted: boolean): Promise<boolean> {
  if (!ID.test(id)) return false;
  const rows = await db`UPDATE account_conversations SET muted = ${muted}, updated_at = now()
    WHERE account_id = ${accountId} AND left_at IS NULL
      AND conversation_id = (SELECT conversation_id FROM account_conversations WHERE id = ${id} AND account_id = ${accountId})
    RETURNING id`;
  return rows.length > 0;
}

/**
 * Leaves the conversation: hidden for good, no notifications, and its new messages do not bring it back. The
 * people still in it no longer address the one who left when they answer from the web (`activeParticipants`);
 * what another server keeps sending is still readable by the audience rule, only not shown here.
 */
export async function leaveConversation(db: Db, accountId: string, id: string): Promise<boolean> {
  if (!ID.test(id)) return false;
  const rows = await db`UPDATE account_conversations SET left_at = now(), updated_at = now()
    WHERE account_id = ${accountId} AND left_at IS NULL
      AND conversation_id = (SELECT conversation_id FROM account_conversations WHERE id = ${id} AND account_id = ${accountId})
    RETURNING id`;
  return rows.length > 0;
}

/** The other participants a reply from the web addresses: all but the local ones who left. */
export async function activeParticipants(db: Db, accountId: string, id: string): Promise<Account[]> {
  const row = await getConversation(db, accountId, id);
  if (!row) return [];
  const left = await db`SELECT DISTINCT o.account_id::text FROM account_conversations ac
    JOIN account_conversations o ON o.conversation_id = ac.conversation_id AND o.left_at IS NOT NULL
    WHERE ac.id = ${id} AND ac.account_id = ${accountId}`;
  const gone = new Set(left.map((r) => r.account_id as string));
  return row.accounts.filter((a) => !gone.has(a.id));
}

/**
 * SQL condition "`recipient` muted or left the conversation of post `postId`", for notify(): one place decides
 * that a silenced conversation notifies nothing, whichever path wrote the message.
 */
export function conversationSilenced(db: Db, recipient: string, postId: string | null | undefined) {
  if (!postId) return db`false`;
  return db`EXISTS (SELECT 1 FROM conversation_posts cp JOIN account_conversations ac ON ac.conversation_id = cp.conversation_id
    WHERE cp.post_id = ${postId} AND ac.account_id = ${recipient} AND (ac.muted OR ac.left_at IS NOT NULL))`;
}

/** The account's conversation that holds `postId` (where the web goes after sending a message), or null. */
export async function conversationOfPost(db: Db, accountId: string, postId: string): Promise<string | null> {
  const [row] = await db`SELECT ac.id::text FROM conversation_posts cp JOIN account_conversations ac
      ON ac.conversation_id = cp.conversation_id AND ac.participants = cp.participants
    WHERE cp.post_id = ${postId} AND ac.account_id = ${accountId} AND ac.left_at IS NULL`;
  return (row?.id as string) ?? null;
}

/**
 * The people one may write to, for the recipients' suggestions: colleagues here (not disabled) and the known
 * employees of sibling servers (`siblingOrigins`), neither blocked either way; at most `limit`, by name.
 */
export async function addressBook(db: Db, accountId: string, siblingOrigins: string[], limit = 300): Promise<Account[]> {
  const hosts = siblingOrigins.map((o) => new URL(o).host);
  const rows = await db`SELECT ${accountColumns(db)} FROM accounts a LEFT JOIN users u ON u.account_id = a.id
    WHERE a.id <> ${accountId} AND a.actor_type = 'Person'
      AND ((a.domain IS NULL AND u.disabled_at IS NULL) OR a.domain = ANY(${hosts}::text[]))
      AND a.id NOT IN ${blocksBetween(db, accountId)}
    ORDER BY a.domain IS NULL DESC, lower(coalesce(nullif(a.display_name, ''), a.username)) LIMIT ${limit}`;
  return rows.map(toAccount);
}
