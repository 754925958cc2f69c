// Domain profiles → the shapes the profile, directory and org-chart components take, cut to what the viewer may see:
// signed-in employees see internal fields, anonymous visitors only public ones.
import type { Account } from "../../domain/accounts/accounts.ts";
import type { DirectoryEntry } from "../../domain/profiles/directory.ts";
import { htmlToText } from "../../domain/posts/html.ts";
import { profileForScope } from "../../domain/profiles/profile-validation.ts";
import type { StoredProfile } from "../../domain/profiles/profiles.ts";
import type { ProfileDetails } from "../../../web/components/contact-card.ts";
import type { OrgPerson } from "../../../web/components/org-chart.ts";
import type { RouteDeps } from "../deps.ts";
import { summary } from "./views.ts";

export function instanceNameOf(deps: RouteDeps, a: Account, p: StoredProfile | null): string {
  return a.domain == null ? deps.config.instanceName : (p?.instanceName || a.domain);
}

export function profileDetails(deps: RouteDeps, a: Account, p: StoredProfile | null, scope: "internal" | "public"): ProfileDetails | null {
  if (!p) return null;
  // A remote copy received as internal (from a sibling) is for employees only.
  if (a.domain != null && scope === "public" && p.scope === "internal") return null;
  const v = a.domain == null ? profileForScope(p, scope) : p;
  return {
    pronouns: v.pronouns, jobTitle: v.jobTitle, department: v.department, site: v.site, workPhone: v.workPhone,
    workEmail: v.workEmail, expertise: v.expertise, languages: v.languages, career: v.career,
    instanceName: instanceNameOf(deps, a, p), customFields: v.customFields.map((f) => ({ name: f.name, value: htmlToText(f.value) })),
  };
}

export function orgPerson(deps: RouteDeps, e: DirectoryEntry, scope: "internal" | "public"): OrgPerson {
  const visible = e.account.domain == null ? profileForScope(e.profile, scope) : e.profile;
  return { ...summary(deps, e.account), jobTitle: visible.jobTitle, instanceName: instanceNameOf(deps, e.account, e.profile) };
}
