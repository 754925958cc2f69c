// Reports and moderation (issue #15 point 5): the report form everyone reaches from a message's menu or a profile,
// the moderators' queue and one report with its decision form, the moderation log, and the decisions a person
// reads about themselves. Plain forms and links: all of it works without JavaScript.
import { h } from "preact";
import { html } from "../html.ts";
import { type Locale, t } from "../i18n/index.ts";
import { CsrfField, describedBy, FieldError } from "./forms.ts";
import { chrome, Layout } from "./layout.ts";
import type { PageChrome } from "./layout.ts";
import { LocalTime } from "./local-time.ts";
import { DisplayName } from "./names.ts";

export const CATEGORIES = ["violation", "spam", "legal", "other"] as const;
export const ACTIONS = ["dismiss", "delete", "silence", "suspend", "unsilence", "unsuspend"] as const;

/** A person as these pages show them: name, handle, where their profile is. */
export interface PersonRef { id: string; name: string; handle: string; path: string }

export type ReportPageProps = PageChrome & {
  target: PersonRef;
  /** The server of a remote person: a sibling always gets the report; another server only if asked. */
  remote: { host: string; sibling: boolean } | null;
  post: { id: string; html: string } | null;
  form: { category: string; comment: string; forward: boolean };
  error?: string;
  maxComment: number;
};

const CATEGORY_KEYS = {
  violation: "moderation.category.violation", spam: "moderation.category.spam", legal: "moderation.category.legal", other: "moderation.category.other",
} as const;
const ACTION_KEYS = {
  dismiss: "moderation.action.dismiss", delete: "moderation.action.delete", silence: "moderation.action.silence",
  suspend: "moderation.action.suspend", unsilence: "moderation.action.unsilence", unsuspend: "moderation.action.unsuspend",
} as const;
// What a person reads about a decision concerning them (a dismissal is never shown to them).
const NOTICE_KEYS = {
  delete: "moderation.notice.delete", silence: "moderation.notice.silence", suspend: "moderation.notice.suspend",
  unsilence: "moderation.notice.unsilence", unsuspend: "moderation.notice.unsuspend",
} as const;
const categoryKey = (c: string) => CATEGORY_KEYS[c as keyof typeof CATEGORY_KEYS] ?? CATEGORY_KEYS.other;
const actionKey = (a: string) => ACTION_KEYS[a as keyof typeof ACTION_KEYS] ?? ACTION_KEYS.dismiss;

export function ReportPage(props: ReportPageProps) {
  const { locale, csrf, target, remote, post, form, error, maxComment } = props;
  const title = t(locale, "moderation.report.title");
  return h(Layout, {
    ...chrome(props),
    title,
    children: html`<section class="panel panel-form" aria-labelledby="page-title">
      <h1 id="page-title">${title}</h1>
      <p>${t(locale, "moderation.report.about", { name: target.name })} <span class="handle">${target.handle}</span></p>
      <p class="hint">${t(locale, "moderation.report.intro")}</p>
      ${post ? html`<figure class="report-post">
          <figcaption class="hint">${t(locale, "moderation.report.post")}</figcaption>
          <blockquote class="prose" dangerouslySetInnerHTML=${{ __html: post.html }}></blockquote>
        </figure>` : null}
      ${error ? html`<p class="notice notice-error" role="alert">${error}</p>` : null}
      <form method="post" action="/report" class="stack-form">
        ${h(CsrfField, { token: csrf })}
        <input type="hidden" name="account_id" value=${target.id} />
        ${post ? html`<input type="hidden" name="post_id" value=${post.id} />` : null}
        <fieldset class="field choice-list">
          <legend>${t(locale, "moderation.report.category")}</legend>
          ${CATEGORIES.map((c) => html`<div class="field-check">
            <input type="radio" id=${`category-${c}`} name="category" value=${c} checked=${form.category === c} />
            <label for=${`category-${c}`}>${t(locale, categoryKey(c))}</label>
          </div>`)}
        </fieldset>
        <div class="field">
          <label for="comment">${t(locale, "moderation.report.comment")}</label>
          <p id="comment-hint" class="hint">${t(locale, "moderation.report.commentHint", { max: maxComment })}</p>
          <textarea id="comment" name="comment" rows="5" maxlength=${String(maxComment)} aria-describedby="comment-hint">${form.comment}</textarea>
        </div>
        ${remote?.sibling ? html`<p class="hint">${t(locale, "moderation.report.sibling", { host: remote.host })}</p>` : null}
        ${remote && !remote.sibling ? html`<div class="field-check">
            <input type="checkbox" id="forward" name="forward" value="true" checked=${form.forward} />
            <label for="forward">${t(locale, "moderation.report.forward", { host: remote.host })}</label>
          </div>` : null}
        <div class="form-actions">
          <button type="submit" class="button button-primary">${t(locale, "moderation.report.submit")}</button>
        </div>
      </form>
    </section>`,
  });
}

export function ReportSentPage(props: PageChrome & { back: string }) {
  const { locale } = props;
  return h(Layout, {
    ...chrome(props),
    title: t(locale, "moderation.report.title"),
    children: html`<section class="panel panel-form" aria-labelledby="page-title">
      <h1 id="page-title">${t(locale, "moderation.report.title")}</h1>
      <p class="notice notice-success" role="status">${t(locale, "moderation.report.sent")}</p>
      <p><a href=${props.back}>${t(locale, "moderation.report.back")}</a></p>
    </section>`,
  });
}

export interface ReportRow {
  id: string;
  target: PersonRef & { silenced: boolean; suspended: boolean; host: string | null };
  reporter: PersonRef | null;
  originHost: string | null;
  category: string;
  comment: string;
  posts: Array<{ iri: string; html: string | null }>;
  state: "open" | "resolved";
  actionTaken: string | null;
  createdAt: Date;
}

function ModerationNav({ locale, current }: { locale: Locale; current: "open" | "resolved" | "log" }) {
  const link = (href: string, key: "moderation.queue.open" | "moderation.queue.resolved" | "moderation.log.title", here: boolean) =>
    html`<a href=${href} class=${here ? "tab tab-current" : "tab"} aria-current=${here ? "page" : undefined}>${t(locale, key)}</a>`;
  return html`<nav class="tabs" aria-label=${t(locale, "moderation.nav")}>
    ${link("/admin/reports", "moderation.queue.open", current === "open")}
    ${link("/admin/reports?resolved=1", "moderation.queue.resolved", current === "resolved")}
    ${link("/admin/moderation-log", "moderation.log.title", current === "log")}
  </nav>`;
}

function Origin({ locale, r }: { locale: Locale; r: ReportRow }) {
  return html`<p class="hint">${r.reporter ? t(locale, "moderation.queue.reportedBy", { name: r.reporter.name })
    : r.originHost ? t(locale, "moderation.queue.fromSibling", { host: r.originHost }) : null}
    ${` ${t(locale, "moderation.queue.on")} `}<${LocalTime} locale=${locale} date=${r.createdAt} format="full" />
    ${` · ${t(locale, categoryKey(r.category))}`}</p>`;
}

function AccountState({ locale, target }: { locale: Locale; target: ReportRow["target"] }) {
  return html`${target.suspended ? html` <span class="badge">${t(locale, "moderation.queue.suspended")}</span>` : null}
    ${target.silenced ? html` <span class="badge">${t(locale, "moderation.queue.silenced")}</span>` : null}`;
}

export function ReportsPage(props: PageChrome & { reports: ReportRow[]; resolved: boolean }) {
  const { locale, reports, resolved } = props;
  const title = t(locale, "moderation.queue.title");
  return h(Layout, {
    ...chrome(props),
    title,
    children: html`<section class="panel" aria-labelledby="page-title">
      <h1 id="page-title">${title}</h1>
      <${ModerationNav} locale=${locale} current=${resolved ? "resolved" : "open"} />
      ${reports.length === 0 ? html`<p class="empty-state">${t(locale, resolved ? "moderation.queue.emptyResolved" : "moderation.queue.empty")}</p>` : html`
        <ul class="report-list">${reports.map((r) => html`<li class="report-item">
          <p><a href=${`/admin/reports/${r.id}`}>${t(locale, "moderation.queue.examine", { name: r.target.name })}</a>
            ${" "}<span class="handle">${r.target.handle}</span><${AccountState} locale=${locale} target=${r.target} /></p>
          <${Origin} locale=${locale} r=${r} />
          ${r.comment ? html`<p class="report-comment">${r.comment}</p>` : null}
          ${r.actionTaken ? html`<p class="hint">${t(locale, "moderation.queue.decided", { action: t(locale, actionKey(r.actionTaken)) })}</p>` : null}
        </li>`)}</ul>`}
    </section>`,
  });
}

export type ReportDetailProps = PageChrome & { report: ReportRow; error?: string; done?: boolean; form: { action: string; reason: string } };

export function ReportDetailPage(props: ReportDetailProps) {
  const { locale, csrf, report: r, error, done, form } = props;
  const title = t(locale, "moderation.queue.examine", { name: r.target.name });
  const offered = ACTIONS.filter((a) => (a === "delete" ? r.target.host == null && r.posts.some((p) => p.html != null) : true))
    .filter((a) => (a === "unsilence" ? r.target.silenced : a === "unsuspend" ? r.target.suspended : true));
  return h(Layout, {
    ...chrome(props),
    title,
    children: html`<section class="panel" aria-labelledby="page-title">
      <h1 id="page-title">${title}</h1>
      <${ModerationNav} locale=${locale} current=${r.state === "open" ? "open" : "resolved"} />
      <p>${t(locale, "moderation.queue.account")} : <a href=${r.target.path}><${DisplayName} name=${r.target.name} fallback=${r.target.handle} /></a>
        ${" "}<span class="handle">${r.target.handle}</span><${AccountState} locale=${locale} target=${r.target} /></p>
      <${Origin} locale=${locale} r=${r} />
      <p class="report-comment">${r.comment || t(locale, "moderation.queue.noComment")}</p>
      <h2>${t(locale, "moderation.queue.posts")}</h2>
      ${r.posts.length === 0 ? html`<p class="hint">${t(locale, "moderation.queue.noPosts")}</p>` : html`<ul class="report-posts">
        ${r.posts.map((p) => html`<li>${p.html == null ? html`<p class="hint">${t(locale, "moderation.queue.deletedPost")}</p>`
          : html`<blockquote class="prose" dangerouslySetInnerHTML=${{ __html: p.html }}></blockquote>`}</li>`)}
      </ul>`}
    </section>
    <section class="panel panel-form" aria-labelledby="decision-title">
      <h2 id="decision-title">${t(locale, "moderation.decide.title")}</h2>
      ${done ? html`<p class="notice notice-success" role="status">${t(locale, "moderation.decide.done")}</p>` : null}
      ${r.state === "resolved" && r.actionTaken ? html`<p>${t(locale, "moderation.queue.decided", { action: t(locale, actionKey(r.actionTaken)) })}</p>` : null}
      ${r.target.host ? html`<p class="hint">${t(locale, "moderation.decide.remote", { host: r.target.host })}</p>` : null}
      ${error ? html`<p class="notice notice-error" role="alert" id="decision-error">${error}</p>` : null}
      ${r.state === "open" ? html`<form method="post" action=${`/admin/reports/${r.id}`} class="stack-form">
        ${h(CsrfField, { token: csrf })}
        <fieldset class="field choice-list">
          <legend>${t(locale, "moderation.decide.action")}</legend>
          ${offered.map((a) => html`<div class="field-check">
            <input type="radio" id=${`action-${a}`} name="action" value=${a} checked=${form.action === a} required />
            <label for=${`action-${a}`}>${t(locale, actionKey(a))}</label>
          </div>`)}
        </fieldset>
        <div class="field">
          <label for="reason">${t(locale, "moderation.decide.reason")}</label>
          <p id="reason-hint" class="hint">${t(locale, "moderation.decide.reasonHint")}</p>
          <${FieldError} id="reason-error" message=${undefined} />
          <textarea id="reason" name="reason" rows="4" maxlength="2000" aria-describedby=${describedBy("reason-hint", error && "decision-error")}>${form.reason}</textarea>
        </div>
        <div class="form-actions">
          <button type="submit" class="button button-primary">${t(locale, "moderation.decide.submit")}</button>
        </div>
      </form>` : null}
    </section>`,
  });
}

export interface LogRow { id: string; at: Date; moderator: string | null; action: string; account: PersonRef; reason: string }

export function ModerationLogPage(props: PageChrome & { log: LogRow[] }) {
  const { locale, log } = props;
  const title = t(locale, "moderation.log.title");
  return h(Layout, {
    ...chrome(props),
    title,
    children: html`<section class="panel" aria-labelledby="page-title">
      <h1 id="page-title">${title}</h1>
      <${ModerationNav} locale=${locale} current="log" />
      ${log.length === 0 ? html`<p class="empty-state">${t(locale, "moderation.log.empty")}</p>` : html`<ul class="report-list">
        ${log.map((m) => html`<li class="report-item">
          <p><strong>${t(locale, actionKey(m.action))}</strong> · <a href=${m.account.path}>${m.account.handle}</a></p>
          <p class="hint"><${LocalTime} locale=${locale} date=${m.at} format="full" />${m.moderator ? ` · ${t(locale, "moderation.log.by", { name: m.moderator })}` : ""}</p>
          ${m.reason ? html`<p class="report-comment">${m.reason}</p>` : null}
        </li>`)}
      </ul>`}
    </section>`,
  });
}

export function NoticesPage(props: PageChrome & { notices: Array<{ id: string; at: Date; action: string; reason: string }> }) {
  const { locale, notices } = props;
  const title = t(locale, "moderation.notices.title");
  return h(Layout, {
    ...chrome(props),
    title,
    children: html`<section class="panel panel-form" aria-labelledby="page-title">
      <h1 id="page-title">${title}</h1>
      <p>${t(locale, "moderation.notices.intro")}</p>
      ${notices.length === 0 ? html`<p class="empty-state">${t(locale, "moderation.notices.empty")}</p>` : html`<ul class="report-list">
        ${notices.map((n) => html`<li class="report-item">
          <p><strong>${t(locale, NOTICE_KEYS[n.action as keyof typeof NOTICE_KEYS] ?? NOTICE_KEYS.delete)}</strong> · <${LocalTime} locale=${locale} date=${n.at} format="full" /></p>
          <p class="report-comment">${n.reason}</p>
        </li>`)}
      </ul>`}
    </section>`,
  });
}
