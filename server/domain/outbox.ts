// What the domain asks federation to do after a change: call enqueueOutbox inside the transaction that makes the
// change, so the change and the jobs it causes commit together (ADR 0004, ADR 0006). Handlers live in
// federation/jobs.ts.
import type { Db } from "../db/pool.ts";
import { enqueueJob } from "../jobs/enqueue.ts";

export type OutboxItem =
  | { kind: "follow"; followIri: string; followerId: string; targetId: string }
  | { kind: "undo-follow"; followIri: string; followerId: string; targetId: string }
  | { kind: "accept-follow"; followIri: string; followerId: string; targetId: string }
  | { kind: "reject-follow"; followIri: string; followerId: string; targetId: string }
  // Blocks (issue #8 point 14): the Undo carries the Block's IRI (the row is gone when the worker runs).
  | { kind: "block"; blockIri: string; accountId: string; targetId: string }
  | { kind: "undo-block"; blockIri: string; accountId: string; targetId: string }
  | { kind: "update-actor"; accountId: string }
  // Profiles (issue #3): fetch a sibling's actor with a signed request (internal fields, structured extension), and
  // pull one page of a sibling's directory feed (federation/directory-sync.ts). Not activities: nothing is sent.
  | { kind: "refresh-profile"; iri: string; origin: string }
  | { kind: "pull-directory"; origin: string; full?: boolean; url?: string; startedAt?: string }
  // The name a sibling publishes in its NodeInfo (issue #8 point 10): federation/instance-info.ts.
  | { kind: "fetch-instance-name"; origin: string }
  // Posts (issue #4). A deleted post's row is gone when the worker runs, so Delete carries what addressing needs.
  | { kind: "create-note"; postId: string }
  | { kind: "update-note"; postId: string }
  | { kind: "delete-note"; postId: string; iri: string; accountId: string; visibility: string; mentionIds: string[]; groupId?: string }
  // Polls (issue #11): our people's votes on a remote poll, one Create(Note{name}) per chosen option, to its author.
  | { kind: "poll-vote"; postId: string; voteId: string }
  | { kind: "like"; likeIri: string; accountId: string; postId: string }
  | { kind: "undo-like"; likeIri: string; accountId: string; postIri: string; postAuthorId: string }
  | { kind: "announce"; boostId: string }
  // visibility: the original's scope (the Undo is addressed like the boost); absent in jobs queued before boosts of
  // internal posts existed, when every boost was public or unlisted.
  | { kind: "undo-announce"; boostId: string; boostIri: string; accountId: string; postIri: string; postAuthorId: string; visibility?: string }
  // Groups (issue #10): a local group invites a remote person, removes a remote member, and relays a post made in
  // it to its members' servers (FEP-1b12 Announce of the Create).
  | { kind: "group-invite"; invitationId: string }
  | { kind: "group-remove"; groupId: string; memberId: string; removeIri: string }
  | { kind: "group-announce"; postId: string }
  // Moderation (issue #15 point 5): a report of a remote person, sent to their server as a Flag.
  | { kind: "flag"; reportId: string }
  // Account deletion (issue #16 point 3): Delete(Person) to the servers that had the person's content, listed in
  // the transaction that erased it (the follows are gone when the worker runs); siblings are added at delivery.
  | { kind: "delete-actor"; accountId: string; iri: string; username: string; recipients: Array<{ iri: string; inboxUrl: string | null; sharedInboxUrl: string | null }> }
  // Events (issue #12, Mobilizon's participation): our person's Join and Leave of a remote event, to its organiser;
  // a local event's Accept or Reject of a remote participant's Join, to them. A participant row may be gone when
  // the Leave runs, so it carries what it needs.
  | { kind: "event-join"; participantId: string }
  | { kind: "event-leave"; postId: string; accountId: string; joinIri: string; leaveIri: string }
  | { kind: "event-accept"; participantId: string }
  | { kind: "event-reject"; participantId: string }
  // Knowledge base (issue #14): an article's first revision and each later one, built from the row at delivery.
  | { kind: "create-article"; articleId: string }
  | { kind: "update-article"; articleId: string };

/** The deliver queue runs one job per key at a time, in order: every activity about one object shares its key. */
function deliveryKey(item: DeliveryItem): string {
  switch (item.kind) {
    case "follow": case "undo-follow": case "accept-follow": case "reject-follow": return `follow:${item.followIri}`;
    case "block": case "undo-block": return `block:${item.blockIri}`;
    case "create-note": case "update-note": case "delete-note": return `post:${item.postId}`;
    case "poll-vote": return `vote:${item.postId}`;
    case "like": case "undo-like": return `like:${item.likeIri}`;
    case "announce": case "undo-announce": return `boost:${item.boostId}`;
    case "group-invite": return `group-invite:${item.invitationId}`;
    case "group-remove": return `group-member:${item.groupId}:${item.memberId}`;
    // After the post's own Create (same key): a member's server never gets the relay before it could have the post.
    case "group-announce": return `post:${item.postId}`;
    case "flag": return `report:${item.reportId}`;
    case "delete-actor": return `actor:${item.accountId}`;
    case "event-join": case "event-accept": case "event-reject": return `event-participant:${item.participantId}`;
    case "event-leave": return `event-leave:${item.joinIri}`;
    case "create-article": case "update-article": return `article:${item.articleId}`;
  }
}

export type DeliveryItem = Exclude<OutboxItem, { kind: "update-actor" | "refresh-profile" | "pull-directory" | "fetch-instance-name" }>;

/**
 * Queues what a change must send or fetch, in the caller's transaction (server/jobs). A profile changed twice in
 * one transaction (the settings form saves the account and the work profile) queues one Update(Person): the
 * actor-update queue keeps one queued job per account, built from the state at delivery.
 */
export async function enqueueOutbox(db: Db, item: OutboxItem, options: { delayMs?: number } = {}): Promise<void> {
  switch (item.kind) {
    case "update-actor":
      await enqueueJob(db, "actor-update", item, { key: item.accountId });
      return;
    case "refresh-profile":
      await enqueueJob(db, "profile-refresh", item, { key: item.iri });
      return;
    case "pull-directory":
      await enqueueJob(db, "directory-pull", item, { key: item.origin, delayMs: options.delayMs });
      return;
    case "fetch-instance-name":
      await enqueueJob(db, "instance-info", item, { key: item.origin });
      return;
    default:
      await enqueueJob(db, "deliver", item, { key: deliveryKey(item) });
  }
}
