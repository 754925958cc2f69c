// Opinion polls in posts, compatible with Mastodon (issue #11; Question and Create(Note{name}) votes,
// activitypub-shapes.md §2.1). A poll belongs to its post — same id, same audience — and is written in the post's
// transaction. Votes are checked here, once, whoever casts them (the Mastodon API, the pages, a remote server's
// Create(Note)): the option exists, the poll is open, the voter is not its author, one vote per person per option
// (single choice: one in total), and the voter may read the post (the one audience rule, visibility.ts: an
// `internal` poll takes no vote from outside the siblings — corpus cases 28–30). A local poll's tallies are
// counted from its vote rows, whose unique keys make a concurrent or replayed vote count once; a share lock on the
// poll orders votes against its close.
//
//   POLL_LIMITS                      the limits (Mastodon's names: /api/v2/instance configuration.polls)
//   createPoll(tx, postId, input)    with the post (posts.ts createPost); queues the poll-close job
//   castVote(db, vote)               → { added } (positions newly counted)
//   closePoll(db, postId)            the poll-close job: closed, poll-ended notifications to voters and author
// Reading: poll-views.ts. Remote polls' tallies: polls-remote.ts.
import { z } from "zod";
import { atomically, type Db, type TransactionSql } from "../../db/pool.ts";
import { canRead, type Viewer } from "../audience/visibility.ts";
import { DomainError } from "../errors.ts";
import { enqueueJob, hasQueuedJob } from "../../jobs/enqueue.ts";
import { enqueueOutbox } from "../outbox.ts";
import { notify } from "../notifications/notifications.ts";
import { publish } from "../../events/bus.ts";

/**
 * The one statement of the poll limits, under the names Mastodon publishes them with (`configuration.polls` of
 * /api/v2/instance). Remote polls are capped to the same numbers (corpus case 22, CVE-2026-23962).
 */
export const POLL_LIMITS = {
  max_options: 20,
  max_characters_per_option: 200,
  min_expiration: 300,
  max_expiration: 7_776_000,
} as const;
export const MIN_POLL_OPTIONS = 2;

/** How long after a vote the tallies go out as one Update(Question): votes within it share the Update. */
export const TALLY_DELAY_MS = 2_000;

export const pollInputSchema = z.object({
  options: z.array(z.string().trim()
    .min(1, "options must not be blank")
    .max(POLL_LIMITS.max_characters_per_option, `options must be at most ${POLL_LIMITS.max_characters_per_option} characters`))
    .min(MIN_POLL_OPTIONS, `needs at least ${MIN_POLL_OPTIONS} options`)
    .max(POLL_LIMITS.max_options, `can have at most ${POLL_LIMITS.max_options} options`)
    .refine((list) => new Set(list).size === list.length, "options must not contain duplicates"),
  expiresIn: z.number().int("expires_in must be a whole number of seconds")
    .min(POLL_LIMITS.min_expiration, `must last at least ${POLL_LIMITS.min_expiration / 60} minutes`)
    .max(POLL_LIMITS.max_expiration, `must end within ${POLL_LIMITS.max_expiration / 86_400} days`),
  multiple: z.boolean().default(false),
  hideTotals: z.boolean().default(false),
});
export type PollInput = z.input<typeof pollInputSchema>;

/** Validates a poll before anything is written (a bad poll leaves no post behind). */
export function parsePoll(input: PollInput): z.output<typeof pollInputSchema> {
  const parsed = pollInputSchema.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new DomainError("validation_failed", 422, `Poll ${i.message}`);
  }
  return parsed.data;
}

/** In the post's transaction: the poll, its options and the job that closes it at its deadline. */
export async function createPoll(tx: TransactionSql, postId: string, input: PollInput): Promise<void> {
  const p = parsePoll(input);
  await tx`INSERT INTO polls (post_id, multiple, hide_totals, expires_at)
    VALUES (${postId}, ${p.multiple}, ${p.hideTotals}, now() + make_interval(secs => ${p.expiresIn}))`;
  await tx`INSERT INTO poll_options (post_id, position, title)
    SELECT ${postId}, o.ord - 1, o.title FROM unnest(${p.options}::text[]) WITH ORDINALITY AS o(title, ord)`;
  await enqueueClose(tx, postId, p.expiresIn * 1000);
}

/** The poll-close job, due at the deadline (one queued per poll). */
export async function enqueueClose(db: Db, postId: string, delayMs: number): Promise<void> {
  await enqueueJob(db, "poll-close", { postId }, { key: postId, delayMs: Math.max(0, delayMs) });
}

// Mastodon's own messages (config/locales/en.yml polls.errors), so apps show what they know.
export const VOTE_ERRORS = {
  expired: "The poll has already ended",
  selfVote: "You cannot vote in your own poll",
  alreadyVoted: "You have already voted on this poll",
  invalidChoice: "The chosen vote option does not exist",
  noChoice: "Choices can't be blank",
  oneChoice: "This poll takes a single choice",
} as const;

export interface VoteInput {
  postId: string;
  voterId: string;
  /** The voter as the audience rule sees them: a local employee, or a remote actor (signed, sibling or not). */
  viewer: Viewer;
  /** Option positions (0-based). */
  choices: number[];
  /**
   * A remote vote's Note id. Remote servers send one Create(Note) per option of a multiple-choice poll, so a voter
   * who already voted may add another option; a local vote (no iri) gives all its choices at once, as in Mastodon.
   */
  iri?: string | null;
}

const refused = (message: string) => new DomainError("validation_failed", 422, message);

/**
 * Counts a vote, or refuses it with Mastodon's message (422), or 404 when the voter may not read the poll. Returns
 * the positions newly counted (a replayed remote vote counts none).
 */
export async function castVote(db: Db, v: VoteInput): Promise<{ added: number[] }> {
  const choices = [...new Set(v.choices)];
  if (choices.length === 0) throw refused(VOTE_ERRORS.noChoice); // mastodon#18526
  if (choices.some((c) => !Number.isInteger(c) || c < 0 || c >= POLL_LIMITS.max_options)) throw refused(VOTE_ERRORS.invalidChoice);
  return await atomically(db, async (tx) => {
    // A share lock on the poll: votes run side by side (each writes only its own rows), while the close job's
    // exclusive lock waits for the votes in flight and every later vote sees the poll closed.
    const [poll] = await tx`SELECT pl.multiple, pl.closed_at, pl.expires_at <= now() AS expired, p.account_id::text AS author_id,
        p.local, p.visibility, (SELECT count(*)::int FROM poll_options o WHERE o.post_id = pl.post_id) AS options
      FROM polls pl JOIN posts p ON p.id = pl.post_id WHERE pl.post_id = ${v.postId} FOR SHARE OF pl`;
    if (!poll) throw new DomainError("not_found", 404, "no such poll");
    // Case 28: who may not read the post may not vote on it (a followers-only poll, an internal poll from outside).
    if (!(await canRead(tx, v.viewer, v.postId))) throw new DomainError("not_found", 404, "no such poll");
    if (poll.author_id === v.voterId) throw refused(VOTE_ERRORS.selfVote);
    if (poll.closed_at != null || poll.expired) throw refused(VOTE_ERRORS.expired);
    if (choices.some((c) => c >= poll.options)) throw refused(VOTE_ERRORS.invalidChoice);
    if (!poll.multiple && choices.length > 1) throw refused(VOTE_ERRORS.oneChoice);
    // The unique keys decide: one voter row per person (a concurrent second vote waits for the first and finds it),
    // one vote row per person and option. Local tallies are counted from these rows (poll-views.ts), so no counter
    // row serialises the votes and no concurrent vote can be lost or counted twice.
    const [newVoter] = await tx`INSERT INTO poll_voters (post_id, account_id) VALUES (${v.postId}, ${v.voterId})
      ON CONFLICT DO NOTHING RETURNING 1 AS one`;
    if (!newVoter) {
      // A replay of a counted remote vote is no error: it counts nothing.
      if (v.iri && (await tx`SELECT 1 FROM poll_votes WHERE iri = ${v.iri}`).length > 0) return { added: [] };
      if (!poll.multiple || !v.iri) throw refused(VOTE_ERRORS.alreadyVoted); // case 29
    }
    const rows = await tx`INSERT INTO poll_votes (post_id, account_id, position, iri)
      SELECT ${v.postId}, ${v.voterId}, c, ${v.iri ?? null} FROM unnest(${choices}::smallint[]) AS c
      ON CONFLICT DO NOTHING RETURNING id::text, position`;
    const added = rows.map((r) => r.position as number);
    if (added.length === 0) return { added };
    if (!poll.local) {
      // Our person's vote on another server's poll: sent to its author, one Create(Note{name}) per option. Its
      // tallies stay the author's (Update(Question)).
      for (const r of rows) await enqueueOutbox(tx, { kind: "poll-vote", postId: v.postId, voteId: r.id });
    } else if (poll.visibility !== "local") {
      await enqueueTally(tx, v.postId);
    }
    await publish(tx, { type: "poll.updated", postId: v.postId, accountId: poll.author_id });
    return { added };
  });
}

/**
 * One Update(Question) for the votes of the next few seconds (the queue keeps one queued per poll). Looked up first:
 * the queue's unique key would otherwise make concurrent votes wait for each other's commit to learn it is taken.
 */
export async function enqueueTally(db: Db, postId: string): Promise<void> {
  if (await hasQueuedJob(db, "poll-tally", postId)) return;
  await enqueueJob(db, "poll-tally", { postId }, { key: postId, delayMs: TALLY_DELAY_MS });
}

/**
 * The poll-close job. Closes the poll once (closed_at), notifies its local voters and its local author ('poll',
 * Mastodon's poll-ended notification), and sends the final tallies of a local poll. A job that runs early (clock
 * skew between processes) queues itself again for what remains.
 */
export async function closePoll(db: Db, postId: string): Promise<"closed" | "already" | "later"> {
  return await atomically(db, async (tx) => {
    const [poll] = await tx`SELECT pl.closed_at, extract(epoch FROM pl.expires_at - now()) * 1000 AS remaining_ms,
        p.account_id::text AS author_id, p.local, p.visibility
      FROM polls pl JOIN posts p ON p.id = pl.post_id WHERE pl.post_id = ${postId} FOR UPDATE OF pl`;
    if (!poll || poll.closed_at != null) return "already";
    const remaining = Number(poll.remaining_ms);
    if (remaining > 0) {
      await enqueueClose(tx, postId, remaining);
      return "later";
    }
    await tx`UPDATE polls SET closed_at = now() WHERE post_id = ${postId}`;
    await notifyEnded(tx, postId, poll.author_id);
    if (poll.local && poll.visibility !== "local") await enqueueTally(tx, postId);
    await publish(tx, { type: "poll.updated", postId, accountId: poll.author_id });
    return "closed";
  });
}

/** Poll-ended notifications: the author (about their own poll) and every local voter, from the author. */
export async function notifyEnded(db: Db, postId: string, authorId: string): Promise<void> {
  await notify(db, { accountId: authorId, type: "poll", fromAccountId: authorId, postId });
  const voters = await db`SELECT v.account_id::text AS id FROM poll_voters v JOIN accounts a ON a.id = v.account_id
    WHERE v.post_id = ${postId} AND a.domain IS NULL`;
  for (const voter of voters) await notify(db, { accountId: voter.id, type: "poll", fromAccountId: authorId, postId });
}
