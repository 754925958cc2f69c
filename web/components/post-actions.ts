// The action bar under a post: reply, boost, like, bookmark, and a "more" menu (copy link; pin, edit, delete for
// one's own posts; mute the author otherwise, after a confirmation, with an undo notice afterwards; the original
// page of a remote post). Each toggle is a one-button POST form
// carrying the CSRF token and the page to come back to; the button says what it does now ("Like" or "Remove like")
// and aria-pressed tells the current state. The "more" menu and the delete confirmation are <details>, so they
// work without JavaScript too.
import { html } from "../html.ts";
import { t } from "../i18n/index.ts";
import type { Locale } from "../i18n/index.ts";
import { CsrfField } from "./forms.ts";
import { isolate, usernameOf } from "./names.ts";
import type { PostItem } from "./post.ts";
import { ScopeIcon } from "./post-icons.ts";

export type PostActionsProps = { locale: Locale; csrf: string; post: PostItem; returnTo: string };

type Toggle = "like" | "boost" | "bookmark";

type ToggleKey = `posts.action.${"" | "un"}${Toggle}`;
const LABELS: Record<Toggle, [on: ToggleKey, off: ToggleKey]> = {
  like: ["posts.action.unlike", "posts.action.like"],
  boost: ["posts.action.unboost", "posts.action.boost"],
  bookmark: ["posts.action.unbookmark", "posts.action.bookmark"],
};

function ActionForm({ post, csrf, returnTo, action, children, className }: {
  post: PostItem; csrf: string; returnTo: string; action: string; children: unknown; className?: string;
}) {
  return html`<form method="post" action=${`/posts/${post.id}/${action}`} class=${className ?? "inline-form"} data-post-action=${action}>
    <${CsrfField} token=${csrf} />
    <input type="hidden" name="next" value=${`${returnTo}#post-${post.key}`} />
    ${children}
  </form>`;
}

function ToggleButton({ locale, csrf, post, returnTo, kind, active, count }: PostActionsProps & { kind: Toggle; active: boolean; count?: number }) {
  const label = t(locale, LABELS[kind][active ? 0 : 1]);
  return html`<${ActionForm} post=${post} csrf=${csrf} returnTo=${returnTo} action=${active ? `un${kind}` : kind}>
    <button type="submit" class=${`post-action post-action-${kind}`} aria-pressed=${active ? "true" : "false"} title=${label} data-control=${kind}>
      <${ScopeIcon} scope=${kind} />
      <span class="visually-hidden">${label}</span>
      ${count !== undefined && count > 0 ? html`<span class="post-action-count">${count}</span>` : null}
    </button>
  <//>`;
}

export function PostActions(props: PostActionsProps) {
  const { locale, csrf, post, returnTo } = props;
  const viewer = post.viewer!;
  const name = isolate(post.author.displayName.trim() || usernameOf(post.author.handle));
  return html`<div class="post-actions">
    <a class="post-action post-action-reply" href=${`${post.path}#reply`} title=${t(locale, "posts.action.reply")}>
      <${ScopeIcon} scope="reply" />
      <span class="visually-hidden">${t(locale, "posts.action.reply")}</span>
      ${post.counts.replies > 0 ? html`<span class="post-action-count">${post.counts.replies}</span>` : null}
    </a>
    ${post.boostable
      ? html`<${ToggleButton} ...${props} kind="boost" active=${viewer.boosted} count=${post.counts.boosts} />`
      : html`<span class="post-action post-action-disabled" title=${t(locale, "posts.action.boostUnavailable")}>
          <${ScopeIcon} scope="boost" />
          <span class="visually-hidden">${t(locale, "posts.action.boostUnavailable")}</span>
        </span>`}
    <${ToggleButton} ...${props} kind="like" active=${viewer.liked} count=${post.counts.likes} />
    <${ToggleButton} ...${props} kind="bookmark" active=${viewer.bookmarked} />
    <details class="post-menu" data-menu>
      <summary class="post-action" title=${t(locale, "posts.action.more")}>
        <${ScopeIcon} scope="more" />
        <span class="visually-hidden">${t(locale, "posts.action.more")}</span>
      </summary>
      <div class="post-menu-list">
        <a class="menu-item" href=${post.path} data-copy-link data-copied=${t(locale, "posts.action.linkCopied")}>${t(locale, "posts.action.copyLink")}</a>
        ${post.own
          ? html`
            <${ActionForm} post=${post} csrf=${csrf} returnTo=${returnTo} action=${viewer.pinned ? "unpin" : "pin"}>
              <button type="submit" class="menu-item" data-control="pin">${t(locale, viewer.pinned ? "posts.action.unpin" : "posts.action.pin")}</button>
            <//>
            <a class="menu-item" href=${`/posts/${post.id}/edit`}>${t(locale, "posts.action.edit")}</a>
            <details class="post-delete">
              <summary class="menu-item menu-item-danger">${t(locale, "posts.action.delete")}</summary>
              <${ActionForm} post=${post} csrf=${csrf} returnTo=${returnTo} action="delete" className="post-delete-confirm">
                <p>${t(locale, "posts.action.deleteConfirm")}</p>
                <button type="submit" class="button button-danger">${t(locale, "posts.action.deleteYes")}</button>
              <//>
            </details>`
          : html`<details class="post-delete post-mute">
              <summary class="menu-item">${t(locale, "timeline.mute", { name })}</summary>
              <form method="post" action=${`/settings/mutes/accounts/${post.author.id}/mute`} class="post-delete-confirm">
                <${CsrfField} token=${csrf} />
                <input type="hidden" name="next" value=${returnTo} />
                <p>${t(locale, "posts.action.muteConfirm", { name })}</p>
                <button type="submit" class="button button-primary">${t(locale, "posts.action.muteYes")}</button>
              </form>
            </details>
            <a class="menu-item" href=${`/report?post=${post.id}`}>${t(locale, "moderation.report.link")}</a>`}
        ${post.remoteUrl
          ? html`<a class="menu-item" href=${post.remoteUrl} rel="noopener noreferrer">${t(locale, "posts.action.openOriginal")}</a>`
          : null}
      </div>
    </details>
  </div>`;
}
