// A profile as readable name/value pairs: the PropertyValue fields of the Person (Mastodon shows them) and the
// `fields` of Mastodon API accounts. Values are HTML built from escaped text; labels are English, as documented in
// docs/profiles.md (Mastodon labels nothing itself, and one label per field keeps the fields machine-readable).
import type { Db } from "../../db/pool.ts";
import { type Account, accountColumns, handleOf, toAccount } from "../accounts/accounts.ts";
import { escapeHtml, textToHtml } from "../posts/html.ts";
import type { CustomField, ProfileData } from "./profile-validation.ts";
import { type ProfileAudience, visibleProfile } from "./profile-visibility.ts";
import { getProfiles } from "./profiles.ts";

/** Labels of the PropertyValue fields. English, as Mastodon itself labels nothing: documented in docs/profiles.md. */
export const FIELD_LABELS = {
  pronouns: "Pronouns", jobTitle: "Job title", department: "Department", site: "Site", workPhone: "Phone",
  workEmail: "E-mail", manager: "Manager", expertise: "Expertise", languages: "Languages",
} as const;

export function tagUrl(origin: string, tag: string): string {
  return new URL(`/directory?expertise=${encodeURIComponent(tag)}`, origin).href;
}

/** Readable name/value pairs (value as HTML), in Mastodon's order of interest. `p` is already cut to its scope. */
export function profileFieldPairs(origin: string, p: ProfileData, manager: { url: string; handle: string } | null): CustomField[] {
  const out: CustomField[] = [];
  const add = (name: string, valueHtml: string) => out.push({ name, value: valueHtml });
  if (p.jobTitle) add(FIELD_LABELS.jobTitle, escapeHtml(p.jobTitle));
  if (p.department) add(FIELD_LABELS.department, escapeHtml(p.department));
  if (p.site) add(FIELD_LABELS.site, escapeHtml(p.site));
  if (p.expertise.length > 0) {
    add(FIELD_LABELS.expertise, p.expertise.map((t) =>
      `<a href="${escapeHtml(tagUrl(origin, t))}" class="mention hashtag" rel="tag">#<span>${escapeHtml(t)}</span></a>`).join(" "));
  }
  // Plain text: tel: and mailto: links are stripped by Mastodon's sanitiser and ours (http and https only), and
  // clients turn numbers and addresses into links themselves.
  if (p.workPhone) add(FIELD_LABELS.workPhone, escapeHtml(p.workPhone));
  if (p.workEmail) add(FIELD_LABELS.workEmail, escapeHtml(p.workEmail));
  if (manager) {
    add(FIELD_LABELS.manager, `<span class="h-card"><a href="${escapeHtml(manager.url)}" class="u-url mention">${escapeHtml(manager.handle)}</a></span>`);
  }
  if (p.languages.length > 0) add(FIELD_LABELS.languages, escapeHtml(p.languages.join(", ")));
  if (p.pronouns) add(FIELD_LABELS.pronouns, escapeHtml(p.pronouns));
  for (const f of p.customFields) add(f.name, textToHtml(f.value).replace(/^<p>|<\/p>$/g, ""));
  return out;
}


/**
 * What `audience` reads of each account as readable pairs: the bio (HTML, "" when hidden) and the fields — a local
 * profile cut to its visibility, or the PropertyValues a remote server sent (visibleProfile decides both).
 */
export async function visibleProfilesOf(db: Db, origin: string, accounts: Account[], audience: ProfileAudience): Promise<Map<string, { bioHtml: string; fields: CustomField[] }>> {
  const profiles = await getProfiles(db, accounts.map((a) => a.id));
  const managers = new Map<string, Account>();
  const managerIris = [...new Set([...profiles.values()].map((p) => p.manager).filter((m): m is string => m != null))];
  if (managerIris.length > 0) {
    const rows = await db`SELECT ${accountColumns(db)} FROM accounts a WHERE a.iri = ANY(${managerIris}::text[])`;
    for (const r of rows) managers.set(r.iri as string, toAccount(r));
  }
  const host = new URL(origin).host;
  const out = new Map<string, { bioHtml: string; fields: CustomField[] }>();
  for (const a of accounts) {
    const v = visibleProfile(a, profiles.get(a.id) ?? null, audience);
    let fields: CustomField[] = [];
    if (a.domain != null) fields = v.remoteFields;
    else if (v.profile) {
      const m = v.profile.manager ? managers.get(v.profile.manager) : undefined;
      fields = profileFieldPairs(origin, v.profile, m ? { url: m.url ?? m.iri, handle: handleOf(m, host) } : null);
    }
    out.set(a.id, { bioHtml: v.bioHtml, fields });
  }
  return out;
}
