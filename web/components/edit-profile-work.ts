// The work part of the profile form: job, department, site, contact, manager, expertise, languages, career and, for
// each field, whether it is public (ambassador profile) or internal to the group (the default). Browser-side
// constraints (maxlength, type=email/tel, pattern) give inline feedback before sending; the server checks again and
// its messages appear next to the fields.
import { html } from "../html.ts";
import { t } from "../i18n/index.ts";
import type { Locale } from "../i18n/index.ts";
import { describedBy } from "./forms.ts";

export const WORK_VISIBILITY_FIELDS = ["bio", "pronouns", "jobTitle", "department", "site", "workPhone", "workEmail", "manager", "expertise", "languages", "career"] as const;
export type WorkVisibilityField = (typeof WORK_VISIBILITY_FIELDS)[number];

export type CareerRow = { role: string; organisation: string; from: string; to: string };
export type WorkFormValues = {
  pronouns: string; jobTitle: string; department: string; site: string; workPhone: string; workEmail: string;
  /** The manager as typed: `alice` or `@bob@lyon.example`. */
  manager: string;
  /** Comma-separated tags. */
  expertise: string;
  /** Comma-separated language codes. */
  languages: string;
  career: CareerRow[];
  /** Fields shown on the public profile. */
  publicFields: WorkVisibilityField[];
};

export type WorkFormLimits = { pronouns: number; jobTitle: number; department: number; site: number; workPhone: number; workEmail: number; expertise: number; careerText: number };

/** Errors by field name: `jobTitle`, `career.0.from`… (already translated). */
export type WorkErrors = Record<string, string>;

const LABEL_KEYS = {
  bio: "profiles.field.bio", pronouns: "profiles.field.pronouns", jobTitle: "profiles.field.jobTitle",
  department: "profiles.field.department", site: "profiles.field.site", workPhone: "profiles.field.workPhone",
  workEmail: "profiles.field.workEmail", manager: "profiles.field.manager", expertise: "profiles.field.expertise",
  languages: "profiles.field.languages", career: "profiles.field.career",
} as const;

type InputProps = {
  locale: Locale; name: string; label: string; value: string; error?: string; hint?: string; type?: string;
  maxlength?: number; pattern?: string; autocomplete?: string;
};

function Input({ name, label, value, error, hint, type = "text", maxlength, pattern, autocomplete }: InputProps) {
  const hintId = hint ? `${name}-hint` : undefined;
  const errorId = error ? `${name}-error` : undefined;
  return html`<div class=${error ? "field field-invalid" : "field"}>
    <label for=${name}>${label}</label>
    ${hint ? html`<p id=${hintId} class="hint">${hint}</p>` : null}
    ${error ? html`<p id=${errorId} class="field-error">${error}</p>` : null}
    <input id=${name} name=${name} type=${type} value=${value} maxlength=${maxlength} pattern=${pattern}
      autocomplete=${autocomplete} aria-invalid=${error ? "true" : undefined} aria-describedby=${describedBy(hintId, errorId)} />
  </div>`;
}

export function WorkFields({ locale, values, errors, limits }: { locale: Locale; values: WorkFormValues; errors: WorkErrors; limits: WorkFormLimits }) {
  const input = (name: keyof WorkFormValues & string, extra: Partial<InputProps> = {}) =>
    html`<${Input} locale=${locale} name=${name} label=${t(locale, LABEL_KEYS[name as WorkVisibilityField])}
      value=${values[name] as string} error=${errors[name]} ...${extra} />`;
  const rows = [...values.career];
  while (rows.length < values.career.length + 2) rows.push({ role: "", organisation: "", from: "", to: "" });
  return html`<fieldset class="form-section">
      <legend>${t(locale, "profiles.edit.sectionWork")}</legend>
      ${input("jobTitle", { maxlength: limits.jobTitle, autocomplete: "organization-title" })}
      ${input("department", { maxlength: limits.department })}
      ${input("site", { maxlength: limits.site })}
      ${input("workPhone", { type: "tel", maxlength: limits.workPhone, hint: t(locale, "profiles.edit.phoneHint"), pattern: "\\+?[0-9][0-9 ().\\-]{2,29}", autocomplete: "work tel" })}
      ${input("workEmail", { type: "email", maxlength: limits.workEmail, autocomplete: "work email" })}
      ${input("manager", { hint: t(locale, "profiles.edit.managerHint"), maxlength: 300 })}
      ${input("expertise", { hint: t(locale, "profiles.edit.expertiseHint", { max: limits.expertise }), maxlength: 2000 })}
      ${input("languages", { hint: t(locale, "profiles.edit.languagesHint"), maxlength: 200 })}
      ${input("pronouns", { maxlength: limits.pronouns })}
    </fieldset>
    <fieldset class="form-section">
      <legend>${t(locale, "profiles.edit.sectionCareer")}</legend>
      ${rows.map((row, i) => html`<fieldset class="career-row">
        <legend>${t(locale, "profiles.edit.careerEntry", { n: i + 1 })}</legend>
        <${Input} locale=${locale} name=${`career.${i}.role`} label=${t(locale, "profiles.edit.careerRole")} value=${row.role} error=${errors[`career.${i}.role`]} maxlength=${limits.careerText} />
        <${Input} locale=${locale} name=${`career.${i}.organisation`} label=${t(locale, "profiles.edit.careerOrganisation")} value=${row.organisation} error=${errors[`career.${i}.organisation`]} maxlength=${limits.careerText} />
        <${Input} locale=${locale} name=${`career.${i}.from`} label=${t(locale, "profiles.edit.careerFrom")} value=${row.from} error=${errors[`career.${i}.from`]} pattern="\\d{4}-\\d{1,2}" maxlength="7" />
        <${Input} locale=${locale} name=${`career.${i}.to`} label=${t(locale, "profiles.edit.careerTo")} value=${row.to} error=${errors[`career.${i}.to`]} pattern="\\d{4}-\\d{1,2}" maxlength="7" />
      </fieldset>`)}
      ${errors.career ? html`<p class="field-error">${errors.career}</p>` : null}
    </fieldset>
    <fieldset class="form-section">
      <legend>${t(locale, "profiles.edit.sectionVisibility")}</legend>
      <p class="hint" id="visibility-hint">${t(locale, "profiles.edit.visibilityHint")}</p>
      <ul class="visibility-list" aria-describedby="visibility-hint">
        ${WORK_VISIBILITY_FIELDS.map((f) => html`<li class="field-check">
          <input id=${`public-${f}`} name="public" type="checkbox" value=${f} checked=${values.publicFields.includes(f)} />
          <label for=${`public-${f}`}>${t(locale, f === "bio" ? "profiles.visibility.bio" : LABEL_KEYS[f])} — ${t(locale, "profiles.edit.public")}</label>
        </li>`)}
      </ul>
    </fieldset>`;
}
