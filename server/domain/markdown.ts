// Markdown written on this instance (the usage charter; next, knowledge-base articles) to safe HTML: markdown-it
// with raw HTML turned off (it is shown as text), then an allowlist of document tags. One renderer for all of them.
import MarkdownIt from "markdown-it";
import sanitizeHtml from "sanitize-html";

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });

const DOCUMENT_TAGS = ["p", "br", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "code", "em",
  "strong", "del", "a", "hr", "table", "thead", "tbody", "tr", "th", "td"];

/** Renders Markdown to HTML that may be put in a page: no scripts, no styles, links only to http(s) and mailto. */
export function renderMarkdown(text: string): string {
  return sanitizeHtml(md.render(text), {
    allowedTags: DOCUMENT_TAGS,
    allowedAttributes: { a: ["href", "rel"], th: ["align"], td: ["align"], ol: ["start"] },
    allowedSchemes: ["http", "https", "mailto"],
    allowProtocolRelative: false,
    // The page has its own h1: a document's headings start one level below.
    transformTags: {
      h1: "h2",
      a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: "nofollow noopener noreferrer" } }),
    },
    disallowedTagsMode: "discard",
  });
}
