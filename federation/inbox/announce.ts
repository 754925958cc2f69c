import type { Announce } from "@fedify/vocab";
import { receiveAnnounce } from "../../server/domain/posts/interactions.ts";
import { postIdByIri } from "../../server/domain/posts/post-views.ts";
import { hasLocalAudience } from "../../server/domain/posts/posts-remote.ts";
import { getLogger } from "@logtape/logtape";
import type { Ctx } from "../context.ts";
import { resolveActorByIri } from "../remote-actors.ts";
import { localPostId } from "./like.ts";
import { onGroupAnnounce } from "./group.ts";

const logger = getLogger(["ruche", "federation", "inbox"]);

/**
 * Announce (boost) of a post we hold. Never fetched when unknown (no amplification, case 22b), and stored only
 * when the original's scope may be boosted and the booster may read it — an Announce of a private object gains no
 * audience (case 34), an outsider's Announce of an internal post counts for nothing.
 */
export async function onAnnounce(ctx: Ctx, announce: Announce): Promise<void> {
  if (!announce.id || !announce.actorId || !announce.objectId) return;
  const postId = localPostId(ctx, announce.objectId) ?? await postIdByIri(ctx.data.sql, announce.objectId.href);
  if (!postId) {
    // A group's relay of a member's activity (FEP-1b12 Announce(Create)): inbox/group.ts.
    if (await onGroupAnnounce(ctx, announce)) return;
    // An unknown post is never fetched (case 22b).
    logger.info("Announce by {actor} of {object}: not a post we hold (not handled)", { actor: announce.actorId.href, object: announce.objectId.href });
    return;
  }
  const actor = await resolveActorByIri(ctx, announce.actorId.href, { maxAgeMs: 86_400_000 });
  if (!actor || actor.domain == null) return;
  // A boost of someone else's post matters here only if a local account follows the booster (else an open-mode
  // peer could fill timelines unasked); a boost of one of our posts always counts (it notifies the author).
  if (!localPostId(ctx, announce.objectId) && !(await hasLocalAudience(ctx.data.sql, actor.id, [], null))) return;
  const published = announce.published ? new Date(Math.min(announce.published.epochMilliseconds, Date.now())) : new Date();
  await receiveAnnounce(ctx.data.sql, { iri: announce.id.href, accountId: actor.id, origin: announce.actorId.origin, postId, createdAt: published,
    viewer: { kind: "remote", accountId: actor.id, domain: actor.domain, sibling: ctx.data.siblings.isSibling(announce.actorId.origin), instanceActor: false },
  });
}
