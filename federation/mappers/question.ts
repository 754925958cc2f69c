// Polls as ActivityPub, Mastodon's shape (activitypub-shapes.md §2.1; mastodon note_serializer.rb): a Question with
// its options in oneOf (single choice) or anyOf (multiple), each an id-less Note with `name` and
// `replies.totalItems`, `endTime`, `closed` once ended, and `votersCount`. Votes are Create(Note{name, inReplyTo}).
import { Temporal } from "@js-temporal/polyfill";
import { Collection, Note, type Question } from "@fedify/vocab";
import { type PollView, totalsShown } from "../../server/domain/polls/poll-views.ts";
import { POLL_LIMITS } from "../../server/domain/polls/polls.ts";
import type { RemotePollInput } from "../../server/domain/polls/polls-remote.ts";

const instant = (d: Date) => Temporal.Instant.fromEpochMilliseconds(d.getTime()) as never;

/**
 * The poll's part of our Question. While a poll hides its totals and is open, every option reports 0: the other
 * servers' readers see no more than ours (Mastodon's hide_totals).
 */
export function pollToQuestionFields(poll: PollView) {
  const shown = totalsShown(poll);
  const options = poll.options.map((o) => new Note({
    name: o.title, replies: new Collection({ totalItems: shown ? o.votesCount : 0 }),
  }));
  return {
    ...(poll.multiple ? { inclusiveOptions: options } : { exclusiveOptions: options }),
    endTime: instant(poll.expiresAt),
    closed: poll.expired ? instant(poll.expiresAt) : null,
    voters: poll.votersCount,
  };
}

/** The Update(Question) id of one state of the tallies: a job re-run sends the same id, a new state a new one. */
export function tallyFingerprint(poll: PollView): string {
  return [poll.votersCount, poll.expired ? "c" : "o", ...poll.options.map((o) => o.votesCount)].join("-");
}

const noFetch = async (url: string): Promise<never> => {
  throw new Error(`not fetched (embedded poll options only): ${url}`);
};

/**
 * A remote Question's poll, from its embedded options only (an option or a replies collection given by URL is not
 * fetched: no amplification, corpus case 22b). At most 20 options are read (case 22; the domain caps titles).
 * Null when it is no usable poll (no options, no deadline): the caller then shows its options as text.
 */
export async function questionToPoll(q: Question): Promise<RemotePollInput | null> {
  const opts = { documentLoader: noFetch, suppressError: true };
  const multiple = await hasAny(q.getInclusiveOptions(opts));
  const options: RemotePollInput["options"] = [];
  for await (const option of multiple ? q.getInclusiveOptions(opts) : q.getExclusiveOptions(opts)) {
    if (options.length >= POLL_LIMITS.max_options) break;
    const title = option.name?.toString();
    if (!title) continue;
    const replies = option instanceof Note ? await option.getReplies(opts).catch(() => null) : null;
    options.push({ title, votesCount: replies?.totalItems ?? 0 });
  }
  // `closed` is a date or a boolean (Mastodon sends the date); Fedify's Temporal is its own, read it by shape.
  const closedAt = typeof q.closed === "object" && q.closed != null ? q.closed.epochMilliseconds : null;
  const endMs = q.endTime?.epochMilliseconds ?? closedAt;
  if (options.length < 2 || endMs == null) return null;
  const expiresAt = new Date(endMs);
  const closed = q.closed === true || (closedAt != null && closedAt <= Date.now()) || endMs <= Date.now();
  return { multiple, expiresAt, closed, votersCount: q.voters, options };
}

async function hasAny(list: AsyncIterable<unknown>): Promise<boolean> {
  for await (const _ of list) return true;
  return false;
}
