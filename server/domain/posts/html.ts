// HTML that we render: local text is escaped then linkified; remote HTML is reduced to Mastodon's strict allow-list
// (p, br, span, a with http(s) links, microformat and mention/hashtag classes) — corpus case 24: <script>,
// on* handlers, javascript: links, iframes, svg, style attributes, forms, meta and base never survive.
import { createRequire } from "node:module";
import type SanitizeHtml from "sanitize-html";

// Loaded on first use: sanitize-html (with htmlparser2 and postcss) adds ~17 MB to a process that may sit idle for
// hours before the first remote post arrives (bench/memory.ts keeps the idle footprint under its target).
let loaded: typeof SanitizeHtml | undefined;
function sanitizeHtml(html: string, options: SanitizeHtml.IOptions): string {
  loaded ??= createRequire(import.meta.url)("sanitize-html") as typeof SanitizeHtml;
  return loaded(html, options);
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const urlRe = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

export function textToHtml(text: string): string {
  const paragraphs = text.replace(/\r\n?/g, "\n").trim().split(/\n{2,}/).filter(Boolean);
  return paragraphs.map((p) => {
    const escaped = escapeHtml(p);
    const linked = escaped.replace(urlRe, (u) => {
      const label = u.replace(/^https?:\/\//, "");
      return `<a href="${u}" rel="nofollow noopener noreferrer" target="_blank">${label}</a>`;
    });
    return `<p>${linked.replace(/\n/g, "<br>")}</p>`;
  }).join("");
}

const allowedClass = /^(h|p|u|dt|e)-[\w-]+$|^(mention|hashtag|ellipsis|invisible)$/;

export function sanitizeRemoteHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: ["p", "br", "span", "a"],
    allowedAttributes: { a: ["href", "rel", "class", "target"], span: ["class"], p: [] },
    allowedSchemes: ["http", "https"],
    allowedSchemesAppliedToAttributes: ["href"],
    allowProtocolRelative: false,
    // Headings, lists and quotes become paragraphs, as Mastodon does; everything else keeps only its text.
    transformTags: {
      h1: "p", h2: "p", h3: "p", h4: "p", h5: "p", h6: "p", li: "p", blockquote: "p", pre: "p",
      a: (tagName, attribs) => ({
        tagName,
        attribs: { ...attribs, rel: "nofollow noopener noreferrer", target: "_blank" },
      }),
    },
    allowedClasses: { "*": [allowedClass] },
    disallowedTagsMode: "discard",
    nonTextTags: ["script", "style", "textarea", "option", "noscript", "iframe", "svg", "math", "template", "title"],
    exclusiveFilter: (frame) => frame.tag === "a" && !frame.attribs.href,
  });
}

/** Plain text of a remote HTML fragment (for display names, titles). */
export function htmlToText(html: string): string {
  return sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} }).trim();
}

/** One anchor of sanitised HTML, as `rewriteLinks` shows it. */
export interface HtmlLink { href: string; classes: string[]; rel: string[]; text: string }

const ANCHOR_RE = /<a\b([^>]*)>([\s\S]*?)<\/a>/g;
const ATTR_RE = /([\w-]+)="([^"]*)"/g;
const unescapeAttr = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/**
 * Points the anchors of sanitised HTML (ours or sanitizeRemoteHtml's: double-quoted attributes, no nested anchors)
 * elsewhere: `target(link)` returns a path on this site for the anchor, or null to leave it. A rewritten anchor
 * opens in the same tab and keeps its content and classes.
 */
export function rewriteLinks(html: string, target: (link: HtmlLink) => string | null): string {
  if (!html.includes("<a")) return html;
  return html.replace(ANCHOR_RE, (whole, attrs: string, inner: string) => {
    const a = new Map([...attrs.matchAll(ATTR_RE)].map((m) => [m[1].toLowerCase(), unescapeAttr(m[2])]));
    const words = (k: string) => (a.get(k) ?? "").split(/\s+/).filter(Boolean);
    const text = unescapeAttr(inner.replace(/<[^>]*>/g, "")).trim();
    const path = target({ href: a.get("href") ?? "", classes: words("class"), rel: words("rel"), text });
    if (path == null || !path.startsWith("/") || path.startsWith("//")) return whole;
    const cls = a.get("class");
    return `<a href="${escapeHtml(path)}"${cls ? ` class="${escapeHtml(cls)}"` : ""}${a.has("rel") && words("rel").includes("tag") ? ' rel="tag"' : ""}>${inner}</a>`;
  });
}
