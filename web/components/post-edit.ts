// The composer on a page of its own: to write a post (GET /posts/new, or after a submission that needs fixing,
// with the text kept) and to edit one of one's posts (GET /posts/:id/edit).
import { h } from "preact";
import { html } from "../html.ts";
import { t } from "../i18n/index.ts";
import { Composer, type ComposerProps } from "./composer.ts";
import { chrome, Layout } from "./layout.ts";
import type { PageChrome } from "./layout.ts";
import { PostCard, type PostItem } from "./post.ts";
import { Scripts } from "./timeline.ts";

export type ComposePageProps = PageChrome & {
  composer: Omit<ComposerProps, "locale" | "csrf">;
  /** The post being answered, shown above the form. */
  replyTo?: PostItem | null;
  scripts?: string[];
};

export function ComposePage(props: ComposePageProps) {
  const { locale, csrf, composer, replyTo, scripts = [] } = props;
  const title = composer.edit ? t(locale, "posts.edit.title") : t(locale, "posts.compose.title");
  return h(Layout, {
    ...chrome(props),
    title,
    children: html`<div class="stream">
      <h1 id="page-title">${title}</h1>
      ${composer.edit ? html`<p class="lead stream-intro">${t(locale, "posts.edit.intro")}</p>` : null}
      ${replyTo ? h(PostCard, { locale, csrf, post: { ...replyTo, viewer: null }, returnTo: replyTo.path, variant: "ancestor" }) : null}
      <section class="panel composer-panel">${h(Composer, { locale, csrf, ...composer })}</section>
      ${h(Scripts, { urls: scripts })}
    </div>`,
  });
}
