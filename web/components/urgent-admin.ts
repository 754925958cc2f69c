// Administration › Urgent messages (issue #15 point 4): who holds the urgent role (give it by username, take it
// back), and the audit log of every urgent message — who, when, to whom, why — newest first.
import { h } from "preact";
import { html } from "../html.ts";
import { t } from "../i18n/index.ts";
import { CsrfField } from "./forms.ts";
import { chrome, Layout, type PageChrome } from "./layout.ts";
import { LocalTime } from "./local-time.ts";

export type UrgentAdminProps = PageChrome & {
  senders: { accountId: string; username: string }[];
  log: { id: string; sender: string; recipients: string[]; reason: string; createdAt: Date }[];
  error?: string | null;
};

export function UrgentAdminPage(props: UrgentAdminProps) {
  const { locale, csrf, senders, log, error } = props;
  return h(Layout, {
    ...chrome(props),
    title: t(locale, "quiet.admin.title"),
    children: html`<section class="panel panel-form" aria-labelledby="page-title">
      <h1 id="page-title">${t(locale, "quiet.admin.title")}</h1>
      <p>${t(locale, "quiet.admin.intro")}</p>
      <h2>${t(locale, "quiet.admin.senders")}</h2>
      ${senders.length === 0 ? html`<p class="empty-state">${t(locale, "quiet.admin.noSender")}</p>` : html`<ul class="leave-list">
        ${senders.map((s) => html`<li key=${s.accountId}><span>@${s.username}</span>
          <form method="post" action=${`/admin/urgent/${s.accountId}/revoke`} class="inline-form">${h(CsrfField, { token: csrf })}
            <button type="submit" class="button button-secondary button-small">${t(locale, "quiet.admin.revoke")}<span class="visually-hidden"> @${s.username}</span></button>
          </form></li>`)}
      </ul>`}
      ${error ? html`<div class="notice notice-error" role="alert" id="urgent-error">${error}</div>` : null}
      <form method="post" action="/admin/urgent" class="stack-form">
        ${h(CsrfField, { token: csrf })}
        <div class="field"><label for="urgent-username">${t(locale, "quiet.admin.username")}</label>
          <input type="text" id="urgent-username" name="username" required autocomplete="off" aria-describedby=${error ? "urgent-error" : undefined} /></div>
        <div class="form-actions"><button type="submit" class="button button-primary">${t(locale, "quiet.admin.grant")}</button></div>
      </form>
    </section>
    <section class="panel" aria-labelledby="log-title">
      <h2 id="log-title">${t(locale, "quiet.admin.log")}</h2>
      ${log.length === 0 ? html`<p class="empty-state">${t(locale, "quiet.admin.noLog")}</p>` : html`<table class="data-table">
        <thead><tr><th scope="col">${t(locale, "quiet.admin.when")}</th><th scope="col">${t(locale, "quiet.admin.who")}</th>
          <th scope="col">${t(locale, "quiet.admin.toWhom")}</th><th scope="col">${t(locale, "quiet.admin.why")}</th></tr></thead>
        <tbody>${log.map((r) => html`<tr key=${r.id}><td>${h(LocalTime, { locale, date: r.createdAt, format: "full" })}</td>
          <td>@${r.sender}</td><td>${r.recipients.map((x) => `@${x}`).join(", ")}</td><td>${r.reason}</td></tr>`)}</tbody>
      </table>`}
    </section>`,
  });
}
