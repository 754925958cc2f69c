// Domain post ⇄ ActivityPub Note, with Mastodon's addressing (activitypub-shapes.md §2.2) so Mastodon users see
// the right visibility. Which addressees each scope gets is the audience rule's (server/domain/audience/
// audience.ts: internal is addressed to <origin>/ap/audiences/internal, which Mastodon reads as "private");
// here they become URLs. Mentioned people are also Mention tags.
// Incoming notes are validated and sanitised here (corpus cases 18 and 24), so the domain stores trusted shapes.
import { Temporal } from "@js-temporal/polyfill";
import { Create, Document, Event, Hashtag, Image, Link, Mention, Note, type Object as APObject, Question, type Video } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import type { Account } from "../../server/domain/accounts/accounts.ts";
import { findAccountByIri } from "../../server/domain/accounts/accounts.ts";
import { htmlToText, sanitizeRemoteHtml } from "../../server/domain/posts/html.ts";
import type { PostView } from "../../server/domain/posts/post-views.ts";
import type { RemoteAttachment, RemotePostInput } from "../../server/domain/posts/posts-remote.ts";
import { type Addressee, SCOPES, type Visibility } from "../../server/domain/audience/audience.ts";
import type { Ctx } from "../context.ts";
import { pollToQuestionFields } from "./question.ts";
import { eventFields } from "./event.ts";
import { resolveActorByIri } from "../remote-actors.ts";

const logger = getLogger(["ruche", "federation", "inbox"]);

export const PUBLIC = new URL("https://www.w3.org/ns/activitystreams#Public");
/** The tag that says a post is urgent (docs/profile-jsonld.md names the `ruche:` namespace). */
export const URGENT_MARK = new URL("https://ruche.social/ns#urgent");

/** The audience collection our internal posts are addressed to: "every instance of the group". */
export function internalAudience(origin: string): URL {
  return new URL("/ap/audiences/internal", origin);
}

const instant = (d: Date) => Temporal.Instant.fromEpochMilliseconds(d.getTime()) as never;

/**
 * to/cc of a local post's activities. A post made in a group (`groupIri`) is also addressed to the group, whatever
 * its scope (FEP-1b12: the group relays it), and carries it as `audience` (postToNote).
 */
export function addressing(origin: string, authorIri: string, visibility: Visibility, mentionIris: string[], groupIri: string | null = null): { to: URL[]; cc: URL[] } {
  const rule = SCOPES[visibility].addressing;
  if (!rule) return { to: [], cc: [] }; // local: never mapped
  const urls = (a: Addressee): URL[] => {
    switch (a) {
      case "public": return [PUBLIC];
      case "followers": return [new URL(`${authorIri}/followers`)];
      case "internal": return [internalAudience(origin)];
      case "mentioned": return mentionIris.map((i) => new URL(i));
      case "group": return groupIri ? [new URL(groupIri)] : [];
    }
  };
  const to = rule.to.flatMap(urls);
  if (groupIri && !rule.to.includes("group") && visibility !== "direct") to.push(new URL(groupIri));
  return { to, cc: rule.cc.flatMap(urls) };
}

/** The Create of a local post: delivered, listed in the outbox collection, written to a person's archive. */
export function postToCreate(ctx: Ctx, post: PostView, note: Note | Question | Video | Event = postToNote(ctx, post)): Create {
  const { to, cc } = addressing(ctx.canonicalOrigin, post.account.iri, post.visibility, post.mentions.map((m) => m.iri), post.group?.iri ?? null);
  return new Create({ id: new URL(`${post.iri}/activity`), actor: new URL(post.account.iri), object: note, tos: to, ccs: cc, published: note.published });
}

/**
 * A local post as ActivityPub: a Note, a Question when it carries a poll (Mastodon's shape, question.ts), an Event
 * when it carries an event (Mobilizon's shape, event.ts). All share every field of the post.
 */
export function postToNote(ctx: Ctx, post: PostView): Note | Question | Event {
  const origin = ctx.canonicalOrigin;
  const { to, cc } = addressing(origin, post.account.iri, post.visibility, post.mentions.map((m) => m.iri), post.group?.iri ?? null);
  const localHost = new URL(origin).host;
  const fields = {
    id: new URL(post.iri),
    attribution: new URL(post.account.iri),
    content: post.contentHtml,
    summary: post.summary || null,
    sensitive: post.sensitive,
    published: instant(post.createdAt),
    updated: post.editedAt ? instant(post.editedAt) : null,
    url: post.url ? new URL(post.url) : null,
    replyTarget: post.inReplyToIri ? new URL(post.inReplyToIri) : null,
    audience: post.group ? new URL(post.group.iri) : null,
    tos: to,
    ccs: cc,
    tags: [
      ...post.mentions.map((m) => new Mention({ href: new URL(m.iri), name: `@${m.username}@${m.domain ?? localHost}` })),
      ...post.tags.map((t) => new Hashtag({ href: new URL(`/tags/${encodeURIComponent(t)}`, origin), name: `#${t}` })),
      // Urgent (issue #15): a tag, since Fedify re-compacts activities and drops extension terms; siblings alone are believed.
      ...(post.urgent ? [new Hashtag({ href: URGENT_MARK, name: "#urgent" })] : []),
    ],
    attachments: post.media.map((m) => new Document({
      url: new URL(m.url, origin), mediaType: m.contentType, name: m.description || null, width: m.width, height: m.height,
    })),
  };
  if (post.event) return new Event({ ...fields, ...eventFields(post.event) });
  return post.poll ? new Question({ ...fields, ...pollToQuestionFields(post.poll) }) : new Note(fields);
}

function ids(list: URL[]): string[] {
  return list.map((u) => u.href);
}

/** Mastodon's reading of an addressing, plus ours: a sibling's internal audience makes the post `internal`. */
export function visibilityOf(note: APObject, actor: Account, actorOrigin: string, sibling: boolean): Exclude<Visibility, "local" | "group"> {
  const to = ids(note.toIds), cc = ids(note.ccIds);
  if (to.includes(PUBLIC.href) || to.includes("as:Public") || to.includes("Public")) return "public";
  if (cc.includes(PUBLIC.href) || cc.includes("as:Public") || cc.includes("Public")) return "unlisted";
  // Only a sibling can make a post internal: an outsider naming some audience collection gets no elevated reach.
  if (sibling && [...to, ...cc].includes(internalAudience(actorOrigin).href)) return "internal";
  if (actor.followersUrl && [...to, ...cc].includes(actor.followersUrl)) return "followers";
  return "direct";
}

function httpUrl(u: unknown): string | null {
  if (!(u instanceof URL)) return null;
  return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
}

const MAX_CONTENT = 100_000, MAX_SUMMARY = 2_000, MAX_SIBLING_LOOKUPS = 20;

/** A claimed pixel size, kept only when plausible (a `width: 3e9` overflowed the column and failed the insert). */
function dimension(v: number | null | undefined): number | null {
  return typeof v === "number" && Number.isInteger(v) && v > 0 && v <= 100_000 ? v : null;
}

/**
 * A remote Note → domain input. The caller has checked that the note's id and attributedTo are the authenticated
 * actor's (cases 7 and 8). Mentions count only for accounts we already know (no fetch amplification, case 22b),
 * except that a sibling's note naming an employee of a sibling we have not met yet fetches that actor (at most
 * MAX_SIBLING_LOOKUPS): a message from Lyon to two Paris colleagues and one here must list all three here, or the
 * conversation loses one of them at the first answer. Siblings are the explicit allowlist, so nothing else is fetched.
 */
export async function noteToRemotePost(ctx: Ctx, note: Note | Video, author: Account, opts: { sibling: boolean }): Promise<RemotePostInput> {
  const iri = note.id!.href;
  const origin = new URL(author.iri).origin;
  const content = sanitizeRemoteHtml((note.content?.toString() ?? "").slice(0, MAX_CONTENT));
  const lang = (note.content as { locale?: Intl.Locale } | null)?.locale?.language ?? null;
  const summary = htmlToText((note.summary?.toString() ?? "").slice(0, MAX_SUMMARY)).slice(0, 500);
  const mentionIds: string[] = [], tags: string[] = [], media: RemoteAttachment[] = [];
  // Embedded values only: a tag or attachment given as a bare URL is not fetched. Fetching them let one Create
  // make ~110 signed GETs to any origin before the audience check, and a few such activities pointing at a tarpit
  // held every queue slot for minutes. The loader refuses; suppressError skips the item; we count what we skipped.
  let skipped = 0;
  const embeddedOnly = async (url: string): Promise<never> => {
    skipped++;
    throw new Error(`not fetched (embedded tags and attachments only): ${url}`);
  };
  const loaderOpts = { documentLoader: embeddedOnly, contextLoader: ctx.contextLoader, suppressError: true, crossOrigin: "ignore" as const };
  let count = 0, lookups = 0, urgent = false;
  for await (const tag of note.getTags(loaderOpts)) {
    if (++count > 100) break;
    if (tag instanceof Mention && tag.href) {
      let known = await findAccountByIri(ctx.data.sql, tag.href.href);
      if (!known && opts.sibling && lookups < MAX_SIBLING_LOOKUPS && ctx.data.siblings.isSibling(tag.href.origin)) {
        lookups++;
        known = await resolveActorByIri(ctx, tag.href.href).catch(() => null);
      }
      if (known) mentionIds.push(known.id);
    } else if (tag instanceof Hashtag && tag.href?.href === URGENT_MARK.href) {
      urgent = opts.sibling;
    } else if (tag instanceof Hashtag && tag.name) {
      const name = tag.name.toString().replace(/^#/, "").toLowerCase();
      if (/^[\p{L}\p{N}_]{1,100}$/u.test(name)) tags.push(name);
    }
  }
  count = 0;
  for await (const a of note.getAttachments(loaderOpts)) {
    if (++count > 8) break;
    if (!(a instanceof Document || a instanceof Image)) continue;
    const url = a.url instanceof Link ? httpUrl(a.url.href) : httpUrl(a.url);
    if (!url) continue; // data:, javascript:, file: … (case 18)
    media.push({
      url, contentType: (a.mediaType ?? "application/octet-stream").slice(0, 100),
      description: htmlToText((a.name?.toString() ?? "").slice(0, 1500)), width: dimension(a.width), height: dimension(a.height),
    });
  }
  if (skipped > 0) logger.info("Note {iri}: {skipped} tag(s) or attachment(s) given by URL only were not fetched", { iri, skipped });
  const url = note.url instanceof Link ? httpUrl(note.url.href) : httpUrl(note.url);
  const published = note.published ? new Date(note.published.epochMilliseconds) : new Date();
  return {
    iri,
    url,
    authorId: author.id,
    origin,
    visibility: visibilityOf(note, author, origin, opts.sibling),
    inReplyToIri: httpUrl(note.replyTargetId),
    contentHtml: content,
    contentText: htmlToText(content.replace(/<br\s*\/?>|<\/p>/g, "\n")),
    summary,
    sensitive: note.sensitive ?? summary !== "",
    language: lang && /^[a-z]{2,3}$/.test(lang) ? lang : null,
    // A date in the future would pin the post on top of timelines sorted by date: clamp it.
    createdAt: published.getTime() > Date.now() ? new Date() : published,
    editedAt: note.updated ? new Date(Math.min(note.updated.epochMilliseconds, Date.now())) : null,
    mentionIds: [...new Set(mentionIds)],
    tags: [...new Set(tags)],
    media,
    urgent,
  };
}
