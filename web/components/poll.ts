// A poll in a post: the vote form (radio buttons or checkboxes in a fieldset, a POST form that works without
// JavaScript) while the reader may vote, else the results — one bar per answer with its percentage written out
// (the bar is decoration; the numbers are text), the reader's own choices marked, and who voted and until when.
// Totals a poll hides stay hidden until it ends, as in Mastodon.
import { html } from "../html.ts";
import { plural, t } from "../i18n/index.ts";
import type { Locale } from "../i18n/index.ts";
import { CsrfField } from "./forms.ts";
import { fullDate, useTimeZone } from "./local-time.ts";

/** The poll durations the composer offers, in seconds (within the server's limits: 5 minutes to 90 days). */
export const POLL_DURATIONS = [300, 3600, 21600, 86400, 259200, 604800, 2592000] as const;
export const DEFAULT_POLL_DURATION = 86400;
/** Answers the composer offers without JavaScript (the API takes up to 20). */
export const COMPOSER_POLL_OPTIONS = 4;

export type PollItem = {
  multiple: boolean;
  expired: boolean;
  expiresAt: Date;
  /** Counts may be shown (not hidden, or ended). */
  totalsShown: boolean;
  votersCount: number;
  options: { title: string; votes: number }[];
  /** The reader's chosen positions; null when signed out. */
  ownVotes: number[] | null;
  /** The reader wrote it (authors do not vote). */
  own: boolean;
};

export type PollProps = { locale: Locale; csrf: string; postId: string; keyId: string; poll: PollItem; returnTo: string };

export function Poll({ locale, csrf, postId, keyId, poll, returnTo }: PollProps) {
  const timeZone = useTimeZone();
  const voted = (poll.ownVotes?.length ?? 0) > 0;
  const canVote = poll.ownVotes != null && !voted && !poll.expired && !poll.own;
  const when = t(locale, poll.expired ? "polls.ended" : "polls.endsAt", { date: fullDate(locale, poll.expiresAt, timeZone) });
  const footer = html`<p class="poll-meta">${plural(locale, "polls.voters", poll.votersCount)} · ${when}</p>`;
  const id = (name: string) => `poll-${keyId}-${name}`;
  if (canVote) {
    return html`<form class="poll" method="post" action=${`/posts/${postId}/vote`}>
      <${CsrfField} token=${csrf} />
      <input type="hidden" name="next" value=${returnTo} />
      <fieldset class="poll-options">
        <legend class="poll-legend">${t(locale, poll.multiple ? "polls.legend.multiple" : "polls.legend.single")}</legend>
        ${poll.options.map((o, i) => html`<div class="poll-choice" key=${i}>
          <input type=${poll.multiple ? "checkbox" : "radio"} name="choice" value=${String(i)} id=${id(String(i))}
            required=${poll.multiple ? undefined : true} />
          <label for=${id(String(i))}>${o.title}</label>
        </div>`)}
      </fieldset>
      <div class="poll-bar">
        <button type="submit" class="button button-secondary">${t(locale, "polls.vote")}</button>
        ${footer}
      </div>
    </form>`;
  }
  const total = poll.options.reduce((n, o) => n + o.votes, 0);
  const mine = new Set(poll.ownVotes ?? []);
  const title = (o: { title: string }, i: number) => html`<span class="poll-result-title">${o.title}${mine.has(i)
    ? html` <span class="poll-own">(${t(locale, "polls.ownChoice")})</span>` : null}</span>`;
  return html`<section class="poll poll-results" aria-label=${t(locale, "polls.results")}>
    ${poll.totalsShown
      ? html`<ul class="poll-list">
          ${poll.options.map((o, i) => {
            const percent = total === 0 ? 0 : Math.round((o.votes / total) * 100);
            return html`<li class=${`poll-result${mine.has(i) ? " poll-result-own" : ""}`} key=${i}>
              <span class="poll-result-head">
                ${title(o, i)}
                <span class="poll-result-figure">${t(locale, "polls.percent", { percent })} · ${plural(locale, "polls.votes", o.votes)}</span>
              </span>
              <span class="poll-result-track" aria-hidden="true"><span class="poll-result-fill" style=${`width: ${percent}%`}></span></span>
            </li>`;
          })}
        </ul>`
      : html`<ul class="poll-list">
          ${poll.options.map((o, i) => html`<li class=${`poll-result${mine.has(i) ? " poll-result-own" : ""}`} key=${i}>
            ${title(o, i)}
          </li>`)}
        </ul>
        <p class="hint">${t(locale, "polls.hiddenTotals")}</p>`}
    ${footer}
  </section>`;
}

export type ComposerPollValues = { options: string[]; duration: number; multiple: boolean; hideTotals: boolean };

/** The composer's poll part: four answers, the duration and the two options (no JavaScript needed). */
export function ComposerPoll({ locale, idPrefix, values }: { locale: Locale; idPrefix: string; values?: ComposerPollValues | null }) {
  const id = (name: string) => `${idPrefix}-poll-${name}`;
  const v = values ?? { options: [], duration: DEFAULT_POLL_DURATION, multiple: false, hideTotals: false };
  return html`<details class="composer-option composer-poll" open=${values ? true : undefined}>
    <summary>${t(locale, "polls.composer.title")}</summary>
    <p class="hint" id=${id("hint")}>${t(locale, "polls.composer.hint")}</p>
    <div class="composer-poll-options">
      ${Array.from({ length: COMPOSER_POLL_OPTIONS }, (_, i) => html`<div class="field" key=${i}>
        <label for=${id(`option${i + 1}`)}>${t(locale, "polls.composer.option", { n: i + 1 })}</label>
        <input type="text" id=${id(`option${i + 1}`)} name=${`pollOption${i + 1}`} maxlength="200" aria-describedby=${id("hint")}
          value=${v.options[i] ?? ""} />
      </div>`)}
    </div>
    <div class="field">
      <label for=${id("duration")}>${t(locale, "polls.composer.duration")}</label>
      <select id=${id("duration")} name="pollDuration">
        ${POLL_DURATIONS.map((d) => html`<option value=${String(d)} selected=${d === v.duration}>${t(locale, `polls.duration.${d}`)}</option>`)}
      </select>
    </div>
    <div class="field-check">
      <input type="checkbox" id=${id("multiple")} name="pollMultiple" value="on" checked=${v.multiple} />
      <label for=${id("multiple")}>${t(locale, "polls.composer.multiple")}</label>
    </div>
    <div class="field-check">
      <input type="checkbox" id=${id("hide")} name="pollHideTotals" value="on" checked=${v.hideTotals} />
      <label for=${id("hide")}>${t(locale, "polls.composer.hideTotals")}</label>
    </div>
  </details>`;
}
