import type { Accept, Reject, TentativeAccept } from "@fedify/vocab";
import { findAccountByIri } from "../../server/domain/accounts/accounts.ts";
import { acceptedByRemote, rejectedByRemote } from "../../server/domain/follows/follows.ts";
import { getLogger } from "@logtape/logtape";
import type { Ctx } from "../context.ts";
import { onEventAnswer, onJoinAnswered } from "./event-participation.ts";

const logger = getLogger(["ruche", "federation", "inbox"]);

/**
 * A remote actor accepts one of our Follows. Read `objectId` — calling getObject() first makes Fedify refetch the
 * Follow from its fragment URL and get the actor back (stack-notes). Only a pending follow with this IRI that
 * targets the accepting actor changes state: an unsolicited Accept is ignored (corpus case 33).
 */
export async function onAccept(ctx: Ctx, accept: Accept): Promise<void> {
  if (!accept.actorId || !accept.objectId) return;
  // Friendica's "I will attend" is an Accept of the event itself (issue #12).
  if (await onEventAnswer(ctx, accept, "going")) return;
  const accepter = await findAccountByIri(ctx.data.sql, accept.actorId.href);
  if (!accepter || accepter.domain == null) return;
  // A Follow of ours, or a Join of ours to the accepter's event (issue #12); an Accept of anything else or of an
  // unknown Follow or Join changes nothing and says so.
  if (!(await acceptedByRemote(ctx.data.sql, accept.objectId.href, accepter.id))
    && !(await onJoinAnswered(ctx, accept.objectId.href, accepter.id, "accept"))) {
    logger.info("Accept by {actor} of {object}: no pending follow of ours (not handled)", { actor: accept.actorId.href, object: accept.objectId.href });
  }
}

export async function onReject(ctx: Ctx, reject: Reject): Promise<void> {
  if (!reject.actorId || !reject.objectId) return;
  if (await onEventAnswer(ctx, reject, "not_going")) return;
  const rejecter = await findAccountByIri(ctx.data.sql, reject.actorId.href);
  if (!rejecter || rejecter.domain == null) return;
  if (!(await rejectedByRemote(ctx.data.sql, reject.objectId.href, null, rejecter.id))
    && !(await onJoinAnswered(ctx, reject.objectId.href, rejecter.id, "reject"))) {
    logger.info("Reject by {actor} of {object}: no follow of ours (not handled)", { actor: reject.actorId.href, object: reject.objectId.href });
  }
}

/** Friendica's "maybe": a TentativeAccept of one of our events; of anything else, nothing. */
export async function onTentativeAccept(ctx: Ctx, activity: TentativeAccept): Promise<void> {
  if (!activity.actorId || !activity.objectId) return;
  if (!(await onEventAnswer(ctx, activity, "maybe"))) {
    logger.info("TentativeAccept by {actor} of {object}: not one of our events (not handled)", { actor: activity.actorId.href, object: activity.objectId.href });
  }
}
