// Answers to events (issue #12 point 2): going / maybe / not going, approval in restricted mode, invitation in
// invite-only mode, a waiting list when full, promoted first-come first-served when a place frees up. Checked here,
// once, whoever answers (the API, the pages, a remote server's Join).
//
// Capacity cannot be exceeded, even by concurrent answers from two instances: every change of a local event's
// answers takes the event row's lock (SELECT … FOR UPDATE) in its transaction, then counts and decides. The Joins
// of two subsidiaries' employees all land on the event's home database, so they queue on that one lock.
//
// A remote event's answers are decided by its home: ours is sent as Join (pending until its Accept) and Leave.
//
//   answer(sql, origin, { postId, accountId, status, viewer, joinIri? }) → { status } (going | maybe | not_going | pending | waitlisted)
//   leave(sql, origin, postId, accountId)                                 (the next on the waiting list is promoted)
//   decide(sql, postId, organiserId, accountId, "accept" | "reject")      (restricted mode)
//   invite(sql, postId, organiserId, accountIds)                          (invite-only mode)
//   listParticipants(db, postId)
import { randomUUID } from "node:crypto";
import { atomically, type Db, type Sql, type TransactionSql } from "../../db/pool.ts";
import { type Account, accountColumns, toAccount } from "../accounts/accounts.ts";
import { visibleTo, type Viewer } from "../audience/visibility.ts";
import { DomainError } from "../errors.ts";
import { enqueueJob } from "../../jobs/enqueue.ts";
import { enqueueOutbox } from "../outbox.ts";
import { notify } from "../notifications/notifications.ts";
import { isOrganiser } from "./events.ts";
import { tellOrganisers } from "./notices.ts";

export const ANSWERS = ["going", "maybe", "not_going"] as const;
export type Answer = (typeof ANSWERS)[number];
export type ParticipationStatus = Answer | "pending" | "waitlisted" | "rejected";

/** How long after a change of answers the counts go out as one Update(Event): a burst shares the Update. */
export const COUNTS_DELAY_MS = 1_000;

interface Locked {
  post_id: string; local: boolean; account_id: string; group_id: string | null; capacity: number | null; join_mode: string;
  status: string; ends_at: Date; iri: string;
}

/** The event row, locked for this transaction, if the viewer may read its post; else 404 (nothing to probe). */
async function lockEvent(tx: TransactionSql, postId: string, viewer: Viewer): Promise<Locked> {
  if (!/^\d{1,18}$/.test(postId)) throw new DomainError("not_found", 404, "no such event");
  const [e] = await tx`SELECT e.post_id::text, p.local, p.account_id::text, p.group_id::text, e.capacity, e.join_mode, e.status, e.ends_at, p.iri
    FROM events e JOIN posts p ON p.id = e.post_id WHERE e.post_id = ${postId} AND ${visibleTo(tx, viewer)} FOR UPDATE OF e`;
  if (!e) throw new DomainError("not_found", 404, "no such event");
  return e as Locked;
}

const organiserOf = (tx: Db, e: Locked, accountId: string) => isOrganiser(tx, { postId: e.post_id, authorId: e.account_id, groupId: e.group_id }, accountId);

async function goingCount(tx: Db, postId: string): Promise<number> {
  const [r] = await tx`SELECT count(*)::int AS n FROM event_participants WHERE post_id = ${postId} AND status = 'going'`;
  return r.n as number;
}

/** After any change of a local event's answers: its counts go to every copy (one Update per burst). */
async function countsChanged(tx: Db, postId: string): Promise<void> {
  await enqueueJob(tx, "event-counts", { postId }, { key: postId, delayMs: COUNTS_DELAY_MS });
}

/** A remote participant's server hears the outcome of their Join (Accept when they have a place, Reject when refused). */
async function tellRemote(tx: Db, participantId: string, status: ParticipationStatus): Promise<void> {
  const [p] = await tx`SELECT ep.id::text, ep.join_iri, a.domain FROM event_participants ep JOIN accounts a ON a.id = ep.account_id
    WHERE ep.id = ${participantId}`;
  if (!p || p.domain == null || !p.join_iri) return;
  if (status === "going" || status === "maybe") await enqueueOutbox(tx, { kind: "event-accept", participantId });
  else if (status === "rejected") await enqueueOutbox(tx, { kind: "event-reject", participantId });
}

export interface AnswerInput {
  postId: string;
  accountId: string;
  status: Answer;
  /** Who answers, as the audience rule sees them (a remote Join: its signer). */
  viewer: Viewer;
  /** A remote participant's Join (replays hit its IRI). */
  joinIri?: string;
}

/** Records an answer; returns the status it gives (a place, the waiting list, or an organiser's approval to wait for). */
export async function answer(sql: Sql, origin: string, input: AnswerInput): Promise<{ status: ParticipationStatus }> {
  return await atomically(sql, async (tx) => {
    const e = await lockEvent(tx, input.postId, input.viewer);
    if (e.status === "cancelled") throw new DomainError("event_cancelled", 409, "this event is cancelled");
    if (e.ends_at.getTime() < Date.now()) throw new DomainError("event_ended", 409, "this event is over");
    if (e.join_mode === "external") throw new DomainError("external_participation", 409, "this event takes its participants on an external site");
    if (!e.local) return await answerRemote(tx, origin, e, input);
    const [current] = await tx`SELECT id::text, status, asked, join_iri FROM event_participants
      WHERE post_id = ${e.post_id} AND account_id = ${input.accountId} FOR UPDATE`;
    // A replayed or repeated answer changes nothing (a duplicate Join, a second click).
    if (current && (current.asked === input.status || (input.joinIri && current.join_iri === input.joinIri)) && current.status !== "rejected") {
      return { status: current.status as ParticipationStatus };
    }
    if (current?.status === "rejected") throw new DomainError("rejected", 403, "the organisers declined your participation");
    const organiser = await organiserOf(tx, e, input.accountId);
    if (e.join_mode === "invite" && !organiser) {
      const [invited] = await tx`SELECT 1 FROM event_invitations WHERE post_id = ${e.post_id} AND account_id = ${input.accountId}`;
      if (!invited) throw new DomainError("not_invited", 403, "this event is on invitation only");
    }
    let status: ParticipationStatus;
    if (input.status === "not_going") status = "not_going";
    // An approved person changing between going and maybe keeps their approval.
    else if (e.join_mode === "restricted" && !organiser && !(current && ["going", "maybe", "waitlisted"].includes(current.status))) status = "pending";
    else if (input.status === "maybe") status = "maybe";
    else if (current?.status === "going") status = "going";
    else status = e.capacity != null && (await goingCount(tx, e.post_id)) >= e.capacity ? "waitlisted" : "going";
    const [row] = await tx`INSERT INTO event_participants (post_id, account_id, status, asked, join_iri, waitlisted_at)
      VALUES (${e.post_id}, ${input.accountId}, ${status}, ${input.status}, ${input.joinIri ?? null}, ${status === "waitlisted" ? new Date() : null})
      ON CONFLICT (post_id, account_id) DO UPDATE SET status = excluded.status, asked = excluded.asked,
        join_iri = coalesce(excluded.join_iri, event_participants.join_iri),
        waitlisted_at = CASE WHEN excluded.status = 'waitlisted' THEN coalesce(event_participants.waitlisted_at, now()) ELSE NULL END,
        updated_at = now()
      RETURNING id::text`;
    if (current?.status === "going" && status !== "going") await promote(tx, e);
    if (input.joinIri) await tellRemote(tx, row.id, status);
    if (status === "pending") await tellOrganisers(tx, e.post_id, input.accountId, "ruche.event_request");
    else if (status !== "not_going") await tellOrganisers(tx, e.post_id, input.accountId, "ruche.event_participation");
    await countsChanged(tx, e.post_id);
    return { status };
  });
}

/** Our person answers a remote event: a Join to its home, pending until it is accepted; not going is a Leave. */
async function answerRemote(tx: TransactionSql, origin: string, e: Locked, input: AnswerInput): Promise<{ status: ParticipationStatus }> {
  if (input.joinIri) throw new DomainError("not_local", 422, "this event is managed on its own instance");
  if (input.status === "not_going") {
    await leaveRemote(tx, origin, e, input.accountId);
    return { status: "not_going" };
  }
  const [current] = await tx`SELECT status, asked FROM event_participants WHERE post_id = ${e.post_id} AND account_id = ${input.accountId}`;
  if (current && current.asked === input.status && current.status !== "rejected") return { status: current.status };
  const joinIri = `${origin}/activities/join/${randomUUID()}`;
  const [row] = await tx`INSERT INTO event_participants (post_id, account_id, status, asked, join_iri)
    VALUES (${e.post_id}, ${input.accountId}, 'pending', ${input.status}, ${joinIri})
    ON CONFLICT (post_id, account_id) DO UPDATE SET status = 'pending', asked = excluded.asked, join_iri = excluded.join_iri, updated_at = now()
    RETURNING id::text`;
  await enqueueOutbox(tx, { kind: "event-join", participantId: row.id });
  return { status: "pending" };
}

async function leaveRemote(tx: TransactionSql, origin: string, e: Locked, accountId: string): Promise<void> {
  const [gone] = await tx`DELETE FROM event_participants WHERE post_id = ${e.post_id} AND account_id = ${accountId} RETURNING join_iri`;
  if (gone?.join_iri) {
    await enqueueOutbox(tx, { kind: "event-leave", postId: e.post_id, accountId, joinIri: gone.join_iri, leaveIri: `${origin}/activities/leave/${randomUUID()}` });
  }
}

/** Leaves (our API's DELETE, a remote Leave): the place goes to the first on the waiting list. */
export async function leave(sql: Sql, origin: string, postId: string, accountId: string, viewer: Viewer): Promise<void> {
  await atomically(sql, async (tx) => {
    const e = await lockEvent(tx, postId, viewer);
    if (!e.local) return await leaveRemote(tx, origin, e, accountId);
    const [gone] = await tx`DELETE FROM event_participants WHERE post_id = ${e.post_id} AND account_id = ${accountId} RETURNING status`;
    if (!gone) return;
    if (gone.status === "going") await promote(tx, e);
    await countsChanged(tx, e.post_id);
  });
}

/** Fills free places from the waiting list, in order (under the event's lock). */
async function promote(tx: TransactionSql, e: Locked): Promise<void> {
  const free = e.capacity == null ? 1_000_000 : e.capacity - (await goingCount(tx, e.post_id));
  if (free <= 0) return;
  const promoted = await tx`UPDATE event_participants SET status = 'going', waitlisted_at = NULL, updated_at = now()
    WHERE id IN (SELECT id FROM event_participants WHERE post_id = ${e.post_id} AND status = 'waitlisted'
      ORDER BY waitlisted_at, id LIMIT ${free}) RETURNING id::text, account_id::text`;
  for (const p of promoted) {
    await tellRemote(tx, p.id, "going");
    await notify(tx, { accountId: p.account_id, type: "ruche.event_place", fromAccountId: e.account_id, postId: e.post_id });
  }
}

/** An organiser accepts (a place, or the waiting list when full) or declines a pending participant (restricted mode). */
export async function decide(sql: Sql, postId: string, organiserId: string, accountId: string, verdict: "accept" | "reject",
  viewer: Viewer): Promise<{ status: ParticipationStatus }> {
  return await atomically(sql, async (tx) => {
    const e = await lockEvent(tx, postId, viewer);
    if (!e.local) throw new DomainError("not_local", 422, "this event is managed on its own instance");
    if (!(await organiserOf(tx, e, organiserId))) throw new DomainError("forbidden", 403, "only the event's organisers may do this");
    const [p] = await tx`SELECT id::text, status, asked FROM event_participants WHERE post_id = ${e.post_id} AND account_id = ${accountId} FOR UPDATE`;
    if (!p) throw new DomainError("not_found", 404, "this person has not asked to take part");
    if (p.status !== "pending") return { status: p.status as ParticipationStatus };
    let status: ParticipationStatus;
    if (verdict === "reject") status = "rejected";
    else if (p.asked === "maybe") status = "maybe";
    else status = e.capacity != null && (await goingCount(tx, e.post_id)) >= e.capacity ? "waitlisted" : "going";
    await tx`UPDATE event_participants SET status = ${status}, updated_at = now(),
      waitlisted_at = ${status === "waitlisted" ? new Date() : null} WHERE id = ${p.id}`;
    await tellRemote(tx, p.id, status);
    if (status === "going" || status === "maybe") {
      await notify(tx, { accountId, type: "ruche.event_place", fromAccountId: organiserId, postId: e.post_id });
    }
    await countsChanged(tx, e.post_id);
    return { status };
  });
}

/** An organiser invites people (invite-only mode: only they, and the organisers, may answer). */
export async function inviteToEvent(sql: Sql, postId: string, organiserId: string, accountIds: string[], viewer: Viewer): Promise<void> {
  await atomically(sql, async (tx) => {
    const e = await lockEvent(tx, postId, viewer);
    if (!(await organiserOf(tx, e, organiserId))) throw new DomainError("forbidden", 403, "only the event's organisers may do this");
    const ids = accountIds.filter((id) => /^\d{1,18}$/.test(id)).slice(0, 500);
    const invited = await tx`INSERT INTO event_invitations (post_id, account_id) SELECT ${e.post_id}, a.id FROM accounts a
      WHERE a.id = ANY(${ids}::bigint[]) AND a.actor_type = 'Person' ON CONFLICT DO NOTHING RETURNING account_id::text`;
    for (const i of invited) {
      await notify(tx, { accountId: i.account_id, type: "ruche.event_invitation", fromAccountId: organiserId, postId: e.post_id });
    }
  });
}

export interface Participant { account: Account; status: ParticipationStatus; since: Date }

/** Answers as this instance holds them: all of them for a local event, our people's for a remote one. */
export async function listParticipants(db: Db, postId: string): Promise<Participant[]> {
  const rows = await db`SELECT ${accountColumns(db)}, ep.status, ep.updated_at AS since FROM event_participants ep
    JOIN accounts a ON a.id = ep.account_id WHERE ep.post_id = ${postId}
    ORDER BY CASE ep.status WHEN 'going' THEN 0 WHEN 'maybe' THEN 1 WHEN 'waitlisted' THEN 2 WHEN 'pending' THEN 3 ELSE 4 END,
      ep.waitlisted_at NULLS FIRST, ep.id LIMIT 1000`;
  return rows.map((r) => ({ account: toAccount(r), status: r.status as ParticipationStatus, since: r.since as Date }));
}

/** The viewer's own answer, or null. */
export async function participationOf(db: Db, postId: string, accountId: string): Promise<ParticipationStatus | null> {
  const [r] = await db`SELECT status FROM event_participants WHERE post_id = ${postId} AND account_id = ${accountId}`;
  return (r?.status as ParticipationStatus) ?? null;
}
