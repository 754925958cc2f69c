// The page an invitation link opens (issue #8 point 5): the person sees which account they are invited to and
// chooses a password; saving it signs them in.
import { h } from "preact";
import { html } from "../html.ts";
import { t } from "../i18n/index.ts";
import { CsrfField } from "./forms.ts";
import { chrome, Layout } from "./layout.ts";
import type { PageChrome } from "./layout.ts";
import { NewPasswordFields, type PasswordErrors } from "./password.ts";

export type InvitationPageProps = Omit<PageChrome, "viewer"> & {
  username: string;
  expiresAt: Date;
  /** The form posts back to the link itself (`/invitation/<token>`). */
  action: string;
  minLength: number;
  errors?: PasswordErrors;
};

export function InvitationPage(props: InvitationPageProps) {
  const { locale, csrf, username, expiresAt, action, minLength, errors = {} } = props;
  const date = new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(expiresAt);
  return h(Layout, {
    ...chrome({ ...props, viewer: null }),
    title: t(locale, "invitation.title"),
    children: html`<section class="panel panel-narrow" aria-labelledby="page-title">
      <h1 id="page-title">${t(locale, "invitation.title")}</h1>
      ${Object.keys(errors).length > 0 ? html`<p class="notice notice-error" role="alert">${t(locale, "password.errorSummary")}</p>` : null}
      <p class="lead">${t(locale, "invitation.intro", { instance: props.instanceName ?? "Ruche" })}</p>
      <form method="post" action=${action} class="stack-form">
        ${h(CsrfField, { token: csrf })}
        <div class="field">
          <label for="invitation-username">${t(locale, "login.username")}</label>
          <input id="invitation-username" name="username" type="text" value=${username} readonly autocomplete="username" />
        </div>
        <${NewPasswordFields} locale=${locale} errors=${errors} minLength=${minLength} autofocus=${true} />
        <p class="hint">${t(locale, "invitation.expires", { date })}</p>
        <button type="submit" class="button button-primary button-block">${t(locale, "invitation.submit")}</button>
      </form>
    </section>`,
  });
}
