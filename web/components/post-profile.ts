// The posts on a profile page (ProfilePage's `posts` slot): pinned posts first, then the latest, with the same
// "Older posts" link and infinite scroll as the timelines.
import { h } from "preact";
import { html } from "../html.ts";
import { t } from "../i18n/index.ts";
import type { Locale } from "../i18n/index.ts";
import { PostCard, type PostItem } from "./post.ts";
import { PostList, Scripts, type More } from "./timeline.ts";

export type AccountPostsProps = {
  locale: Locale;
  csrf: string;
  pinned: PostItem[];
  items: PostItem[];
  more: More;
  returnTo: string;
  scripts?: string[];
  now?: Date;
};

export function AccountPosts({ locale, csrf, pinned, items, more, returnTo, scripts = [], now }: AccountPostsProps) {
  const pinnedIds = new Set(pinned.map((p) => p.id));
  return html`<section class="account-posts" aria-labelledby="account-posts-title">
    <h2 id="account-posts-title">${t(locale, "posts.ofAccount")}</h2>
    ${pinned.length > 0
      ? html`<ol class="feed account-pinned">
          ${pinned.map((post) => html`<li class="feed-item" key=${`pin-${post.key}`}>
            <p class="post-pinned-label">${t(locale, "posts.pinned")}</p>
            ${h(PostCard, { locale, csrf, post, returnTo, now })}
          </li>`)}
        </ol>`
      : null}
    ${h(PostList, { locale, csrf, items: items.filter((p) => !pinnedIds.has(p.key)), more, returnTo, now, feedId: "account-feed" })}
    ${h(Scripts, { urls: scripts })}
  </section>`;
}
