// Groups and projects (issue #10): the directory ("my groups" and groups to join, with search), the create form
// and a group's page (what it is, join or leave, its members with their roles, its posts and a composer for its
// members). Everything works without JavaScript: joining and leaving are one-button forms.
import { h } from "preact";
import { html } from "../html.ts";
import { plural, t } from "../i18n/index.ts";
import { AccountList, type AccountSummary } from "./account-list.ts";
import { Avatar } from "./avatar.ts";
import { Composer, type ComposerProps } from "./composer.ts";
import { CsrfField, PostButton, describedBy } from "./forms.ts";
import { chrome, Layout, type PageChrome } from "./layout.ts";
import type { PostItem } from "./post.ts";
import { PostList, Scripts, type More } from "./timeline.ts";

export const GROUP_KINDS = ["community", "project", "department"] as const;
export type GroupKind = (typeof GROUP_KINDS)[number];
export type GroupRole = "owner" | "moderator" | "member";

export type GroupSummary = {
  /** The group's page here, e.g. `/groups/migration_lyon`. */
  url: string;
  handle: string;
  displayName: string;
  description: string;
  kind: GroupKind;
  avatarUrl: string | null;
};

function GroupRow({ locale, group }: { locale: PageChrome["locale"]; group: GroupSummary }) {
  return html`<li class="account-row" key=${group.handle}>
    <a class="account-link" href=${group.url}>
      ${h(Avatar, { url: group.avatarUrl, name: group.displayName, seed: group.handle, size: "small" })}
      <span class="account-names">
        <span class="display-name">${group.displayName}</span>
        <span class="handle">${t(locale, `groups.kind.${group.kind}`)} · ${group.handle}</span>
      </span>
    </a>
  </li>`;
}

function GroupList({ locale, groups, emptyText }: { locale: PageChrome["locale"]; groups: GroupSummary[]; emptyText: string }) {
  if (groups.length === 0) return html`<p class="empty-state">${emptyText}</p>`;
  return html`<ul class="account-list">${groups.map((g) => h(GroupRow, { locale, group: g }))}</ul>`;
}

export type GroupsPageProps = PageChrome & { mine: GroupSummary[]; directory: GroupSummary[]; q: string };

export function GroupsPage(props: GroupsPageProps) {
  const { locale, mine, directory, q } = props;
  const title = t(locale, "groups.title");
  return h(Layout, {
    ...chrome(props),
    title,
    children: html`<div class="stream">
      <div class="stream-head">
        <h1 id="page-title">${title}</h1>
        <a class="button button-primary" href="/groups/new">${t(locale, "groups.create")}</a>
      </div>
      <section class="panel" aria-labelledby="mine-title">
        <h2 id="mine-title">${t(locale, "groups.mine")}</h2>
        ${h(GroupList, { locale, groups: mine, emptyText: t(locale, "groups.mine.empty") })}
      </section>
      <section class="panel" aria-labelledby="directory-title">
        <h2 id="directory-title">${t(locale, "groups.directory")}</h2>
        <form method="get" action="/groups" role="search" class="stack-form">
          <div class="field">
            <label for="group-q">${t(locale, "groups.search")}</label>
            <input id="group-q" name="q" type="search" value=${q} maxlength="100" />
          </div>
          <div class="form-actions">
            <button type="submit" class="button button-secondary">${t(locale, "groups.search.submit")}</button>
          </div>
        </form>
        ${h(GroupList, { locale, groups: directory, emptyText: t(locale, "groups.directory.empty") })}
      </section>
    </div>`,
  });
}

export type GroupFormValues = { name: string; displayName: string; description: string; kind: GroupKind };
export type GroupFormPageProps = PageChrome & { values: GroupFormValues; error?: string };

export function GroupFormPage(props: GroupFormPageProps) {
  const { locale, csrf, values, error } = props;
  const title = t(locale, "groups.create.title");
  return h(Layout, {
    ...chrome(props),
    title,
    children: html`<section class="panel panel-form" aria-labelledby="page-title">
      <h1 id="page-title">${title}</h1>
      ${error ? html`<p class="notice notice-error" role="alert" id="group-error">${error}</p>` : null}
      <form method="post" action="/groups" class="stack-form">
        <${CsrfField} token=${csrf} />
        <div class="field">
          <label for="group-display-name">${t(locale, "groups.field.displayName")}</label>
          <input id="group-display-name" name="displayName" type="text" required maxlength="100" value=${values.displayName}
            aria-describedby=${describedBy(error && "group-error")} />
        </div>
        <div class="field">
          <label for="group-name">${t(locale, "groups.field.name")}</label>
          <p id="group-name-hint" class="hint">${t(locale, "groups.field.name.hint")}</p>
          <input id="group-name" name="name" type="text" required maxlength="30" pattern="[a-z0-9_]{1,30}" value=${values.name}
            autocapitalize="none" spellcheck="false" aria-describedby="group-name-hint" />
        </div>
        <div class="field">
          <label for="group-description">${t(locale, "groups.field.description")}</label>
          <textarea id="group-description" name="description" maxlength="2000" rows="3">${values.description}</textarea>
        </div>
        <fieldset class="choice-list">
          <legend>${t(locale, "groups.field.kind")}</legend>
          ${GROUP_KINDS.map((k) => html`<div class="field-check" key=${k}>
            <input type="radio" id=${`kind-${k}`} name="kind" value=${k} checked=${values.kind === k} aria-describedby=${`kind-${k}-hint`} />
            <div>
              <label for=${`kind-${k}`}>${t(locale, `groups.kind.${k}`)}</label>
              <p id=${`kind-${k}-hint`} class="hint">${t(locale, `groups.kind.${k}.hint`)}</p>
            </div>
          </div>`)}
        </fieldset>
        <div class="form-actions">
          <button type="submit" class="button button-primary">${t(locale, "groups.create.submit")}</button>
        </div>
      </form>
    </section>`,
  });
}

export type GroupMember = AccountSummary & { role: GroupRole };

export type GroupPageProps = PageChrome & {
  group: GroupSummary & { local: boolean; memberCount: number };
  /** The viewer's place in it: a member (with a role), a pending request, or none. */
  membership: GroupRole | "requested" | null;
  /** null when the viewer may not see inside (a project they are not in). */
  members: GroupMember[] | null;
  items: PostItem[] | null;
  more: More;
  composer?: Omit<ComposerProps, "locale" | "csrf"> | null;
  scripts?: string[];
  now?: Date;
};

export function GroupPage(props: GroupPageProps) {
  const { locale, csrf, group, membership, members, items, more, composer, scripts = [], now } = props;
  const base = group.url;
  const joinLabel = group.kind === "community" ? t(locale, "groups.join") : t(locale, "groups.request");
  const action = membership === null
    ? h(PostButton, { action: `${base}/join`, csrf, label: joinLabel, variant: "primary" })
    : membership === "requested"
    ? html`<p>${t(locale, "groups.requested")}</p>`
    : membership !== "owner"
    ? h(PostButton, { action: `${base}/leave`, csrf, label: t(locale, "groups.leave"), variant: "secondary" })
    : null;
  return h(Layout, {
    ...chrome(props),
    title: group.displayName,
    children: html`<div class="stream">
      <section class="panel" aria-labelledby="page-title">
        <div class="stream-head">
          <h1 id="page-title">${group.displayName}</h1>
          ${action}
        </div>
        <p class="handle">${t(locale, `groups.kind.${group.kind}`)} · ${group.handle} · ${plural(locale, "groups.members.count", group.memberCount)}</p>
        ${group.description ? html`<p>${group.description}</p>` : null}
        ${group.local ? null : html`<p class="hint">${t(locale, "groups.remote")}</p>`}
        ${members === null ? html`<p class="lead">${t(locale, "groups.private")}</p>` : null}
      </section>
      ${composer ? html`<div class="panel composer-panel" aria-label=${t(locale, "groups.composer")}>${h(Composer, { locale, csrf, ...composer })}</div>` : null}
      ${items ? html`<section aria-labelledby="posts-title">
        <h2 id="posts-title" class="visually-hidden">${t(locale, "groups.timeline")}</h2>
        ${h(PostList, { locale, csrf, items, returnTo: base, more, now, emptyText: t(locale, "groups.timeline.empty") })}
      </section>` : null}
      ${members ? html`<section class="panel" aria-labelledby="members-title">
        <h2 id="members-title">${t(locale, "groups.members")}</h2>
        ${h(AccountList<GroupMember>, {
          locale, accounts: members,
          actions: (m: GroupMember) => html`<span class="badge">${t(locale, `groups.role.${m.role}`)}</span>`,
        })}
      </section>` : null}
      ${h(Scripts, { urls: scripts })}
    </div>`,
  });
}
