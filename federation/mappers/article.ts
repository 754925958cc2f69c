// Knowledge-base articles ⇄ ActivityPub `Article` (activitypub-shapes.md §2.7): `name` the title, `summary` an
// abstract (what Mastodon shows, with a link), HTML `content`, `source` the Markdown, `url` the page, `tag` the
// hashtags. Addressed as a post of the same scope (note.ts addressing, the audience rule).
import { Temporal } from "@js-temporal/polyfill";
import { Article, Create, Hashtag, type Object as APObject, Source, Update } from "@fedify/vocab";
import type { ArticleView } from "../../server/domain/knowledge/articles.ts";
import type { RemoteArticleInput } from "../../server/domain/knowledge/articles-remote.ts";
import { renderArticle } from "../../server/domain/knowledge/article-html.ts";
import { htmlToText, sanitizeRemoteHtml } from "../../server/domain/posts/html.ts";
import type { Account } from "../../server/domain/accounts/accounts.ts";
import { addressing, visibilityOf } from "./note.ts";

const instant = (d: Date) => Temporal.Instant.fromEpochMilliseconds(d.getTime()) as never;

/** The abstract: the writer's summary, else the first 280 characters of the text. */
export function abstractOf(a: Pick<ArticleView, "summary" | "text">): string {
  if (a.summary) return a.summary;
  const t = a.text.replace(/\s+/g, " ").trim();
  return t.length > 280 ? `${t.slice(0, 279)}…` : t;
}

/** `groupIri`: the group whose space the article is in (addressed to it, and its `audience`, as a post in it). */
export function articleToAP(origin: string, a: ArticleView, groupIri: string | null = null): Article {
  const { to, cc } = addressing(origin, a.author.iri, a.visibility, [], groupIri);
  return new Article({
    id: new URL(a.iri),
    attribution: new URL(a.author.iri),
    name: a.title,
    summary: abstractOf(a),
    content: a.html,
    source: new Source({ content: a.source, mediaType: "text/markdown" }),
    url: a.url ? new URL(a.url) : null,
    published: instant(a.createdAt),
    updated: instant(a.updatedAt),
    audience: groupIri ? new URL(groupIri) : null,
    tos: to,
    ccs: cc,
    tags: a.tags.map((t) => new Hashtag({ href: new URL(`/knowledge?tag=${encodeURIComponent(t)}`, origin), name: `#${t}` })),
  });
}

/** Create for the first revision, Update (named by the revision, so a re-run job re-sends the same id) after. */
export function articleActivity(origin: string, a: ArticleView, kind: "create" | "update", groupIri: string | null = null): Create | Update {
  const object = articleToAP(origin, a, groupIri);
  const common = { actor: new URL(a.author.iri), object, tos: object.toIds, ccs: object.ccIds };
  return kind === "create"
    ? new Create({ id: new URL(`${a.iri}/activity`), published: object.published, ...common })
    : new Update({ id: new URL(`${a.iri}#revision-${a.revisionId}`), updated: object.updated, ...common });
}

const MAX_SOURCE = 1024 * 1024, MAX_HTML = 2 * 1024 * 1024;

/** A remote Article → the domain's input. The caller checked the id and attribution are the signer's. */
export async function apToRemoteArticle(object: Article, author: Account, opts: { sibling: boolean; group?: { id: string; locked: boolean } | null }): Promise<RemoteArticleInput | null> {
  const title = (object.name?.toString() ?? "").trim().slice(0, 300);
  if (!title || !object.id) return null;
  const source = object.source?.mediaType === "text/markdown" ? (object.source.content?.toString() ?? "").slice(0, MAX_SOURCE) : "";
  // With its Markdown, the article is rendered here by our own renderer (headings, tables, code: a document's
  // allowlist, our heading ids); without, its HTML gets the posts' stricter sanitising.
  const html = source ? renderArticle(source, null).html : sanitizeRemoteHtml((object.content?.toString() ?? "").slice(0, MAX_HTML));
  const tags: string[] = [];
  const noFetch = async (url: string): Promise<never> => {
    throw new Error(`not fetched: ${url}`);
  };
  for await (const tag of object.getTags({ documentLoader: noFetch, suppressError: true })) {
    if (tags.length >= 20) break;
    if (tag instanceof Hashtag && tag.name) {
      const name = tag.name.toString().replace(/^#/, "").toLowerCase();
      if (/^[\p{L}\p{N}_]{1,100}$/u.test(name)) tags.push(name);
    }
  }
  // In a project's space: its members' (the group scope); in a community's: as addressed, at most internal.
  let visibility: RemoteArticleInput["visibility"] = visibilityOf(object as APObject, author, new URL(author.iri).origin, opts.sibling);
  if (opts.group?.locked) visibility = "group";
  else if (opts.group && (visibility === "followers" || visibility === "direct")) visibility = "internal";
  if (visibility === "followers" || visibility === "direct") return null; // an article's scopes have no such audience
  const url = object.url instanceof URL && /^https?:$/.test(object.url.protocol) ? object.url.href : null;
  return {
    iri: object.id.href, url, authorId: author.id, origin: new URL(author.iri).origin, visibility, groupId: opts.group?.id ?? null, title,
    summary: htmlToText((object.summary?.toString() ?? "").slice(0, 2000)).slice(0, 500), source, html, text: htmlToText(html), tags,
    publishedAt: object.published ? new Date(object.published.epochMilliseconds) : null,
    updatedAt: object.updated ? new Date(object.updated.epochMilliseconds) : null,
  };
}
