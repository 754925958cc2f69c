// Notifications: who did what, newest first, the unread ones marked. Mentions and replies show the whole post
// (reply and like right there); likes and boosts show a short reminder of one's own post.
import { h } from "preact";
import { html } from "../html.ts";
import { t, tParts } from "../i18n/index.ts";
import type { Locale } from "../i18n/index.ts";
import { Avatar } from "./avatar.ts";
import { chrome, Layout } from "./layout.ts";
import type { PageChrome } from "./layout.ts";
import { DisplayName, usernameOf } from "./names.ts";
import { PostCard, type PostAuthor, type PostItem } from "./post.ts";
import { LocalTime } from "./local-time.ts";
import { ScopeIcon, type IconName } from "./post-icons.ts";
import { MoreLink, Scripts, type More } from "./timeline.ts";

export const NOTIFICATION_KINDS = ["mention", "reply", "follow", "follow_request", "favourite", "reblog", "poll", "update", "ruche.question",
  "ruche.event_invitation", "ruche.event_request", "ruche.event_participation", "ruche.event_place", "ruche.event_changed", "ruche.event_cancelled",
  "ruche.event_reminder"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export type NotificationItem = {
  id: string;
  type: NotificationKind;
  from: PostAuthor;
  createdAt: Date;
  /** Newer than the read marker when the page was opened. */
  unread: boolean;
  post: PostItem | null;
  /** 'ruche.question': the question one is asked to answer (issue #14). */
  questionPath?: string | null;
  /** 'ruche.event_*': the event's page (issue #12). */
  eventPath?: string | null;
};

const ICONS: Record<NotificationKind, IconName> = {
  mention: "direct", reply: "reply", follow: "follow", follow_request: "follow", favourite: "like", reblog: "boost", poll: "public", update: "reply",
  "ruche.question": "reply",
  "ruche.event_invitation": "calendar", "ruche.event_request": "follow", "ruche.event_participation": "follow", "ruche.event_place": "calendar",
  "ruche.event_changed": "calendar", "ruche.event_cancelled": "calendar", "ruche.event_reminder": "bell",
};

type ItemProps = { locale: Locale; csrf: string; item: NotificationItem; returnTo: string; now?: Date };

function Excerpt({ locale, post, eventPath }: { locale: Locale; post: PostItem; eventPath?: string | null }) {
  // A content warning stays a warning here too: only its line is shown, not what it covers. The excerpt keeps its
  // own links (mentions, hashtags, addresses), so the way to the post is a link of its own after it, never a link
  // around it (a link inside a link breaks the page and leaves screen readers with unnamed links).
  return html`<div class="notification-excerpt">
    ${post.summary.trim() !== ""
      ? html`<span class="post-cw-text">${post.summary}</span>`
      : // Safe: contentHtml comes sanitised from the domain (see post.ts).
        html`<div class="prose" lang=${post.language ?? undefined} dangerouslySetInnerHTML=${{ __html: post.contentHtml }}></div>`}
    ${post.media.length > 0 && post.summary.trim() === "" ? html`<span class="hint">🖼 ${post.media.length}</span>` : null}
    <a class="notification-excerpt-link" href=${eventPath ?? post.path}>${t(locale, eventPath ? "notifications.viewEvent" : "notifications.viewPost")}</a>
  </div>`;
}

export function NotificationEntry({ locale, csrf, item, returnTo, now = new Date() }: ItemProps) {
  const name = h(DisplayName, { name: item.from.displayName, fallback: usernameOf(item.from.handle) });
  const who = html`<a href=${item.from.url}>${name}</a>`;
  // A poll's author hears of their own poll's end too (polls/polls.ts notifyEnded).
  const sentence = item.type === "poll" ? t(locale, item.post?.own ? "polls.endedOwn" : "notifications.poll") : tParts(locale, `notifications.${item.type}`, { name: who });
  const showCard = (item.type === "mention" || item.type === "reply") && item.post;
  return html`<div class=${`notification notification-${item.type}${item.unread ? " notification-unread" : ""}`} id=${`notification-${item.id}`}>
    <p class="notification-line">
      <span class="notification-icon">${h(ScopeIcon, { scope: ICONS[item.type] })}</span>
      ${h(Avatar, { url: item.from.avatarUrl, name: item.from.displayName || usernameOf(item.from.handle), seed: item.from.handle, size: "small" })}
      <span class="notification-body">
        <span class="notification-text">${sentence}</span>
        <span class="notification-meta">
          ${item.unread ? html`<span class="badge notification-new">${t(locale, "notifications.new")}</span>` : null}
          <${LocalTime} className="notification-time" locale=${locale} date=${item.createdAt} now=${now} />
        </span>
      </span>
    </p>
    ${showCard
      ? h(PostCard, { locale, csrf, post: item.post!, returnTo, now })
      : item.post ? h(Excerpt, { locale, post: item.post, eventPath: item.eventPath }) : null}
    ${item.type === "follow_request" ? html`<p class="notification-more"><a href="/follow-requests">${t(locale, "nav.followRequests")}</a></p>` : null}
    ${item.questionPath ? html`<p class="notification-more"><a href=${item.questionPath}>${t(locale, "notifications.viewQuestion")}</a></p>` : null}
  </div>`;
}

export type NotificationListProps = { locale: Locale; csrf: string; items: NotificationItem[]; more: More; returnTo: string; now?: Date };

function Entries({ locale, csrf, items, returnTo, now }: NotificationListProps) {
  return html`${items.map((item) => html`<li class="feed-item" key=${item.id}>${h(NotificationEntry, { locale, csrf, item, returnTo, now })}</li>`)}`;
}

export function NotificationsFragment(props: NotificationListProps) {
  return html`<div>
    <ol data-feed>${h(Entries, props)}</ol>
    ${h(MoreLink, { locale: props.locale, feedId: "notifications", more: props.more, label: t(props.locale, "notifications.older") })}
  </div>`;
}

export type NotificationsPageProps = PageChrome & { items: NotificationItem[]; more: More; scripts?: string[]; now?: Date };

export function NotificationsPage(props: NotificationsPageProps) {
  const { locale, csrf, items, more, scripts = [], now } = props;
  const title = t(locale, "notifications.title");
  const returnTo = props.path ?? "/notifications";
  return h(Layout, {
    ...chrome(props),
    title,
    children: html`<div class="stream">
      <div class="stream-head"><h1 id="page-title">${title}</h1></div>
      ${items.length === 0
        ? html`<p class="empty-state feed-empty">${t(locale, "notifications.empty")}</p>`
        : html`<ol class="feed notifications" id="notifications" data-feed>${h(Entries, { locale, csrf, items, more, returnTo, now })}</ol>
            ${h(MoreLink, { locale, feedId: "notifications", more, label: t(locale, "notifications.older") })}`}
      ${h(Scripts, { urls: scripts })}
    </div>`,
  });
}
