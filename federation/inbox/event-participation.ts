// Answers to our events from other servers, and their answers to ours (issue #12, Mobilizon's participation,
// activitypub-shapes.md §2.4). Checks, each naming the attack it stops:
//   - a Join or Leave speaks for its signer only: the inbox guard already refused an actor on another origin than
//     the signature's (case 2); the Join's own id must be on that origin too, so nobody answers in another's name
//     with an activity another server minted;
//   - it names one of our events, which the signer may read (the audience rule, as the signer is seen: a sibling
//     or not) — an internal event takes no Join from outside the siblings;
//   - the domain's rules (participation.ts answer): not cancelled, not over, invite-only events only from invitees,
//     capacity under the event's lock, a replayed Join (same IRI) changes nothing.
// The outcome goes back as Accept(Join) or Reject(Join) when there is one (a pending or wait-listed Join has none
// yet); Accept and Reject of our own Joins are accepted from the event's author only (events-remote.ts).
import type { Accept, Join, Leave, Reject, TentativeAccept } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { DomainError } from "../../server/domain/errors.ts";
import { type Answer, answer, leave } from "../../server/domain/events/participation.ts";
import { joinAnswered } from "../../server/domain/events/events-remote.ts";
import type { Viewer } from "../../server/domain/audience/visibility.ts";
import type { Ctx } from "../context.ts";
import { resolveActorByIri } from "../remote-actors.ts";

const logger = getLogger(["ruche", "federation", "inbox"]);

/** Our local event a Join or Leave names (its post's IRI), or null. */
async function localEventId(ctx: Ctx, iri: string | undefined): Promise<string | null> {
  if (!iri) return null;
  const [r] = await ctx.data.sql`SELECT p.id::text FROM posts p JOIN events e ON e.post_id = p.id WHERE p.iri = ${iri} AND p.local`;
  return (r?.id as string) ?? null;
}

async function participantOf(ctx: Ctx, activity: Join | Leave | Accept | Reject | TentativeAccept, kind: string) {
  const refuse = (why: string) => {
    logger.info("{kind} {id} by {actor} refused: {why}", { kind, id: activity.id?.href ?? null, actor: activity.actorId?.href ?? null, why });
    return null;
  };
  if (!activity.actorId || !activity.id) return refuse("no actor or id");
  if (activity.id.origin !== activity.actorId.origin) return refuse("the activity id is on another origin than its actor");
  const postId = await localEventId(ctx, activity.objectId?.href);
  if (!postId) return refuse("not one of our events");
  const person = await resolveActorByIri(ctx, activity.actorId.href, { maxAgeMs: 86_400_000 });
  if (!person || person.domain == null || person.actorType !== "Person") return refuse("unknown person");
  const origin = activity.actorId.origin;
  const viewer: Viewer = { kind: "remote", accountId: person.id, domain: person.domain, sibling: ctx.data.siblings.isSibling(origin), instanceActor: false };
  return { postId, person, viewer, refuse };
}

/** The outcome, for logs and tests: the status given, or why it was refused. */
export async function onJoin(ctx: Ctx, join: Join): Promise<string> {
  return await answerBy(ctx, join, "Join", "going");
}

/**
 * Friendica's RSVP (activitypub-shapes.md §2.4): Accept, TentativeAccept or Reject *of the event* mean going, maybe
 * and not going. Returns false when the object is not one of our events (an Accept of a Follow or of a Join is
 * handled elsewhere).
 */
export async function onEventAnswer(ctx: Ctx, activity: Accept | Reject | TentativeAccept, status: Answer): Promise<boolean> {
  if (!(await localEventId(ctx, activity.objectId?.href))) return false;
  await answerBy(ctx, activity, (activity.constructor as { name: string }).name, status);
  return true;
}

async function answerBy(ctx: Ctx, activity: Join | Accept | Reject | TentativeAccept, kind: string, asked: Answer): Promise<string> {
  const p = await participantOf(ctx, activity, kind);
  if (!p) return "refused";
  try {
    const { status } = await answer(ctx.data.sql, ctx.canonicalOrigin, {
      postId: p.postId, accountId: p.person.id, status: asked, viewer: p.viewer, joinIri: activity.id!.href,
    });
    logger.debug("{kind} {id} by {actor}: {status}", { kind, id: activity.id!.href, actor: p.person.iri, status });
    return status;
  } catch (error) {
    if (error instanceof DomainError) return p.refuse(error.status === 404 ? "not in the event's audience" : error.message) ?? "refused";
    throw error;
  }
}

export async function onLeave(ctx: Ctx, activity: Leave): Promise<void> {
  const p = await participantOf(ctx, activity, "Leave");
  if (!p) return;
  try {
    await leave(ctx.data.sql, ctx.canonicalOrigin, p.postId, p.person.id, p.viewer);
  } catch (error) {
    if (error instanceof DomainError) p.refuse(error.message);
    else throw error;
  }
}

/** An Accept or Reject that is not of one of our Follows: of one of our Joins, by the event's author? */
export async function onJoinAnswered(ctx: Ctx, joinIri: string, answererId: string, verdict: "accept" | "reject"): Promise<boolean> {
  return await joinAnswered(ctx.data.sql, joinIri, answererId, verdict);
}
