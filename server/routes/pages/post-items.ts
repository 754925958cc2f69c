// Domain posts (PostView) → the shape the post components take (web/components/post.ts).
import type { Account } from "../../domain/accounts/accounts.ts";
import { handleOf } from "../../domain/accounts/accounts.ts";
import { isBoostable } from "../../domain/audience/audience.ts";
import type { PostView } from "../../domain/posts/post-views.ts";
import { warningsFor } from "../../domain/timelines/filters.ts";
import type { FilterContext } from "../../domain/timelines/mutes.ts";
import { totalsShown } from "../../domain/polls/poll-views.ts";
import { localizePostLinks } from "../../domain/posts/post-html.ts";
import type { PostAuthor, PostItem } from "../../../web/components/post.ts";
import type { RouteDeps } from "../deps.ts";
import { localHost, pagePath } from "./views.ts";

export function postAuthor(deps: RouteDeps, a: Account): PostAuthor {
  return { id: a.id, handle: handleOf(a, localHost(deps)), displayName: a.displayName, avatarUrl: a.avatarUrl, url: pagePath(deps, a) };
}

/** The thread page of a post here: `/@alice/123`, `/@bob@lyon.example/456`. */
export function threadPath(deps: RouteDeps, post: Pick<PostView, "id" | "account">): string {
  return `${pagePath(deps, post.account)}/${post.id}`;
}

/** One timeline entry; a boost shows the boosted post with "X boosted" above it. */
export function postItem(deps: RouteDeps, view: PostView, viewerId: string | null): PostItem {
  const p = view.reblog ?? view;
  const parentAuthor = p.mentions.find((m) => m.id === p.inReplyToAccountId);
  const replyTo = p.inReplyToId
    ? { path: `/posts/${p.inReplyToId}`, name: parentAuthor ? `@${parentAuthor.username}` : null }
    : p.inReplyToIri ? { path: p.inReplyToIri, name: null } : null;
  return {
    key: view.id,
    id: p.id,
    urgent: p.urgent ?? false,
    path: threadPath(deps, p),
    remoteUrl: p.local ? null : (p.url ?? p.iri),
    author: postAuthor(deps, p.account),
    scope: p.visibility,
    contentHtml: localizePostLinks(p.contentHtml, p, { tag: (t) => `/tags/${encodeURIComponent(t)}`, account: (m) => pagePath(deps, m) }),
    summary: p.summary,
    sensitive: p.sensitive,
    language: p.language,
    createdAt: p.createdAt,
    editedAt: p.editedAt,
    media: p.media.map((m) => ({ url: m.url, description: m.description, width: m.width, height: m.height })),
    poll: p.poll
      ? {
          multiple: p.poll.multiple, expired: p.poll.expired, expiresAt: p.poll.expiresAt, totalsShown: totalsShown(p.poll),
          votersCount: p.poll.votersCount, options: p.poll.options.map((o) => ({ title: o.title, votes: o.votesCount })),
          ownVotes: viewerId ? p.poll.ownVotes : null, own: viewerId != null && p.account.id === viewerId,
        }
      : null,
    counts: p.counts,
    viewer: viewerId ? p.viewer : null,
    own: viewerId != null && p.local && p.account.id === viewerId,
    replyTo,
    boostable: isBoostable(p.visibility),
    boostedBy: view.reblog ? postAuthor(deps, view.account) : null,
  };
}

/**
 * Timeline entries; with a filter `context`, each carries the titles of the viewer's `warn` filters it matches
 * there (the page shows it collapsed; `hide` filters already left their posts out of the timeline).
 */
export async function postItems(deps: RouteDeps, views: PostView[], viewerId: string | null, context?: FilterContext): Promise<PostItem[]> {
  const warnings = viewerId && context ? await warningsFor(deps.sql, viewerId, context, views) : null;
  return views.map((v) => {
    const item = postItem(deps, v, viewerId);
    const titles = warnings?.get(v.id)?.map((r) => r.filter.title);
    return titles ? { ...item, filteredBy: titles } : item;
  });
}
