// Create from other servers, dispatched by the type of what is created: each kind of object has its file here
// (note.ts, vote.ts, event.ts now; video.ts, article.ts as those features land). An object no handler takes is
// refused with a log record naming its type — never stored as something it is not (a poll vote is a Note with a
// name answering a Question, and must not become a reply).
import { Article, type Create, Event, Note, type Object as APObject, Question, Video } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { type Ctx, INSTANCE_ACTOR } from "../../context.ts";
import { ingestNote } from "./note.ts";
import { receiveVote } from "./vote.ts";
import { ingestEvent } from "./event.ts";
import { ingestArticle } from "./article.ts";
import { questionToPoll } from "../../mappers/question.ts";
import { escapeHtml } from "../../../server/domain/posts/html.ts";

const logger = getLogger(["ruche", "federation", "inbox"]);

/** A Mastodon poll vote: a Note with a name (the option), no content, answering a post. */
export function isVote(object: Note): boolean {
  return object.name != null && object.content == null && object.replyTargetId != null;
}

export async function onCreate(ctx: Ctx, create: Create): Promise<void> {
  if (!create.actorId || !create.objectId) return;
  if (create.objectId.origin !== create.actorId.origin) {
    logger.info("Create by {actor} of an object on another origin refused: {object}", { actor: create.actorId.href, object: create.objectId.href });
    return; // case 7
  }
  const object: APObject | null = await create.getObject({
    crossOrigin: "throw", documentLoader: await ctx.getDocumentLoader({ identifier: INSTANCE_ACTOR }), contextLoader: ctx.contextLoader,
  }).catch(() => null);
  await dispatchCreated(ctx, object, create.actorId.href, "create", create.objectId.href);
}

/** Create and Update share the dispatch: an Update of a note edits it; of anything else, see its handler. */
export async function dispatchCreated(ctx: Ctx, object: APObject | null, actorIri: string, mode: "create" | "update", objectIri: string): Promise<void> {
  if (object instanceof Note) {
    if (isVote(object)) {
      // A vote is cast once; an "edit" of one is nothing Mastodon sends.
      if (mode === "create") await receiveVote(ctx, object, actorIri);
      else refuse(mode, "poll vote", actorIri, objectIri);
      return;
    }
    return await ingestNote(ctx, object, actorIri, mode);
  }
  // A sibling's article goes to the knowledge base (issue #14); anyone else's long-form article is shown as a post,
  // as Mastodon does.
  if (object instanceof Article) {
    if (ctx.data.siblings.isSibling(new URL(actorIri).origin)) return await ingestArticle(ctx, object, actorIri, mode);
    return await ingestNote(ctx, object, actorIri, mode);
  }
  // A video (a sibling's WebTV, PeerTube): a post with its title, description and watch link (issue #13).
  if (object instanceof Video) return await ingestNote(ctx, object, actorIri, mode);
  // A poll (Mastodon, Hollo, a sibling): a post with its poll; its Update brings fresh tallies. One we cannot read as
  // a poll (no deadline, fewer than two options) is a post showing its options as text, so nobody loses the question.
  if (object instanceof Question) {
    const poll = await questionToPoll(object);
    return await ingestNote(ctx, object, actorIri, mode, poll ? { poll } : await pollOptionsText(object));
  }
  // An event (Mobilizon, a sibling): a post carrying it, read from its home (event.ts).
  if (object instanceof Event) return await ingestEvent(ctx, object, actorIri, mode);
  refuse(mode, object == null ? "unreadable object" : (object.constructor as { typeId?: URL }).typeId?.href ?? object.constructor.name, actorIri, objectIri);
}

const MAX_OPTIONS = 20;

/** The poll's options as a list, from the embedded values only (an option given by URL is not fetched). */
async function pollOptionsText(q: Question): Promise<{ html: string; text: string }> {
  const noFetch = async (url: string): Promise<never> => {
    throw new Error(`not fetched: ${url}`);
  };
  // ○ one answer (oneOf), ☐ several (anyOf).
  const options: string[] = [];
  const lists = [["○", q.getExclusiveOptions({ documentLoader: noFetch, suppressError: true })], ["☐", q.getInclusiveOptions({ documentLoader: noFetch, suppressError: true })]] as const;
  for (const [mark, list] of lists) {
    for await (const option of list) {
      const name = option.name?.toString().trim();
      if (name && options.length < MAX_OPTIONS) options.push(`${mark} ${name.slice(0, 200)}`);
    }
  }
  if (options.length === 0) return { html: "", text: "" };
  return { html: `<p>${options.map(escapeHtml).join("<br>")}</p>`, text: options.join("\n") };
}

function refuse(mode: string, kind: string, actor: string, object: string): void {
  logger.info("{mode} of a {kind} from {actor} not handled (yet): {object}", { mode, kind, actor, object });
}
