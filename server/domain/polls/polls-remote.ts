// Polls and votes crossing servers, in the domain's terms (the federation layer maps Question and Note to these):
//   - a remote poll is stored with its post (posts-remote.ts) and its tallies refreshed by its author's Update;
//   - a remote vote names an option by its title (Mastodon's Note{name}): optionPosition maps it;
//   - our votes on a remote poll are delivered from what voteToDeliver reads.
import type { Db } from "../../db/pool.ts";
import { publish } from "../../events/bus.ts";
import { enqueueClose, POLL_LIMITS } from "./polls.ts";

export interface RemotePollInput {
  multiple: boolean;
  expiresAt: Date;
  closed: boolean;
  votersCount: number | null;
  options: { title: string; votesCount: number }[];
}

/** Caps what another server claims (corpus case 22): at most 20 options of at most 200 characters, sane counts. */
export function capRemotePoll(input: RemotePollInput): RemotePollInput | null {
  const count = (n: number | null) => (n != null && Number.isSafeInteger(n) && n >= 0 ? Math.min(n, 2_000_000_000) : 0);
  const seen = new Set<string>();
  const options: RemotePollInput["options"] = [];
  for (const o of input.options) {
    const title = o.title.trim().slice(0, POLL_LIMITS.max_characters_per_option);
    if (title === "" || seen.has(title)) continue;
    seen.add(title);
    options.push({ title, votesCount: count(o.votesCount) });
    if (options.length === POLL_LIMITS.max_options) break;
  }
  if (options.length < 1 || Number.isNaN(input.expiresAt.getTime())) return null;
  // Without votersCount (a server that does not send it): a single-choice poll has one vote per voter; a
  // multiple-choice one at least as many voters as its most chosen answer.
  const votes = options.map((o) => o.votesCount);
  const voters = input.votersCount != null ? count(input.votersCount)
    : input.multiple ? Math.max(0, ...votes) : votes.reduce((a, b) => a + b, 0);
  return { ...input, options, votersCount: voters };
}

/** With the remote post, in its transaction. Local voters are told when it ends (the poll-close job). */
export async function storeRemotePoll(db: Db, postId: string, input: RemotePollInput): Promise<void> {
  const p = capRemotePoll(input);
  if (!p) return;
  const voters = p.votersCount ?? 0;
  const [row] = await db`INSERT INTO polls (post_id, multiple, expires_at, voters_count, closed_at, refreshed_at)
    VALUES (${postId}, ${p.multiple}, ${p.expiresAt}, ${voters}, ${p.closed ? new Date() : null}, now())
    ON CONFLICT (post_id) DO NOTHING RETURNING 1 AS one`;
  if (!row) return;
  await db`INSERT INTO poll_options (post_id, position, title, votes_count)
    SELECT ${postId}, o.ord - 1, o.title, o.votes FROM unnest(${p.options.map((o) => o.title)}::text[], ${p.options.map((o) => o.votesCount)}::int[])
      WITH ORDINALITY AS o(title, votes, ord)`;
  if (!p.closed) await enqueueClose(db, postId, p.expiresAt.getTime() - Date.now());
}

/**
 * The author's server sent fresh tallies (Update(Question)): counts per option by title, voters, closed. The caller
 * has checked that the update comes from the poll's own author (corpus case 8). Options are never added or renamed.
 */
export async function updateRemoteTallies(db: Db, postId: string, authorId: string, input: RemotePollInput): Promise<boolean> {
  const p = capRemotePoll(input);
  if (!p) return false;
  const [poll] = await db`SELECT pl.post_id FROM polls pl JOIN posts x ON x.id = pl.post_id
    WHERE pl.post_id = ${postId} AND x.account_id = ${authorId} AND NOT x.local FOR UPDATE OF pl`;
  if (!poll) return false;
  await db`UPDATE poll_options o SET votes_count = n.votes
    FROM unnest(${p.options.map((o) => o.title)}::text[], ${p.options.map((o) => o.votesCount)}::int[]) AS n(title, votes)
    WHERE o.post_id = ${postId} AND o.title = n.title`;
  await db`UPDATE polls SET refreshed_at = now(),
      voters_count = coalesce(${p.votersCount}, voters_count),
      closed_at = CASE WHEN ${p.closed} THEN coalesce(closed_at, now()) ELSE closed_at END
    WHERE post_id = ${postId}`;
  await publish(db, { type: "poll.updated", postId, accountId: authorId });
  return true;
}

/** A local post's poll named by its IRI, with its option titles (an incoming vote's target). */
export async function localPollByIri(db: Db, iri: string): Promise<{ postId: string; authorId: string; titles: string[] } | null> {
  const [r] = await db`SELECT p.id::text AS post_id, p.account_id::text AS author_id,
      ARRAY(SELECT o.title FROM poll_options o WHERE o.post_id = p.id ORDER BY o.position) AS titles
    FROM posts p JOIN polls pl ON pl.post_id = p.id WHERE p.iri = ${iri} AND p.local`;
  return r ? { postId: r.post_id, authorId: r.author_id, titles: r.titles } : null;
}

/** What our vote on a remote poll sends: who, which option, and the poll and its author. */
export async function voteToDeliver(db: Db, voteId: string): Promise<{ voterId: string; title: string; pollIri: string; authorId: string } | null> {
  const [r] = await db`SELECT v.account_id::text AS voter_id, o.title, p.iri, p.account_id::text AS author_id
    FROM poll_votes v JOIN poll_options o ON o.post_id = v.post_id AND o.position = v.position
    JOIN posts p ON p.id = v.post_id WHERE v.id = ${voteId} AND NOT p.local`;
  return r ? { voterId: r.voter_id, title: r.title, pollIri: r.iri, authorId: r.author_id } : null;
}

/** Remote voters of a local poll (their servers get the tallies too, as Mastodon sends them). */
export async function remoteVoterIds(db: Db, postId: string): Promise<string[]> {
  const rows = await db`SELECT v.account_id::text AS id FROM poll_voters v JOIN accounts a ON a.id = v.account_id
    WHERE v.post_id = ${postId} AND a.domain IS NOT NULL`;
  return rows.map((r) => r.id as string);
}
