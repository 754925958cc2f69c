// The page around every page: document head, the header (brand, search, the person's menu), the navigation of
// the app's sections (shell-nav.ts: a sidebar on a wide screen, a bottom bar on a phone), flash messages and
// footer. It works without JavaScript: menus are <details>, actions are POST forms, the layout is CSS.
import { h } from "preact";
import type { ComponentChildren } from "preact";
import { html } from "../html.ts";
import { t } from "../i18n/index.ts";
import type { Locale } from "../i18n/index.ts";
import { CsrfField } from "./forms.ts";
import { AccountMenu, LanguageSwitch, Logo, SearchBox, type Viewer } from "./shell-header.ts";
import { ShellNav } from "./shell-nav.ts";

export type { Viewer };

/** A message shown once at the top of the next page; `undo` adds a button that reverts what was just done. */
export type Flash = { kind: "info" | "error"; message: string; undo?: { action: string; label: string; next?: string }; link?: { href: string; label: string } };

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
  /** Follow requests waiting for the viewer; the section shows only when there are some. */
  pendingFollowRequests?: number;
  /** The viewer's conversations with an unread message (issue #9 point 2), beside the Messages link. */
  unreadMessages?: number;
  /** Island scripts every page loads (menus, copy link), with their versioned URLs. */
  shellScripts?: string[];
};

/** Only the chrome fields of a page's props, so page-specific props are not spread into the layout. */
export function chrome(props: PageChrome): PageChrome {
  const { locale, viewer, csrf, instanceName, flash, path, unreadNotifications, pendingFollowRequests, unreadMessages, shellScripts } = props;
  return { locale, viewer, csrf, instanceName, flash, path, unreadNotifications, pendingFollowRequests, unreadMessages, shellScripts };
}

export type LayoutProps = PageChrome & { title: string; children?: ComponentChildren };

function FlashMessages({ flash, csrf }: { flash: Flash[]; csrf: string }) {
  if (flash.length === 0) return null;
  // Errors interrupt (role=alert); information waits its turn (role=status).
  return html`<div class="flashes">
    ${flash.map((f) => f.undo
      ? html`<div class=${`notice notice-${f.kind} notice-undo`} role="status">
          <span>${f.message}</span>
          <form method="post" action=${f.undo.action} class="inline-form">
            ${h(CsrfField, { token: csrf })}
            ${f.undo.next ? html`<input type="hidden" name="next" value=${f.undo.next} />` : null}
            <button type="submit" class="button button-secondary button-small">${f.undo.label}</button>
          </form>
        </div>`
      : html`<p class=${`notice notice-${f.kind}`} role=${f.kind === "error" ? "alert" : "status"}>${f.message}${f.link
          ? html` <a href=${f.link.href}>${f.link.label}</a>` : null}</p>`)}
  </div>`;
}

export function Layout(props: LayoutProps) {
  const { locale, title, viewer, csrf, instanceName, flash = [], path, children, shellScripts = [] } = props;
  const appName = t(locale, "app.name");
  const documentTitle = instanceName ? `${title} · ${appName} ${instanceName}` : `${title} · ${appName}`;
  const badges = { notifications: props.unreadNotifications ?? 0, followRequests: props.pendingFollowRequests ?? 0, messages: props.unreadMessages ?? 0 };
  return html`<html lang=${locale}>
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="color-scheme" content="light dark" />
      <title>${documentTitle}</title>
      <link rel="stylesheet" href="/static/app.css" />
      <link rel="stylesheet" href="/static/shell.css" />
      <link rel="stylesheet" href="/static/profiles.css" />
      <link rel="stylesheet" href="/static/posts.css" />
      <link rel="stylesheet" href="/static/messages.css" />
      <link rel="stylesheet" href="/static/quiet.css" />
      <link rel="stylesheet" href="/static/knowledge.css" />
      <link rel="stylesheet" href="/static/analytics.css" />
      ${shellScripts.map((src) => html`<script type="module" src=${src} key=${src}></script>`)}
    </head>
    <body class=${viewer ? "has-shell" : undefined}>
      <a class="skip-link" href="#main">${t(locale, "layout.skipToContent")}</a>
      <header class="site-header">
        <div class="header-bar">
          <a class="brand" href="/">
            <${Logo} />
            <span class="brand-name">${appName}</span>
            ${instanceName ? html`<span class="brand-instance">${instanceName}</span>` : null}
          </a>
          ${viewer
            ? html`<${SearchBox} locale=${locale} />
                <div class="header-tools"><${AccountMenu} locale=${locale} csrf=${csrf} viewer=${viewer} path=${path} /></div>`
            : html`<div class="header-tools">
                <${LanguageSwitch} locale=${locale} csrf=${csrf} path=${path} />
                ${path === "/login" ? null : html`<a class="button button-primary header-login" href="/login">${t(locale, "nav.login")}</a>`}
              </div>`}
        </div>
      </header>
      <div class="shell">
        ${viewer ? html`<${ShellNav} locale=${locale} path=${path} badges=${badges} />` : null}
        <main id="main" class="site-main" tabindex="-1">
          <${FlashMessages} flash=${flash} csrf=${csrf} />
          ${children}
        </main>
      </div>
      <footer class="site-footer">
        <div class="container">
          <p>${t(locale, "layout.footer")}</p>
        </div>
      </footer>
    </body>
  </html>`;
}
