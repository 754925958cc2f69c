// Settings › Delete my account (issue #16 point 3): what goes, the grace period, the typed confirmation; while a
// deletion is planned, its date and the button that keeps the account.
import { h } from "preact";
import { html } from "../html.ts";
import { t } from "../i18n/index.ts";
import { CsrfField, describedBy, FieldError } from "./forms.ts";
import { chrome, Layout } from "./layout.ts";
import type { PageChrome } from "./layout.ts";
import { LocalTime } from "./local-time.ts";

export type DeletionPageProps = PageChrome & { username: string; graceDays: number; dueAt: Date | null; error?: string; cancelled?: boolean };

export function DeletionPage(props: DeletionPageProps) {
  const { locale, csrf, username, graceDays, dueAt, error, cancelled } = props;
  const title = t(locale, "deletion.title");
  return h(Layout, {
    ...chrome(props),
    title,
    children: html`<section class="panel panel-form" aria-labelledby="page-title">
      <h1 id="page-title">${title}</h1>
      ${cancelled ? html`<p class="notice notice-success" role="status">${t(locale, "deletion.cancelled")}</p>` : null}
      ${dueAt ? html`
        <p class="notice" role="status">${`${t(locale, "deletion.planned")} `}<${LocalTime} locale=${locale} date=${dueAt} format="full" /></p>
        <form method="post" action="/settings/delete/cancel" class="stack-form">
          ${h(CsrfField, { token: csrf })}
          <div class="form-actions"><button type="submit" class="button button-primary">${t(locale, "deletion.cancel")}</button></div>
        </form>` : html`
        <p>${t(locale, "deletion.intro")}</p>
        <p>${t(locale, "deletion.grace", { days: graceDays })}</p>
        <p><a href="/settings/export">${t(locale, "deletion.exportFirst")}</a></p>
        <form method="post" action="/settings/delete" class="stack-form">
          ${h(CsrfField, { token: csrf })}
          <div class=${error ? "field field-invalid" : "field"}>
            <label for="confirm">${t(locale, "deletion.confirm", { username })}</label>
            <${FieldError} id="confirm-error" message=${error} />
            <input id="confirm" name="confirm" type="text" autocomplete="off" required
              aria-invalid=${error ? "true" : undefined} aria-describedby=${describedBy(error && "confirm-error")} />
          </div>
          <div class="form-actions"><button type="submit" class="button button-danger">${t(locale, "deletion.submit")}</button></div>
        </form>`}
    </section>`,
  });
}
