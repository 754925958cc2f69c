// One post as people read it in a timeline, a thread or a notification: author, scope, time, content warning,
// text, images with their descriptions, and the actions (post-actions.ts). Everything works without JavaScript:
// content warnings are <details>, actions are POST forms. The post-actions island (web/islands/post-actions.ts)
// only sends those forms with fetch and swaps in the server's fresh rendering of the post.
import { h } from "preact";
import { html } from "../html.ts";
import { plural, t, tParts } from "../i18n/index.ts";
import type { Locale } from "../i18n/index.ts";
import { Avatar } from "./avatar.ts";
import { DisplayName, Handle, usernameOf } from "./names.ts";
import { PostActions } from "./post-actions.ts";
import { ScopeIcon } from "./post-icons.ts";
import { fullDate, LocalTime, useTimeZone } from "./local-time.ts";
import { Poll, type PollItem } from "./poll.ts";

export const SCOPES = ["internal", "local", "followers", "public", "unlisted", "direct", "group"] as const;
export type Scope = (typeof SCOPES)[number];

export type PostAuthor = {
  id: string;
  /** `@user@host` */
  handle: string;
  displayName: string;
  avatarUrl: string | null;
  /** The profile page on this instance. */
  url: string;
};

export type PostImage = { url: string; description: string; width: number | null; height: number | null };

/** A post, cut to what the pages show (the server maps its PostView to this). */
export type PostItem = {
  /** Unique on a page: the boost's id for a boost, else the post's id. Used in element ids. */
  key: string;
  /** Sent urgent (issue #15): it bypassed quiet time, and says so. */
  urgent?: boolean;
  /** The post's id (for a boost: the boosted post). Actions go to /posts/:id/… */
  id: string;
  /** Its thread page here, e.g. `/@alice/123` or `/@bob@lyon.example/456`. */
  path: string;
  /** For a post from another server: its page there. */
  remoteUrl: string | null;
  author: PostAuthor;
  scope: Scope;
  /** Sanitised HTML (the domain renders local posts and sanitises remote ones with an allow-list). */
  contentHtml: string;
  /** The content warning, "" when none. */
  summary: string;
  sensitive: boolean;
  language: string | null;
  createdAt: Date;
  editedAt: Date | null;
  media: PostImage[];
  /** Its poll, as the reader sees it (poll.ts). */
  poll: PollItem | null;
  counts: { replies: number; likes: number; boosts: number };
  /** The signed-in viewer's relation to it; null for anonymous readers (no actions then). */
  viewer: { liked: boolean; boosted: boolean; bookmarked: boolean; pinned: boolean } | null;
  /** The viewer wrote it (and it is local): edit, delete and pin are offered. */
  own: boolean;
  replyTo: { path: string; name: string | null } | null;
  /** Its scope may be boosted (the audience rule's; a boost keeps the scope). */
  boostable: boolean;
  /** Set when this item is someone's boost of the post. */
  boostedBy: PostAuthor | null;
  /** The titles of the viewer's `warn` filters it matches: shown collapsed behind « Filtré : … ». */
  filteredBy?: string[];
};

export type PostVariant = "feed" | "focus" | "ancestor";

export type PostCardProps = {
  locale: Locale;
  csrf: string;
  post: PostItem;
  /** Where an action's form comes back to without JavaScript, e.g. `/home`. */
  returnTo: string;
  variant?: PostVariant;
  /** "Now", for relative times (tests pass a fixed one). */
  now?: Date;
};

function AuthorName({ author }: { author: PostAuthor }) {
  return h(DisplayName, { name: author.displayName, fallback: usernameOf(author.handle) });
}

export function ScopeBadge({ locale, scope }: { locale: Locale; scope: Scope }) {
  return html`<span class=${`scope scope-${scope}`} title=${t(locale, `posts.scope.${scope}.hint`)}>
    ${h(ScopeIcon, { scope })}<span class="scope-label">${t(locale, `posts.scope.${scope}`)}</span>
  </span>`;
}

function Images({ locale, media, sensitive }: { locale: Locale; media: PostImage[]; sensitive: boolean }) {
  if (media.length === 0) return null;
  return html`<div class=${`post-media post-media-${Math.min(media.length, 4)}${sensitive ? " post-media-sensitive" : ""}`}>
    ${media.slice(0, 4).map((m) => html`<a class="post-media-item" href=${m.url} key=${m.url}>
      <img src=${m.url} alt=${m.description || t(locale, "posts.imageNoAlt")} title=${m.description || undefined}
        width=${m.width ?? undefined} height=${m.height ?? undefined} loading="lazy" decoding="async" referrerpolicy="no-referrer" />
      ${m.description ? html`<span class="alt-badge" aria-hidden="true">ALT</span>` : null}
    </a>`)}
  </div>`;
}

function Body({ locale, csrf, post, returnTo }: { locale: Locale; csrf: string; post: PostItem; returnTo: string }) {
  // Safe: contentHtml comes sanitised from the domain (local posts are rendered from text by post-html.ts, remote
  // ones go through the allow-list sanitiser on arrival); it is the only field rendered as HTML.
  const content = post.contentHtml.trim() === ""
    ? null
    : html`<div class="post-content prose" lang=${post.language ?? undefined} dangerouslySetInnerHTML=${{ __html: post.contentHtml }}></div>`;
  const images = html`${h(Images, { locale, media: post.media, sensitive: post.sensitive })}${post.poll
    ? h(Poll, { locale, csrf, postId: post.id, keyId: post.key, poll: post.poll, returnTo: `${returnTo}#post-${post.key}` })
    : null}`;
  const warning = post.summary.trim() !== "" ? post.summary : post.sensitive && post.media.length > 0 ? t(locale, "posts.sensitiveMedia") : null;
  if (warning === null) return html`${content}${images}`;
  return html`<details class="post-cw">
    <summary>
      <span class="post-cw-text" lang=${post.language ?? undefined}>${warning}</span>
      <span class="post-cw-toggle">
        <span class="post-cw-more">${t(locale, "posts.action.showMore")}</span>
        <span class="post-cw-less">${t(locale, "posts.action.showLess")}</span>
      </span>
    </summary>
    ${content}${images}
  </details>`;
}

function Counts({ locale, post }: { locale: Locale; post: PostItem }) {
  const parts = [
    post.counts.replies > 0 ? plural(locale, "posts.replies", post.counts.replies) : null,
    post.counts.boosts > 0 ? plural(locale, "posts.boosts", post.counts.boosts) : null,
    post.counts.likes > 0 ? plural(locale, "posts.likes", post.counts.likes) : null,
  ].filter((p): p is string => p !== null);
  if (parts.length === 0) return null;
  return html`<p class="post-counts">${parts.join(" · ")}</p>`;
}

export function PostCard({ locale, csrf, post, returnTo, variant = "feed", now = new Date() }: PostCardProps) {
  const classes = ["post", `post-${variant}`, post.boostedBy ? "post-boosted" : ""].filter(Boolean).join(" ");
  const timeZone = useTimeZone();
  const edited = post.editedAt ? t(locale, "posts.edited", { date: fullDate(locale, post.editedAt, timeZone) }) : null;
  return html`<article class=${classes} id=${`post-${post.key}`} data-item=${post.key} data-variant=${variant} tabindex="-1">
    ${post.boostedBy
      ? html`<p class="post-context post-context-boost">
          ${h(ScopeIcon, { scope: "boost" })}
          <span>${tParts(locale, "posts.boostedBy", {
            name: html`<a href=${post.boostedBy.url}>${h(AuthorName, { author: post.boostedBy })}</a>`,
          })}</span>
        </p>`
      : null}
    <header class="post-head">
      <a class="post-author" href=${post.author.url}>
        ${h(Avatar, { url: post.author.avatarUrl, name: post.author.displayName || usernameOf(post.author.handle), seed: post.author.handle, size: variant === "focus" ? "medium" : "small" })}
        <span class="account-names">
          ${h(AuthorName, { author: post.author })}
          ${h(Handle, { handle: post.author.handle })}
        </span>
      </a>
      <span class="post-meta">
        ${h(ScopeBadge, { locale, scope: post.scope })}
        ${post.urgent ? html`<span class="badge badge-urgent">${t(locale, "quiet.urgentBadge")}</span>` : null}
        <a class="post-time" href=${post.path}>
          ${h(LocalTime, { locale, date: post.createdAt, now, format: variant === "focus" ? "full" : "relative" })}
        </a>
        ${edited ? html`<span class="post-edited" title=${edited}>· ${t(locale, "posts.editedMark")}</span>` : null}
      </span>
    </header>
    ${post.replyTo && variant !== "focus"
      ? html`<p class="post-context">
          <a href=${post.replyTo.path}>${post.replyTo.name
            ? tParts(locale, "posts.inReplyTo", { name: html`<bdi>${post.replyTo.name}</bdi>` })
            : t(locale, "posts.inReplyToPost")}</a>
        </p>`
      : null}
    <${Body} locale=${locale} csrf=${csrf} post=${post} returnTo=${returnTo} />
    ${variant === "focus" ? html`<${Counts} locale=${locale} post=${post} />` : null}
    ${post.viewer
      ? h(PostActions, { locale, csrf, post, returnTo })
      : variant === "focus" ? null : html`<${Counts} locale=${locale} post=${post} />`}
  </article>`;
}
