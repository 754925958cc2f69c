// Who may read a post (ARCHITECTURE.md §4). One SQL predicate, used by every read path — API, pages, ActivityPub
// object fetches, collections, search, notifications, thread context — so no path can forget a rule.
//
//   scope      who reads it
//   public     anyone (unlisted: the same, but left out of public timelines)
//   internal   employees of this instance and of its siblings (a sibling's signed fetch)
//   local      employees of this instance only; never federated
//   followers  the author's accepted followers (a pending request grants nothing: corpus case 33) and mentioned people
//   direct     mentioned people only
// The author always reads their own posts.
import type { Db } from "../../db/pool.ts";

export const VISIBILITIES = ["public", "unlisted", "internal", "local", "followers", "direct"] as const;
export type Visibility = (typeof VISIBILITIES)[number];

/**
 * Who is asking.
 * - `anonymous`: no account (open mode web pages, token-less API calls, unsigned fetches).
 * - `local`: an employee of this instance.
 * - `remote`: a signed fetch by another server's actor. `accountId` is the signer's stored account (if any);
 *   `instanceActor` means the server itself signed, so grants held by any of its accounts count (Mastodon
 *   fetches followers-only objects with its instance actor too). `sibling` comes from the sibling policy.
 */
export type Viewer =
  | { kind: "anonymous" }
  | { kind: "local"; accountId: string }
  | { kind: "remote"; accountId: string | null; domain: string; sibling: boolean; instanceActor: boolean };

export const ANONYMOUS: Viewer = { kind: "anonymous" };
export const localViewer = (accountId: string): Viewer => ({ kind: "local", accountId });

/** The viewer's account id when it is a local employee, else null. */
export function viewerAccountId(viewer: Viewer): string | null {
  return viewer.kind === "local" ? viewer.accountId : null;
}

/**
 * SQL condition "the viewer may read post `alias`". Boost rows are public by construction (boosting non-public posts
 * is refused, corpus case 34), and callers also check the boosted post with this predicate.
 */
export function visibleTo(db: Db, viewer: Viewer, alias = "p") {
  const p = db.unsafe(alias);
  if (viewer.kind === "anonymous") return db`${p}.visibility IN ('public', 'unlisted')`;
  if (viewer.kind === "local") {
    const v = viewer.accountId;
    return db`(${p}.account_id = ${v}
      OR ${p}.visibility IN ('public', 'unlisted', 'internal', 'local')
      OR (${p}.visibility = 'followers' AND EXISTS (SELECT 1 FROM follows f
            WHERE f.follower_id = ${v} AND f.following_id = ${p}.account_id AND f.state = 'accepted'))
      OR EXISTS (SELECT 1 FROM mentions m WHERE m.post_id = ${p}.id AND m.account_id = ${v}))`;
  }
  // A remote reader: internal only for siblings; local never; followers/direct by follow or mention.
  const who = viewer.instanceActor || viewer.accountId == null
    ? db`IN (SELECT id FROM accounts WHERE domain = ${viewer.domain})`
    : db`= ${viewer.accountId}`;
  return db`(${p}.visibility IN ('public', 'unlisted')
    OR (${p}.visibility = 'internal' AND ${viewer.sibling})
    OR (${p}.visibility = 'followers' AND EXISTS (SELECT 1 FROM follows f
          WHERE f.following_id = ${p}.account_id AND f.state = 'accepted' AND f.follower_id ${who}))
    OR (${p}.visibility IN ('followers', 'direct') AND EXISTS (SELECT 1 FROM mentions m
          WHERE m.post_id = ${p}.id AND m.account_id ${who})))`;
}

/** Can `viewer` read post `postId`? */
export async function canRead(db: Db, viewer: Viewer, postId: string): Promise<boolean> {
  if (!/^\d{1,18}$/.test(postId)) return false;
  const rows = await db`SELECT 1 FROM posts p WHERE p.id = ${postId} AND ${visibleTo(db, viewer)}`;
  return rows.length > 0;
}

/** Scopes that may be boosted: Announce of anything narrower would widen its audience (corpus case 34). */
export function isBoostable(v: Visibility): boolean {
  return v === "public" || v === "unlisted";
}

/** Scopes that leave this instance at all. */
export function federates(v: Visibility): boolean {
  return v !== "local";
}

// Width order for replies: a reply is never wider than what it answers, so an answer to an internal post does not
// carry the conversation to the open fediverse (local sits below internal: it stays on this instance).
const WIDTH: Record<Visibility, number> = { public: 5, unlisted: 4, internal: 3, local: 2, followers: 1, direct: 0 };

export function narrowest(a: Visibility, b: Visibility): Visibility {
  return WIDTH[a] <= WIDTH[b] ? a : b;
}
