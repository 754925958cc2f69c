// What a new employee's empty home offers instead (issue #8 point 18): the parts of their profile still missing,
// colleagues of their department and site to follow, and (hashtags.ts popularTags) what people talk about.
//
//   missingProfileFields(account, profile) → the fields to fill in, in the edit form's order
//   colleagueSuggestions(db, accountId, profile, limit) → listed colleagues here not followed yet, same department
//     and site first
import type { Db } from "../../db/pool.ts";
import type { Account } from "../accounts/accounts.ts";
import { relationships } from "../follows/follows.ts";
import { type DirectoryEntry, searchDirectory } from "./directory.ts";
import type { StoredProfile } from "./profiles.ts";

export const ONBOARDING_FIELDS = ["displayName", "avatar", "bio", "jobTitle", "department", "site", "expertise"] as const;
export type OnboardingField = (typeof ONBOARDING_FIELDS)[number];

export function missingProfileFields(account: Account, profile: StoredProfile | null): OnboardingField[] {
  const filled: Record<OnboardingField, boolean> = {
    displayName: account.displayName.trim() !== "",
    avatar: account.avatarUrl != null,
    bio: account.bio.trim() !== "",
    jobTitle: (profile?.jobTitle ?? "").trim() !== "",
    department: (profile?.department ?? "").trim() !== "",
    site: (profile?.site ?? "").trim() !== "",
    expertise: (profile?.expertise.length ?? 0) > 0,
  };
  return ONBOARDING_FIELDS.filter((f) => !filled[f]);
}

export interface Suggestion extends DirectoryEntry {
  /** Which of the person's own department and site this colleague shares. */
  shares: { department: boolean; site: boolean };
}

export async function colleagueSuggestions(db: Db, accountId: string, profile: StoredProfile | null, limit = 6): Promise<Suggestion[]> {
  const department = profile?.department.trim() ?? "", site = profile?.site.trim() ?? "";
  if (!department && !site) return [];
  const search = (q: { department?: string; site?: string }) => searchDirectory(db, { ...q, instance: "local", limit: 40 }, "internal");
  const [both, sameDepartment, sameSite] = await Promise.all([
    department && site ? search({ department, site }) : Promise.resolve([]),
    department ? search({ department }) : Promise.resolve([]),
    site ? search({ site }) : Promise.resolve([]),
  ]);
  const seen = new Set<string>([accountId]);
  const candidates: DirectoryEntry[] = [];
  for (const e of [...both, ...sameDepartment, ...sameSite]) {
    if (!seen.has(e.account.id)) candidates.push(e), seen.add(e.account.id);
  }
  const rel = new Map((await relationships(db, accountId, candidates.map((e) => e.account.id))).map((r) => [r.id, r]));
  // The directory's own matching (accents and case folded) says who shares what.
  const ids = (list: DirectoryEntry[]) => new Set(list.map((e) => e.account.id));
  const inDepartment = ids([...both, ...sameDepartment]), atSite = ids([...both, ...sameSite]);
  return candidates
    .filter((e) => {
      const r = rel.get(e.account.id);
      // Nobody already followed or asked, and nobody kept apart from the person by a block, either way.
      return !r?.following && !r?.requested && !r?.blocking && !r?.blockedBy;
    })
    .slice(0, limit)
    .map((e) => ({
      ...e,
      shares: { department: inDepartment.has(e.account.id), site: atSite.has(e.account.id) },
    }));
}
