// A list of people (followers, following, search results, follow requests) and the page that shows one.
import { h } from "preact";
import type { ComponentChildren } from "preact";
import { html } from "../html.ts";
import { t } from "../i18n/index.ts";
import type { Locale } from "../i18n/index.ts";
import { Avatar } from "./avatar.ts";
import { chrome, Layout } from "./layout.ts";
import type { PageChrome } from "./layout.ts";
import { DisplayName, Handle, usernameOf } from "./names.ts";

export type AccountSummary = {
  /** `@user@host` */
  handle: string;
  displayName: string;
  avatarUrl: string | null;
  /** The profile page on this instance, also for remote accounts. */
  url: string;
};

export type AccountListProps<A extends AccountSummary = AccountSummary> = {
  locale: Locale;
  accounts: A[];
  /** Shown instead of the list when it is empty. */
  emptyText?: string;
  /** Buttons shown on each row, e.g. Accept / Reject. */
  actions?: (account: A) => ComponentChildren;
};

export function AccountList<A extends AccountSummary>({ locale, accounts, emptyText, actions }: AccountListProps<A>) {
  if (accounts.length === 0) {
    return html`<p class="empty-state">${emptyText ?? t(locale, "accounts.empty")}</p>`;
  }
  return html`<ul class="account-list">
    ${accounts.map((account) => {
      const fallback = usernameOf(account.handle);
      return html`<li class="account-row" key=${account.handle}>
        <a class="account-link" href=${account.url}>
          ${h(Avatar, { url: account.avatarUrl, name: account.displayName || fallback, seed: account.handle, size: "small" })}
          <span class="account-names">
            ${h(DisplayName, { name: account.displayName, fallback })}
            ${h(Handle, { handle: account.handle })}
          </span>
        </a>
        ${actions ? html`<div class="account-actions">${actions(account)}</div>` : null}
      </li>`;
    })}
  </ul>`;
}

export type AccountListPageProps = PageChrome & {
  /** Already translated, e.g. t(locale, "accounts.followersOf", { name: isolate(displayName) }). */
  title: string;
  accounts: AccountSummary[];
};

export function AccountListPage(props: AccountListPageProps) {
  const { locale, title, accounts } = props;
  return h(Layout, {
    ...chrome(props),
    title,
    children: html`<section class="panel" aria-labelledby="page-title">
      <h1 id="page-title">${title}</h1>
      ${h(AccountList, { locale, accounts })}
    </section>`,
  });
}
