// Delivery jobs about posts → activities and their recipients (called by jobs.ts; one small function per kind).
// Who receives what is derived from the audience rule (server/domain/audience/audience.ts, deliveryOf): e.g.
// internal reaches followers on siblings and every sibling's shared inbox, never a server outside the group, and
// mentioning an outsider in an internal post does not send it; local never gets a delivery job.
import { Temporal } from "@js-temporal/polyfill";
import { Announce, type Activity, Delete, Like, type Recipient, Tombstone, Undo, Update } from "@fedify/vocab";
import { type Account, findAccountById } from "../server/domain/accounts/accounts.ts";
import { followerIris } from "../server/domain/follows/follows.ts";
import { blockedEitherWayIris } from "../server/domain/blocks/blocks.ts";
import { boostDetails } from "../server/domain/posts/interactions.ts";
import type { OutboxItem } from "../server/domain/outbox.ts";
import { loadPost, postRow } from "../server/domain/posts/post-views.ts";
import { localViewer, type Visibility } from "../server/domain/audience/visibility.ts";
import { type Delivery, deliveryOf, federates, isBoostable } from "../server/domain/audience/audience.ts";
import type { Ctx } from "./context.ts";
import { addressing, postToCreate } from "./mappers/note.ts";
import { postObject } from "./mappers/video.ts";
import { recipientOf } from "./recipients.ts";
import { derivedActivityId, siblingInstanceRecipient } from "./uris.ts";
import { groupRecipients } from "./outbox-groups.ts";

export type PostOutboxItem = Extract<OutboxItem, { kind: "create-note" | "update-note" | "delete-note" | "like" | "undo-like" | "announce" | "undo-announce" }>;
/** `groupSender`: the activity is one of our groups', signed with its keys (group-actor.ts). */
export interface Built { sender: string; groupSender?: Account; recipients: Recipient[]; activity: Activity; key: string }

const POST_KINDS = new Set(["create-note", "update-note", "delete-note", "like", "undo-like", "announce", "undo-announce"]);
export function isPostOutboxItem(item: OutboxItem): item is PostOutboxItem {
  return POST_KINDS.has(item.kind);
}

/**
 * Who receives a post of `visibility` by `author` mentioning `mentionIds`: the audience rule's delivery, leaving out
 * everyone blocked by or blocking the author (blocks/blocks.ts). A sibling's shared inbox still gets internal posts:
 * that server knows the block (it was sent a Block, or sent it) and its own audience rule hides the post.
 */
export async function postRecipients(ctx: Ctx, author: Account, visibility: Visibility, mentionIds: string[], groupId: string | null = null,
  opts: { toGroupMembers?: boolean } = {}): Promise<Recipient[]> {
  const policy = ctx.data.siblings;
  const delivery = deliveryOf(visibility);
  const blocked = await blockedEitherWayIris(ctx.data.sql, author.id);
  const originOf = (iri: string) => new URL(iri).origin;
  const may = (reach: Delivery["followers"], iri: string) => !blocked.has(iri) &&
    (reach === "allowed" ? policy.allows(originOf(iri)) : reach === "siblings" ? policy.isSibling(originOf(iri)) : false);
  const out: Recipient[] = [];
  if (delivery.followers !== "none") {
    for (const f of await followerIris(ctx.data.sql, author.id)) if (!f.isLocal && may(delivery.followers, f.iri)) out.push(recipientOf(f));
  }
  if (delivery.siblingInstances) {
    for (const s of policy.list()) if (s !== policy.selfOrigin) out.push(siblingInstanceRecipient(s));
  }
  if (delivery.mentioned !== "none") {
    for (const id of mentionIds) {
      const a = await findAccountById(ctx.data.sql, id);
      if (a && a.domain != null && may(delivery.mentioned, a.iri)) out.push(recipientOf(a));
    }
  }
  // A post made in a remote group goes to the group, which relays it to its members (FEP-1b12); one of our groups
  // relays it itself (outbox-groups.ts). For the group scope this is the only recipient (deliveryOf).
  // An edit or a deletion in one of our groups goes from the author straight to the members' servers (receivers
  // check it is the author's own), which already hold the post from the group's relay.
  if (groupId && visibility !== "direct") {
    const group = await findAccountById(ctx.data.sql, groupId);
    if (group && group.domain != null && group.actorType === "Group" && policy.allows(originOf(group.iri))) out.push(recipientOf(group));
    if (group && group.domain == null && opts.toGroupMembers) out.push(...await groupRecipients(ctx, group.id));
  }
  return out;
}

async function noteActivity(ctx: Ctx, item: { postId: string }, kind: "create" | "update"): Promise<Built | null> {
  const row = await postRow(ctx.data.sql, item.postId);
  if (!row || !row.local || row.visibility === "local") return null;
  const post = await loadPost(ctx.data.sql, item.postId, localViewer(row.accountId));
  if (!post) return null;
  const note = await postObject(ctx, post); // a Note, a Question, or a WebTV Video
  const { to, cc } = addressing(ctx.canonicalOrigin, post.account.iri, post.visibility, post.mentions.map((m) => m.iri), post.group?.iri ?? null);
  const common = { actor: new URL(post.account.iri), object: note, tos: to, ccs: cc };
  const activity = kind === "create"
    ? postToCreate(ctx, post, note)
    // The edit's time names the Update: a job re-run after a crash re-sends the same id (receivers deduplicate).
    : new Update({ id: new URL(`${post.iri}#update-${note.updated?.epochMilliseconds ?? note.published?.epochMilliseconds ?? 0}`), updated: note.updated, ...common });
  // The Create of a post in one of our groups is relayed by the group (outbox-groups.ts); its Update is not.
  const recipients = await postRecipients(ctx, post.account, post.visibility, post.mentions.map((m) => m.id), post.group?.id ?? null,
    { toGroupMembers: kind === "update" });
  return { sender: post.account.username, recipients, activity, key: post.iri };
}

async function deleteNote(ctx: Ctx, item: Extract<PostOutboxItem, { kind: "delete-note" }>): Promise<Built | null> {
  const author = await findAccountById(ctx.data.sql, item.accountId);
  if (!author || author.domain != null) return null;
  const visibility = item.visibility as Visibility;
  const mentionIris = (await Promise.all(item.mentionIds.map((id) => findAccountById(ctx.data.sql, id)))).filter((a) => a != null).map((a) => a.iri);
  const group = item.groupId ? await findAccountById(ctx.data.sql, item.groupId) : null;
  const { to, cc } = addressing(ctx.canonicalOrigin, author.iri, visibility, mentionIris, group?.iri ?? null);
  const activity = new Delete({
    id: new URL(`${item.iri}#delete`), actor: new URL(author.iri), object: new Tombstone({ id: new URL(item.iri) }), tos: to, ccs: cc,
  });
  return { sender: author.username, recipients: await postRecipients(ctx, author, visibility, item.mentionIds, item.groupId ?? null, { toGroupMembers: true }), activity, key: item.iri };
}

async function like(ctx: Ctx, item: Extract<PostOutboxItem, { kind: "like" | "undo-like" }>): Promise<Built | null> {
  const actor = await findAccountById(ctx.data.sql, item.accountId);
  if (!actor || actor.domain != null) return null;
  let postIri: string, authorId: string;
  if (item.kind === "like") {
    const row = await postRow(ctx.data.sql, item.postId);
    if (!row) return null;
    [postIri, authorId] = [row.iri, row.accountId];
  } else [postIri, authorId] = [item.postIri, item.postAuthorId];
  const author = await findAccountById(ctx.data.sql, authorId);
  if (!author || author.domain == null || !ctx.data.siblings.allows(new URL(author.iri).origin)) return null;
  const likeActivity = new Like({ id: new URL(item.likeIri), actor: new URL(actor.iri), object: new URL(postIri), to: new URL(author.iri) });
  const activity = item.kind === "like" ? likeActivity : new Undo({
    id: derivedActivityId(ctx.canonicalOrigin, "undo", item.likeIri), actor: new URL(actor.iri), object: likeActivity, to: new URL(author.iri),
  });
  return { sender: actor.username, recipients: [recipientOf(author)], activity, key: postIri };
}

/**
 * A boost and its undo, addressed and delivered with the original's scope (audience.ts): a boost of an internal
 * post goes to the booster's followers and the siblings' audience, like an internal post — never as:Public.
 */
async function announce(ctx: Ctx, item: Extract<PostOutboxItem, { kind: "announce" | "undo-announce" }>): Promise<Built | null> {
  let boostIri: string, actorId: string, postIri: string, authorId: string, visibility: Visibility;
  let published: Date | null = null;
  if (item.kind === "announce") {
    const row = await boostDetails(ctx.data.sql, item.boostId);
    if (!row) return null;
    [boostIri, actorId, postIri, authorId, published, visibility] = [row.iri, row.accountId, row.postIri, row.postAuthorId, row.createdAt, row.visibility];
  } else {
    [boostIri, actorId, postIri, authorId] = [item.boostIri, item.accountId, item.postIri, item.postAuthorId];
    visibility = (item.visibility ?? "public") as Visibility;
  }
  if (!federates(visibility) || !isBoostable(visibility)) return null;
  const [actor, author] = await Promise.all([findAccountById(ctx.data.sql, actorId), findAccountById(ctx.data.sql, authorId)]);
  if (!actor || actor.domain != null || !author) return null;
  // The original's author is addressed as Mastodon does (cc), as a post of that scope addresses those it mentions.
  const { to, cc } = addressing(ctx.canonicalOrigin, actor.iri, visibility, [author.iri]);
  const boost = new Announce({
    id: new URL(boostIri), actor: new URL(actor.iri), object: new URL(postIri), tos: to, ccs: cc,
    published: published ? Temporal.Instant.fromEpochMilliseconds(published.getTime()) as never : null,
  });
  const activity = item.kind === "announce" ? boost : new Undo({
    id: derivedActivityId(ctx.canonicalOrigin, "undo", item.boostIri), actor: new URL(actor.iri), object: boost, tos: to, ccs: cc,
  });
  const recipients = await postRecipients(ctx, actor, visibility, author.domain != null ? [author.id] : []);
  return { sender: actor.username, recipients, activity, key: postIri };
}

export async function buildPostActivity(ctx: Ctx, item: PostOutboxItem): Promise<Built | null> {
  switch (item.kind) {
    case "create-note": return await noteActivity(ctx, item, "create");
    case "update-note": return await noteActivity(ctx, item, "update");
    case "delete-note": return await deleteNote(ctx, item);
    case "like": case "undo-like": return await like(ctx, item);
    case "announce": case "undo-announce": return await announce(ctx, item);
  }
}
