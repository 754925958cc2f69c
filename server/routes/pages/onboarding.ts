// The onboarding panel of an empty home (issue #8 point 18): shown while the person follows nobody or their home
// has nothing to show; the domain says what is missing, whom to suggest and which hashtags are read.
import { followCounts } from "../../domain/follows/follows.ts";
import { localViewer } from "../../domain/audience/visibility.ts";
import { popularTags } from "../../domain/posts/hashtags.ts";
import { colleagueSuggestions, missingProfileFields } from "../../domain/profiles/onboarding.ts";
import { getProfile } from "../../domain/profiles/profiles.ts";
import type { LocalUser } from "../../domain/accounts/accounts.ts";
import type { OnboardingProps } from "../../../web/components/onboarding.ts";
import type { RouteDeps } from "../deps.ts";
import { pagePath, summary } from "./views.ts";

export async function onboardingFor(deps: RouteDeps, user: LocalUser, homeIsEmpty: boolean, returnTo: string): Promise<Omit<OnboardingProps, "locale" | "csrf"> | null> {
  const id = user.account.id;
  if (!homeIsEmpty && (await followCounts(deps.sql, id)).following > 0) return null;
  const profile = await getProfile(deps.sql, id);
  const [colleagues, tags] = await Promise.all([colleagueSuggestions(deps.sql, id, profile), popularTags(deps.sql, localViewer(id), { limit: 10 })]);
  return {
    missing: missingProfileFields(user.account, profile),
    colleagues: colleagues.map((c) => ({
      ...summary(deps, c.account), jobTitle: c.profile.jobTitle, shares: c.shares, followAction: `${pagePath(deps, c.account)}/follow`,
    })),
    tags: tags.map((t) => ({ name: t.name, accounts: t.accounts })),
    returnTo,
  };
}
