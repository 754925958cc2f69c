// The header of every page: the brand, the search box (the group-wide search, issue #14: posts, articles, questions,
// people; an address or a URL goes on to the people search that resolves it) and
// the person's avatar opening their menu (profile, settings, language, sign out). The menu is a <details>, so it
// opens by mouse, keyboard (Enter or Space on its button) and without JavaScript; the menus island adds Escape
// and closing on an outside click. Signed out: the language switch and "Log in".
import { h } from "preact";
import { html } from "../html.ts";
import { t } from "../i18n/index.ts";
import type { Locale } from "../i18n/index.ts";
import { Avatar } from "./avatar.ts";
import { CsrfField } from "./forms.ts";
import { DisplayName } from "./names.ts";
import { ScopeIcon } from "./post-icons.ts";

/** The signed-in person looking at the page. */
export type Viewer = { username: string; displayName: string; isAdmin: boolean; avatarUrl?: string | null;
  /** Moderators and administrators: the moderation queue is in their menu. */
  isStaff?: boolean };

const otherLocale: Record<Locale, Locale> = { fr: "en", en: "fr" };

export function Logo() {
  // A honeycomb cell; decorative, the brand name is written beside it.
  return html`<svg class="brand-logo" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true" focusable="false">
    <path d="M16 2.5 27.7 9.25v13.5L16 29.5 4.3 22.75V9.25z" fill="currentColor" />
    <path d="M16 9.5 21.6 12.75v6.5L16 22.5l-5.6-3.25v-6.5z" fill="var(--header-bg)" />
  </svg>`;
}

/** One button that switches to the other language and comes back to the same page. */
export function LanguageSwitch({ locale, csrf, path, className = "button button-ghost" }: { locale: Locale; csrf: string; path?: string; className?: string }) {
  const target = otherLocale[locale];
  return html`<form class="lang-switch" method="post" action="/settings/language"
      aria-label=${t(locale, "language.switchLabel")}>
    ${h(CsrfField, { token: csrf })}
    ${path ? html`<input type="hidden" name="next" value=${path} />` : null}
    <button type="submit" name="locale" value=${target} lang=${target} class=${className}>
      ${t(target, `language.name.${target}`)}
    </button>
  </form>`;
}

export function SearchBox({ locale, query }: { locale: Locale; query?: string }) {
  return html`<form class="header-search" method="get" action="/knowledge/search" role="search" aria-label=${t(locale, "shell.search.label")}>
    <label class="visually-hidden" for="header-search-q">${t(locale, "shell.search.label")}</label>
    <input type="search" id="header-search-q" name="q" value=${query ?? ""} placeholder=${t(locale, "shell.search.placeholder")}
      autocomplete="off" enterkeyhint="search" maxlength="300" />
    <button type="submit" class="header-search-button">
      <${ScopeIcon} scope="search" />
      <span class="visually-hidden">${t(locale, "shell.search.submit")}</span>
    </button>
  </form>`;
}

export function AccountMenu({ locale, csrf, viewer, path }: { locale: Locale; csrf: string; viewer: Viewer; path?: string }) {
  const name = viewer.displayName.trim() || viewer.username;
  const profile = `/@${viewer.username}`;
  const current = (href: string) => (path === href ? "page" : undefined);
  return html`<details class="account-menu" data-menu>
    <summary class="account-menu-button">
      ${h(Avatar, { url: viewer.avatarUrl ?? null, name, seed: `@${viewer.username}`, size: "small" })}
      <span class="account-menu-name">${h(DisplayName, { name: viewer.displayName, fallback: viewer.username })}</span>
      <span class="visually-hidden">${t(locale, "shell.accountMenu")}</span>
    </summary>
    <div class="menu-panel account-menu-panel">
      <p class="account-menu-who">
        ${h(DisplayName, { name: viewer.displayName, fallback: viewer.username })}
        <span class="handle">@${viewer.username}</span>
        ${viewer.isAdmin ? html`<span class="badge badge-admin">${t(locale, "layout.adminBadge")}</span>` : null}
      </p>
      <ul class="menu-list">
        <li><a class="menu-item" href=${profile} aria-current=${current(profile)}>${t(locale, "nav.profile")}</a></li>
        <li><a class="menu-item" href="/settings/profile" aria-current=${current("/settings/profile")}>${t(locale, "nav.editProfile")}</a></li>
        <li><a class="menu-item" href="/settings/mutes" aria-current=${current("/settings/mutes")}>${t(locale, "timeline.mutesLink")}</a></li>
        <li><a class="menu-item" href="/settings/language" aria-current=${current("/settings/language")}>${t(locale, "nav.language")}</a></li>
        <li><a class="menu-item" href="/settings/password" aria-current=${current("/settings/password")}>${t(locale, "nav.password")}</a></li>
        <li><a class="menu-item" href="/settings/applications" aria-current=${current("/settings/applications")}>${t(locale, "apps.nav")}</a></li>
        <li><a class="menu-item" href="/settings/schedule" aria-current=${current("/settings/schedule")}>${t(locale, "quiet.settings.title")}</a></li>
        <li><a class="menu-item" href="/settings/export" aria-current=${current("/settings/export")}>${t(locale, "nav.export")}</a></li>
        <li><a class="menu-item" href="/settings/analytics" aria-current=${current("/settings/analytics")}>${t(locale, "analytics.me.title")}</a></li>
        <li><a class="menu-item" href="/settings/delete" aria-current=${current("/settings/delete")}>${t(locale, "deletion.nav")}</a></li>
        <li><a class="menu-item" href="/charter" aria-current=${current("/charter")}>${t(locale, "nav.charter")}</a></li>
        <li><a class="menu-item" href="/settings/moderation" aria-current=${current("/settings/moderation")}>${t(locale, "moderation.notices.nav")}</a></li>
        ${viewer.isAdmin ? html`<li><a class="menu-item" href="/admin" aria-current=${current("/admin")}>${t(locale, "admin.nav")}</a></li>` : null}
        ${viewer.isAdmin ? html`<li><a class="menu-item" href="/admin/charter" aria-current=${current("/admin/charter")}>${t(locale, "charter.admin.nav")}</a></li>` : null}
        ${viewer.isAdmin ? html`<li><a class="menu-item" href="/admin/analytics" aria-current=${current("/admin/analytics")}>${t(locale, "analytics.nav")}</a></li>` : null}
        ${viewer.isStaff ? html`<li><a class="menu-item" href="/admin/reports" aria-current=${current("/admin/reports")}>${t(locale, "moderation.nav")}</a></li>` : null}
        <li>${h(LanguageSwitch, { locale, csrf, path, className: "menu-item" })}</li>
        <li>
          <form method="post" action="/logout" class="inline-form">
            ${h(CsrfField, { token: csrf })}
            <button type="submit" class="menu-item">${t(locale, "nav.logout")}</button>
          </form>
        </li>
      </ul>
    </div>
  </details>`;
}
