// Rendering what an employee typed into the HTML of a post: plain text or a small Markdown subset (paragraphs, line
// breaks, *emphasis*, **strong**, `code`, [links](https://…)), with @mentions, #hashtags and bare links turned into
// Mastodon-shaped anchors (h-card/u-url mention, rel=tag hashtag) so other servers recognise them.
//
// Safety: nothing the author typed is ever emitted unescaped — the renderer builds tags itself and escapes every
// text run; link targets are http(s) only (a `[x](javascript:…)` stays text: corpus case 24).
import { escapeHtml, rewriteLinks } from "./html.ts";
import { normaliseTag } from "./hashtags.ts";

export type SourceType = "text/plain" | "text/markdown";

/** `@user` (local) or `@user@host[:port]`. */
export const MENTION_RE = /(?<![\p{L}\p{N}_@/.])@([a-z0-9_]{1,30})(?:@([a-z0-9-]+(?:\.[a-z0-9-]+)*(?::\d{1,5})?))?/giu;
/** `#tag`: letters, digits, underscores, at least one non-digit. */
export const HASHTAG_RE = /(?<![\p{L}\p{N}_&#/])#([\p{L}\p{N}_]*[\p{L}_][\p{L}\p{N}_]*)/gu;
const URL_RE = /\bhttps?:\/\/[^\s<>"'`]+[^\s<>"'`.,;:!?)\]]/gi;

export interface MentionTarget { url: string; username: string }

export interface RenderOptions {
  /** The account a handle names (lower-cased `user` or `user@host`), or null to leave it as text. */
  mention(handle: string): MentionTarget | null;
  /** The page of a hashtag on this instance. */
  tagUrl(tag: string): string;
}

/** Handles (`user` or `user@host`) and hashtags (lower-cased, unique) that the text names, code spans excluded. */
export function extractMentionsAndTags(text: string, type: SourceType): { handles: string[]; tags: string[] } {
  const stripped = type === "text/markdown" ? text.replace(/`[^`\n]*`/g, " ") : text;
  const withoutUrls = stripped.replace(URL_RE, " ");
  const handles = new Set<string>(), tags = new Set<string>();
  for (const m of withoutUrls.matchAll(MENTION_RE)) handles.add((m[2] ? `${m[1]}@${m[2]}` : m[1]).toLowerCase());
  for (const m of withoutUrls.matchAll(HASHTAG_RE)) tags.add(m[1].toLowerCase());
  return { handles: [...handles], tags: [...tags].slice(0, 30) };
}

function anchor(href: string, label: string, attrs = ""): string {
  return `<a href="${escapeHtml(href)}"${attrs} rel="nofollow noopener noreferrer" target="_blank">${label}</a>`;
}

function linkLabel(url: string): string {
  return escapeHtml(url.replace(/^https?:\/\//, ""));
}

/** Mentions, hashtags and bare URLs in a run of plain text; everything else escaped. */
function autolink(text: string, opts: RenderOptions): string {
  const re = new RegExp(`${URL_RE.source}|${MENTION_RE.source}|${HASHTAG_RE.source}`, "giu");
  let out = "", last = 0;
  for (const m of text.matchAll(re)) {
    const [whole, user, host, tag] = m;
    const start = m.index!;
    let html: string | null = null;
    if (/^https?:/i.test(whole)) html = anchor(whole, linkLabel(whole));
    else if (user !== undefined) {
      const target = opts.mention((host ? `${user}@${host}` : user).toLowerCase());
      if (target) {
        html = `<span class="h-card" translate="no"><a href="${escapeHtml(target.url)}" class="u-url mention">@<span>${escapeHtml(target.username)}</span></a></span>`;
      }
    } else if (tag !== undefined) {
      html = `<a href="${escapeHtml(opts.tagUrl(tag.toLowerCase()))}" class="mention hashtag" rel="tag">#<span>${escapeHtml(tag)}</span></a>`;
    }
    if (html === null) continue;
    out += escapeHtml(text.slice(last, start)) + html;
    last = start + whole.length;
  }
  return out + escapeHtml(text.slice(last));
}

/** Markdown inline subset over a paragraph; text runs go through autolink. */
function markdownInline(text: string, opts: RenderOptions): string {
  const re = /`([^`\n]+)`|\[([^\]\n]{1,500})\]\((https?:\/\/[^\s)]+)\)|\*\*([^*\n]+)\*\*|(?<![\p{L}\p{N}*_])[*_]([^*_\n]+)[*_](?![\p{L}\p{N}*_])/gu;
  let out = "", last = 0;
  for (const m of text.matchAll(re)) {
    const [whole, code, linkText, href, strong, em] = m;
    out += autolink(text.slice(last, m.index), opts);
    if (code !== undefined) out += `<code>${escapeHtml(code)}</code>`;
    else if (linkText !== undefined) out += anchor(href, escapeHtml(linkText));
    else if (strong !== undefined) out += `<strong>${markdownInline(strong, opts)}</strong>`;
    else out += `<em>${markdownInline(em, opts)}</em>`;
    last = m.index! + whole.length;
  }
  return out + autolink(text.slice(last), opts);
}

/** The post's HTML: one <p> per blank-line-separated paragraph, <br> for single line breaks. */
export function renderPostHtml(text: string, type: SourceType, opts: RenderOptions): string {
  const paragraphs = text.replace(/\r\n?/g, "\n").trim().split(/\n{2,}/).filter((p) => p.trim() !== "");
  return paragraphs.map((p) => {
    const lines = p.split("\n").map((line) => type === "text/markdown" ? markdownInline(line, opts) : autolink(line, opts));
    return `<p>${lines.join("<br>")}</p>`;
  }).join("");
}

export interface LocalPaths {
  /** The hashtag's page here, e.g. `/tags/velo`. */
  tag(tag: string): string;
  /** The page here of an account a post mentions, e.g. `/@bob@lyon.example`. */
  account(mention: { username: string; domain: string | null }): string;
}

/**
 * A post's HTML with its hashtag and mention links pointing at pages on this instance (issue #8 point 11): a
 * sibling's `#budget` opens our hashtag page and `@bob` our view of Bob's profile, where the reader is signed in,
 * instead of the other instance. Mentions are matched to the post's mentioned accounts (or its author) by URL or id (then by
 * `@username` when only one mentioned account has it); links the post does not explain are left alone.
 */
type Named = { iri: string; url: string | null; username: string; domain: string | null };

export function localizePostLinks(html: string, post: { account?: Named; mentions: Named[] }, paths: LocalPaths): string {
  // The author may name themself (mentions leave them out).
  const people = post.account ? [...post.mentions, post.account] : post.mentions;
  return rewriteLinks(html, (link) => {
    if (link.classes.includes("hashtag") || link.rel.includes("tag")) {
      const tag = link.text.startsWith("#") ? normaliseTag(link.text) : null;
      return tag ? paths.tag(tag) : null;
    }
    if (!link.classes.includes("mention")) return null;
    const byUrl = people.find((m) => m.iri === link.href || m.url === link.href);
    if (byUrl) return paths.account(byUrl);
    const name = /^@([^@\s]+)/.exec(link.text)?.[1]?.toLowerCase();
    const named = post.mentions.filter((m) => m.username.toLowerCase() === name);
    return named.length === 1 ? paths.account(named[0]) : null;
  });
}
