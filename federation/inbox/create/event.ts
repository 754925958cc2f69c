// Events from other servers (Create and Update, dispatched by ./index.ts; Mobilizon's and FEP-8a8e's `Event`).
// The Event is read from its home with a signed fetch rather than from the activity: activities are re-compacted
// when sent and lose Mobilizon's terms (timezone, joinMode, counts, mappers/event.ts), and the fetched document is
// the home's current state, so an Update of counts delivered late or twice cannot set counts back. Then it is a post
// like any other (ingestNote: same origin and attribution checks, same audience rules), carrying its event.
import { Event } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { type Ctx, INSTANCE_ACTOR } from "../../context.ts";
import { eventToRemoteEvent } from "../../mappers/event.ts";
import { ingestNote } from "./note.ts";

const logger = getLogger(["ruche", "federation", "inbox"]);

/** The Event at `iri` as its home serves it now, with its raw document; null when it cannot be read as one. */
export async function fetchEvent(ctx: Ctx, iri: string): Promise<{ object: Event; doc: Record<string, unknown> } | null> {
  const loader = await ctx.getDocumentLoader({ identifier: INSTANCE_ACTOR });
  const { document } = await loader(iri);
  if (!document || typeof document !== "object") return null;
  const doc = document as Record<string, unknown>;
  if (doc.id !== iri) return null; // a document claiming another id is not that event (case 4, for objects)
  const object = await Event.fromJsonLd(doc, { documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader }).catch(() => null);
  return object ? { object, doc } : null;
}

export async function ingestEvent(ctx: Ctx, received: Event, actorIri: string, mode: "create" | "update"): Promise<void> {
  const iri = received.id?.href;
  if (!iri || new URL(iri).origin !== new URL(actorIri).origin) return; // case 7: only the actor's own events
  const fetched = await fetchEvent(ctx, iri).catch((error) => {
    logger.info("Event {iri} from {actor} could not be fetched: {error}", { iri, actor: actorIri, error: String(error) });
    return null;
  });
  if (!fetched) return;
  const event = eventToRemoteEvent(fetched.object, fetched.doc);
  if (!event) {
    logger.info("Event {iri} from {actor} refused: no title or start, or it ends before it starts", { iri, actor: actorIri });
    return;
  }
  await ingestNote(ctx, fetched.object, actorIri, mode, { event });
}

/**
 * An event by its URL (its IRI, or a sibling's page /events/{id}), fetched from its home when we do not hold it —
 * what GET /api/ruche/v1/events/resolve asks. Only servers the federation mode allows are asked.
 */
export async function resolveEventUrl(ctx: Ctx, url: string): Promise<string | null> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") return null;
  if (!ctx.data.siblings.allows(u.origin)) return null;
  // A Ruche sibling's event page names its post: the object lives at /ap/note/{id} (one object path per type).
  const page = /^\/events\/(\d{1,18})$/.exec(u.pathname);
  const iri = page && ctx.data.siblings.isSibling(u.origin) ? new URL(`/ap/note/${page[1]}`, u.origin).href : u.href;
  const fetched = await fetchEvent(ctx, iri).catch(() => null);
  const author = fetched?.object.attributionId?.href;
  if (!fetched || !author || new URL(author).origin !== u.origin) return null;
  const event = eventToRemoteEvent(fetched.object, fetched.doc);
  if (!event) return null;
  await ingestNote(ctx, fetched.object, author, "create", { event });
  const [r] = await ctx.data.sql`SELECT p.id::text FROM posts p JOIN events e ON e.post_id = p.id WHERE p.iri = ${iri}`;
  return (r?.id as string) ?? null;
}
