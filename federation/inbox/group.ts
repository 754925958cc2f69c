// Groups' activities (FEP-1b12, activitypub-shapes.md §2.6), each check naming what it stops:
//   - Follow of one of our groups: a community accepts, a project accepts whom it invited and keeps the rest as
//     requests (receiveGroupFollow);
//   - Invite and Remove count only when signed by the group itself: membership is decided on the group's home,
//     so a person — even one of its moderators, whose Remove the group would have relayed — cannot remove one of
//     ours from a group here, nor invite them into a group in its name;
//   - a group's Announce of a Create is its relay of a member's post: only from a group someone here belongs to,
//     of a note addressed to that very group (a forged relay of another group's post, or an Announce by anyone
//     who is not the group, is refused), embedded (never fetched: no amplification), and from another origin than
//     the group's only when the group is a sibling (its home checked the member; an outsider's copy is not trusted).
import { Create, type Follow, type Invite, Note, type Announce, type Remove } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { findAccountByIri } from "../../server/domain/accounts/accounts.ts";
import { findGroup, findLocalGroupByName, hasLocalMembers, receiveGroupFollow, receiveInvite, receiveRemoved } from "../../server/domain/groups/groups.ts";
import type { Ctx } from "../context.ts";
import { resolveActorByIri } from "../remote-actors.ts";
import { groupNameOf } from "../uris.ts";
import { ingestNote } from "./create/note.ts";

const logger = getLogger(["ruche", "federation", "inbox", "groups"]);

/** A Follow of one of our groups (true when `follow` was addressed to a group, handled or refused). */
export async function onGroupFollow(ctx: Ctx, follow: Follow): Promise<boolean> {
  const name = follow.objectId ? groupNameOf(ctx.canonicalOrigin, follow.objectId) : null;
  if (!name || !follow.id || !follow.actorId) return false;
  const group = await findLocalGroupByName(ctx.data.sql, name);
  if (!group) return true;
  const follower = await resolveActorByIri(ctx, follow.actorId.href, { maxAgeMs: 3_600_000 });
  if (!follower || follower.domain == null || follower.actorType !== "Person") return true;
  const state = await receiveGroupFollow(ctx.data.sql, { followIri: follow.id.href, followerId: follower.id, groupId: group.account.id });
  logger.info("Join of group {group} by {follower}: {state}", { group: name, follower: follower.iri, state });
  return true;
}

/** The remote group signing this activity, or null (logged) when the signer is not a group. */
async function signingGroup(ctx: Ctx, actorId: URL | null, what: string) {
  if (!actorId) return null;
  const actor = await resolveActorByIri(ctx, actorId.href, { maxAgeMs: 86_400_000 });
  if (!actor || actor.domain == null || actor.actorType !== "Group") {
    logger.info("{what} by {actor} refused: only a group speaks for its membership", { what, actor: actorId.href });
    return null;
  }
  return actor;
}

/** A remote group invites one of ours (Invite{actor: group, object: group, target: the person}). */
export async function onInvite(ctx: Ctx, invite: Invite): Promise<void> {
  if (!invite.id) return;
  const group = await signingGroup(ctx, invite.actorId, "Invite");
  if (!group) return;
  if (invite.objectId?.href !== group.iri) {
    logger.info("Invite by {group} into another group refused: {object}", { group: group.iri, object: invite.objectId?.href ?? null });
    return;
  }
  const invitee = invite.targetId ? await findAccountByIri(ctx.data.sql, invite.targetId.href) : null;
  if (!invitee || invitee.domain != null || invitee.actorType !== "Person") return;
  await receiveInvite(ctx.data.sql, { iri: invite.id.href, groupId: group.id, inviteeId: invitee.id });
}

/** A remote group removes one of ours from its members (Remove{actor: group, object: the person, target: its followers}). */
export async function onRemove(ctx: Ctx, remove: Remove): Promise<void> {
  const group = await signingGroup(ctx, remove.actorId, "Remove");
  if (!group) return;
  const member = remove.objectId ? await findAccountByIri(ctx.data.sql, remove.objectId.href) : null;
  if (!member || member.domain != null) return;
  const removed = await receiveRemoved(ctx.data.sql, group.id, member.id);
  logger.info("Remove of {member} from group {group}: {result}", { member: member.iri, group: group.iri, result: removed ? "removed" : "was not a member" });
}

/**
 * A group's relay (Announce) of an activity we do not hold as a post. Returns false when the Announce is not a
 * group's (the caller treats it as a boost).
 */
export async function onGroupAnnounce(ctx: Ctx, announce: Announce): Promise<boolean> {
  if (!announce.actorId) return false;
  const actor = await findAccountByIri(ctx.data.sql, announce.actorId.href);
  if (!actor || actor.actorType !== "Group" || actor.domain == null) return false;
  const group = await findGroup(ctx.data.sql, actor.id);
  if (!group || !(await hasLocalMembers(ctx.data.sql, group.account.id))) {
    logger.info("Announce by group {group}: nobody here belongs to it (refused)", { group: actor.iri });
    return true;
  }
  const sibling = ctx.data.siblings.isSibling(announce.actorId.origin);
  const noFetch = async (url: string): Promise<never> => {
    throw new Error(`not fetched (a group relays embedded activities): ${url}`);
  };
  const opts = { crossOrigin: sibling ? "trust" as const : "throw" as const, documentLoader: noFetch, contextLoader: ctx.contextLoader };
  const inner = await announce.getObject(opts).catch(() => null);
  if (!(inner instanceof Create) || !inner.actorId) {
    logger.info("Announce by group {group} of {object}: not a relayed Create (not handled)", { group: actor.iri, object: announce.objectId?.href ?? null });
    return true;
  }
  const note = await inner.getObject(opts).catch(() => null);
  if (!(note instanceof Note)) return true;
  await ingestNote(ctx, note, inner.actorId.href, "create", undefined, { relayedBy: group });
  return true;
}
