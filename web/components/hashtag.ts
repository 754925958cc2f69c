// A hashtag's page: how much it was used this week, a button to follow it (its posts then join the home
// timeline), and its posts the viewer may read.
import { h } from "preact";
import { html } from "../html.ts";
import { plural, t } from "../i18n/index.ts";
import { PostButton } from "./forms.ts";
import { chrome, Layout } from "./layout.ts";
import type { PageChrome } from "./layout.ts";
import type { PostItem } from "./post.ts";
import { PostList, Scripts, type More } from "./timeline.ts";

export type HashtagPageProps = PageChrome & {
  tag: string;
  /** Whether the viewer follows it; null for anonymous readers. */
  following: boolean | null;
  uses: { posts: number; people: number };
  items: PostItem[];
  more: More;
  scripts?: string[];
  now?: Date;
};

export function HashtagPage(props: HashtagPageProps) {
  const { locale, csrf, tag, following, uses, items, more, scripts = [], now } = props;
  const title = t(locale, "tags.title", { tag });
  const action = `/tags/${encodeURIComponent(tag)}/${following ? "unfollow" : "follow"}`;
  return h(Layout, {
    ...chrome(props),
    title,
    children: html`<div class="stream">
      <header class="panel tag-head">
        <div class="tag-head-text">
          <h1 id="page-title">${title}</h1>
          <p class="tag-uses">${plural(locale, "tags.uses", uses.posts)}${uses.posts > 0 ? html` ${plural(locale, "tags.people", uses.people)}` : null}</p>
          ${following ? html`<p class="hint">${t(locale, "tags.followingHint")}</p>` : null}
        </div>
        ${following === null
          ? null
          : h(PostButton, {
              action, csrf, label: t(locale, following ? "tags.unfollow" : "tags.follow"),
              variant: following ? "secondary" : "primary", fields: { next: props.path ?? `/tags/${tag}` },
            })}
      </header>
      ${h(PostList, { locale, csrf, items, more, returnTo: props.path ?? `/tags/${encodeURIComponent(tag)}`, now })}
      ${h(Scripts, { urls: scripts })}
    </div>`,
  });
}
