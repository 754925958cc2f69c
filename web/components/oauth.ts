// The OAuth pages (issue #9 point 1): the consent an application asks for, the code shown to copy out-of-band,
// and the answer after a refusal. Plain forms: the consent works without JavaScript.
import { h } from "preact";
import { html } from "../html.ts";
import { t, type Locale, type MessageKey } from "../i18n/index.ts";
import { CsrfField } from "./forms.ts";
import { chrome, Layout, type PageChrome } from "./layout.ts";

/** A scope in plain words: `read` → "Lire toutes les données…", `write:media` → "Modifier : les images et vidéos". */
export function scopeLabel(locale: Locale, scope: string): string {
  const whole = `oauth.scope.${scope}` as MessageKey;
  if (/^(read|write|follow|push|profile|admin:read|admin:write)$/.test(scope)) return t(locale, whole as never);
  const m = /^(read|write|admin:read|admin:write):([a-z_]+)$/.exec(scope);
  if (!m) return scope;
  const what = t(locale, `oauth.resource.${m[2]}` as never);
  return t(locale, `oauth.scope.part.${m[1]}` as "oauth.scope.part.read", { what });
}

export function ScopeList({ locale, scopes }: { locale: Locale; scopes: string[] }) {
  return html`<ul class="scope-list">
    ${scopes.map((s) => html`<li key=${s}><span>${scopeLabel(locale, s)}</span> <code class="scope-name">${s}</code></li>`)}
  </ul>`;
}

export type ConsentPageProps = PageChrome & {
  app: { name: string; website: string | null };
  /** The signed-in person, as @user@host. */
  handle: string;
  scopes: string[];
  /** The authorization request, posted back as it came (client_id, redirect_uri, scope, state, PKCE…). */
  fields: Record<string, string>;
  /** The same request with force_login, to sign in as someone else. */
  switchAccountUrl: string;
};

export function ConsentPage(props: ConsentPageProps) {
  const { locale, csrf, app, handle, scopes, fields, switchAccountUrl } = props;
  return h(Layout, {
    ...chrome(props),
    title: t(locale, "oauth.title"),
    children: html`<section class="panel panel-narrow consent" aria-labelledby="page-title">
      <h1 id="page-title">${t(locale, "oauth.title")}</h1>
      <p class="lead">${t(locale, "oauth.request", { app: app.name, handle })}</p>
      ${app.website ? html`<p class="hint">${t(locale, "oauth.website", { url: app.website })}</p>` : null}
      <h2 class="consent-subtitle">${t(locale, "oauth.willBeAble")}</h2>
      ${h(ScopeList, { locale, scopes })}
      <form method="post" action="/oauth/authorize" class="consent-actions">
        ${h(CsrfField, { token: csrf })}
        ${Object.entries(fields).map(([name, value]) => html`<input type="hidden" name=${name} value=${value} />`)}
        <button type="submit" name="decision" value="approve" class="button button-primary">${t(locale, "oauth.approve")}</button>
        <button type="submit" name="decision" value="deny" class="button button-secondary">${t(locale, "oauth.deny")}</button>
      </form>
      <p class="hint">${t(locale, "oauth.revokeLater")}</p>
      <p><a href=${switchAccountUrl}>${t(locale, "oauth.otherAccount")}</a></p>
    </section>`,
  });
}

export type CodePageProps = PageChrome & { appName: string; code: string };

/** Out-of-band (`urn:ietf:wg:oauth:2.0:oob`): the code to copy into the application. */
export function CodePage(props: CodePageProps) {
  const { locale, appName, code } = props;
  return h(Layout, {
    ...chrome(props),
    title: t(locale, "oauth.code.title"),
    children: html`<section class="panel panel-narrow" aria-labelledby="page-title">
      <h1 id="page-title">${t(locale, "oauth.code.title")}</h1>
      <p>${t(locale, "oauth.code.intro", { app: appName })}</p>
      <div class="field">
        <label for="oauth-code">${t(locale, "oauth.code.label")}</label>
        <input id="oauth-code" class="oauth-code" type="text" readonly value=${code} spellcheck="false" autocomplete="off" />
      </div>
    </section>`,
  });
}

export type DeniedPageProps = PageChrome & { appName: string };

export function DeniedPage(props: DeniedPageProps) {
  const { locale, appName } = props;
  return h(Layout, {
    ...chrome(props),
    title: t(locale, "oauth.denied.title"),
    children: html`<section class="panel panel-narrow" aria-labelledby="page-title">
      <h1 id="page-title">${t(locale, "oauth.denied.title")}</h1>
      <p>${t(locale, "oauth.denied.intro", { app: appName })}</p>
    </section>`,
  });
}
