// Domain values → Mastodon API entities, in Mastodon's exact shapes (snake_case keys, string ids, ISO dates,
// absolute URLs) so that existing clients parse them.
import type { Account, LocalUser } from "../../domain/accounts/accounts.ts";
import type { Relationship } from "../../domain/follows/follows.ts";
import type { Db } from "../../db/pool.ts";
import { followCountsFor, pendingFollowRequestCount } from "../../domain/accounts/stats.ts";
import { postCountsFor } from "../../domain/posts/post-views.ts";
import { visibleProfilesOf } from "../../domain/profiles/profile-fields.ts";
import type { ProfileAudience } from "../../domain/profiles/profile-visibility.ts";
import { getProfile } from "../../domain/profiles/profiles.ts";
// A cycle (status-serializer.ts imports this file), harmless: only functions cross it, called after both are loaded.
import { type MastodonVisibility, toMastodonVisibility } from "./status-serializer.ts";

export interface AccountEntity {
  id: string;
  username: string;
  acct: string;
  display_name: string;
  locked: boolean;
  bot: boolean;
  discoverable: boolean;
  indexable: boolean;
  group: boolean;
  created_at: string;
  note: string;
  url: string;
  uri: string;
  avatar: string;
  avatar_static: string;
  header: string;
  header_static: string;
  followers_count: number;
  following_count: number;
  statuses_count: number;
  last_status_at: string | null;
  hide_collections: boolean;
  noindex: boolean;
  emojis: never[];
  roles: never[];
  fields: FieldEntity[];
}

/** Mastodon's profile field: HTML value; `verified_at` is for rel=me links, which Ruche does not check. */
export interface FieldEntity { name: string; value: string; verified_at: string | null }

export interface CredentialAccountEntity extends AccountEntity {
  source: {
    note: string; privacy: MastodonVisibility; sensitive: boolean; language: string; fields: FieldEntity[]; follow_requests_count: number;
    discoverable: boolean; indexable: boolean; hide_collections: boolean;
  };
  role: { id: string; name: string; permissions: string; color: string; highlighted: boolean };
}

export const DEFAULT_AVATAR = "/static/avatar-missing.png";
export const DEFAULT_HEADER = "/static/header-missing.png";

/** Local media paths (`/media/…`, `/static/…`) become absolute; remote URLs are kept. */
export function absoluteUrl(origin: string, pathOrUrl: string): string {
  return new URL(pathOrUrl, origin).href;
}

/** Mastodon reports the creation day at midnight UTC (accounts' exact creation time is not public). */
export function midnightUtc(d: Date): string {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())).toISOString();
}

type Counts = { followers: number; following: number; posts?: number; lastPostAt?: Date | null };

/** The account without its profile: `note` and `fields` are filled for the reader by serializeAccounts. */
function accountEntity(origin: string, a: Account, counts: Counts): AccountEntity {
  const avatar = absoluteUrl(origin, a.avatarUrl ?? DEFAULT_AVATAR);
  const header = absoluteUrl(origin, a.headerUrl ?? DEFAULT_HEADER);
  return {
    id: a.id,
    username: a.username,
    // Remote handles keep their port (`bob@lyon.example:8443`): dropping it would point at another server.
    acct: a.domain == null ? a.username : `${a.username}@${a.domain}`,
    display_name: a.displayName,
    locked: a.locked,
    bot: a.actorType === "Service" || a.actorType === "Application",
    discoverable: a.discoverable,
    indexable: false,
    group: a.actorType === "Group",
    created_at: midnightUtc(a.createdAt),
    note: "",
    url: a.url ?? a.iri,
    uri: a.iri,
    avatar,
    avatar_static: avatar,
    header,
    header_static: header,
    // Remote accounts: the count their server published when known, else what this instance knows.
    followers_count: a.domain != null && a.remoteFollowersCount != null ? a.remoteFollowersCount : counts.followers,
    following_count: a.domain != null && a.remoteFollowingCount != null ? a.remoteFollowingCount : counts.following,
    statuses_count: counts.posts ?? 0,
    // Mastodon gives the day only (YYYY-MM-DD).
    last_status_at: counts.lastPostAt ? counts.lastPostAt.toISOString().slice(0, 10) : null,
    hide_collections: false,
    noindex: false,
    emojis: [],
    roles: [],
    fields: [],
  };
}

/**
 * Serialises a page of accounts with one count query for all of them. The bio and profile fields are those the
 * reader may see (issue #8 points 1 and 26): internal ones only when the caller says the reader is an employee.
 */
export async function serializeAccounts(db: Db, origin: string, accounts: Account[], opts: { scope?: ProfileAudience } = {}): Promise<AccountEntity[]> {
  const [counts, visible, posts] = await Promise.all([
    followCountsFor(db, accounts.map((a) => a.id)),
    visibleProfilesOf(db, origin, accounts, opts.scope ?? "public"),
    postCountsFor(db, accounts.map((a) => a.id)), // statuses_count, last_status_at (issue #4)
  ]);
  return accounts.map((a) => ({
    ...accountEntity(origin, a, { ...(counts.get(a.id) ?? { followers: 0, following: 0 }), ...posts.get(a.id) }),
    note: visible.get(a.id)?.bioHtml ?? "",
    fields: (visible.get(a.id)?.fields ?? []).map((f) => ({ name: f.name, value: f.value, verified_at: null })),
  }));
}

export async function serializeAccount(db: Db, origin: string, account: Account, opts: { scope?: ProfileAudience } = {}): Promise<AccountEntity> {
  return (await serializeAccounts(db, origin, [account], opts))[0];
}

// Mastodon's built-in roles: "everyone" (id -99, may invite users) and an administrator role (permission bit 1).
const EVERYONE_ROLE = { id: "-99", name: "", permissions: "65536", color: "", highlighted: false };
const ADMIN_ROLE = { id: "3", name: "Admin", permissions: "1", color: "", highlighted: true };
// Mastodon's permission bits: view audit log (1 << 2), manage reports (1 << 4), manage users (1 << 10), invite (1 << 16).
const MODERATOR_ROLE = { id: "2", name: "Moderator", permissions: String(4 | 16 | 1024 | 65536), color: "", highlighted: true };

/** The viewer's own account (verify_credentials, update_credentials) with `source` and `role`. */
export async function serializeCredentialAccount(db: Db, origin: string, user: LocalUser): Promise<CredentialAccountEntity> {
  const [entity, requests] = await Promise.all([
    serializeAccount(db, origin, user.account, { scope: "internal" }),
    pendingFollowRequestCount(db, user.account.id),
  ]);
  const own = await getProfile(db, user.account.id);
  return {
    ...entity,
    source: {
      note: user.account.bio,
      // The person's posting defaults (update_credentials' source[privacy], source[language]); apps use them for new
      // posts. `internal` and `local` have no Mastodon name; the nearest one that is not wider is "private" — never
      // "public", which would send posts to the open fediverse. Without a default language, the interface's.
      privacy: toMastodonVisibility(user.defaultVisibility),
      sensitive: false,
      language: user.defaultLanguage ?? user.locale ?? "",
      // The editable extra fields (fields_attributes); the structured ones are edited through /api/ruche/v1/profiles.
      fields: (own?.customFields ?? []).map((f) => ({ name: f.name, value: f.value, verified_at: null })),
      follow_requests_count: requests,
      discoverable: user.account.discoverable,
      indexable: false,
      hide_collections: false,
    },
    role: user.role === "admin" ? ADMIN_ROLE : user.role === "moderator" ? MODERATOR_ROLE : EVERYONE_ROLE,
  };
}

export interface RelationshipEntity {
  id: string;
  following: boolean;
  showing_reblogs: boolean;
  notifying: boolean;
  languages: string[] | null;
  followed_by: boolean;
  blocking: boolean;
  blocked_by: boolean;
  muting: boolean;
  muting_notifications: boolean;
  requested: boolean;
  requested_by: boolean;
  domain_blocking: boolean;
  endorsed: boolean;
  note: string;
}

export function relationshipEntity(r: Relationship): RelationshipEntity {
  return {
    id: r.id,
    following: r.following,
    // Boosts are shown for every follow (there is no per-follow setting yet), as Mastodon's default.
    showing_reblogs: r.following || r.requested,
    notifying: false,
    languages: null,
    followed_by: r.followedBy,
    blocking: r.blocking,
    blocked_by: r.blockedBy,
    muting: false,
    muting_notifications: false,
    requested: r.requested,
    requested_by: r.requestedBy,
    domain_blocking: false,
    endorsed: false,
    note: "",
  };
}
