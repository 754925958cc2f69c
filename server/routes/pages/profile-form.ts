// The work part of the profile settings form ⇄ the domain: stored profile → form values, submitted form → validated
// profile input, domain errors → translated messages next to their fields.
import { findAccountByIri, handleOf } from "../../domain/accounts/accounts.ts";
import { PROFILE_LIMITS, type ProfileError, type ProfileInput, validateProfile, type VisibilityMap } from "../../domain/profiles/profile-validation.ts";
import { managerIriFromRef, type ProfileValidationError, type StoredProfile } from "../../domain/profiles/profiles.ts";
import { WORK_VISIBILITY_FIELDS, type WorkErrors, type WorkFormValues, type WorkVisibilityField } from "../../../web/components/edit-profile-work.ts";
import { type Locale, type MessageKey, t } from "../../../web/i18n/index.ts";
import type { RouteDeps } from "../deps.ts";

export const WORK_LIMITS = {
  pronouns: PROFILE_LIMITS.pronouns, jobTitle: PROFILE_LIMITS.jobTitle, department: PROFILE_LIMITS.department,
  site: PROFILE_LIMITS.site, workPhone: PROFILE_LIMITS.workPhone, workEmail: PROFILE_LIMITS.workEmail,
  expertise: PROFILE_LIMITS.expertise, careerText: PROFILE_LIMITS.careerText,
};

export async function workFormValues(deps: RouteDeps, p: StoredProfile): Promise<WorkFormValues> {
  const manager = p.manager ? await findAccountByIri(deps.sql, p.manager) : null;
  return {
    pronouns: p.pronouns, jobTitle: p.jobTitle, department: p.department, site: p.site, workPhone: p.workPhone,
    workEmail: p.workEmail, manager: manager ? (manager.domain == null ? manager.username : handleOf(manager, "")) : "",
    expertise: p.expertise.join(", "), languages: p.languages.join(", "),
    career: p.career.map((e) => ({ role: e.role, organisation: e.organisation, from: e.from, to: e.to ?? "" })),
    publicFields: WORK_VISIBILITY_FIELDS.filter((f) => p.visibility[f] === "public"),
  };
}

const str = (v: unknown) => (typeof v === "string" ? v : "");

/** Reads the submitted form (`career.0.role`… and repeated `public` checkboxes). */
export function readWorkForm(form: Record<string, unknown>): WorkFormValues {
  const career: WorkFormValues["career"] = [];
  for (let i = 0; i < 40; i++) {
    if (!(`career.${i}.role` in form)) break;
    career.push({ role: str(form[`career.${i}.role`]), organisation: str(form[`career.${i}.organisation`]), from: str(form[`career.${i}.from`]), to: str(form[`career.${i}.to`]) });
  }
  const pub = Array.isArray(form.public) ? form.public : form.public ? [form.public] : [];
  return {
    pronouns: str(form.pronouns), jobTitle: str(form.jobTitle), department: str(form.department), site: str(form.site),
    workPhone: str(form.workPhone), workEmail: str(form.workEmail), manager: str(form.manager), expertise: str(form.expertise),
    languages: str(form.languages),
    // Empty rows are the form's spare rows: keep the filled ones, so an error's row number matches what is shown.
    career: career.filter((e) => e.role || e.organisation || e.from || e.to),
    publicFields: WORK_VISIBILITY_FIELDS.filter((f) => pub.includes(f)),
  };
}

function message(locale: Locale, e: ProfileError): string {
  if (e.field === "manager" && e.code === "invalid") return t(locale, "profiles.error.manager");
  const key = `profiles.error.${e.code}` as MessageKey;
  return t(locale, key as "profiles.error.too_long", { max: e.max ?? 0 });
}

/** The domain's refusals found only when saving (a manager who reports to the person), as the form shows them. */
export function workErrorsOf(locale: Locale, e: ProfileValidationError): WorkErrors {
  const errors: WorkErrors = {};
  for (const x of e.errors) errors[x.field as keyof WorkErrors] ??= message(locale, x);
  return errors;
}

/** Validates the form; returns the domain input, or the translated errors by field. */
export async function checkWorkForm(deps: RouteDeps, locale: Locale, v: WorkFormValues): Promise<{ input: ProfileInput } | { errors: WorkErrors }> {
  const visibility: VisibilityMap = Object.fromEntries(v.publicFields.map((f: WorkVisibilityField) => [f, "public"]));
  const input: ProfileInput = {
    pronouns: v.pronouns, jobTitle: v.jobTitle, department: v.department, site: v.site, workPhone: v.workPhone,
    workEmail: v.workEmail, expertise: v.expertise, languages: v.languages, visibility,
    career: v.career.map((e) => ({ role: e.role, organisation: e.organisation, from: e.from, to: e.to || null })),
  };
  const errors: WorkErrors = {};
  const checked = validateProfile(input);
  if (!checked.ok) for (const e of checked.errors) errors[e.field] ??= message(locale, e);
  if (v.manager.trim()) {
    input.manager = await managerIriFromRef(deps.sql, v.manager, new URL(deps.config.origin).host);
    if (!input.manager) errors.manager = t(locale, "profiles.error.manager");
  } else input.manager = null;
  return Object.keys(errors).length > 0 ? { errors } : { input };
}
