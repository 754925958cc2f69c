// A conversation: the posts it answers (oldest first), the post itself, the reply composer, and the replies.
import { h } from "preact";
import { html } from "../html.ts";
import { t } from "../i18n/index.ts";
import { Composer, type ComposerProps } from "./composer.ts";
import { chrome, Layout } from "./layout.ts";
import type { PageChrome } from "./layout.ts";
import { isolate, usernameOf } from "./names.ts";
import { PostCard, type PostItem } from "./post.ts";
import { Scripts } from "./timeline.ts";

export type ThreadPageProps = PageChrome & {
  post: PostItem;
  ancestors: PostItem[];
  descendants: PostItem[];
  /** The reply form, for signed-in readers. */
  composer?: Omit<ComposerProps, "locale" | "csrf"> | null;
  scripts?: string[];
  now?: Date;
};

export function ThreadPage(props: ThreadPageProps) {
  const { locale, csrf, post, ancestors, descendants, composer, scripts = [], now } = props;
  const returnTo = props.path ?? post.path;
  const name = post.author.displayName.trim() || usernameOf(post.author.handle);
  const card = (p: PostItem, variant: "ancestor" | "feed") => html`<li class="feed-item" key=${p.key}>
    ${h(PostCard, { locale, csrf, post: p, returnTo, variant, now })}
  </li>`;
  return h(Layout, {
    ...chrome(props),
    title: `${t(locale, "timeline.thread")} · ${isolate(name)}`,
    children: html`<div class="stream thread">
      <h1 id="page-title" class="visually-hidden">${t(locale, "timeline.thread")}</h1>
      ${ancestors.length > 0 ? html`<ol class="feed thread-ancestors">${ancestors.map((p) => card(p, "ancestor"))}</ol>` : null}
      <div class="thread-focus">${h(PostCard, { locale, csrf, post, returnTo, variant: "focus", now })}</div>
      ${composer
        ? html`<div class="panel composer-panel" id="reply">${h(Composer, { locale, csrf, ...composer })}</div>`
        : null}
      ${descendants.length > 0
        ? html`<section aria-labelledby="replies-title">
            <h2 id="replies-title" class="thread-replies-title">${t(locale, "timeline.replies")}</h2>
            <ol class="feed thread-replies">${descendants.map((p) => card(p, "feed"))}</ol>
          </section>`
        : null}
      ${h(Scripts, { urls: scripts })}
    </div>`,
  });
}
