// Timelines: the home timeline (with the composer), this company's, the group's, and the list pieces shared with
// the hashtag and notification pages. A list ends with an ordinary "Older posts" link (works without JavaScript);
// the infinite-scroll island fetches the same page as a fragment (`data-fragment`) and appends it in place.
import { h } from "preact";
import type { ComponentChildren } from "preact";
import { html } from "../html.ts";
import { t } from "../i18n/index.ts";
import type { Locale } from "../i18n/index.ts";
import { Composer, type ComposerProps } from "./composer.ts";
import { chrome, Layout } from "./layout.ts";
import type { PageChrome } from "./layout.ts";
import { PostCard, type PostItem } from "./post.ts";
import { Onboarding, type OnboardingProps } from "./onboarding.ts";

/** The next page of a list: a full page for browsers without JavaScript, a fragment for the island. */
export type More = { href: string; fragment: string } | null;

/** `<script type="module">` tags for the islands a page uses (URLs carry a version, see server/routes/pages/islands.ts). */
export function Scripts({ urls }: { urls: string[] }) {
  return html`${urls.map((src) => html`<script type="module" src=${src} key=${src}></script>`)}`;
}

export function MoreLink({ locale, feedId, more, label }: { locale: Locale; feedId: string; more: More; label?: string }) {
  if (!more) return null;
  return html`<div class="feed-more" data-more-for=${feedId}>
    <a class="button button-secondary" href=${more.href} data-fragment=${more.fragment} rel="next">${label ?? t(locale, "timeline.loadMore")}</a>
  </div>`;
}

export type PostListProps = {
  locale: Locale;
  csrf: string;
  items: PostItem[];
  returnTo: string;
  more: More;
  feedId?: string;
  emptyText?: string;
  now?: Date;
};

/** A post one of the reader's filters warns about: collapsed behind its filter's title, opened without JavaScript. */
function Filtered({ locale, titles, children }: { locale: Locale; titles: string[]; children: ComponentChildren }) {
  return html`<details class="post-filtered">
    <summary>${t(locale, "filters.filteredAs", { title: titles.join(", ") })}<span class="post-filtered-show">${t(locale, "filters.show")}</span></summary>
    ${children}
  </details>`;
}

export function PostListItems({ locale, csrf, items, returnTo, now }: Omit<PostListProps, "more">) {
  return html`${items.map((post) => {
    const card = h(PostCard, { locale, csrf, post, returnTo, now });
    return html`<li class="feed-item" key=${post.key}>
      ${post.filteredBy?.length ? h(Filtered, { locale, titles: post.filteredBy, children: card }) : card}
    </li>`;
  })}`;
}

/** A list of posts and its "Older posts" link, or a friendly line when it is empty. */
export function PostList(props: PostListProps) {
  const { locale, items, more, feedId = "feed", emptyText } = props;
  if (items.length === 0) return html`<p class="empty-state feed-empty">${emptyText ?? t(locale, "timeline.empty")}</p>`;
  return html`<ol class="feed" id=${feedId} data-feed>
      ${h(PostListItems, props)}
    </ol>
    ${more ? h(MoreLink, { locale, feedId, more }) : html`<p class="feed-end">${t(locale, "timeline.end")}</p>`}`;
}

/** What the island fetches: the next items and the link after them, without the page around. */
export function PostListFragment(props: PostListProps) {
  const { locale, more, feedId = "feed" } = props;
  return html`<div>
    <ol data-feed>${h(PostListItems, props)}</ol>
    ${more ? h(MoreLink, { locale, feedId, more }) : html`<p class="feed-end">${t(locale, "timeline.end")}</p>`}
  </div>`;
}

export type TimelineKind = "home" | "local" | "group";

export type TimelinePageProps = PageChrome & {
  kind: TimelineKind;
  items: PostItem[];
  more: More;
  /** The composer, on the home timeline of a signed-in person. */
  composer?: Omit<ComposerProps, "locale" | "csrf"> | null;
  /** Island script URLs. */
  scripts?: string[];
  now?: Date;
  /** The live stream of new posts (first page, signed in): the live-timeline island shows them on demand. */
  live?: string | null;
  /** The welcome of an empty home (issue #8 point 18). */
  onboarding?: Omit<OnboardingProps, "locale" | "csrf"> | null;
};

function heading(props: TimelinePageProps): { title: string; intro: string | null } {
  const { locale, kind, instanceName } = props;
  if (kind === "home") return { title: t(locale, "timeline.homeTitle"), intro: null };
  if (kind === "local") {
    return { title: t(locale, "timeline.localTitle", { name: instanceName ?? t(locale, "app.name") }), intro: t(locale, "timeline.localIntro") };
  }
  return { title: t(locale, "timeline.groupTitle"), intro: t(locale, "timeline.groupIntro") };
}

/**
 * "3 nouveaux messages — afficher": hidden until the live-timeline island has new posts to show (so nothing
 * changes without JavaScript); the region is polite, so a screen reader hears the count without losing its place.
 */
export function LiveBanner({ locale, url }: { locale: Locale; url: string }) {
  return html`<div class="live-banner" aria-live="polite" data-live-timeline=${url}
      data-one=${t(locale, "timeline.live.new.one", { count: "{count}" })} data-other=${t(locale, "timeline.live.new.other", { count: "{count}" })}>
    <button type="button" class="button button-secondary live-banner-button" hidden></button>
  </div>`;
}

export function TimelinePage(props: TimelinePageProps) {
  const { locale, csrf, kind, items, more, composer, scripts = [], viewer, now, onboarding, live } = props;
  const { title, intro } = heading(props);
  const returnTo = props.path ?? "/";
  const children: ComponentChildren = html`<div class="stream">
    <div class="stream-head">
      <h1 id="page-title">${title}</h1>
      ${viewer ? html`<a class="stream-head-link" href="/settings/mutes">${t(locale, "timeline.mutesLink")}</a>` : null}
    </div>
    ${intro ? html`<p class="lead stream-intro">${intro}</p>` : null}
    ${composer ? html`<div class="panel composer-panel">${h(Composer, { locale, csrf, ...composer })}</div>` : null}
    ${onboarding ? h(Onboarding, { locale, csrf, ...onboarding }) : null}
    ${live ? h(LiveBanner, { locale, url: live }) : null}
    ${h(PostList, {
      locale, csrf, items, returnTo, more, now,
      emptyText: kind === "home" ? t(locale, "timeline.homeEmpty") : t(locale, "timeline.empty"),
    })}
    ${h(Scripts, { urls: scripts })}
  </div>`;
  return h(Layout, { ...chrome(props), title, children });
}
