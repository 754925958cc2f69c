// Lists: the page of one's lists (/lists, with a form to make one) and a list's page (/lists/:id): its timeline,
// its members (people one follows) with a form to add and buttons to remove, its settings. Plain forms, no JS
// needed; the timeline pages on with "Older posts" as the other timelines do.
import { h } from "preact";
import { html } from "../html.ts";
import { t, type Locale } from "../i18n/index.ts";
import { AccountList, type AccountSummary } from "./account-list.ts";
import { CsrfField, PostButton } from "./forms.ts";
import { chrome, Layout } from "./layout.ts";
import type { PageChrome } from "./layout.ts";
import { isolate, usernameOf } from "./names.ts";
import type { PostItem } from "./post.ts";
import { PostList, Scripts, type More } from "./timeline.ts";

export const REPLIES = ["list", "followed", "none"] as const;
export type ListRow = { id: string; title: string; repliesPolicy: (typeof REPLIES)[number]; exclusive: boolean };
export type ListMember = AccountSummary & { id: string };

function ListSettings({ locale, csrf, list, error }: { locale: Locale; csrf: string; list: ListRow | null; error?: string }) {
  const id = list ? `list-${list.id}` : "list-new";
  return html`<form method="post" action=${list ? `/lists/${list.id}` : "/lists"} class="list-form">
    <${CsrfField} token=${csrf} />
    ${error ? html`<p class="field-error" id=${`${id}-error`} role="alert">${error}</p>` : null}
    <div class="field">
      <label for=${`${id}-title`}>${t(locale, "lists.titleLabel")}</label>
      <input type="text" id=${`${id}-title`} name="title" required maxlength="200" value=${list?.title ?? ""}
        aria-describedby=${error ? `${id}-error` : undefined} />
    </div>
    <fieldset class="choice-list">
      <legend>${t(locale, "lists.repliesPolicy")}</legend>
      ${REPLIES.map((r) => html`<div class="field-check" key=${r}>
        <input type="radio" id=${`${id}-replies-${r}`} name="repliesPolicy" value=${r} checked=${(list?.repliesPolicy ?? "list") === r} />
        <label for=${`${id}-replies-${r}`}>${t(locale, `lists.replies.${r}`)}</label>
      </div>`)}
    </fieldset>
    <div class="field-check">
      <input type="checkbox" id=${`${id}-exclusive`} name="exclusive" value="on" checked=${list?.exclusive ?? false} />
      <label for=${`${id}-exclusive`}>${t(locale, "lists.exclusive")}</label>
    </div>
    <div class="form-actions">
      <button type="submit" class="button button-primary">${list ? t(locale, "lists.save") : t(locale, "lists.create")}</button>
    </div>
  </form>`;
}

export type ListsPageProps = PageChrome & { lists: ListRow[]; error?: string };

export function ListsPage(props: ListsPageProps) {
  const { locale, csrf, lists, error } = props;
  const title = t(locale, "lists.title");
  return h(Layout, {
    ...chrome(props),
    title,
    children: html`<div class="stream">
      <h1 id="page-title">${title}</h1>
      <p class="lead">${t(locale, "lists.intro")}</p>
      <section class="panel" aria-labelledby="lists-title">
        <h2 id="lists-title" class="visually-hidden">${title}</h2>
        ${lists.length === 0
          ? html`<p class="empty-state">${t(locale, "lists.empty")}</p>`
          : html`<ul class="mute-list">${lists.map((l) => html`<li key=${l.id}><a href=${`/lists/${l.id}`}>${l.title}</a></li>`)}</ul>`}
      </section>
      <section class="panel" aria-labelledby="list-new-heading">
        <h2 id="list-new-heading">${t(locale, "lists.new")}</h2>
        ${h(ListSettings, { locale, csrf, list: null, error })}
      </section>
    </div>`,
  });
}

export type ListPageProps = PageChrome & {
  list: ListRow;
  items: PostItem[];
  more: More;
  members: ListMember[];
  /** People one follows who are not in the list yet (the "add" choices). */
  candidates: ListMember[];
  error?: string;
  scripts?: string[];
  now?: Date;
};

export function ListPage(props: ListPageProps) {
  const { locale, csrf, list, items, more, members, candidates, error, scripts = [], now } = props;
  const returnTo = `/lists/${list.id}`;
  return h(Layout, {
    ...chrome(props),
    title: list.title,
    children: html`<div class="stream">
      <div class="stream-head">
        <h1 id="page-title">${list.title}</h1>
        <a class="stream-head-link" href="/lists">${t(locale, "lists.back")}</a>
      </div>
      ${h(PostList, { locale, csrf, items, returnTo, more, now, emptyText: t(locale, "lists.timelineEmpty") })}
      <section class="panel" aria-labelledby="members-title">
        <h2 id="members-title">${t(locale, "lists.members")}</h2>
        ${candidates.length === 0
          ? html`<p class="hint">${t(locale, "lists.noneToAdd")}</p>`
          : html`<form method="post" action=${`/lists/${list.id}/members`} class="field">
              <${CsrfField} token=${csrf} />
              <label for="list-add">${t(locale, "lists.addLabel")}</label>
              <div class="search-row">
                <select id="list-add" name="accountId">
                  ${candidates.map((a) => html`<option value=${a.id} key=${a.id}>${a.displayName || usernameOf(a.handle)} (${a.handle})</option>`)}
                </select>
                <button type="submit" class="button button-primary">${t(locale, "lists.add")}</button>
              </div>
            </form>`}
        ${h(AccountList<ListMember>, {
          locale, accounts: members, emptyText: t(locale, "lists.membersEmpty"),
          actions: (a) => h(PostButton, {
            action: `/lists/${list.id}/members/${a.id}/delete`, csrf, label: t(locale, "lists.remove"), variant: "secondary",
            accessibleLabel: t(locale, "lists.removeLabel", { name: isolate(a.displayName || usernameOf(a.handle)) }),
          }),
        })}
      </section>
      <section class="panel" aria-labelledby="list-settings-title">
        <h2 id="list-settings-title">${t(locale, "lists.settings")}</h2>
        ${h(ListSettings, { locale, csrf, list, error })}
        ${h(PostButton, { action: `/lists/${list.id}/delete`, csrf, label: t(locale, "lists.delete"), variant: "secondary" })}
      </section>
      ${h(Scripts, { urls: scripts })}
    </div>`,
  });
}
