// A person's profile: picture, names, bio, counts, the follow button that fits the relationship, and a menu of
// further actions (block, with a confirmation; unblock).
import { h } from "preact";
import type { ComponentChildren } from "preact";
import { html } from "../html.ts";
import { plural, t, tParts } from "../i18n/index.ts";
import type { Locale } from "../i18n/index.ts";
import { AccountList } from "./account-list.ts";
import type { AccountSummary } from "./account-list.ts";
import { Avatar } from "./avatar.ts";
import { CareerTimeline } from "./career.ts";
import { ContactCard, ExpertiseChips, type ProfileDetails } from "./contact-card.ts";
import { OrgChart, type OrgPerson } from "./org-chart.ts";
import { CsrfField, PostButton } from "./forms.ts";
import { chrome, Layout } from "./layout.ts";
import type { PageChrome } from "./layout.ts";
import { DisplayName, Handle, hostOf, isolate } from "./names.ts";
import { LocalTime } from "./local-time.ts";

export type ProfileAccount = {
  id: string;
  username: string;
  /** `@user@host` */
  handle: string;
  displayName: string;
  /** Sanitised upstream (server side, allow-list) before it reaches this component. */
  bioHtml: string;
  avatarUrl: string | null;
  headerUrl: string | null;
  locked: boolean;
  isLocal: boolean;
  /** The canonical profile URL; for a remote account, the page on its own server. */
  url: string;
  followersCount: number;
  followingCount: number;
  createdAt: Date;
};

export type Relationship = {
  /** The viewer is looking at their own profile. */
  self: boolean;
  following: boolean;
  /** A follow request is waiting for the (locked) account's approval. */
  requested: boolean;
  followedBy: boolean;
  /** The viewer blocked this person. */
  blocking?: boolean;
  /** This person blocked the viewer (nothing is said; following is just not offered). */
  blockedBy?: boolean;
};

export type ProfilePageProps = PageChrome & {
  account: ProfileAccount;
  /** null when nobody is signed in. */
  relationship: Relationship | null;
  /** POST target that follows (or asks to follow) this account, e.g. `/@camille@lyon.example/follow`. */
  followAction: string;
  /** POST target that unfollows this account or withdraws a pending request. */
  unfollowAction: string;
  followers?: AccountSummary[];
  following?: AccountSummary[];
  /** The structured profile (issue #3), cut to what the viewer may see; absent for accounts without one. */
  details?: ProfileDetails | null;
  /** Manager chain, closest first, and direct reports (possibly on other subsidiaries). */
  managers?: OrgPerson[];
  reports?: OrgPerson[];
  /** The account's posts (issue #4), shown below the card: web/components/post-profile.ts. */
  posts?: ComponentChildren;
  /** "hors horaires jusqu'à 8 h 30" while the person is off (issue #15): web/components/availability.ts. */
  availability?: ComponentChildren;
};

/** `/@camille` for a local account, `/@camille@lyon.example` for a remote one. */
export function profilePath(account: Pick<ProfileAccount, "username" | "handle" | "isLocal">): string {
  return account.isLocal ? `/@${encodeURIComponent(account.username)}` : `/${account.handle}`;
}

function LockIcon() {
  return html`<svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
    <path fill="currentColor" d="M8 1a3.5 3.5 0 0 0-3.5 3.5V6H4a1.5 1.5 0 0 0-1.5 1.5v6A1.5 1.5 0 0 0 4 15h8a1.5 1.5 0 0 0 1.5-1.5v-6A1.5 1.5 0 0 0 12 6h-.5V4.5A3.5 3.5 0 0 0 8 1Zm2 5H6V4.5a2 2 0 1 1 4 0V6Z" />
  </svg>`;
}

function FollowControl(props: ProfilePageProps) {
  const { locale, csrf, account, relationship, followAction, unfollowAction } = props;
  if (!relationship) {
    const next = encodeURIComponent(profilePath(account));
    return html`<a class="button button-primary" href=${`/login?next=${next}`}>${t(locale, "profile.loginToFollow")}</a>`;
  }
  if (relationship.self) {
    return html`<a class="button button-secondary" href="/settings/profile">${t(locale, "profile.edit")}</a>`;
  }
  if (relationship.blocking) return html`<span class="status-text">${t(locale, "profile.blocked")}</span>`;
  if (relationship.blockedBy) return null;
  if (relationship.following) {
    return h(PostButton, { action: unfollowAction, csrf, label: t(locale, "profile.unfollow"), variant: "secondary" });
  }
  if (relationship.requested) {
    return html`<span class="status-text">${t(locale, "profile.requested")}</span>
      ${h(PostButton, { action: unfollowAction, csrf, label: t(locale, "profile.cancelRequest"), variant: "secondary" })}`;
  }
  const label = account.locked ? t(locale, "profile.requestFollow") : t(locale, "profile.follow");
  return h(PostButton, { action: followAction, csrf, label, variant: "primary" });
}

/** "Send a message": the new-message form with this person as its addressee (messages, issue #9 point 2). */
function MessageLink({ locale, account, relationship }: ProfilePageProps) {
  if (!relationship || relationship.self || relationship.blocking) return null;
  const to = account.handle.replace(/^@/, "");
  return html`<a class="button button-secondary" href=${`/messages/new?to=${encodeURIComponent(to)}`}>${t(locale, "messages.write")}</a>`;
}

/**
 * Block (confirmed in a second step, like deleting a post: a nested disclosure, no JavaScript) or unblock. The
 * forms post to the settings' account actions (pages/mutes.ts), which come back here.
 */
function ProfileMenu(props: ProfilePageProps) {
  const { locale, csrf, account, relationship } = props;
  if (!relationship || relationship.self) return null;
  const name = isolate(account.displayName.trim() || account.username);
  const base = `/settings/mutes/accounts/${account.id}`;
  const next = profilePath(account);
  return html`<details class="post-menu profile-menu">
    <summary class="button button-secondary" aria-label=${t(locale, "profile.more")}>…</summary>
    <div class="post-menu-list">
      ${relationship.blocking
        ? html`<form method="post" action=${`${base}/unblock`} class="inline-form">
            <${CsrfField} token=${csrf} />
            <input type="hidden" name="next" value=${next} />
            <button type="submit" class="menu-item">${t(locale, "profile.unblock", { name })}</button>
          </form>`
        : html`<details class="post-delete">
            <summary class="menu-item menu-item-danger">${t(locale, "profile.block", { name })}</summary>
            <form method="post" action=${`${base}/block`} class="post-delete-confirm">
              <${CsrfField} token=${csrf} />
              <input type="hidden" name="next" value=${next} />
              <p>${t(locale, "profile.blockConfirm", { name })}</p>
              <button type="submit" class="button button-danger">${t(locale, "profile.blockYes")}</button>
            </form>
          </details>`}
      <a class="menu-item" href=${`/report?account=${account.id}`}>${t(locale, "moderation.report.profileLink", { name })}</a>
    </div>
  </details>`;
}

export function ProfilePage(props: ProfilePageProps) {
  const { locale, account, relationship, followers, following, details, managers = [], reports = [] } = props;
  const name = account.displayName.trim() === "" ? account.username : account.displayName;
  const path = profilePath(account);
  const host = hostOf(account.handle);
  const content = html`<article class="profile" aria-labelledby="profile-name">
      <div class="profile-banner">
        ${account.headerUrl
          ? html`<img src=${account.headerUrl} alt="" loading="lazy" referrerpolicy="no-referrer" />`
          : null}
      </div>
      <div class="profile-head">
        ${h(Avatar, { url: account.avatarUrl, name, seed: account.handle, size: "large" })}
        <div class="profile-id">
          <h1 id="profile-name">
            ${h(DisplayName, { name: account.displayName, fallback: account.username })}
            ${account.locked ? html` <${LockIcon} />` : null}
          </h1>
          <p class="profile-handle">
            ${h(Handle, { handle: account.handle })}
            ${relationship?.followedBy ? html` <span class="badge">${t(locale, "profile.followsYou")}</span>` : null}
          </p>
        </div>
        <div class="profile-actions"><${FollowControl} ...${props} /><${MessageLink} ...${props} /><${ProfileMenu} ...${props} /></div>
      </div>
      ${props.availability ?? null}
      ${account.locked
        ? html`<p class="notice notice-locked"><${LockIcon} /> ${t(locale, "profile.lockedNote")}</p>`
        : null}
      ${account.bioHtml.trim() !== ""
        ? // Safe: bioHtml is sanitised upstream with an allow-list before reaching any component.
          html`<div class="bio prose" dangerouslySetInnerHTML=${{ __html: account.bioHtml }}></div>`
        : null}
      ${details?.jobTitle || details?.department
        ? html`<p class="profile-job">${[details.jobTitle, details.department, details.instanceName].filter(Boolean).join(" · ")}</p>`
        : null}
      ${details ? h(ExpertiseChips, { locale, tags: details.expertise }) : null}
      <ul class="profile-stats" aria-label=${t(locale, "profile.stats")}>
        <li><a href=${`${path}/followers`}>${plural(locale, "profile.followers", account.followersCount)}</a></li>
        <li><a href=${`${path}/following`}>${plural(locale, "profile.following", account.followingCount)}</a></li>
      </ul>
      <p class="profile-meta">
        <span>${tParts(locale, "profile.joined", {
          date: h(LocalTime, { locale, date: account.createdAt, format: "month" }),
        })}</span>
        ${!account.isLocal && host
          ? html`<span>${t(locale, "profile.remote", { host })}</span>
              <a href=${account.url} rel="noopener noreferrer nofollow">${t(locale, "profile.viewOriginal")}</a>`
          : null}
      </p>
    </article>
    ${details ? h(ContactCard, { locale, details }) : null}
    ${h(OrgChart, { locale, managers, reports })}
    ${details ? h(CareerTimeline, { locale, career: details.career }) : null}
    ${props.posts ?? null}
    ${followers
      ? html`<section class="panel" aria-labelledby="followers-title">
          <h2 id="followers-title">${t(locale, "profile.followersTitle")}</h2>
          ${h(AccountList, { locale, accounts: followers })}
        </section>`
      : null}
    ${following
      ? html`<section class="panel" aria-labelledby="following-title">
          <h2 id="following-title">${t(locale, "profile.followingTitle")}</h2>
          ${h(AccountList, { locale, accounts: following })}
        </section>`
      : null}`;
  return h(Layout, {
    ...chrome(props),
    title: `${isolate(name)} (${account.handle})`,
    children: content,
  });
}
