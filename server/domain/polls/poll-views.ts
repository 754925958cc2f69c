// Reading polls: the PollView each post carries (post-views.ts loadPosts asks for a whole page at once: two queries
// whatever the page size). The viewer's own votes are read here, so the API's `voted`/`own_votes` and the pages'
// vote form come from one place.
import type { Db } from "../../db/pool.ts";

export interface PollView {
  /** The post's id (the Mastodon API's poll id). */
  id: string;
  expiresAt: Date;
  /** Past its deadline, or closed by its server. */
  expired: boolean;
  multiple: boolean;
  hideTotals: boolean;
  votersCount: number;
  votesCount: number;
  options: { title: string; votesCount: number }[];
  /** The local viewer's chosen positions; null for anonymous and remote viewers. */
  ownVotes: number[] | null;
}

/** Totals are shown when the poll does not hide them, or once it has ended (Mastodon: null while hidden). */
export function totalsShown(poll: PollView): boolean {
  return !poll.hideTotals || poll.expired;
}

export async function loadPolls(db: Db, postIds: string[], viewerId: string | null): Promise<Map<string, PollView>> {
  const out = new Map<string, PollView>();
  if (postIds.length === 0) return out;
  const [polls, options] = await Promise.all([
    // A local poll counts its own rows (polls.ts castVote); a remote one shows the tallies its server published.
    db`SELECT pl.post_id::text AS id, pl.expires_at, pl.multiple, pl.hide_totals,
        CASE WHEN p.local THEN (SELECT count(*)::int FROM poll_voters v WHERE v.post_id = pl.post_id) ELSE pl.voters_count END AS voters_count,
        (pl.closed_at IS NOT NULL OR pl.expires_at <= now()) AS expired
        ${viewerId == null ? db`` : db`, ARRAY(SELECT v.position FROM poll_votes v
          WHERE v.post_id = pl.post_id AND v.account_id = ${viewerId} ORDER BY v.position)::int[] AS own_votes`}
      FROM polls pl JOIN posts p ON p.id = pl.post_id WHERE pl.post_id = ANY(${postIds}::bigint[])`,
    db`SELECT o.post_id::text AS id, o.title, CASE WHEN p.local
          THEN (SELECT count(*)::int FROM poll_votes v WHERE v.post_id = o.post_id AND v.position = o.position)
          ELSE o.votes_count END AS votes_count
      FROM poll_options o JOIN posts p ON p.id = o.post_id
      WHERE o.post_id = ANY(${postIds}::bigint[]) ORDER BY o.post_id, o.position`,
  ]);
  for (const r of polls) {
    out.set(r.id, {
      id: r.id, expiresAt: r.expires_at, expired: r.expired, multiple: r.multiple, hideTotals: r.hide_totals,
      votersCount: r.voters_count, votesCount: 0, options: [], ownVotes: viewerId == null ? null : (r.own_votes as number[]),
    });
  }
  for (const o of options) {
    const poll = out.get(o.id);
    if (!poll) continue;
    poll.options.push({ title: o.title, votesCount: o.votes_count });
    poll.votesCount += o.votes_count as number;
  }
  return out;
}
