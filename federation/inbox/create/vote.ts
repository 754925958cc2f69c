// Poll votes from other servers: Mastodon's Create(Note{name, inReplyTo, attributedTo}) addressed to the poll's
// author (activitypub-shapes.md §2.1), dispatched here by ./index.ts, never stored as a reply. Checks, each naming
// the attack it stops:
//   - the Note is the signer's own (same origin, attributedTo the signer): nobody votes in another's name (case 31;
//     the Create's own origin checks are index.ts's, cases 3 and 7);
//   - it answers one of our polls and names one of its options exactly;
//   - the domain's vote rules (castVote): open, not the author, once per option (single choice: once), and the
//     voter allowed by the post's audience as the signer is seen — a sibling or not (cases 28–30).
import type { Note } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { DomainError } from "../../../server/domain/errors.ts";
import { castVote } from "../../../server/domain/polls/polls.ts";
import { localPollByIri } from "../../../server/domain/polls/polls-remote.ts";
import type { Ctx } from "../../context.ts";
import { resolveActorByIri } from "../../remote-actors.ts";

const logger = getLogger(["ruche", "federation", "inbox"]);

/** The outcome, for logs and tests: "counted", "replay" or why it was refused. */
export async function receiveVote(ctx: Ctx, note: Note, actorIri: string): Promise<string> {
  const refuse = (why: string) => {
    logger.info("Poll vote {id} from {actor} refused: {why}", { id: note.id?.href, actor: actorIri, why });
    return why;
  };
  const actorOrigin = new URL(actorIri).origin;
  if (!note.id || note.id.origin !== actorOrigin) return refuse("vote id on another origin");
  const attributed = note.attributionIds.map((u) => u.href);
  if (attributed.length !== 1 || attributed[0] !== actorIri) return refuse("vote attributed to someone else");
  const poll = note.replyTargetId ? await localPollByIri(ctx.data.sql, note.replyTargetId.href) : null;
  if (!poll) return refuse("not an answer to one of our polls");
  const position = poll.titles.indexOf(note.name?.toString() ?? "");
  if (position < 0) return refuse("no such option");
  const voter = await resolveActorByIri(ctx, actorIri, { maxAgeMs: 86_400_000 });
  if (!voter || voter.domain == null) return refuse("unknown voter");
  try {
    const { added } = await castVote(ctx.data.sql, {
      postId: poll.postId, voterId: voter.id, choices: [position], iri: note.id.href,
      viewer: { kind: "remote", accountId: voter.id, domain: voter.domain, sibling: ctx.data.siblings.isSibling(actorOrigin), instanceActor: false },
    });
    return added.length > 0 ? "counted" : "replay";
  } catch (error) {
    if (error instanceof DomainError) return refuse(error.status === 404 ? "not in the poll's audience" : error.message);
    throw error;
  }
}
