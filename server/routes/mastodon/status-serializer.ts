// PostView → Mastodon Status entities, whole pages at once (one account-count query per page).
//
// Visibility for Mastodon apps: our `internal` and `local` scopes have no Mastodon equivalent. They are reported
// as `private` (the closest: "not public, not direct", so apps never offer to boost them and show a lock) plus an
// extension field `ruche_visibility` carrying the real scope ("public" | "unlisted" | "internal" | "local" |
// "followers" | "direct"). Apps that know Ruche read the extension; the others stay correct. On input,
// `visibility` accepts Mastodon's four values (`private` = followers only, as Mastodon means it) and also
// `internal` and `local`; without it, a post is `internal` (the group-wide default).
import { eventCard } from "./event-card.ts";
import type { Db } from "../../db/pool.ts";
import type { Account } from "../../domain/accounts/accounts.ts";
import type { Attachment, PostView } from "../../domain/posts/post-views.ts";
import { type Viewer as ReadViewer, viewerAccountId, type Visibility } from "../../domain/audience/visibility.ts";
import { type FilterResult, warningsFor } from "../../domain/timelines/filters.ts";
import type { FilterContext } from "../../domain/timelines/mutes.ts";
import { filterResultEntity } from "./filter-entities.ts";
import { type PollView, totalsShown } from "../../domain/polls/poll-views.ts";
import { absoluteUrl, type AccountEntity, serializeAccounts } from "./serializers.ts";

export type MastodonVisibility = "public" | "unlisted" | "private" | "direct";

export function toMastodonVisibility(v: Visibility): MastodonVisibility {
  if (v === "public" || v === "unlisted" || v === "direct") return v;
  return "private";
}

/** An API client's visibility → ours (`private` means followers-only in Mastodon). */
export function fromApiVisibility(v: string | undefined): Visibility | undefined {
  if (v === undefined || v === "") return undefined;
  if (v === "private") return "followers";
  return v as Visibility;
}

export function mediaEntity(origin: string, m: Attachment) {
  const url = m.remote ? m.url : absoluteUrl(origin, m.url);
  const type = m.contentType.startsWith("image/") ? (m.contentType === "image/gif" ? "gifv" : "image")
    : m.contentType.startsWith("video/") ? "video" : m.contentType.startsWith("audio/") ? "audio" : "unknown";
  const size = m.width && m.height ? { width: m.width, height: m.height, size: `${m.width}x${m.height}`, aspect: m.width / m.height } : undefined;
  return {
    id: m.id, type: type === "gifv" ? "image" : type, url, preview_url: url, remote_url: m.remote ? m.url : null,
    text_url: null, meta: size ? { original: size, small: size } : {}, description: m.description || null, blurhash: null,
  };
}

/** Mastodon's Poll entity. Totals are null while the poll hides them and is open; `voted` is false for a reader without an account. */
export function pollEntity(poll: PollView) {
  const shown = totalsShown(poll);
  return {
    id: poll.id,
    expires_at: poll.expiresAt.toISOString(),
    expired: poll.expired,
    multiple: poll.multiple,
    votes_count: poll.votesCount,
    voters_count: poll.votersCount,
    options: poll.options.map((o) => ({ title: o.title, votes_count: shown ? o.votesCount : null })),
    emojis: [],
    voted: (poll.ownVotes?.length ?? 0) > 0,
    own_votes: poll.ownVotes ?? [],
  };
}

function statusEntity(origin: string, p: PostView, accounts: Map<string, AccountEntity>, filtered: FilterResult[] = []): Record<string, unknown> {

  const acct = (a: { username: string; domain: string | null }) => (a.domain == null ? a.username : `${a.username}@${a.domain}`);
  return {
    id: p.id,
    uri: p.iri,
    url: p.url ?? p.iri,
    created_at: p.createdAt.toISOString(),
    edited_at: p.editedAt?.toISOString() ?? null,
    account: accounts.get(p.account.id),
    content: p.reblog ? "" : p.contentHtml,
    text: null,
    visibility: toMastodonVisibility(p.visibility),
    ruche_visibility: p.visibility,
    // The group the post was made in (its account id here), if any (docs/groups.md).
    ruche_group_id: p.group?.id ?? null,
    sensitive: p.sensitive,
    spoiler_text: p.summary,
    media_attachments: p.media.map((m) => mediaEntity(origin, m)),
    application: null,
    mentions: p.mentions.map((m) => ({ id: m.id, username: m.username, acct: acct(m), url: m.url ?? m.iri })),
    tags: p.tags.map((t) => ({ name: t, url: `${origin}/tags/${encodeURIComponent(t)}` })),
    emojis: [],
    reblogs_count: p.counts.boosts,
    favourites_count: p.counts.likes,
    replies_count: p.counts.replies,
    in_reply_to_id: p.inReplyToId,
    in_reply_to_account_id: p.inReplyToAccountId,
    reblog: p.reblog ? statusEntity(origin, p.reblog, accounts, filtered) : null,
    poll: p.poll ? pollEntity(p.poll) : null,
    // An event's card (event-card.ts): what a Mastodon app can show of it.
    card: p.event ? eventCard(p.event, p.language, new URL(p.event.url ?? p.event.iri).host) : null,
    language: p.language,
    favourited: p.viewer?.liked ?? false,
    reblogged: p.viewer?.boosted ?? false,
    muted: false,
    bookmarked: p.viewer?.bookmarked ?? false,
    pinned: p.viewer?.pinned ?? false,
    filtered: filtered.map(filterResultEntity),
  };
}

/** Whose `warn` filters to report in `filtered`, and for which context (none: `filtered` stays empty). */
export interface FilteredAs { viewer: ReadViewer | string | null; context: FilterContext }

/**
 * Status entities for a page. With `filteredAs`, each carries the reader's `warn` filters it matches in that
 * context (`hide` ones were already applied by the query that chose the posts).
 */
export async function serializeStatuses(db: Db, origin: string, posts: PostView[], filteredAs?: FilteredAs): Promise<Record<string, unknown>[]> {
  const accounts = new Map<string, Account>();
  for (const p of posts) {
    accounts.set(p.account.id, p.account);
    if (p.reblog) accounts.set(p.reblog.account.id, p.reblog.account);
  }
  const entities = await serializeAccounts(db, origin, [...accounts.values()]);
  const byId = new Map(entities.map((e) => [e.id, e]));
  const reader = typeof filteredAs?.viewer === "string" ? filteredAs.viewer : filteredAs?.viewer ? viewerAccountId(filteredAs.viewer) : null;
  const warnings = reader && filteredAs ? await warningsFor(db, reader, filteredAs.context, posts) : new Map<string, FilterResult[]>();
  // Ruche (issue #15): an urgent message says so, as it bypassed its recipients' quiet time.
  return posts.map((p) => ({ ...statusEntity(origin, p, byId, warnings.get(p.id)), ruche_urgent: p.urgent ?? false }));
}

export async function serializeStatus(db: Db, origin: string, post: PostView, filteredAs?: FilteredAs): Promise<Record<string, unknown>> {
  return (await serializeStatuses(db, origin, [post], filteredAs))[0];
}

// The Link header helper moved to params.ts beside the page parameters; importers of this module keep their import.
export { setPageLinks } from "./params.ts";
