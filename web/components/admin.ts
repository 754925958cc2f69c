// The administrators' page (issue #15 point 6): the instance's description, its rules and its siblings, each a
// plain form that comes back here; links to the charter and moderation pages.
import { h } from "preact";
import { html } from "../html.ts";
import { t } from "../i18n/index.ts";
import { CsrfField, describedBy, FieldError } from "./forms.ts";
import { chrome, Layout } from "./layout.ts";
import type { PageChrome } from "./layout.ts";

export type AdminPageProps = PageChrome & {
  description: string;
  descriptionMax: number;
  rules: Array<{ id: string; text: string; hint: string }>;
  ruleMax: number;
  siblings: Array<{ origin: string; name: string }>;
  /** A refused form: which one and why (the value sent is shown again). */
  error?: { form: "description" | "rule" | "sibling"; message: string; value: string };
  notice?: string;
};

export function AdminPage(props: AdminPageProps) {
  const { locale, csrf, description, descriptionMax, rules, ruleMax, siblings, error, notice } = props;
  const title = t(locale, "admin.title");
  const errorOf = (form: "description" | "rule" | "sibling") => (error?.form === form ? error.message : undefined);
  return h(Layout, {
    ...chrome(props),
    title,
    children: html`<section class="panel panel-form" aria-labelledby="page-title">
      <h1 id="page-title">${title}</h1>
      ${notice ? html`<p class="notice notice-success" role="status">${notice}</p>` : null}
      <nav aria-label=${t(locale, "admin.links")} class="tabs">
        <a class="tab" href="/admin/charter">${t(locale, "charter.admin.nav")}</a>
        <a class="tab" href="/admin/reports">${t(locale, "moderation.nav")}</a>
        <a class="tab" href="/admin/analytics">${t(locale, "analytics.nav")}</a>
      </nav>
    </section>
    <section class="panel panel-form" aria-labelledby="siblings-title">
      <h2 id="siblings-title">${t(locale, "admin.siblings.title")}</h2>
      <p class="hint">${t(locale, "admin.siblings.intro")}</p>
      ${siblings.length === 0 ? html`<p class="empty-state">${t(locale, "admin.siblings.empty")}</p>` : html`<ul class="report-list">
        ${siblings.map((s) => html`<li class="report-item admin-row">
          <span><strong>${s.name}</strong> <span class="handle">${s.origin}</span></span>
          <form method="post" action="/admin/siblings/remove" class="inline-form">
            ${h(CsrfField, { token: csrf })}
            <input type="hidden" name="origin" value=${s.origin} />
            <button type="submit" class="button button-secondary button-small">${t(locale, "admin.siblings.remove", { name: s.name })}</button>
          </form>
        </li>`)}
      </ul>`}
      <form method="post" action="/admin/siblings" class="stack-form">
        ${h(CsrfField, { token: csrf })}
        <div class=${errorOf("sibling") ? "field field-invalid" : "field"}>
          <label for="origin">${t(locale, "admin.siblings.origin")}</label>
          <p id="origin-hint" class="hint">${t(locale, "admin.siblings.originHint")}</p>
          <${FieldError} id="origin-error" message=${errorOf("sibling")} />
          <input id="origin" name="origin" type="url" required value=${error?.form === "sibling" ? error.value : ""}
            aria-invalid=${errorOf("sibling") ? "true" : undefined} aria-describedby=${describedBy("origin-hint", errorOf("sibling") && "origin-error")} />
        </div>
        <div class="form-actions"><button type="submit" class="button button-primary">${t(locale, "admin.siblings.add")}</button></div>
      </form>
    </section>
    <section class="panel panel-form" aria-labelledby="rules-title">
      <h2 id="rules-title">${t(locale, "admin.rules.title")}</h2>
      <p class="hint">${t(locale, "admin.rules.intro")}</p>
      ${rules.length === 0 ? html`<p class="empty-state">${t(locale, "admin.rules.empty")}</p>` : html`<ol class="report-list">
        ${rules.map((r) => html`<li class="report-item admin-row">
          <span>${r.text}${r.hint ? html`<br /><span class="hint">${r.hint}</span>` : null}</span>
          <form method="post" action=${`/admin/rules/${r.id}/remove`} class="inline-form">
            ${h(CsrfField, { token: csrf })}
            <button type="submit" class="button button-secondary button-small" aria-label=${t(locale, "admin.rules.remove", { text: r.text })}>×</button>
          </form>
        </li>`)}
      </ol>`}
      <form method="post" action="/admin/rules" class="stack-form">
        ${h(CsrfField, { token: csrf })}
        <div class=${errorOf("rule") ? "field field-invalid" : "field"}>
          <label for="rule-text">${t(locale, "admin.rules.text")}</label>
          <${FieldError} id="rule-error" message=${errorOf("rule")} />
          <input id="rule-text" name="text" type="text" required maxlength=${String(ruleMax)} value=${error?.form === "rule" ? error.value : ""}
            aria-invalid=${errorOf("rule") ? "true" : undefined} aria-describedby=${describedBy(errorOf("rule") && "rule-error")} />
        </div>
        <div class="field">
          <label for="rule-hint">${t(locale, "admin.rules.hint")}</label>
          <input id="rule-hint" name="hint" type="text" maxlength="1000" />
        </div>
        <div class="form-actions"><button type="submit" class="button button-primary">${t(locale, "admin.rules.add")}</button></div>
      </form>
    </section>
    <section class="panel panel-form" aria-labelledby="description-title">
      <h2 id="description-title">${t(locale, "admin.description.title")}</h2>
      <form method="post" action="/admin/description" class="stack-form">
        ${h(CsrfField, { token: csrf })}
        <div class=${errorOf("description") ? "field field-invalid" : "field"}>
          <label for="description">${t(locale, "admin.description.label")}</label>
          <p id="description-hint" class="hint">${t(locale, "admin.description.hint", { max: descriptionMax })}</p>
          <${FieldError} id="description-error" message=${errorOf("description")} />
          <textarea id="description" name="description" rows="5" aria-describedby=${describedBy("description-hint", errorOf("description") && "description-error")}
            aria-invalid=${errorOf("description") ? "true" : undefined}>${error?.form === "description" ? error.value : description}</textarea>
        </div>
        <div class="form-actions"><button type="submit" class="button button-primary">${t(locale, "admin.description.save")}</button></div>
      </form>
    </section>`,
  });
}
