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

// Groups (issue #10, FEP-1b12): a local group's actor lives at /groups/{name}. Fedify routes one actor path, so
// the group's documents are served by the same dispatcher as people's (/users/{identifier}: a group's name is a
// handle no person has, accounts' unique index): groupFedifyPath() is the internal path a /groups/ request is
// routed to (federation/hono.ts). Keys are named under the group's own IRI (federation/group-actor.ts).
const GROUP_PATH = /^\/groups\/([a-z0-9_]{1,30})(\/inbox|\/followers|\/outbox)?$/;

export function groupIri(origin: string, name: string): string {
  return new URL(`/groups/${name}`, origin).href;
}

/** Every IRI a local group is published under. */
export function groupIris(origin: string, name: string) {
  const iri = groupIri(origin, name);
  return { iri, inbox: `${iri}/inbox`, sharedInbox: new URL("/inbox", origin).href, followers: `${iri}/followers`, outbox: `${iri}/outbox`, url: iri };
}

/** The name of the local group whose IRI (or one of its collections) `url` is, else null. */
export function groupNameOf(origin: string, url: URL | string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.origin !== new URL(origin).origin) return null;
  return GROUP_PATH.exec(u.pathname)?.[1] ?? null;
}

/** The path Fedify's router knows for a /groups/ path (or null when `pathname` is not one). */
export function groupFedifyPath(pathname: string): string | null {
  const m = GROUP_PATH.exec(pathname);
  return m ? `/users/${m[1]}${m[2] ?? ""}` : null;
}

/** A group's key ids: the RSA key, then the Ed25519 one (Fedify's own naming for people's keys). */
export function groupKeyId(groupIri: string, index: number): URL {
  return new URL(index === 0 ? `${groupIri}#main-key` : `${groupIri}#key-${index + 1}`);
}
