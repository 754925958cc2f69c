// The org chart around one person: their manager chain (closest first, across subsidiaries) and direct reports.
import { h } from "preact";
import { html } from "../html.ts";
import { t } from "../i18n/index.ts";
import type { Locale } from "../i18n/index.ts";
import { Avatar } from "./avatar.ts";
import { DisplayName, Handle, usernameOf } from "./names.ts";

export type OrgPerson = {
  handle: string;
  displayName: string;
  avatarUrl: string | null;
  /** The profile page on this instance. */
  url: string;
  jobTitle: string;
  instanceName: string;
};

function PersonRow({ person }: { person: OrgPerson }) {
  const fallback = usernameOf(person.handle);
  return html`<a class="account-link" href=${person.url}>
    ${h(Avatar, { url: person.avatarUrl, name: person.displayName || fallback, seed: person.handle, size: "small" })}
    <span class="account-names">
      ${h(DisplayName, { name: person.displayName, fallback })}
      <span class="org-meta">${[person.jobTitle, person.instanceName].filter(Boolean).join(" · ")}</span>
      ${h(Handle, { handle: person.handle })}
    </span>
  </a>`;
}

export function OrgChart({ locale, managers, reports }: { locale: Locale; managers: OrgPerson[]; reports: OrgPerson[] }) {
  if (managers.length === 0 && reports.length === 0) return null;
  return html`<section class="panel org-chart" aria-labelledby="org-title">
    <h2 id="org-title">${t(locale, "profiles.orgTitle")}</h2>
    ${managers.length > 0
      ? html`<h3>${t(locale, "profiles.managers")}</h3>
        <ol class="org-chain">
          ${managers.map((m) => html`<li key=${m.handle}><${PersonRow} person=${m} /></li>`)}
        </ol>`
      : null}
    <h3>${t(locale, "profiles.reports")}</h3>
    ${reports.length > 0
      ? html`<ul class="account-list">${reports.map((r) => html`<li class="account-row" key=${r.handle}><${PersonRow} person=${r} /></li>`)}</ul>`
      : html`<p class="empty-state">${t(locale, "profiles.noReports")}</p>`}
  </section>`;
}
