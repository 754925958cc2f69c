// Who may read which profile field: the one rule every read path goes through — profile pages, the Mastodon account
// entity, /api/ruche/v1/profiles, the actor document, the directory search and its filters (issue #8 points 1, 26,
// 27). Two audiences read profiles: employees of the group (signed in here, or a sibling's server asking with a
// signature we verified) read internal fields; everyone else (signed-out visitors, token-less API calls, unsigned or
// non-sibling fetches) reads only what the person made public.
//
//   profileAudienceOf(viewer) → "internal" | "public"
//   visibleProfile(account, stored, audience) → the bio and fields that audience may read
//   publicFieldSql(db, field) / publicSearchText(db) → the same rule for SQL (directory search and facets)
import type postgres from "postgres";
import type { Db } from "../../db/pool.ts";
import type { Account } from "../accounts/accounts.ts";
import type { Viewer } from "../audience/visibility.ts";
import type { CustomField, ProfileData, Visibility, VisibleField } from "./profile-validation.ts";
import type { StoredProfile } from "./profiles.ts";

export type ProfileAudience = Visibility;

/** Employees here and at siblings read internal fields; anyone else the public ones. */
export function profileAudienceOf(viewer: Viewer): ProfileAudience {
  if (viewer.kind === "local") return "internal";
  if (viewer.kind === "remote" && viewer.sibling) return "internal";
  return "public";
}

export interface VisibleProfile {
  /** The bio as HTML, or "" when this audience may not read it. */
  bioHtml: string;
  /**
   * The structured fields, those this audience may not read emptied; null when it may read none: no profile, or a
   * remote profile its server gave us as internal.
   */
  profile: ProfileData | null;
  /** Remote accounts: the PropertyValue fields their server sent, when this audience may read them. */
  remoteFields: CustomField[];
}

/**
 * What `audience` may read of an account's profile. A local field is public when its owner made it so. A remote
 * field carries the audience its server gave it with: a sibling's signed answer is internal (every field, the bio
 * included: accounts.bio_audience), a public copy is public.
 */
export function visibleProfile(account: Pick<Account, "domain" | "bioHtml" | "bioAudience">, stored: StoredProfile | null,
  audience: ProfileAudience): VisibleProfile {
  if (audience === "internal") {
    return { bioHtml: account.bioHtml, profile: stored, remoteFields: stored?.remoteFields ?? [] };
  }
  if (account.domain == null) {
    return {
      bioHtml: stored?.visibility.bio === "public" ? account.bioHtml : "",
      profile: stored ? profileForScope(stored, "public") : null,
      remoteFields: [],
    };
  }
  const publicCopy = stored?.scope === "public";
  return {
    bioHtml: account.bioAudience === "public" ? account.bioHtml : "",
    // A public copy holds only what its server made public; of an internal one, nothing is public.
    profile: publicCopy ? stored : null,
    remoteFields: publicCopy ? stored.remoteFields : [],
  };
}

/** The structured fields as `scope` sees them (the visibility map decides; a field not in it is internal). */
export function profileForScope(p: ProfileData, scope: Visibility): ProfileData {
  if (scope === "internal") return p;
  const pub = (f: VisibleField) => p.visibility[f] === "public";
  return {
    pronouns: pub("pronouns") ? p.pronouns : "",
    jobTitle: pub("jobTitle") ? p.jobTitle : "",
    department: pub("department") ? p.department : "",
    site: pub("site") ? p.site : "",
    workPhone: pub("workPhone") ? p.workPhone : "",
    workEmail: pub("workEmail") ? p.workEmail : "",
    manager: pub("manager") ? p.manager : null,
    expertise: pub("expertise") ? p.expertise : [],
    languages: pub("languages") ? p.languages : [],
    career: pub("career") ? p.career : [],
    customFields: pub("customFields") ? p.customFields : [],
    visibility: p.visibility,
  };
}

/**
 * SQL: "field `field` of profile `alias` is public" — the rule of visibleProfile for the stored row. Remote copies
 * store their visibility map too (a public copy marks every field public, an internal one none: readExtension), so
 * one condition serves both, and a remote row that is not a public copy is never public.
 */
export function publicFieldSql(db: Db, field: VisibleField, alias = "p"): postgres.Fragment {
  const p = db.unsafe(alias);
  return db`(${p}.visibility ->> ${field} = 'public' AND (${p}.account_domain IS NULL OR ${p}.scope = 'public'))`;
}

/**
 * SQL: the searchable text of profile `alias` as the public may read it, folded like profiles.search_text (migration
 * 0003: names, job, department, site, expertise; names are always public).
 */
export function publicSearchText(db: Db, alias = "p"): postgres.Fragment {
  const p = db.unsafe(alias);
  const field = (f: VisibleField, value: postgres.Fragment) => db`CASE WHEN ${publicFieldSql(db, f, alias)} THEN ${value} END`;
  return db`ruche_fold(concat_ws(' ',
    (SELECT concat_ws(' ', na.display_name, na.username) FROM accounts na WHERE na.id = ${p}.account_id),
    ${field("jobTitle", db`${p}.job_title`)}, ${field("department", db`${p}.department`)}, ${field("site", db`${p}.site`)},
    ${field("expertise", db`array_to_string(${p}.expertise, ' ')`)}))`;
}
