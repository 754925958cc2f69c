// A profile ⇄ what travels in a Person: readable PropertyValue fields (Mastodon shows them), expertise as Hashtag
// tags, and the structured data in our JSON-LD extension `rucheProfile` (docs/profile-jsonld.md). Incoming data is
// bounded, validated with the same rules as local input and sanitised here, so the domain stores trusted shapes.
import { Hashtag, PropertyValue } from "@fedify/vocab";
import { htmlToText, sanitizeRemoteHtml } from "../../server/domain/posts/html.ts";
import { tagUrl } from "../../server/domain/profiles/profile-fields.ts";
import {
  type CustomField, EMPTY_PROFILE, type ProfileData, type ProfileInput, validateProfile, VISIBLE_FIELDS,
} from "../../server/domain/profiles/profile-validation.ts";

export const RUCHE_NS = "https://ruche.social/ns#";

/** Inline term definitions: our context loader never fetches remote contexts, and neither should our readers. */
export const RUCHE_CONTEXT = {
  ruche: RUCHE_NS,
  rucheProfile: { "@id": "ruche:profile", "@type": "@json" },
} as const;

/** The `rucheProfile` value: version 1 of the extension. */
export interface RucheProfileExtension {
  version: 1;
  /** Which audience this copy was made for; `internal` only reaches sibling instances. */
  scope: "internal" | "public";
  instance: { name: string; origin: string };
  pronouns: string; jobTitle: string; department: string; site: string; workPhone: string; workEmail: string;
  manager: string | null;
  expertise: string[];
  languages: string[];
  career: { role: string; organisation: string; from: string; to: string | null }[];
  customFields: CustomField[];
}

export function toPropertyValues(pairs: CustomField[]): PropertyValue[] {
  return pairs.map((f) => new PropertyValue({ name: f.name, value: f.value }));
}

export function toHashtags(origin: string, expertise: string[]): Hashtag[] {
  return expertise.map((t) => new Hashtag({ name: `#${t}`, href: new URL(tagUrl(origin, t)) }));
}

export function toExtension(p: ProfileData, scope: "internal" | "public", instance: { name: string; origin: string }): RucheProfileExtension {
  return {
    version: 1, scope, instance,
    pronouns: p.pronouns, jobTitle: p.jobTitle, department: p.department, site: p.site, workPhone: p.workPhone,
    workEmail: p.workEmail, manager: p.manager, expertise: p.expertise, languages: p.languages, career: p.career,
    customFields: p.customFields,
  };
}

const MAX_REMOTE_FIELDS = 20, MAX_FIELD_NAME = 255, MAX_FIELD_VALUE = 2_000;

/** PropertyValue attachments of a remote actor (any software), sanitised and bounded. */
export function readRemoteFields(attachments: unknown[]): CustomField[] {
  const out: CustomField[] = [];
  for (const a of attachments) {
    if (!(a instanceof PropertyValue) || out.length >= MAX_REMOTE_FIELDS) continue;
    const name = htmlToText(a.name?.toString() ?? "").slice(0, MAX_FIELD_NAME);
    const value = sanitizeRemoteHtml((a.value?.toString() ?? "").slice(0, MAX_FIELD_VALUE));
    if (name) out.push({ name, value });
  }
  return out;
}

const str = (v: unknown, max: number) => (typeof v === "string" ? v.slice(0, max) : "");
const strList = (v: unknown, max: number) => (Array.isArray(v) ? v.filter((x) => typeof x === "string").slice(0, max).map((x: string) => x.slice(0, 100)) : []);

/**
 * Reads `rucheProfile` from a raw actor document. A field that fails our own validation is dropped, not the whole
 * profile: a newer peer may be laxer on one field. `origin` is the actor's origin: a manager IRI is any http(s)
 * IRI (managers may sit on another sibling), but never a javascript: or data: URL.
 */
export function readExtension(doc: unknown): { data: ProfileData; scope: "internal" | "public" } | null {
  if (doc === null || typeof doc !== "object") return null;
  const raw = (doc as Record<string, unknown>).rucheProfile ?? (doc as Record<string, unknown>)["ruche:profile"];
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return null;
  const r = raw as Record<string, unknown>;
  if (r.version !== 1) return null;
  const career = Array.isArray(r.career) ? r.career.slice(0, 30).filter((e) => e && typeof e === "object").map((e: Record<string, unknown>) => ({
    role: str(e.role, 200), organisation: str(e.organisation, 200), from: str(e.from, 10), to: typeof e.to === "string" ? e.to.slice(0, 10) : null,
  })) : [];
  const customFields = Array.isArray(r.customFields) ? r.customFields.slice(0, 4).filter((e) => e && typeof e === "object")
    .map((e: Record<string, unknown>) => ({ name: str(e.name, 300), value: str(e.value, 300) })) : [];
  const candidate: ProfileInput = {
    pronouns: str(r.pronouns, 200), jobTitle: str(r.jobTitle, 200), department: str(r.department, 200), site: str(r.site, 200),
    workPhone: str(r.workPhone, 40), workEmail: str(r.workEmail, 300),
    manager: typeof r.manager === "string" && /^https?:\/\//.test(r.manager) ? r.manager.slice(0, 2_000) : null,
    expertise: strList(r.expertise, 40), languages: strList(r.languages, 20), career, customFields,
  };
  const data: ProfileData = { ...EMPTY_PROFILE };
  for (const [key, value] of Object.entries(candidate)) {
    const one = validateProfile({ [key]: value } as ProfileInput);
    if (one.ok) Object.assign(data, one.value);
  }
  // Whatever the peer marked, a copy it calls public must only hold what it meant to be public; we keep its claim.
  data.visibility = Object.fromEntries(VISIBLE_FIELDS.map((f) => [f, r.scope === "public" ? "public" : "internal"]));
  // `instance` is not read: an instance's name is what its own NodeInfo says (instance-info.ts), not a profile's claim.
  return { data, scope: r.scope === "internal" ? "internal" : "public" };
}

/** The `workSchedule` a sibling put in a person's rucheProfile (issue #15), unchecked: schedules.ts checks it. */
export function workScheduleOf(doc: unknown): unknown {
  if (doc === null || typeof doc !== "object") return undefined;
  const raw = (doc as Record<string, unknown>).rucheProfile ?? (doc as Record<string, unknown>)["ruche:profile"];
  return raw && typeof raw === "object" ? (raw as Record<string, unknown>).workSchedule : undefined;
}
