// Notes from other servers (Create and Update, dispatched by ./index.ts). Checks, each naming the attack it stops:
//   - the note's id must be on the actor's origin and attributed to the actor: a Create by a/actor embedding
//     b/note is not trusted (corpus case 7), and nobody posts in another's name (case 31);
//   - the object is read with crossOrigin "throw": an embedded copy from another origin is never used as is;
//   - internal scope only from siblings (visibilityOf); outsiders' posts only when someone here follows, is
//     mentioned or is answered (hasLocalAudience), so an open-mode peer cannot fill the database unasked;
//   - Delete before Create leaves a tombstone that drops the late Create; replays hit the unique IRI (posts-remote).
import type { Article, Note, Event, Question, Video } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import type { RemotePollInput } from "../../../server/domain/polls/polls-remote.ts";
import type { RemoteEventInput } from "../../../server/domain/events/events-remote.ts";
import { hasLocalAudience, storeRemotePost, updateRemotePost } from "../../../server/domain/posts/posts-remote.ts";
import type { Ctx } from "../../context.ts";
import { noteToRemotePost } from "../../mappers/note.ts";
import { resolveActorByIri } from "../../remote-actors.ts";
import type { Account } from "../../../server/domain/accounts/accounts.ts";
import { findGroupAmong, type GroupView, isMember } from "../../../server/domain/groups/groups.ts";

const logger = getLogger(["ruche", "federation", "inbox"]);

/**
 * Stores (create) or refreshes (update) a note the authenticated actor `actorIri` published. `extra`: a Question's
 * poll, or its options as text appended to the post (a Question we cannot read as a poll).
 */
export async function ingestNote(ctx: Ctx, note: Note | Article | Question | Video | Event, actorIri: string, mode: "create" | "update",
  extra?: { html: string; text: string } | { poll: RemotePollInput } | { event: RemoteEventInput }, via?: { relayedBy: GroupView }): Promise<void> {
  const actorOrigin = new URL(actorIri).origin;
  if (!note.id || note.id.origin !== actorOrigin) return;
  const attributed = note.attributionIds.map((u) => u.href);
  if (attributed.length !== 1 || attributed[0] !== actorIri) return; // case 31: only the signer's own notes
  const author = await resolveActorByIri(ctx, actorIri, { maxAgeMs: 86_400_000 });
  if (!author || author.domain == null) return;
  const sibling = ctx.data.siblings.isSibling(actorOrigin);
  const input = await noteToRemotePost(ctx, note as Note, author, { sibling });
  if (extra && "poll" in extra) input.poll = extra.poll;
  else if (extra && "event" in extra) input.event = extra.event;
  else if (extra) {
    input.contentHtml += extra.html;
    input.contentText = `${input.contentText}\n${extra.text}`.trim();
  }
  const group = await groupOfNote(ctx, note, author, via?.relayedBy ?? null, mode);
  if (group === "refused") return;
  if (group) {
    input.groupId = group.account.id;
    input.relayToGroup = group.local;
    // A project's post is read by its members only, whatever else it names (the audience rule's group row).
    if (group.account.locked) input.visibility = "group";
  } else if (!sibling && !(await hasLocalAudience(ctx.data.sql, author.id, input.mentionIds, input.inReplyToIri))) return;
  if (mode === "update" && (await updateRemotePost(ctx.data.sql, input))) return;
  // An author's own edit of a remote project's post we do not hold creates nothing: it comes through the group.
  if (group && !group.local && group.account.locked && !via) return;
  const stored = await storeRemotePost(ctx.data.sql, input);
  logger.debug("Note {iri} from {actor}: {result}", {
    iri: input.iri, actor: actorIri, result: stored == null ? "tombstoned" : stored.created ? "stored" : "already known",
  });
}

/**
 * The group a note is made in (its `audience`, or a group it is addressed to), checked (issue #10): in one of our
 * groups only a member may post (a non-member's or a removed member's Create is refused); a remote project's post
 * reaches us only through its group's relay, of a note addressed to that group (a relay of another group's post is
 * refused). A relayed note naming no group is refused too.
 */
async function groupOfNote(ctx: Ctx, note: Note | Article | Question | Video | Event, author: Account, relayedBy: GroupView | null,
  mode: "create" | "update"): Promise<GroupView | "refused" | null> {
  const named = [...note.audienceIds, ...note.toIds, ...note.ccIds].map((u) => u.href);
  const group = await findGroupAmong(ctx.data.sql, named);
  const refuse = (why: string) => {
    logger.info("Note {iri} by {author} refused: {why}", { iri: note.id?.href ?? null, author: author.iri, why });
    return "refused" as const;
  };
  if (relayedBy && group?.account.id !== relayedBy.account.id) return refuse(`relayed by ${relayedBy.account.iri}, which it is not addressed to`);
  if (!group) return null;
  if (group.local) {
    if (!(await isMember(ctx.data.sql, group.account.id, author.id))) return refuse(`not a member of ${group.account.iri}`);
    return group;
  }
  // (An Update by the author edits a post we hold; it never creates one: ingestNote.)
  if (!relayedBy && group.account.locked && mode === "create") return refuse(`a project's posts come through its group (${group.account.iri})`);
  return group;
}
