// Settings for what one does not want to read: muted words (hidden from timelines, threads and notifications),
// muted people, blocked people (kept apart both ways), and the hashtags one follows.
import { h } from "preact";
import { html } from "../html.ts";
import { t } from "../i18n/index.ts";
import type { AccountSummary } from "./account-list.ts";
import { AccountList } from "./account-list.ts";
import { CsrfField, PostButton } from "./forms.ts";
import { chrome, Layout } from "./layout.ts";
import type { PageChrome } from "./layout.ts";
import { isolate, usernameOf } from "./names.ts";

export type MutedWord = { id: string; phrase: string; wholeWord: boolean };
export type MutedAccount = AccountSummary & { id: string };

export type MutesPageProps = PageChrome & {
  words: MutedWord[];
  accounts: MutedAccount[];
  /** The people the viewer blocked, newest first. */
  blocked: MutedAccount[];
  followedTags: string[];
  /** A problem with the word just submitted, translated. */
  error?: string;
};

export function MutesPage(props: MutesPageProps) {
  const { locale, csrf, words, accounts, blocked, followedTags, error } = props;
  const title = t(locale, "timeline.mutesTitle");
  return h(Layout, {
    ...chrome(props),
    title,
    children: html`<div class="stream">
      <h1 id="page-title">${title}</h1>
      <section class="panel" aria-labelledby="words-title">
        <h2 id="words-title">${t(locale, "timeline.mutedWords")}</h2>
        <p class="hint">${t(locale, "timeline.mutedWordsIntro")} <a href="/settings/filters">${t(locale, "filters.moreLink")}</a></p>
        <form method="post" action="/settings/mutes/words" class="mute-word-form">
          <${CsrfField} token=${csrf} />
          <div class="field">
            <label for="mute-phrase">${t(locale, "timeline.muteWordLabel")}</label>
            ${error ? html`<p class="field-error" id="mute-phrase-error">${error}</p>` : null}
            <div class="search-row">
              <input type="text" id="mute-phrase" name="phrase" required maxlength="200" autocomplete="off"
                aria-invalid=${error ? "true" : undefined} aria-describedby=${error ? "mute-phrase-error" : undefined} />
              <button type="submit" class="button button-primary">${t(locale, "timeline.muteWordAdd")}</button>
            </div>
          </div>
          <div class="field-check">
            <input type="checkbox" id="mute-whole" name="wholeWord" value="on" checked />
            <label for="mute-whole">${t(locale, "timeline.muteWholeWord")}</label>
          </div>
        </form>
        ${words.length === 0
          ? html`<p class="empty-state">${t(locale, "timeline.mutedWordsEmpty")}</p>`
          : html`<ul class="mute-list">
              ${words.map((w) => html`<li key=${w.id}>
                <span class="mute-phrase">${w.phrase}</span>
                ${h(PostButton, {
                  action: `/settings/mutes/words/${w.id}/delete`, csrf, label: t(locale, "timeline.remove"), variant: "secondary",
                  accessibleLabel: t(locale, "timeline.unmuteWord", { word: isolate(w.phrase) }),
                })}
              </li>`)}
            </ul>`}
      </section>
      <section class="panel" aria-labelledby="people-title">
        <h2 id="people-title">${t(locale, "timeline.mutedPeople")}</h2>
        ${h(AccountList<MutedAccount>, {
          locale, accounts, emptyText: t(locale, "timeline.mutedPeopleEmpty"),
          actions: (a) => h(PostButton, {
            action: `/settings/mutes/accounts/${a.id}/unmute`, csrf, label: t(locale, "timeline.remove"), variant: "secondary",
            accessibleLabel: t(locale, "timeline.unmute", { name: isolate(a.displayName || usernameOf(a.handle)) }),
          }),
        })}
      </section>
      <section class="panel" aria-labelledby="blocked-title">
        <h2 id="blocked-title">${t(locale, "timeline.blockedPeople")}</h2>
        <p class="hint">${t(locale, "timeline.blockedPeopleIntro")}</p>
        ${h(AccountList<MutedAccount>, {
          locale, accounts: blocked, emptyText: t(locale, "timeline.blockedPeopleEmpty"),
          actions: (a) => h(PostButton, {
            action: `/settings/mutes/accounts/${a.id}/unblock`, csrf, label: t(locale, "profile.unblockShort"), variant: "secondary",
            accessibleLabel: t(locale, "profile.unblock", { name: isolate(a.displayName || usernameOf(a.handle)) }),
          }),
        })}
      </section>
      <section class="panel" aria-labelledby="tags-title">
        <h2 id="tags-title">${t(locale, "tags.followed")}</h2>
        ${followedTags.length === 0
          ? html`<p class="empty-state">${t(locale, "tags.followedEmpty")}</p>`
          : html`<ul class="mute-list">
              ${followedTags.map((tag) => html`<li key=${tag}>
                <a class="chip" href=${`/tags/${encodeURIComponent(tag)}`}>#${tag}</a>
                ${h(PostButton, {
                  action: `/tags/${encodeURIComponent(tag)}/unfollow`, csrf, label: t(locale, "tags.unfollow"), variant: "secondary",
                  fields: { next: "/settings/mutes" },
                })}
              </li>`)}
            </ul>`}
      </section>
    </div>`,
  });
}
