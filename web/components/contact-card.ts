// Where to reach a colleague inside the group, and what they know: the contact card and the expertise chips of a
// profile (each chip searches the directory for people with the same expertise).
import { html } from "../html.ts";
import { t } from "../i18n/index.ts";
import type { Locale } from "../i18n/index.ts";

/** The structured part of a profile as pages show it (already cut to what the viewer may see). */
export type ProfileDetails = {
  pronouns: string;
  jobTitle: string;
  department: string;
  site: string;
  workPhone: string;
  workEmail: string;
  expertise: string[];
  languages: string[];
  career: { role: string; organisation: string; from: string; to: string | null }[];
  /** The subsidiary (instance name) the person belongs to. */
  instanceName: string;
  /** Extra name/value fields (Mastodon-style); values are plain text. */
  customFields: { name: string; value: string }[];
};

const languageNames = new Map<Locale, Intl.DisplayNames>();
export function languageName(locale: Locale, code: string): string {
  let names = languageNames.get(locale);
  if (!names) {
    names = new Intl.DisplayNames([locale], { type: "language" });
    languageNames.set(locale, names);
  }
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

export function directorySearchUrl(params: Record<string, string>): string {
  return `/directory?${new URLSearchParams(params).toString()}`;
}

export function ExpertiseChips({ locale, tags, highlight }: { locale: Locale; tags: string[]; highlight?: string }) {
  if (tags.length === 0) return null;
  return html`<ul class="chips" aria-label=${t(locale, "profiles.expertiseTitle")}>
    ${tags.map((tag) => html`<li key=${tag}>
      <a class=${tag === highlight ? "chip chip-match" : "chip"} href=${directorySearchUrl({ knows: tag })}
        title=${t(locale, "profiles.expertiseSearch", { tag })}>#${tag}</a>
    </li>`)}
  </ul>`;
}

export function ContactCard({ locale, details }: { locale: Locale; details: ProfileDetails }) {
  const rows: [string, unknown][] = [];
  const add = (label: string, value: unknown) => rows.push([label, value]);
  if (details.jobTitle) add(t(locale, "profiles.field.jobTitle"), details.jobTitle);
  if (details.department) add(t(locale, "profiles.field.department"), html`<a href=${directorySearchUrl({ department: details.department })}>${details.department}</a>`);
  if (details.site) add(t(locale, "profiles.field.site"), html`<a href=${directorySearchUrl({ site: details.site })}>${details.site}</a>`);
  if (details.instanceName) add(t(locale, "profiles.field.instance"), details.instanceName);
  if (details.workPhone) add(t(locale, "profiles.field.workPhone"), html`<a href=${`tel:${details.workPhone.replace(/[^0-9+]/g, "")}`}>${details.workPhone}</a>`);
  if (details.workEmail) add(t(locale, "profiles.field.workEmail"), html`<a href=${`mailto:${details.workEmail}`}>${details.workEmail}</a>`);
  if (details.languages.length > 0) add(t(locale, "profiles.field.languages"), details.languages.map((l) => languageName(locale, l)).join(", "));
  if (details.pronouns) add(t(locale, "profiles.field.pronouns"), details.pronouns);
  for (const f of details.customFields) add(f.name, f.value);
  if (rows.length === 0) return null;
  return html`<section class="panel contact-card" aria-labelledby="contact-title">
    <h2 id="contact-title">${t(locale, "profiles.contact")}</h2>
    <dl class="contact-list">
      ${rows.map(([label, value]) => html`<div class="contact-row"><dt>${label}</dt><dd>${value}</dd></div>`)}
    </dl>
  </section>`;
}
