// Choosing a password: the settings page (current password, then the new one twice) and the fields it shares with
// the invitation page (web/components/invitation.ts).
import { h } from "preact";
import { html } from "../html.ts";
import { t } from "../i18n/index.ts";
import type { Locale } from "../i18n/index.ts";
import { CsrfField, describedBy, FieldError } from "./forms.ts";
import { chrome, Layout } from "./layout.ts";
import type { PageChrome } from "./layout.ts";

export type PasswordField = "current" | "password" | "confirm";
/** Already translated, by field. */
export type PasswordErrors = Partial<Record<PasswordField, string>>;

function Field({ id, label, hint, error, autocomplete, autofocus }: {
  id: PasswordField; label: string; hint?: string; error?: string; autocomplete: string; autofocus?: boolean;
}) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return html`<div class=${error ? "field field-invalid" : "field"}>
    <label for=${id}>${label}</label>
    ${hint ? html`<p id=${hintId} class="hint">${hint}</p>` : null}
    <${FieldError} id=${`${id}-error`} message=${error} />
    <input id=${id} name=${id} type="password" required autocomplete=${autocomplete} autofocus=${autofocus}
      aria-invalid=${error ? "true" : undefined} aria-describedby=${describedBy(hintId, errorId)} />
  </div>`;
}

/** The new password and its confirmation; the browser's password manager is told it is a new one. */
export function NewPasswordFields({ locale, errors, minLength, autofocus }: { locale: Locale; errors: PasswordErrors; minLength: number; autofocus?: boolean }) {
  return html`
    <${Field} id="password" label=${t(locale, "password.new")} hint=${t(locale, "password.hint", { min: minLength })}
      error=${errors.password} autocomplete="new-password" autofocus=${autofocus} />
    <${Field} id="confirm" label=${t(locale, "password.confirm")} error=${errors.confirm} autocomplete="new-password" />`;
}

export type PasswordPageProps = PageChrome & { errors?: PasswordErrors; saved?: boolean; minLength: number };

export function PasswordPage(props: PasswordPageProps) {
  const { locale, csrf, errors = {}, saved = false, minLength } = props;
  const hasErrors = Object.keys(errors).length > 0;
  return h(Layout, {
    ...chrome(props),
    title: t(locale, "password.title"),
    children: html`<section class="panel panel-form" aria-labelledby="page-title">
      <h1 id="page-title">${t(locale, "password.title")}</h1>
      ${saved && !hasErrors ? html`<p class="notice notice-success" role="status">${t(locale, "password.saved")}</p>` : null}
      ${hasErrors ? html`<p class="notice notice-error" role="alert">${t(locale, "password.errorSummary")}</p>` : null}
      <p>${t(locale, "password.intro")}</p>
      <form method="post" action="/settings/password" class="stack-form">
        ${h(CsrfField, { token: csrf })}
        <${Field} id="current" label=${t(locale, "password.current")} error=${errors.current} autocomplete="current-password" />
        <${NewPasswordFields} locale=${locale} errors=${errors} minLength=${minLength} />
        <div class="form-actions">
          <button type="submit" class="button button-primary">${t(locale, "password.submit")}</button>
        </div>
      </form>
    </section>`,
  });
}
