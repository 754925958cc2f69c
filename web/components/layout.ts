// The page around every page: document head, header with the instance name, main navigation, a language
// switch, flash messages and footer. It works without JavaScript: actions are POST forms.
import { h } from "preact";
import type { ComponentChildren } from "preact";
import { html } from "../html.ts";
import { plural, t, tParts } from "../i18n/index.ts";
import type { Locale } from "../i18n/index.ts";
import { CsrfField } from "./forms.ts";
import { DisplayName } from "./names.ts";

/** The signed-in person looking at the page. */
export type Viewer = { username: string; displayName: string; isAdmin: boolean };

export type Flash = { kind: "info" | "error"; message: string };

/** What every page hands to the layout, besides its own content. */
export type PageChrome = {
  locale: Locale;
  viewer: Viewer | null;
  /** The session's CSRF token, put in every POST form (logout and language switch included). */
  csrf: string;
  /** Shown next to "Ruche" in the header, e.g. "Paris". */
  instanceName?: string;
  flash?: Flash[];
  /** The current path: marks the matching nav link and is where the language switch comes back to. */
  path?: string;
  /** The viewer's unread notifications (issue #4), shown beside the Notifications link. */
  unreadNotifications?: number;
};

/** Only the chrome fields of a page's props, so page-specific props are not spread into the layout. */
export function chrome(props: PageChrome): PageChrome {
  const { locale, viewer, csrf, instanceName, flash, path, unreadNotifications } = props;
  return { locale, viewer, csrf, instanceName, flash, path, unreadNotifications };
}

export type LayoutProps = PageChrome & { title: string; children?: ComponentChildren };

const otherLocale: Record<Locale, Locale> = { fr: "en", en: "fr" };

function Logo() {
  // A honeycomb cell; decorative, the brand name is written beside it.
  return html`<svg class="brand-logo" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true" focusable="false">
    <path d="M16 2.5 27.7 9.25v13.5L16 29.5 4.3 22.75V9.25z" fill="currentColor" />
    <path d="M16 9.5 21.6 12.75v6.5L16 22.5l-5.6-3.25v-6.5z" fill="var(--header-bg)" />
  </svg>`;
}

function LanguageSwitch({ locale, csrf, path }: { locale: Locale; csrf: string; path?: string }) {
  const target = otherLocale[locale];
  return html`<form class="lang-switch" method="post" action="/settings/language"
      aria-label=${t(locale, "language.switchLabel")}>
    ${h(CsrfField, { token: csrf })}
    ${path ? html`<input type="hidden" name="next" value=${path} />` : null}
    <button type="submit" name="locale" value=${target} lang=${target} class="button button-ghost">
      ${t(target, `language.name.${target}`)}
    </button>
  </form>`;
}

function NavLink({ href, label, path }: { href: string; label: string; path?: string }) {
  return html`<li><a href=${href} aria-current=${path === href ? "page" : undefined}>${label}</a></li>`;
}

function Navigation({ locale, viewer, csrf, path, unreadNotifications = 0 }: PageChrome) {
  if (!viewer) {
    return html`<ul class="nav-list">
      <${NavLink} href="/" label=${t(locale, "nav.home")} path=${path} />
      <${NavLink} href="/login" label=${t(locale, "nav.login")} path=${path} />
    </ul>`;
  }
  return html`<ul class="nav-list">
    <${NavLink} href="/" label=${t(locale, "nav.home")} path=${path === "/home" ? "/" : path} />
    <${NavLink} href="/local" label=${t(locale, "timeline.local")} path=${path} />
    <${NavLink} href="/group" label=${t(locale, "timeline.group")} path=${path} />
    <li><a href="/notifications" aria-current=${path === "/notifications" ? "page" : undefined}>${t(locale, "notifications.title")}${unreadNotifications > 0
      ? html` <span class="nav-count"><span aria-hidden="true">${unreadNotifications}</span><span class="visually-hidden">(${plural(locale, "notifications.unread", unreadNotifications)})</span></span>`
      : null}</a></li>
    <${NavLink} href=${`/@${viewer.username}`} label=${t(locale, "nav.profile")} path=${path} />
    <${NavLink} href="/directory" label=${t(locale, "directory.nav")} path=${path} />
    <${NavLink} href="/follow-requests" label=${t(locale, "nav.followRequests")} path=${path} />
    <${NavLink} href="/settings/profile" label=${t(locale, "nav.editProfile")} path=${path} />
    <${NavLink} href="/settings/language" label=${t(locale, "nav.language")} path=${path} />
    <${NavLink} href="/settings/applications" label=${t(locale, "apps.nav")} path=${path} />
    <li>
      <form method="post" action="/logout" class="inline-form">
        ${h(CsrfField, { token: csrf })}
        <button type="submit" class="nav-button">${t(locale, "nav.logout")}</button>
      </form>
    </li>
  </ul>`;
}

function FlashMessages({ flash }: { flash: Flash[] }) {
  if (flash.length === 0) return null;
  // Errors interrupt (role=alert); information waits its turn (role=status).
  return html`<div class="flashes">
    ${flash.map(
      (f) => html`<p class=${`notice notice-${f.kind}`} role=${f.kind === "error" ? "alert" : "status"}>${f.message}</p>`,
    )}
  </div>`;
}

export function Layout(props: LayoutProps) {
  const { locale, title, viewer, csrf, instanceName, flash = [], path, children } = props;
  const appName = t(locale, "app.name");
  const documentTitle = instanceName ? `${title} · ${appName} ${instanceName}` : `${title} · ${appName}`;
  return html`<html lang=${locale}>
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="color-scheme" content="light dark" />
      <title>${documentTitle}</title>
      <link rel="stylesheet" href="/static/app.css" />
      <link rel="stylesheet" href="/static/profiles.css" />
      <link rel="stylesheet" href="/static/posts.css" />
    </head>
    <body>
      <a class="skip-link" href="#main">${t(locale, "layout.skipToContent")}</a>
      <header class="site-header">
        <div class="container header-bar">
          <a class="brand" href="/">
            <${Logo} />
            <span class="brand-name">${appName}</span>
            ${instanceName ? html`<span class="brand-instance">${instanceName}</span>` : null}
          </a>
          <div class="header-tools">
            ${viewer
              ? html`<p class="viewer">
                  ${tParts(locale, "layout.signedInAs", {
                    name: h(DisplayName, { name: viewer.displayName, fallback: viewer.username }),
                  })}
                  ${viewer.isAdmin ? html` <span class="badge badge-admin">${t(locale, "layout.adminBadge")}</span>` : null}
                </p>`
              : null}
            <${LanguageSwitch} locale=${locale} csrf=${csrf} path=${path} />
          </div>
        </div>
        <nav class="container site-nav" aria-label=${t(locale, "nav.label")}>
          <${Navigation} locale=${locale} viewer=${viewer} csrf=${csrf} path=${path} unreadNotifications=${props.unreadNotifications} />
        </nav>
      </header>
      <main id="main" class="container site-main" tabindex="-1">
        <${FlashMessages} flash=${flash} />
        ${children}
      </main>
      <footer class="site-footer">
        <div class="container">
          <p>${t(locale, "layout.footer")}</p>
        </div>
      </footer>
    </body>
  </html>`;
}
