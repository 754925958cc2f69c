// Messages (issue #9 point 2): the list of one's conversations (unread ones marked), a conversation as a chat —
// one's own messages on one side, the others' on the other, the form to answer at the bottom — and the form to
// write to one or several colleagues. Everything is plain links and POST forms; the messages island
// (web/islands/messages.ts) adds new messages as they arrive, and without it a reload shows them.
import { h } from "preact";
import { html } from "../html.ts";
import { t } from "../i18n/index.ts";
import type { Locale } from "../i18n/index.ts";
import { Avatar } from "./avatar.ts";
import { ComposerImages } from "./composer.ts";
import { CsrfField, describedBy, PostButton } from "./forms.ts";
import { chrome, Layout } from "./layout.ts";
import type { PageChrome } from "./layout.ts";
import { LocalTime } from "./local-time.ts";
import { DisplayName, usernameOf } from "./names.ts";
import type { PostAuthor, PostItem } from "./post.ts";
import { Scripts } from "./timeline.ts";

export type ConversationItem = {
  id: string;
  others: PostAuthor[];
  last: PostItem;
  unread: boolean;
  muted: boolean;
};

export type Person = { handle: string; name: string };

const nameOf = (a: PostAuthor) => a.displayName || usernameOf(a.handle);

/** "Alice", "Alice et Bob", "Alice, Bob et Carol". */
export function namesList(locale: Locale, names: string[]): string {
  if (names.length <= 1) return names[0] ?? "";
  return t(locale, "messages.and", { first: names.slice(0, -1).join(", "), last: names[names.length - 1] });
}

/**
 * A message's text without the addressees' mentions it starts with (every message of a conversation names its
 * participants, as Mastodon's direct messages do; the chat shows who is in it once, above). `html` is sanitised.
 */
export function withoutLeadingMentions(contentHtml: string): string {
  const mention = /^(<p>)?\s*(?:<span class="h-card"[^>]*>)?<a [^>]*class="[^"]*\bmention\b[^"]*"[^>]*>@(?:<span>)?[^<]*(?:<\/span>)?<\/a>(?:<\/span>)?\s*/;
  let out = contentHtml;
  for (let i = 0; i < 20; i++) {
    const m = mention.exec(out);
    if (!m || /hashtag/.test(m[0])) break;
    out = (m[1] ?? "") + out.slice(m[0].length);
  }
  return out === "<p></p>" ? "" : out;
}

export function ConversationEntry({ locale, item, now }: { locale: Locale; item: ConversationItem; now?: Date }) {
  const names = namesList(locale, item.others.map(nameOf));
  const first = item.others[0];
  const excerpt = withoutLeadingMentions(item.last.contentHtml);
  return html`<li class=${item.unread ? "conversation-entry is-unread" : "conversation-entry"} id=${`conversation-${item.id}`}>
    <a class="conversation-link" href=${`/messages/${item.id}`}>
      ${first ? h(Avatar, { url: first.avatarUrl, name: nameOf(first), seed: first.handle, size: "small" }) : null}
      <span class="conversation-body">
        <span class="conversation-names"><bdi>${names}</bdi>${item.unread
          ? html` <span class="badge badge-new">${t(locale, "messages.unread")}</span>`
          : null}${item.muted ? html` <span class="badge">${t(locale, "messages.mutedMark")}</span>` : null}</span>
        <span class="conversation-excerpt">${item.last.author.id === first?.id || item.others.some((o) => o.id === item.last.author.id)
          ? null
          : html`<span class="conversation-you">${t(locale, "messages.youWrote")} </span>`}${htmlToPlain(excerpt) || (item.last.media.length > 0 ? "🖼" : "")}</span>
      </span>
      ${h(LocalTime, { locale, date: item.last.createdAt, now, className: "conversation-time" })}
    </a>
  </li>`;
}

/** The excerpt of a list entry is text: the sanitised HTML's tags dropped, entities kept as they are. */
function htmlToPlain(s: string): string {
  return s.replace(/<br\s*\/?>|<\/p><p>/g, " ").replace(/<[^>]*>/g, "").replace(/&amp;/g, "&").replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">").replace(/&quot;/g, "\"").replace(/&#39;/g, "'").trim().slice(0, 140);
}

export type MessagesPageProps = PageChrome & { items: ConversationItem[]; olderHref: string | null; scripts?: string[]; now?: Date };

export function MessagesPage(props: MessagesPageProps) {
  const { locale, items, olderHref, scripts = [], now } = props;
  const title = t(locale, "messages.title");
  return h(Layout, {
    ...chrome(props),
    title,
    children: html`<div class="stream messages">
      <div class="stream-head">
        <h1 id="page-title">${title}</h1>
        <a class="button button-primary" href="/messages/new">${t(locale, "messages.new")}</a>
      </div>
      <p class="lead stream-intro">${t(locale, "messages.intro")}</p>
      ${items.length === 0
        ? html`<p class="panel empty-state" id="conversations-empty">${t(locale, "messages.empty")}</p>`
        : null}
      <ul class="conversation-list" id="conversations" data-live-conversations aria-labelledby="page-title">
        ${items.map((item) => h(ConversationEntry, { key: item.id, locale, item, now }))}
      </ul>
      ${olderHref ? html`<p class="more"><a class="button button-secondary" href=${olderHref}>${t(locale, "messages.olderConversations")}</a></p>` : null}
      ${h(Scripts, { urls: scripts })}
    </div>`,
  });
}

export function MessageBubble({ locale, message, own, now }: { locale: Locale; message: PostItem; own: boolean; now?: Date }) {
  const body = withoutLeadingMentions(message.contentHtml);
  return html`<li class=${own ? "message message-own" : "message"} id=${`message-${message.id}`} data-message-id=${message.id}>
    ${own ? null : h(Avatar, { url: message.author.avatarUrl, name: nameOf(message.author), seed: message.author.handle, size: "small" })}
    <div class="message-bubble">
      <p class="message-meta">
        ${own
          ? html`<span class="message-author">${t(locale, "messages.you")}</span>`
          : html`<a class="message-author" href=${message.author.url}>${h(DisplayName, { name: message.author.displayName, fallback: usernameOf(message.author.handle) })}</a>`}
        ${" "}<a class="message-time" href=${message.path}>${h(LocalTime, { locale, date: message.createdAt, now })}</a>
        ${message.urgent ? html` <span class="badge badge-urgent">${t(locale, "quiet.urgentBadge")}</span>` : null}
      </p>
      ${message.summary.trim() !== ""
        ? html`<details class="message-cw"><summary>${message.summary}</summary>
            <div class="prose" lang=${message.language ?? undefined} dangerouslySetInnerHTML=${{ __html: body }}></div></details>`
        : // Safe: contentHtml comes sanitised from the domain (post.ts).
          html`<div class="prose" lang=${message.language ?? undefined} dangerouslySetInnerHTML=${{ __html: body }}></div>`}
      ${message.media.length > 0
        ? html`<ul class="message-media">${message.media.map((m) => html`<li key=${m.url}>
            <a href=${m.url}><img src=${m.url} alt=${m.description} width=${m.width ?? undefined} height=${m.height ?? undefined} loading="lazy" /></a>
          </li>`)}</ul>`
        : null}
    </div>
  </li>`;
}

export type MessageFormValues = { to: string; text: string };

/** The recipients are off (issue #15): what the composer says, and that it offers to send at their next working hour. */
export type QuietNotice = { text: string };

function MessageForm({ locale, csrf, action, values, errors, book, idPrefix, replying, quiet, urgentAllowed }: {
  locale: Locale; csrf: string; action: string; values: MessageFormValues; errors: string[]; book: Person[] | null; idPrefix: string; replying: boolean;
  quiet?: QuietNotice | null;
  /** The writer holds the instance's urgent role (issue #15): the form offers to mark the message urgent, with a reason. */
  urgentAllowed?: boolean;
}) {
  const id = (name: string) => `${idPrefix}-${name}`;
  return html`<form method="post" action=${action} enctype="multipart/form-data" class="composer message-form" id=${id("form")}>
    <${CsrfField} token=${csrf} />
    ${errors.length > 0
      ? html`<div class="notice notice-error" role="alert" id=${id("errors")}><ul class="composer-errors">${errors.map((e) => html`<li>${e}</li>`)}</ul></div>`
      : null}
    ${book
      ? html`<div class="field">
          <label for=${id("to")}>${t(locale, "messages.to")}</label>
          <input type="text" id=${id("to")} name="to" value=${values.to} list=${id("book")} autocomplete="off" required
            aria-describedby=${describedBy(id("to-hint"), errors.length > 0 && id("errors"))} />
          <p class="hint" id=${id("to-hint")}>${t(locale, "messages.toHint")}</p>
          <datalist id=${id("book")}>${book.map((p) => html`<option value=${p.handle} key=${p.handle}>${p.name}</option>`)}</datalist>
        </div>`
      : null}
    <label class=${replying ? "visually-hidden" : "composer-label"} for=${id("text")}>${replying ? t(locale, "messages.reply") : t(locale, "messages.text")}</label>
    <textarea id=${id("text")} name="text" rows="3" placeholder=${replying ? t(locale, "messages.reply") : undefined}
      aria-describedby=${errors.length > 0 ? id("errors") : undefined}>${values.text}</textarea>
    <div class="composer-options">${h(ComposerImages, { locale, idPrefix })}</div>
    ${urgentAllowed
      ? html`<fieldset class="urgent-fields">
          <legend class="visually-hidden">${t(locale, "quiet.urgent")}</legend>
          <label><input type="checkbox" name="urgent" value="on" /> ${t(locale, "quiet.urgent")}</label>
          <label for=${id("urgent-reason")}>${t(locale, "quiet.urgentReason")}</label>
          <input type="text" id=${id("urgent-reason")} name="urgent_reason" maxlength="500" autocomplete="off" />
        </fieldset>`
      : null}
    ${quiet
      ? html`<p class="notice notice-info availability-notice" id=${id("quiet")}>${quiet.text}</p>
        <div class="composer-actions">
          <button type="submit" name="when" value="later" class="button button-primary" aria-describedby=${id("quiet")}>${t(locale, "quiet.sendLater")}</button>
          <button type="submit" name="when" value="now" class="button button-secondary" aria-describedby=${id("quiet")}>${t(locale, "quiet.sendNow")}</button>
        </div>`
      : html`<div class="composer-actions"><button type="submit" class="button button-primary">${t(locale, "messages.send")}</button></div>`}
  </form>`;
}

export type ConversationPageProps = PageChrome & {
  conversation: { id: string; others: PostAuthor[]; muted: boolean };
  messages: PostItem[];
  viewerId: string;
  olderHref: string | null;
  values?: MessageFormValues;
  errors?: string[];
  scripts?: string[];
  now?: Date;
  quiet?: QuietNotice | null;
  urgentAllowed?: boolean;
};

export function ConversationPage(props: ConversationPageProps) {
  const { locale, csrf, conversation, messages, viewerId, olderHref, errors = [], scripts = [], now } = props;
  const names = namesList(locale, conversation.others.map(nameOf));
  const title = t(locale, "messages.conversationTitle", { names });
  const base = `/messages/${conversation.id}`;
  return h(Layout, {
    ...chrome(props),
    title,
    children: html`<div class="stream messages conversation">
      <p class="back-link"><a href="/messages">← ${t(locale, "messages.back")}</a></p>
      <div class="stream-head conversation-head">
        <h1 id="page-title">${title}</h1>
        <details class="conversation-menu" data-menu>
          <summary class="button button-secondary button-small">${t(locale, "messages.actions")}</summary>
          <div class="menu-panel">
            ${h(PostButton, { action: `${base}/${conversation.muted ? "unmute" : "mute"}`, csrf, label: t(locale, conversation.muted ? "messages.unmute" : "messages.mute"), variant: "secondary" })}
            ${h(PostButton, { action: `${base}/hide`, csrf, label: t(locale, "messages.hide"), variant: "secondary" })}
            <p class="hint">${t(locale, "messages.hideHint")}</p>
            ${h(PostButton, { action: `${base}/leave`, csrf, label: t(locale, "messages.leave"), variant: "secondary", class: "danger" })}
            <p class="hint">${t(locale, "messages.leaveHint")}</p>
          </div>
        </details>
      </div>
      <p class="hint conversation-private">${t(locale, "messages.private")}</p>
      <ul class="conversation-people" aria-label=${t(locale, "messages.participants")}>
        ${conversation.others.map((p) => html`<li key=${p.id}><a href=${p.url}>${h(Avatar, { url: p.avatarUrl, name: nameOf(p), seed: p.handle, size: "small" })}
          <bdi>${nameOf(p)}</bdi> <span class="handle">${p.handle}</span></a></li>`)}
      </ul>
      ${conversation.muted ? html`<p class="notice notice-info">${t(locale, "messages.mutedNotice")}</p>` : null}
      ${olderHref ? html`<p class="more"><a class="button button-secondary button-small" href=${olderHref}>${t(locale, "messages.older")}</a></p>` : null}
      ${messages.length === 0 ? html`<p class="hint">${t(locale, "messages.noMessage")}</p>` : null}
      <div role="log" aria-live="polite" aria-labelledby="page-title">
        <ol class="message-list" id="messages" data-live-messages=${conversation.id}>
          ${messages.map((m) => h(MessageBubble, { key: m.id, locale, message: m, own: m.author.id === viewerId, now }))}
        </ol>
      </div>
      <section class="panel composer-panel">
        ${h(MessageForm, { locale, csrf, action: base, values: props.values ?? { to: "", text: "" }, errors, book: null, idPrefix: "reply", replying: true, quiet: props.quiet, urgentAllowed: props.urgentAllowed })}
      </section>
      ${h(Scripts, { urls: scripts })}
    </div>`,
  });
}

export type NewMessagePageProps = PageChrome & {
  book: Person[]; values: MessageFormValues; errors?: string[]; scripts?: string[]; quiet?: QuietNotice | null; urgentAllowed?: boolean;
};

export function NewMessagePage(props: NewMessagePageProps) {
  const { locale, csrf, book, values, errors = [], scripts = [] } = props;
  const title = t(locale, "messages.new");
  return h(Layout, {
    ...chrome(props),
    title,
    children: html`<div class="stream messages">
      <p class="back-link"><a href="/messages">← ${t(locale, "messages.back")}</a></p>
      <h1 id="page-title">${title}</h1>
      <p class="hint">${t(locale, "messages.private")}</p>
      <section class="panel composer-panel">
        ${h(MessageForm, { locale, csrf, action: "/messages", values, errors, book, idPrefix: "message", replying: false, quiet: props.quiet, urgentAllowed: props.urgentAllowed })}
      </section>
      ${h(Scripts, { urls: scripts })}
    </div>`,
  });
}
