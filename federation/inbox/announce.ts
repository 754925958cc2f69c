import type { Announce } from "@fedify/vocab";
import { receiveAnnounce } from "../../server/domain/interactions.ts";
import { postIdByIri } from "../../server/domain/post-views.ts";
import type { Ctx } from "../context.ts";
import { resolveActorByIri } from "../remote-actors.ts";
import { localPostId } from "./like.ts";

/**
 * Announce (boost) of a post we hold. Never fetched when unknown (no amplification, case 22b), and stored only
 * for public/unlisted originals — an Announce of a private object gains no audience (case 34).
 */
export async function onAnnounce(ctx: Ctx, announce: Announce): Promise<void> {
  if (!announce.id || !announce.actorId || !announce.objectId) return;
  const postId = localPostId(ctx, announce.objectId) ?? await postIdByIri(ctx.data.sql, announce.objectId.href);
  if (!postId) return;
  const actor = await resolveActorByIri(ctx, announce.actorId.href, { maxAgeMs: 86_400_000 });
  if (!actor || actor.domain == null) return;
  const published = announce.published ? new Date(Math.min(announce.published.epochMilliseconds, Date.now())) : new Date();
  await receiveAnnounce(ctx.data.sql, { iri: announce.id.href, accountId: actor.id, origin: announce.actorId.origin, postId, createdAt: published });
}
