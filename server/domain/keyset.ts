// Keyset pages (Mastodon's max_id / min_id): the cursors of a page read newest first, `limit` rows at most.

/** Where the next (older) page starts, and the newer one: the page's last and first ids. */
export function keysetCursors<T>(items: T[], limit: number, idOf: (item: T) => string): { nextMaxId: string | null; prevMinId: string | null } {
  return {
    nextMaxId: items.length === limit ? idOf(items[items.length - 1]) : null,
    prevMinId: items.length > 0 ? idOf(items[0]) : null,
  };
}
