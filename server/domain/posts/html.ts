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
