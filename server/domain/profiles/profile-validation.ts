// What an employee may write in their profile, checked the same way for the web form, the API and the CSV import.
// Every problem is reported at once, with a stable code and parameters, so each caller can phrase it (a translated
// message next to the field in pages, Mastodon's `details` in the API, a line of the import report).

export const PROFILE_LIMITS = {
  pronouns: 40, jobTitle: 120, department: 120, site: 120, workPhone: 30, workEmail: 254,
  tag: 40, expertise: 30, languages: 10, career: 30, careerText: 120, customFields: 4, customName: 255, customValue: 255,
} as const;

/** The fields that carry a visibility. Display name and picture are always visible: a Person needs a name. */
export const VISIBLE_FIELDS = [
  "bio", "pronouns", "jobTitle", "department", "site", "workPhone", "workEmail", "manager", "expertise", "languages",
  "career", "customFields",
] as const;
export type VisibleField = (typeof VISIBLE_FIELDS)[number];
export type Visibility = "public" | "internal";
export type VisibilityMap = Partial<Record<VisibleField, Visibility>>;

export interface CareerEntry { role: string; organisation: string; from: string; to: string | null }
export interface CustomField { name: string; value: string }

/** The structured part of a profile (names, bio and pictures live on the account). */
export interface ProfileData {
  pronouns: string;
  jobTitle: string;
  department: string;
  site: string;
  workPhone: string;
  workEmail: string;
  /** The manager's actor IRI, or null. */
  manager: string | null;
  expertise: string[];
  languages: string[];
  career: CareerEntry[];
  customFields: CustomField[];
  visibility: VisibilityMap;
}

export type ProfileInput = Partial<Omit<ProfileData, "expertise" | "languages"> & { expertise: string[] | string; languages: string[] | string }>;

export type ProfileErrorCode =
  | "too_long" | "too_many" | "invalid_tag" | "invalid_phone" | "invalid_email" | "invalid_language" | "invalid_date"
  | "date_order" | "required" | "invalid_visibility" | "invalid"
  // The manager chosen is the person themself, or someone who reports to them (directly or not).
  | "manager_self" | "manager_loop";

export interface ProfileError { field: string; code: ProfileErrorCode; message: string; max?: number }

export const EMPTY_PROFILE: ProfileData = {
  pronouns: "", jobTitle: "", department: "", site: "", workPhone: "", workEmail: "", manager: null,
  expertise: [], languages: [], career: [], customFields: [], visibility: {},
};

/**
 * The shown form of an expertise tag: lower-case, spaces and underscores as dashes, accents kept ("#Droit Social" →
 * "droit-social", "Cybersécurité" → "cybersécurité"). Matching is accent-insensitive: the database compares
 * ruche_fold() of tags (migration 0018), and two tags of one profile that fold alike are one tag.
 */
export function normaliseTag(input: string): string {
  return input.trim().replace(/^#+/, "").normalize("NFC").toLowerCase()
    .replace(/[\s_]+/g, "-").replace(/-{2,}/g, "-").replace(/^-|-$/g, "");
}

/** Whether two shown tags are the same tag, accents and case aside (one profile keeps one of them). */
export function sameTag(a: string, b: string): boolean {
  const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "");
  return fold(a) === fold(b);
}

const TAG = /^[\p{Ll}\p{Lo}\p{N}][\p{Ll}\p{Lo}\p{M}\p{N}+#.-]*$/u;
const PHONE = /^\+?[0-9][0-9 ().-]{2,29}$/;
const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;
const LANGUAGE = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** A list given as an array or as "a, b; c" text. */
export function splitList(v: string[] | string | undefined): string[] {
  if (v === undefined) return [];
  const parts = Array.isArray(v) ? v : v.split(/[,;\n]/);
  return parts.map((s) => s.trim()).filter((s) => s !== "");
}

/** "2019-03", "2019-3", "03/2019" → "2019-03"; anything else is returned as given (and refused by MONTH). */
export function normaliseMonth(s: string): string {
  const t = s.trim();
  let m = /^(\d{4})-(\d{1,2})$/.exec(t);
  if (m) return `${m[1]}-${m[2].padStart(2, "0")}`;
  m = /^(\d{1,2})\/(\d{4})$/.exec(t);
  if (m) return `${m[2]}-${m[1].padStart(2, "0")}`;
  return t;
}

type Result = { ok: true; value: Partial<ProfileData> } | { ok: false; errors: ProfileError[] };

/**
 * Validates and normalises the given fields (absent fields are left out of the result, so a partial update only
 * touches what was sent). Manager IRIs are resolved by the caller; here only their shape is checked.
 */
export function validateProfile(input: ProfileInput): Result {
  const errors: ProfileError[] = [];
  const out: Partial<ProfileData> = {};
  const text = (field: "pronouns" | "jobTitle" | "department" | "site") => {
    const v = input[field];
    if (v === undefined) return;
    const s = String(v).replace(/\s+/g, " ").trim();
    if (s.length > PROFILE_LIMITS[field]) errors.push({ field, code: "too_long", max: PROFILE_LIMITS[field], message: `at most ${PROFILE_LIMITS[field]} characters` });
    else out[field] = s;
  };
  text("pronouns"); text("jobTitle"); text("department"); text("site");

  if (input.workPhone !== undefined) {
    const s = String(input.workPhone).trim();
    if (s !== "" && !PHONE.test(s)) errors.push({ field: "workPhone", code: "invalid_phone", message: "a phone number has digits, spaces, dots, dashes or brackets, and may start with +" });
    else out.workPhone = s;
  }
  if (input.workEmail !== undefined) {
    const s = String(input.workEmail).trim();
    if (s.length > PROFILE_LIMITS.workEmail) errors.push({ field: "workEmail", code: "too_long", max: PROFILE_LIMITS.workEmail, message: `at most ${PROFILE_LIMITS.workEmail} characters` });
    else if (s !== "" && !EMAIL.test(s)) errors.push({ field: "workEmail", code: "invalid_email", message: "an e-mail address looks like name@example.com" });
    else out.workEmail = s.toLowerCase();
  }
  if (input.manager !== undefined) {
    const s = input.manager?.trim() || null;
    if (s !== null && !/^https?:\/\/\S+$/.test(s)) errors.push({ field: "manager", code: "invalid", message: "the manager must be an account" });
    else out.manager = s;
  }
  if (input.expertise !== undefined) {
    const tags: string[] = [];
    for (const raw of splitList(input.expertise)) {
      const tag = normaliseTag(raw);
      if (tag.length > PROFILE_LIMITS.tag) {
        errors.push({ field: "expertise", code: "too_long", max: PROFILE_LIMITS.tag, message: `a tag has at most ${PROFILE_LIMITS.tag} characters ("${raw.slice(0, 50)}")` });
      } else if (!TAG.test(tag)) {
        errors.push({ field: "expertise", code: "invalid_tag", message: `"${raw.slice(0, 50)}" is not a tag: use letters, digits and dashes` });
      } else if (!tags.some((kept) => sameTag(kept, tag))) tags.push(tag);
    }
    if (tags.length > PROFILE_LIMITS.expertise) errors.push({ field: "expertise", code: "too_many", max: PROFILE_LIMITS.expertise, message: `at most ${PROFILE_LIMITS.expertise} areas of expertise` });
    out.expertise = tags;
  }
  if (input.languages !== undefined) {
    const langs: string[] = [];
    for (const raw of splitList(input.languages)) {
      const code = raw.toLowerCase().replace(/_/g, "-");
      if (!LANGUAGE.test(code)) errors.push({ field: "languages", code: "invalid_language", message: `"${raw.slice(0, 20)}" is not a language code such as fr, en or pt-br` });
      else if (!langs.includes(code)) langs.push(code);
    }
    if (langs.length > PROFILE_LIMITS.languages) errors.push({ field: "languages", code: "too_many", max: PROFILE_LIMITS.languages, message: `at most ${PROFILE_LIMITS.languages} languages` });
    out.languages = langs;
  }
  if (input.career !== undefined) {
    const entries: CareerEntry[] = [];
    input.career.forEach((e, i) => {
      const field = `career.${i}`;
      const role = String(e.role ?? "").trim(), organisation = String(e.organisation ?? "").trim();
      const from = normaliseMonth(String(e.from ?? "")), to = e.to == null || String(e.to).trim() === "" ? null : normaliseMonth(String(e.to));
      if (role === "" && organisation === "" && from === "" && to === null) return; // an empty row of the form
      if (role === "") errors.push({ field: `${field}.role`, code: "required", message: "the role is required" });
      if (role.length > PROFILE_LIMITS.careerText) errors.push({ field: `${field}.role`, code: "too_long", max: PROFILE_LIMITS.careerText, message: `at most ${PROFILE_LIMITS.careerText} characters` });
      if (organisation.length > PROFILE_LIMITS.careerText) errors.push({ field: `${field}.organisation`, code: "too_long", max: PROFILE_LIMITS.careerText, message: `at most ${PROFILE_LIMITS.careerText} characters` });
      if (!MONTH.test(from)) errors.push({ field: `${field}.from`, code: "invalid_date", message: "a start month such as 2019-03 is required" });
      if (to !== null && !MONTH.test(to)) errors.push({ field: `${field}.to`, code: "invalid_date", message: "an end month such as 2021-09, or nothing for a current role" });
      else if (to !== null && MONTH.test(from) && to < from) errors.push({ field: `${field}.to`, code: "date_order", message: "the end month is before the start month" });
      entries.push({ role, organisation, from, to });
    });
    if (entries.length > PROFILE_LIMITS.career) errors.push({ field: "career", code: "too_many", max: PROFILE_LIMITS.career, message: `at most ${PROFILE_LIMITS.career} career entries` });
    // Most recent first, current roles on top.
    out.career = entries.sort((a, b) => (b.to ?? "9999-99").localeCompare(a.to ?? "9999-99") || b.from.localeCompare(a.from));
  }
  if (input.customFields !== undefined) {
    const fields = input.customFields
      .map((f) => ({ name: String(f.name ?? "").trim(), value: String(f.value ?? "").trim() }))
      .filter((f) => f.name !== "" || f.value !== "");
    if (fields.length > PROFILE_LIMITS.customFields) errors.push({ field: "customFields", code: "too_many", max: PROFILE_LIMITS.customFields, message: `at most ${PROFILE_LIMITS.customFields} extra fields` });
    fields.forEach((f, i) => {
      if (f.name === "") errors.push({ field: `customFields.${i}.name`, code: "required", message: "a field needs a name" });
      if (f.name.length > PROFILE_LIMITS.customName) errors.push({ field: `customFields.${i}.name`, code: "too_long", max: PROFILE_LIMITS.customName, message: `at most ${PROFILE_LIMITS.customName} characters` });
      if (f.value.length > PROFILE_LIMITS.customValue) errors.push({ field: `customFields.${i}.value`, code: "too_long", max: PROFILE_LIMITS.customValue, message: `at most ${PROFILE_LIMITS.customValue} characters` });
    });
    out.customFields = fields;
  }
  if (input.visibility !== undefined) {
    const vis: VisibilityMap = {};
    for (const [k, v] of Object.entries(input.visibility)) {
      if (!(VISIBLE_FIELDS as readonly string[]).includes(k) || (v !== "public" && v !== "internal")) {
        errors.push({ field: "visibility", code: "invalid_visibility", message: `unknown visibility ${String(v).slice(0, 20)} for ${k.slice(0, 30)}` });
      } else if (v === "public") vis[k as VisibleField] = "public";
    }
    out.visibility = vis;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: out };
}
