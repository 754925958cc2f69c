import type { Follow } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { findLocalUser } from "../../server/domain/accounts/accounts.ts";
import { receiveFollow } from "../../server/domain/follows/follows.ts";
import type { Ctx } from "../context.ts";
import { resolveActorByIri } from "../remote-actors.ts";
import { onGroupFollow } from "./group.ts";

const logger = getLogger(["ruche", "federation", "inbox"]);

/** A remote actor asks to follow one of ours. Locked targets keep it pending until authorized (case 33). */
export async function onFollow(ctx: Ctx, follow: Follow): Promise<void> {
  if (!follow.id || !follow.actorId || !follow.objectId) return;
  if (await onGroupFollow(ctx, follow)) return; // joining one of our groups (inbox/group.ts)
  const parsed = ctx.parseUri(follow.objectId);
  if (parsed?.type !== "actor") return;
  const target = await findLocalUser(ctx.data.sql, parsed.identifier);
  if (!target || target.disabled) return;
  const follower = await resolveActorByIri(ctx, follow.actorId.href, { maxAgeMs: 3_600_000 });
  if (!follower || follower.domain == null) return;
  const state = await receiveFollow(ctx.data.sql, { followIri: follow.id.href, followerId: follower.id, targetId: target.account.id });
  logger.info("Follow {follow} from {follower} to {target}: {state}", { follow: follow.id.href, follower: follower.iri, target: target.account.username, state });
}
