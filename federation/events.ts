// Event activities we send (jobs.ts runs them; issue #12, Mobilizon's participation, activitypub-shapes.md §2.4):
// our person's Join and Leave of a remote event, to the event's organiser (its author); a local event's Accept or
// Reject of a remote participant's Join, to that participant, in the organiser's name; and a local event's counts
// as one Update(Event) per burst of answers (the event-counts queue keeps one queued per event), to everyone the
// post went to and to its remote participants.
import { randomUUID } from "node:crypto";
import { Accept, Join, Leave, type Recipient, Reject, TentativeAccept, Update } from "@fedify/vocab";
import { type Account, findAccountById } from "../server/domain/accounts/accounts.ts";
import { loadPost, postRow } from "../server/domain/posts/post-views.ts";
import { localViewer } from "../server/domain/audience/visibility.ts";
import { blockedEitherWayIris } from "../server/domain/blocks/blocks.ts";
import type { DeliveryItem } from "../server/domain/outbox.ts";
import type { Ctx } from "./context.ts";
import { postToNote } from "./mappers/note.ts";
import { postRecipients, type Built } from "./outbox-posts.ts";
import { recipientOf } from "./recipients.ts";
import { derivedActivityId } from "./uris.ts";

export type EventOutboxItem = Extract<DeliveryItem, { kind: "event-join" | "event-leave" | "event-accept" | "event-reject" }>;

export function isEventOutboxItem(item: DeliveryItem): item is EventOutboxItem {
  return item.kind.startsWith("event-");
}

interface ParticipantRow { join_iri: string; asked: string; account_id: string; post_id: string; event_iri: string; author_id: string }

async function participant(ctx: Ctx, id: string): Promise<{ row: ParticipantRow; person: Account; organiser: Account } | null> {
  const [row] = await ctx.data.sql`SELECT ep.join_iri, ep.asked, ep.account_id::text, ep.post_id::text, p.iri AS event_iri, p.account_id::text AS author_id
    FROM event_participants ep JOIN posts p ON p.id = ep.post_id WHERE ep.id = ${id}`;
  if (!row?.join_iri) return null;
  const [person, organiser] = await Promise.all([findAccountById(ctx.data.sql, row.account_id), findAccountById(ctx.data.sql, row.author_id)]);
  return person && organiser ? { row: row as ParticipantRow, person, organiser } : null;
}

export async function buildEventActivity(ctx: Ctx, item: EventOutboxItem): Promise<Built | null> {
  const origin = ctx.canonicalOrigin;
  if (item.kind === "event-leave") {
    const [person, row] = await Promise.all([findAccountById(ctx.data.sql, item.accountId), postRow(ctx.data.sql, item.postId)]);
    const organiser = row ? await findAccountById(ctx.data.sql, row.accountId) : null;
    if (!person || person.domain != null || !row || !organiser || organiser.domain == null) return null;
    return {
      sender: person.username, recipients: [recipientOf(organiser)], key: item.joinIri,
      activity: new Leave({ id: new URL(item.leaveIri), actor: new URL(person.iri), object: new URL(row.iri), to: new URL(organiser.iri) }),
    };
  }
  const p = await participant(ctx, item.participantId);
  if (!p) return null;
  const join = new Join({ id: new URL(p.row.join_iri), actor: new URL(p.person.iri), object: new URL(p.row.event_iri) });
  if (item.kind === "event-join") {
    // Ours, to a remote event's organiser.
    if (p.person.domain != null || p.organiser.domain == null || !ctx.data.siblings.allows(new URL(p.organiser.iri).origin)) return null;
    // "Maybe" has no Join in Mobilizon's vocabulary: it goes as Friendica's TentativeAccept of the event, which our
    // siblings (inbox/accept-reject.ts) and Friendica read as such; its Accept comes back the same way.
    const fields = { id: join.id, actor: join.actorId, object: join.objectId, to: new URL(p.organiser.iri) };
    const activity = p.row.asked === "maybe" ? new TentativeAccept(fields) : new Join(fields);
    return { sender: p.person.username, recipients: [recipientOf(p.organiser)], activity, key: p.row.join_iri };
  }
  // A local event's answer to a remote participant.
  if (p.organiser.domain != null || p.person.domain == null) return null;
  const Kind = item.kind === "event-accept" ? Accept : Reject;
  return {
    sender: p.organiser.username, recipients: [recipientOf(p.person)], key: p.row.join_iri,
    // One id per answer: a participant accepted, later refused a place and accepted again gets a new Accept.
    activity: new Kind({ id: derivedActivityId(origin, `${item.kind}-${randomUUID()}`, p.row.join_iri), actor: new URL(p.organiser.iri), object: join, to: new URL(p.person.iri) }),
  };
}

/** A local event's current counts (and status) as Update(Event), to the post's audience and its remote participants. */
export async function buildEventUpdate(ctx: Ctx, postId: string): Promise<Built | null> {
  const row = await postRow(ctx.data.sql, postId);
  if (!row || !row.local || row.visibility === "local") return null;
  const post = await loadPost(ctx.data.sql, postId, localViewer(row.accountId));
  if (!post?.event) return null;
  const object = postToNote(ctx, post);
  const activity = new Update({
    // Receivers read the event's state from its home (inbox/create/event.ts): each Update is a fresh nudge.
    id: new URL(`${post.iri}#update-${randomUUID()}`), actor: new URL(post.account.iri), object, tos: object.toIds, ccs: object.ccIds,
  });
  const recipients: Recipient[] = await postRecipients(ctx, post.account, post.visibility, post.mentions.map((m) => m.id), post.group?.id ?? null);
  const blocked = await blockedEitherWayIris(ctx.data.sql, post.account.id);
  const listed = new Set(recipients.map((r) => r.id?.href));
  const remote = await ctx.data.sql`SELECT ep.account_id::text AS id FROM event_participants ep JOIN accounts a ON a.id = ep.account_id
    WHERE ep.post_id = ${postId} AND a.domain IS NOT NULL`;
  for (const { id } of remote) {
    const person = await findAccountById(ctx.data.sql, id);
    if (!person || listed.has(person.iri) || blocked.has(person.iri) || !ctx.data.siblings.allows(new URL(person.iri).origin)) continue;
    listed.add(person.iri);
    recipients.push(recipientOf(person));
  }
  return { sender: post.account.username, recipients, activity, key: post.iri };
}
