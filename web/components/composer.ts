// The composer: text, content warning, up to four images with their descriptions, a poll (poll.ts), scope (default `internal`,
// ARCHITECTURE.md §4), language and Markdown. A multipart POST form that works without JavaScript; the composer
// island (web/islands/composer.ts) adds the live character count. The scope hint follows the select through CSS
// (`:has()`, and `data-scope` set by the island), so it is right with or without JavaScript.
import { h } from "preact";
import { html } from "../html.ts";
import { t, tParts } from "../i18n/index.ts";
import type { Locale } from "../i18n/index.ts";
import { CsrfField, describedBy } from "./forms.ts";
import { SCOPES, ScopeBadge, type PostImage, type Scope } from "./post.ts";
import { ComposerPoll, type ComposerPollValues } from "./poll.ts";

export const MAX_IMAGES = 4;
/**
 * The five scopes one chooses from, each with a one-line explanation. "Unlisted" posts come from elsewhere and
 * keep their badge, but are not offered: five plain choices are enough to tell who reads a post.
 */
// A group post is written from its group (it needs the group), never chosen here.
export const COMPOSER_SCOPES = SCOPES.filter((s) => s !== "unlisted" && s !== "group");
/** Languages offered for a post, beside the interface's; names come from Intl.DisplayNames. */
const LANGUAGES = ["fr", "en", "de", "es", "it", "nl", "pt", "pl", "ja", "zh"] as const;

/** Where the composer island puts the number in the count's message templates. */
export const COUNT_TOKEN = "%n";

export type ComposerValues = { text: string; summary: string; visibility: Scope; language: string; markdown: boolean; poll?: ComposerPollValues | null };

export type ComposerProps = {
  locale: Locale;
  csrf: string;
  /** Where the browser comes back to after posting, e.g. `/home`. */
  returnTo: string;
  /** The post limits of the server. */
  limits: { text: number; summary: number };
  values?: Partial<ComposerValues>;
  /** Already translated problems from a previous submission. */
  errors?: string[];
  /** Answering this post: its id and its author's name. */
  replyTo?: { id: string; name: string } | null;
  /** Editing: the post's id, its (fixed) scope and the images it keeps. */
  edit?: { id: string; scope: Scope; images: PostImage[] } | null;
  /** Sent back with the form, so a double submission creates one post. */
  idempotencyKey?: string;
  /** A prefix for element ids, when a page holds more than one form. */
  idPrefix?: string;
  /** Posting in a group (its account id): a project's post is read by its members only, whatever the scope. */
  groupId?: string;
  /** The scope the post will have whatever is chosen (a project's: its members), shown instead of the choice. */
  fixedScope?: Scope;
};

function languageName(locale: Locale, code: string): string {
  try {
    const name = new Intl.DisplayNames([locale], { type: "language" }).of(code);
    return name ? name.charAt(0).toLocaleUpperCase(locale) + name.slice(1) : code;
  } catch {
    return code;
  }
}

/**
 * Up to four images with their descriptions, in a <details> (files `image1`…, descriptions `alt1`…): the post
 * composer's and the messages' forms (server/routes/pages/form-images.ts reads them).
 */
export function ComposerImages({ locale, idPrefix }: { locale: Locale; idPrefix: string }) {
  const id = (name: string) => `${idPrefix}-${name}`;
  return html`<details class="composer-option">
    <summary>${t(locale, "posts.composer.images")}</summary>
    <p class="hint">${t(locale, "posts.composer.imagesHint")}</p>
    <div class="composer-images">
      ${Array.from({ length: MAX_IMAGES }, (_, i) => html`<fieldset class="composer-image" key=${i}>
        <legend>${t(locale, "posts.composer.image", { n: i + 1 })}</legend>
        <input type="file" name=${`image${i + 1}`} accept="image/png,image/jpeg,image/gif,image/webp"
          aria-label=${t(locale, "posts.composer.image", { n: i + 1 })} />
        <label for=${id(`alt${i + 1}`)}>${t(locale, "posts.composer.altText", { n: i + 1 })}</label>
        <input type="text" id=${id(`alt${i + 1}`)} name=${`alt${i + 1}`} maxlength="1500" />
      </fieldset>`)}
    </div>
  </details>`;
}

export function Composer(props: ComposerProps) {
  const { locale, csrf, returnTo, limits, errors = [], replyTo = null, edit = null, idPrefix = "composer" } = props;
  const v: ComposerValues = {
    text: "", summary: "", visibility: "internal", language: locale, markdown: false, ...props.values,
  };
  const id = (name: string) => `${idPrefix}-${name}`;
  const remaining = limits.text - v.text.length;
  const countText = remaining >= 0
    ? t(locale, "posts.composer.remaining", { count: remaining })
    : t(locale, "posts.composer.tooLong", { count: -remaining });
  const languages: string[] = LANGUAGES.includes(v.language as never) || v.language === "" ? [...LANGUAGES] : [v.language, ...LANGUAGES];
  const action = edit ? `/posts/${edit.id}/edit` : "/posts";
  const submit = edit ? t(locale, "posts.composer.saveEdit") : replyTo ? t(locale, "posts.composer.submitReply") : t(locale, "posts.composer.submit");
  const label = replyTo ? t(locale, "posts.composer.replyLabel") : t(locale, "posts.composer.label");
  return html`<form method="post" action=${action} enctype="multipart/form-data" class="composer" data-composer
      data-scope=${edit ? edit.scope : v.visibility} id=${id("form")}>
    <${CsrfField} token=${csrf} />
    <input type="hidden" name="next" value=${returnTo} />
    ${replyTo ? html`<input type="hidden" name="inReplyToId" value=${replyTo.id} />` : null}
    ${props.groupId ? html`<input type="hidden" name="groupId" value=${props.groupId} />` : null}
    ${props.idempotencyKey ? html`<input type="hidden" name="idempotencyKey" value=${props.idempotencyKey} />` : null}
    ${errors.length > 0
      ? html`<div class="notice notice-error" role="alert" id=${id("errors")}>
          <ul class="composer-errors">${errors.map((e) => html`<li>${e}</li>`)}</ul>
        </div>`
      : null}
    ${replyTo
      ? html`<p class="composer-reply-to">${tParts(locale, "posts.composer.replyingTo", { name: html`<bdi>${replyTo.name}</bdi>` })}</p>`
      : null}
    <label class=${replyTo || edit ? "composer-label" : "visually-hidden"} for=${id("text")}>${edit ? t(locale, "posts.edit.title") : label}</label>
    <textarea id=${id("text")} name="text" rows=${replyTo ? 3 : 4} lang=${v.language || undefined}
      placeholder=${replyTo ? t(locale, "posts.composer.replyPlaceholder") : t(locale, "posts.composer.placeholder")}
      aria-describedby=${describedBy(id("count"), errors.length > 0 && id("errors"))}
      aria-invalid=${remaining < 0 ? "true" : undefined}>${v.text}</textarea>
    <div class="composer-options">
      <details class="composer-option" open=${v.summary !== "" ? true : undefined}>
        <summary>${t(locale, "posts.composer.contentWarning")}</summary>
        <div class="field">
          <label class="visually-hidden" for=${id("summary")}>${t(locale, "posts.composer.contentWarning")}</label>
          <input type="text" id=${id("summary")} name="summary" value=${v.summary} maxlength=${limits.summary} lang=${v.language || undefined}
            aria-describedby=${id("summary-hint")} />
          <p class="hint" id=${id("summary-hint")}>${t(locale, "posts.composer.contentWarningHint")}</p>
        </div>
      </details>
      ${edit
        ? null
        : h(ComposerImages, { locale, idPrefix })}
      ${edit || replyTo ? null : h(ComposerPoll, { locale, idPrefix, values: v.poll })}
    </div>
    ${edit && edit.images.length > 0
      ? html`<div class="composer-kept">
          <p class="composer-label">${t(locale, "posts.composer.keptImages")}</p>
          <ul class="composer-thumbs">${edit.images.map((m) => html`<li><img src=${m.url} alt=${m.description} width="72" height="72" /></li>`)}</ul>
        </div>`
      : null}
    <div class="composer-settings">
      ${edit || props.fixedScope
        ? html`<p class="composer-scope-fixed"><span>${t(locale, "posts.scope.label")}</span> ${h(ScopeBadge, { locale, scope: edit?.scope ?? props.fixedScope! })}</p>`
        : html`<div class="field composer-scope">
            <label for=${id("scope")}>${t(locale, "posts.scope.label")}</label>
            <select id=${id("scope")} name="visibility" aria-describedby=${id("scope-hint")}>
              ${COMPOSER_SCOPES.map((s) => html`<option value=${s} selected=${s === v.visibility}>${t(locale, `posts.scope.${s}`)}</option>`)}
            </select>
            <p class="hint scope-hints" id=${id("scope-hint")}>
              ${COMPOSER_SCOPES.map((s) => html`<span data-hint-for=${s}>${t(locale, `posts.scope.${s}.hint`)}</span>`)}
            </p>
          </div>`}
      <div class="field composer-language">
        <label for=${id("language")}>${t(locale, "posts.composer.language")}</label>
        <select id=${id("language")} name="language">
          ${languages.map((code) => html`<option value=${code} lang=${code} selected=${code === v.language}>${languageName(locale, code)}</option>`)}
        </select>
      </div>
      <div class="field-check composer-markdown">
        <input type="checkbox" id=${id("markdown")} name="markdown" value="on" checked=${v.markdown} />
        <label for=${id("markdown")}>${t(locale, "posts.composer.markdown")}</label>
      </div>
    </div>
    <div class="composer-bar">
      <output id=${id("count")} for=${id("text")} class=${`composer-count${remaining < 0 ? " composer-count-over" : ""}`} data-count
        data-max=${limits.text} data-remaining=${t(locale, "posts.composer.remaining", { count: COUNT_TOKEN })}
        data-too-long=${t(locale, "posts.composer.tooLong", { count: COUNT_TOKEN })}>${countText}</output>
      ${edit ? html`<a class="button button-secondary" href=${returnTo}>${t(locale, "posts.composer.cancel")}</a>` : null}
      <button type="submit" class="button button-primary">${submit}</button>
    </div>
  </form>`;
}
