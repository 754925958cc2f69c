// Poll activities we send (jobs.ts runs them): our people's votes on remote polls, one Create(Note{name, inReplyTo})
// per chosen option addressed to the poll's author only (activitypub-shapes.md §2.1), and a local poll's tallies
// as one Update(Question) per burst of votes (the poll-tally queue keeps one queued per poll) or at its close.
import { Create, Note, type Recipient, Update } from "@fedify/vocab";
import { findAccountById } from "../server/domain/accounts/accounts.ts";
import { blockedEitherWayIris } from "../server/domain/blocks/blocks.ts";
import { remoteVoterIds, voteToDeliver } from "../server/domain/polls/polls-remote.ts";
import { loadPost, postRow } from "../server/domain/posts/post-views.ts";
import { localViewer } from "../server/domain/audience/visibility.ts";
import type { Ctx } from "./context.ts";
import { postToNote } from "./mappers/note.ts";
import { tallyFingerprint } from "./mappers/question.ts";
import { postRecipients, type Built } from "./outbox-posts.ts";
import { recipientOf } from "./recipients.ts";
import { tallyUpdateIri, voteActivityIri, voteIri } from "./uris.ts";

export async function buildVote(ctx: Ctx, voteId: string): Promise<Built | null> {
  const vote = await voteToDeliver(ctx.data.sql, voteId);
  if (!vote) return null;
  const [voter, author] = await Promise.all([findAccountById(ctx.data.sql, vote.voterId), findAccountById(ctx.data.sql, vote.authorId)]);
  if (!voter || voter.domain != null || !author || author.domain == null) return null;
  if (!ctx.data.siblings.allows(new URL(author.iri).origin)) return null;
  const to = new URL(author.iri);
  const note = new Note({
    id: voteIri(voter.iri, voteId), attribution: new URL(voter.iri), to, name: vote.title, replyTarget: new URL(vote.pollIri),
  });
  const activity = new Create({ id: voteActivityIri(voter.iri, voteId), actor: new URL(voter.iri), to, object: note });
  return { sender: voter.username, recipients: [recipientOf(author)], activity, key: vote.pollIri };
}

/**
 * The poll's current tallies, to everyone the post went to and to its remote voters (a voter outside the post's
 * delivery, e.g. on a public poll, still sees the count move). Null for anything but a federated local poll.
 */
export async function buildTallyUpdate(ctx: Ctx, postId: string): Promise<Built | null> {
  const row = await postRow(ctx.data.sql, postId);
  if (!row || !row.local || row.visibility === "local") return null;
  const post = await loadPost(ctx.data.sql, postId, localViewer(row.accountId));
  if (!post?.poll) return null;
  const question = postToNote(ctx, post);
  const { tos, ccs } = { tos: question.toIds, ccs: question.ccIds };
  const activity = new Update({
    id: tallyUpdateIri(post.iri, tallyFingerprint(post.poll)), actor: new URL(post.account.iri), object: question, tos, ccs,
  });
  const recipients: Recipient[] = await postRecipients(ctx, post.account, post.visibility, post.mentions.map((m) => m.id));
  const blocked = await blockedEitherWayIris(ctx.data.sql, post.account.id);
  const listed = new Set(recipients.map((r) => r.id?.href));
  for (const id of await remoteVoterIds(ctx.data.sql, postId)) {
    const voter = await findAccountById(ctx.data.sql, id);
    if (!voter || listed.has(voter.iri) || blocked.has(voter.iri) || !ctx.data.siblings.allows(new URL(voter.iri).origin)) continue;
    recipients.push(recipientOf(voter));
  }
  return { sender: post.account.username, recipients, activity, key: post.iri };
}
