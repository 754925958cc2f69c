// Delivery jobs of our groups → activities signed by the group (group-actor.ts groupSenderKeys): the Invite of a
// remote person, the Remove of a remote member, and the relay of a post made in the group — FEP-1b12's
// Announce of the Create, to every member's server once (shared inboxes), never to a server outside the group of
// companies' federation policy. Members are the group's accepted followers: one who left or was removed is no
// longer among the recipients (groupRecipients).
import { Announce, Invite, type Recipient, Remove } from "@fedify/vocab";
import { type Account, findAccountById } from "../server/domain/accounts/accounts.ts";
import { followerIris } from "../server/domain/follows/follows.ts";
import { findInvitation } from "../server/domain/groups/groups.ts";
import type { OutboxItem } from "../server/domain/outbox.ts";
import { loadPost, postRow } from "../server/domain/posts/post-views.ts";
import { localViewer } from "../server/domain/audience/visibility.ts";
import type { Ctx } from "./context.ts";
import { postToCreate } from "./mappers/note.ts";
import type { Built } from "./outbox-posts.ts";
import { recipientOf } from "./recipients.ts";
import { derivedActivityId } from "./uris.ts";

export type GroupOutboxItem = Extract<OutboxItem, { kind: "group-invite" | "group-remove" | "group-announce" }>;

const KINDS = new Set(["group-invite", "group-remove", "group-announce"]);
export function isGroupOutboxItem(item: OutboxItem): item is GroupOutboxItem {
  return KINDS.has(item.kind);
}

/** A local group, or null. */
async function localGroup(ctx: Ctx, id: string): Promise<Account | null> {
  const a = await findAccountById(ctx.data.sql, id);
  return a && a.domain == null && a.actorType === "Group" ? a : null;
}

/** The servers a group's relay goes to: its remote members' (Fedify sends once per shared inbox). */
export async function groupRecipients(ctx: Ctx, groupId: string): Promise<Recipient[]> {
  const policy = ctx.data.siblings;
  return (await followerIris(ctx.data.sql, groupId))
    .filter((f) => !f.isLocal && policy.allows(new URL(f.iri).origin))
    .map(recipientOf);
}

async function relay(ctx: Ctx, postId: string): Promise<Built | null> {
  const row = await postRow(ctx.data.sql, postId);
  if (!row) return null;
  const post = await loadPost(ctx.data.sql, postId, localViewer(row.accountId));
  if (!post?.group) return null;
  const group = await localGroup(ctx, post.group.id);
  if (!group) return null;
  // The member's own Create, as a Ruche server sends it (receivers key on the note's IRI).
  const create = postToCreate(ctx, post);
  const announce = new Announce({
    id: derivedActivityId(ctx.canonicalOrigin, "group-announce", post.iri), actor: new URL(group.iri), object: create,
    to: new URL(group.followersUrl ?? `${group.iri}/followers`), published: create.published,
  });
  return { sender: group.username, groupSender: group, recipients: await groupRecipients(ctx, group.id), activity: announce, key: post.iri };
}

export async function buildGroupActivity(ctx: Ctx, item: GroupOutboxItem): Promise<Built | null> {
  switch (item.kind) {
    case "group-announce": return await relay(ctx, item.postId);
    case "group-invite": {
      const inv = await findInvitation(ctx.data.sql, item.invitationId);
      const group = inv ? await localGroup(ctx, inv.group.id) : null;
      const invitee = inv ? await findAccountById(ctx.data.sql, inv.accountId) : null;
      if (!inv || !group || !invitee || invitee.domain == null || inv.state !== "pending") return null;
      const activity = new Invite({ id: new URL(inv.iri), actor: new URL(group.iri), object: new URL(group.iri), target: new URL(invitee.iri), to: new URL(invitee.iri) });
      return { sender: group.username, groupSender: group, recipients: [recipientOf(invitee)], activity, key: inv.iri };
    }
    case "group-remove": {
      const [group, member] = await Promise.all([localGroup(ctx, item.groupId), findAccountById(ctx.data.sql, item.memberId)]);
      if (!group || !member || member.domain == null) return null;
      const activity = new Remove({
        id: new URL(item.removeIri), actor: new URL(group.iri), object: new URL(member.iri),
        target: new URL(group.followersUrl ?? `${group.iri}/followers`), to: new URL(member.iri),
      });
      return { sender: group.username, groupSender: group, recipients: [recipientOf(member)], activity, key: item.removeIri };
    }
  }
}
