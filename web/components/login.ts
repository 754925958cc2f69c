// The sign-in form.
import { h } from "preact";
import { html } from "../html.ts";
import { t } from "../i18n/index.ts";
import { CsrfField, describedBy } from "./forms.ts";
import { chrome, Layout } from "./layout.ts";
import { Scripts } from "./timeline.ts";
import type { PageChrome } from "./layout.ts";

export type LoginPageProps = Omit<PageChrome, "viewer"> & {
  /** Already translated, e.g. t(locale, "login.invalid"). */
  error?: string;
  /** Typed again after a failed attempt, so the person only retypes the password. */
  username?: string;
  /**
   * Where to go after signing in. Echoed as-is: the server must accept only a same-origin path
   * (starting with a single "/") when it reads it back, or the form becomes an open redirect.
   */
  next?: string;
  /** The time-zone island (web/islands/time-zone.ts), which fills the hidden `time_zone` field. */
  scripts?: string[];
  /** Company sign-in (OpenID Connect) is set up: the company's name on its button. */
  oidcName?: string;
  /** false: local passwords are turned off, only the company button remains. */
  passwordLogin?: boolean;
};

export function LoginPage(props: LoginPageProps) {
  const { locale, csrf, error, username = "", next = "/", scripts = [], oidcName, passwordLogin = true } = props;
  const errorId = error ? "login-error" : undefined;
  const company = oidcName
    ? html`<div class="login-company">
        <a class="button button-primary button-block" href=${`/auth/oidc?next=${encodeURIComponent(next)}`}>
          ${t(locale, "login.withCompany", { name: oidcName })}</a>
        <p class="hint">${t(locale, "login.companyHint")}</p>
      </div>`
    : null;
  return h(Layout, {
    ...chrome({ ...props, viewer: null }),
    title: t(locale, "login.title"),
    children: html`<section class="panel panel-narrow" aria-labelledby="page-title">
      <h1 id="page-title">${t(locale, "login.title")}</h1>
      <p class="lead">${t(locale, "login.intro")}</p>
      ${error ? html`<p id=${errorId} class="notice notice-error" role="alert">${error}</p>` : null}
      ${company}
      ${company && passwordLogin ? html`<p class="login-or"><span>${t(locale, "login.or")}</span></p>` : null}
      ${passwordLogin ? html`<form method="post" action="/login" class="stack-form">
        ${h(CsrfField, { token: csrf })}
        <input type="hidden" name="next" value=${next} />
        <input type="hidden" name="time_zone" value="" />
        <div class="field">
          <label for="login-username">${t(locale, "login.username")}</label>
          <input id="login-username" name="username" type="text" value=${username} required
            autocomplete="username" autocapitalize="none" spellcheck="false"
            aria-invalid=${error ? "true" : undefined} aria-describedby=${describedBy(errorId)} />
        </div>
        <div class="field">
          <label for="login-password">${t(locale, "login.password")}</label>
          <input id="login-password" name="password" type="password" required autocomplete="current-password"
            aria-invalid=${error ? "true" : undefined} aria-describedby=${describedBy(errorId)} />
        </div>
        <button type="submit" class=${`button button-block ${company ? "button-secondary" : "button-primary"}`}>${t(locale, "login.submit")}</button>
      </form>` : null}
    </section>
    ${h(Scripts, { urls: scripts })}`,
  });
}
