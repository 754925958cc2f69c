// Mastodon 4 Filter, FilterKeyword, FilterStatus and FilterResult entities (the v2 filters API and `filtered` in
// every Status).
import type { Filter, FilterKeyword, FilterResult, FilterStatus } from "../../domain/timelines/filters.ts";

export const keywordEntity = (k: FilterKeyword) => ({ id: k.id, keyword: k.keyword, whole_word: k.wholeWord });
export const filterStatusEntity = (s: FilterStatus) => ({ id: s.id, status_id: s.postId });

/** A filter; with `rules`, its keywords and posts too (Mastodon leaves them out of a FilterResult). */
export function filterEntity(f: Filter, rules = true) {
  return {
    id: f.id, title: f.title, context: f.context, expires_at: f.expiresAt?.toISOString() ?? null, filter_action: f.action,
    ...(rules ? { keywords: f.keywords.map(keywordEntity), statuses: f.statuses.map(filterStatusEntity) } : {}),
  };
}

export const filterResultEntity = (r: FilterResult) => ({
  filter: filterEntity(r.filter, false), keyword_matches: r.keywordMatches, status_matches: r.statusMatches,
});
