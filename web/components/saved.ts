// The posts one kept: bookmarks (only the person sees them) and favourites (the posts they liked). The same list
// pieces as the timelines, with their "Older posts" link and infinite scroll.
import { h } from "preact";
import { html } from "../html.ts";
import { t } from "../i18n/index.ts";
import { chrome, Layout } from "./layout.ts";
import type { PageChrome } from "./layout.ts";
import type { PostItem } from "./post.ts";
import { PostList, Scripts, type More } from "./timeline.ts";

export type SavedKind = "bookmarks" | "favourites";

export type SavedPostsPageProps = PageChrome & { kind: SavedKind; items: PostItem[]; more: More; scripts?: string[]; now?: Date };

export function SavedPostsPage(props: SavedPostsPageProps) {
  const { locale, csrf, kind, items, more, scripts = [], now } = props;
  const title = t(locale, `saved.${kind}Title`);
  return h(Layout, {
    ...chrome(props),
    title,
    children: html`<div class="stream">
      <div class="stream-head"><h1 id="page-title">${title}</h1></div>
      <p class="lead stream-intro">${t(locale, `saved.${kind}Intro`)}</p>
      ${h(PostList, { locale, csrf, items, more, now, returnTo: props.path ?? `/${kind}`, emptyText: t(locale, `saved.${kind}Empty`) })}
      ${h(Scripts, { urls: scripts })}
    </div>`,
  });
}
