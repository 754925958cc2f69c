// Settings › Authorised applications (issue #9 point 1): who can use the account, with what access, last used
// when; one button each to revoke.
import { h } from "preact";
import { html } from "../html.ts";
import { t, type Locale } from "../i18n/index.ts";
import { PostButton } from "./forms.ts";
import { chrome, Layout, type PageChrome } from "./layout.ts";
import { ScopeList } from "./oauth.ts";

export interface AuthorizedAppView {
  key: string;
  /** null: the operator CLI's tokens. */
  name: string | null;
  website: string | null;
  scopes: string[];
  authorizedAt: Date;
  lastUsedAt: Date | null;
}

export type AuthorizedAppsPageProps = PageChrome & { apps: AuthorizedAppView[]; revoked?: string };

function day(locale: Locale, date: Date): string {
  return new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(date);
}

export function AuthorizedAppsPage(props: AuthorizedAppsPageProps) {
  const { locale, csrf, apps, revoked } = props;
  return h(Layout, {
    ...chrome(props),
    title: t(locale, "apps.title"),
    children: html`<section class="panel panel-form" aria-labelledby="page-title">
      <h1 id="page-title">${t(locale, "apps.title")}</h1>
      <p>${t(locale, "apps.intro")}</p>
      ${revoked ? html`<p class="notice notice-success" role="status">${t(locale, "apps.revoked", { app: revoked })}</p>` : null}
      ${apps.length === 0 ? html`<p class="hint">${t(locale, "apps.empty")}</p>` : html`<ul class="app-list">
        ${apps.map((a) => {
          const name = a.name ?? t(locale, "apps.cli");
          const headingId = `app-${a.key}`;
          return html`<li key=${a.key} class="app-item" aria-labelledby=${headingId}>
            <h2 id=${headingId} class="app-name">${name}</h2>
            ${a.website ? html`<p class="hint"><a href=${a.website} rel="noopener noreferrer nofollow">${a.website}</a></p>` : null}
            <p class="hint">${[
              t(locale, "apps.authorizedAt", { date: day(locale, a.authorizedAt) }),
              a.lastUsedAt ? t(locale, "apps.lastUsed", { date: day(locale, a.lastUsedAt) }) : t(locale, "apps.neverUsed"),
            ].join(" · ")}</p>
            <h3 class="visually-hidden">${t(locale, "apps.scopes")}</h3>
            ${h(ScopeList, { locale, scopes: a.scopes })}
            ${h(PostButton, {
              action: `/settings/applications/${a.key}/revoke`, csrf, label: t(locale, "apps.revoke"),
              accessibleLabel: t(locale, "apps.revokeNamed", { app: name }), variant: "secondary",
            })}
          </li>`;
        })}
      </ul>`}
    </section>`,
  });
}
