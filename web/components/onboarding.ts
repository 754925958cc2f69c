// The welcome a new employee finds on an empty home (issue #8 point 18): what their profile still lacks (with a
// link to the form), colleagues of their department and site with a Follow button each (a POST form that comes
// back here: no JavaScript needed), and the week's most used hashtags among the posts they may read.
import { h } from "preact";
import { html } from "../html.ts";
import { plural, t } from "../i18n/index.ts";
import type { Locale } from "../i18n/index.ts";
import { AccountList, type AccountSummary } from "./account-list.ts";
import { PostButton } from "./forms.ts";
import { isolate, usernameOf } from "./names.ts";

export type OnboardingField = "displayName" | "avatar" | "bio" | "jobTitle" | "department" | "site" | "expertise";

export type Colleague = AccountSummary & {
  jobTitle: string;
  shares: { department: boolean; site: boolean };
  /** The follow form's action, e.g. `/@lea/follow`. */
  followAction: string;
};

export type OnboardingProps = {
  locale: Locale;
  csrf: string;
  missing: OnboardingField[];
  colleagues: Colleague[];
  tags: { name: string; accounts: number }[];
  /** Where a follow comes back to (the home page). */
  returnTo: string;
};

function shared(locale: Locale, c: Colleague): string {
  if (c.shares.department && c.shares.site) return t(locale, "onboarding.sharesBoth");
  return t(locale, c.shares.department ? "onboarding.sharesDepartment" : "onboarding.sharesSite");
}

export function Onboarding({ locale, csrf, missing, colleagues, tags, returnTo }: OnboardingProps) {
  const canSuggest = !missing.includes("department") || !missing.includes("site");
  return html`<section class="panel onboarding" aria-labelledby="onboarding-title">
    <h2 id="onboarding-title">${t(locale, "onboarding.title")}</h2>
    <p class="lead">${t(locale, "onboarding.intro")}</p>
    ${missing.length > 0
      ? html`<section class="onboarding-step" aria-labelledby="onboarding-profile">
          <h3 id="onboarding-profile">${t(locale, "onboarding.profileTitle")}</h3>
          <p>${t(locale, "onboarding.profileIntro")}</p>
          <ul class="onboarding-missing">
            ${missing.map((f) => html`<li key=${f}><a href=${`/settings/profile#${f}`}>${t(locale, `onboarding.field.${f}`)}</a></li>`)}
          </ul>
          <p><a class="button button-secondary" href="/settings/profile">${t(locale, "onboarding.profileLink")}</a></p>
        </section>`
      : null}
    <section class="onboarding-step" aria-labelledby="onboarding-colleagues">
      <h3 id="onboarding-colleagues">${t(locale, "onboarding.colleaguesTitle")}</h3>
      ${colleagues.length > 0
        ? html`<p>${t(locale, "onboarding.colleaguesIntro")}</p>
          ${h(AccountList<Colleague>, {
            locale, accounts: colleagues,
            actions: (c: Colleague) => html`<span class="onboarding-shares">${c.jobTitle ? html`<span>${c.jobTitle}</span> · ` : null}${shared(locale, c)}</span>
              ${h(PostButton, {
                action: c.followAction, csrf, label: t(locale, "onboarding.follow"), fields: { next: returnTo },
                accessibleLabel: t(locale, "onboarding.followName", { name: isolate(c.displayName.trim() || usernameOf(c.handle)) }),
              })}`,
          })}`
        : html`<p>${canSuggest ? t(locale, "accounts.empty") : t(locale, "onboarding.colleaguesNone")}</p>`}
      <p><a href="/directory">${t(locale, "onboarding.directoryLink")}</a></p>
    </section>
    ${tags.length > 0
      ? html`<section class="onboarding-step" aria-labelledby="onboarding-tags">
          <h3 id="onboarding-tags">${t(locale, "onboarding.tagsTitle")}</h3>
          <p>${t(locale, "onboarding.tagsIntro")}</p>
          <ul class="chips">
            ${tags.map((tag) => html`<li key=${tag.name}>
              <a class="chip" href=${`/tags/${encodeURIComponent(tag.name)}`}>${`#${tag.name} `}<span class="chip-count">${`· ${plural(locale, "onboarding.tagPeople", tag.accounts)}`}</span></a>
            </li>`)}
          </ul>
        </section>`
      : null}
  </section>`;
}
