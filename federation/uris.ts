// Paths and IRIs we mint. (Actor, object and collection IRIs still come from Fedify's dispatchers and the domain's
// iri columns; new kinds of IRIs belong here.)
import { createHash } from "node:crypto";
import type { Recipient } from "@fedify/vocab";

/** The identifier of each instance's own actor (Fedify's dispatcher path /users/{identifier}). */
export const INSTANCE_ACTOR = "instance.actor";

/** A Ruche instance's actor, ours or a sibling's: siblings run Ruche, so its paths are known. */
export function instanceActorIri(origin: string): URL {
  return new URL(`/users/${INSTANCE_ACTOR}`, origin);
}

/** A sibling instance as a recipient: its instance actor, its inbox and its shared inbox. */
export function siblingInstanceRecipient(origin: string): Recipient {
  return {
    id: instanceActorIri(origin),
    inboxId: new URL(`/users/${INSTANCE_ACTOR}/inbox`, origin),
    endpoints: { sharedInbox: new URL("/inbox", origin) },
  };
}

/**
 * The id of an activity about another one (Undo of a like, Accept of a follow): derived from that one, so a job
 * re-run after a crash re-sends the same activity and receivers recognise it.
 */
export function derivedActivityId(origin: string, kind: string, of: string): URL {
  return new URL(`/activities/${kind}/${createHash("sha256").update(of).digest("base64url").slice(0, 22)}`, origin);
}

/** Our vote on a remote poll, Mastodon's shape (`<actor>#votes/<id>`), and the Create that carries it. */
export function voteIri(voterIri: string, voteId: string): URL {
  return new URL(`${voterIri}#votes/${voteId}`);
}
export function voteActivityIri(voterIri: string, voteId: string): URL {
  return new URL(`${voterIri}#votes/${voteId}/activity`);
}

/** The Update(Question) of one state of a poll's tallies (re-sent with the same id if its job runs again). */
export function tallyUpdateIri(postIri: string, fingerprint: string): URL {
  return new URL(`${postIri}#tally-${fingerprint}`);
}
