// Domain profiles → the shapes the profile, directory and org-chart components take, cut to what the viewer may see:
// signed-in employees see internal fields, anonymous visitors only public ones.
import type { Account } from "../../domain/accounts/accounts.ts";
import type { DirectoryEntry } from "../../domain/profiles/directory.ts";
import { htmlToText } from "../../domain/posts/html.ts";
import { type ProfileAudience, type VisibleProfile, visibleProfile } from "../../domain/profiles/profile-visibility.ts";
import type { StoredProfile } from "../../domain/profiles/profiles.ts";
import type { ProfileDetails } from "../../../web/components/contact-card.ts";
import type { OrgPerson } from "../../../web/components/org-chart.ts";
import type { RouteDeps } from "../deps.ts";
import { summary } from "./views.ts";

export function instanceNameOf(deps: RouteDeps, a: Account, p: StoredProfile | null): string {
  return a.domain == null ? deps.config.instanceName : (p?.instanceName || a.domain);
}

/** The contact card from what the viewer may read (visibleProfile); null when they may read none of it. */
export function profileDetails(deps: RouteDeps, a: Account, p: StoredProfile | null, visible: VisibleProfile): ProfileDetails | null {
  const v = visible.profile;
  if (!v) return null;
  return {
    pronouns: v.pronouns, jobTitle: v.jobTitle, department: v.department, site: v.site, workPhone: v.workPhone,
    workEmail: v.workEmail, expertise: v.expertise, languages: v.languages, career: v.career,
    instanceName: instanceNameOf(deps, a, p), customFields: v.customFields.map((f) => ({ name: f.name, value: htmlToText(f.value) })),
  };
}

export function orgPerson(deps: RouteDeps, e: DirectoryEntry, audience: ProfileAudience): OrgPerson {
  const visible = visibleProfile(e.account, e.profile, audience).profile;
  return { ...summary(deps, e.account), jobTitle: visible?.jobTitle ?? "", instanceName: instanceNameOf(deps, e.account, e.profile) };
}
