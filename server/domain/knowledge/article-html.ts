// An article's Markdown to what is stored and shown: safe HTML (the one renderer, markdown.ts), its plain text
// (search), its [[Page]] links and its table of contents. [[Title]] becomes an ordinary relative link to the page
// of that title in the article's space before rendering, so the allowlist sanitiser sees nothing it does not know.
import { renderMarkdown } from "../markdown.ts";
import { htmlToText } from "../posts/html.ts";

/** [[Title]] or [[Title|shown text]]: no brackets, pipes or line breaks inside, at most 200 characters. */
const WIKI_LINK = /\[\[([^[\]|\n]{1,200})(?:\|([^[\]\n]{1,200}))?\]\]/g;

/** The key a title is linked and found by: case and accents folded, spaces collapsed (as the database's ruche_fold). */
export function titleKey(title: string): string {
  return title.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/\s+/g, " ").trim();
}

/** The path of the page named `title` in a space (`group`: a group's account id, or null for the instance's). */
export function wikiPath(title: string, groupId: string | null): string {
  const q = groupId ? `?space=${groupId}` : "";
  return `/knowledge/wiki/${encodeURIComponent(title.trim())}${q}`;
}

/** Escapes what Markdown would read as markup in a link's text. */
const escapeMd = (s: string) => s.replace(/([\\`*_{}[\]()<>#+!|~])/g, "\\$1");

export interface RenderedArticle { html: string; text: string; links: string[]; toc: TocEntry[] }
export interface TocEntry { level: number; id: string; text: string }

export function renderArticle(source: string, groupId: string | null): RenderedArticle {
  const links = new Set<string>();
  const withLinks = source.replace(WIKI_LINK, (_m, title: string, shown?: string) => {
    const t = title.trim();
    if (!t) return _m;
    links.add(titleKey(t));
    return `[${escapeMd((shown ?? t).trim())}](${wikiPath(t, groupId)})`;
  });
  const { html, toc } = withHeadingIds(renderMarkdown(withLinks));
  return { html, text: htmlToText(html), links: [...links], toc };
}

/**
 * Gives each h2/h3 of sanitised HTML an id (the table of contents' anchors). The ids are made here from the
 * heading's text, [a-z0-9-] only, after the sanitiser: nothing a writer types ends up in an attribute.
 */
export function withHeadingIds(html: string): { html: string; toc: TocEntry[] } {
  const toc: TocEntry[] = [];
  const used = new Map<string, number>();
  const out = html.replace(/<h([23])>([\s\S]*?)<\/h\1>/g, (_m, level: string, inner: string) => {
    const text = htmlToText(inner).trim();
    const base = titleKey(text).replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) || "section";
    const n = used.get(base) ?? 0;
    used.set(base, n + 1);
    const id = `h-${base}${n ? `-${n + 1}` : ""}`;
    toc.push({ level: Number(level), id, text });
    return `<h${level} id="${id}">${inner}</h${level}>`;
  });
  return { html: out, toc };
}

/** The table of contents of stored HTML (its headings got their ids when it was rendered). */
export function tocOf(html: string): TocEntry[] {
  return [...html.matchAll(/<h([23]) id="(h-[a-z0-9-]+)">([\s\S]*?)<\/h\1>/g)]
    .map((m) => ({ level: Number(m[1]), id: m[2], text: htmlToText(m[3]).trim() }));
}
