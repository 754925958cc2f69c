// Domain accounts → the shapes the page components take.
import type { Account } from "../../domain/accounts/accounts.ts";
import { handleOf } from "../../domain/accounts/accounts.ts";
import type { AccountSummary } from "../../../web/components/account-list.ts";
import type { ProfileAccount } from "../../../web/components/profile.ts";
import type { RouteDeps } from "../deps.ts";

export function localHost(deps: RouteDeps): string {
  return new URL(deps.config.origin).host;
}

/** The page for an account on this instance: /@alice for ours, /@bob@lyon.example for remote ones. */
export function pagePath(deps: RouteDeps, a: Pick<Account, "username" | "domain">): string {
  return a.domain == null ? `/@${a.username}` : `/${handleOf(a, localHost(deps))}`;
}

export function summary(deps: RouteDeps, a: Account): AccountSummary {
  return { handle: handleOf(a, localHost(deps)), displayName: a.displayName, avatarUrl: a.avatarUrl, url: pagePath(deps, a) };
}

/** `bioHtml`: the bio as the viewer may read it (visibleProfile), never the account's own field unchecked. */
export function profileAccount(deps: RouteDeps, a: Account, counts: { followers: number; following: number }, bioHtml: string): ProfileAccount {
  return {
    id: a.id,
    username: a.username,
    handle: handleOf(a, localHost(deps)),
    displayName: a.displayName,
    bioHtml,
    avatarUrl: a.avatarUrl,
    headerUrl: a.headerUrl,
    locked: a.locked,
    isLocal: a.domain == null,
    url: a.domain == null ? `${deps.config.origin}/@${a.username}` : (a.url ?? a.iri),
    followersCount: a.domain == null ? counts.followers : (a.remoteFollowersCount ?? counts.followers),
    followingCount: a.domain == null ? counts.following : (a.remoteFollowingCount ?? counts.following),
    createdAt: a.createdAt,
  };
}
