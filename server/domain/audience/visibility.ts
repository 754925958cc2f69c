// Who may read a post, as SQL: one predicate, used by every read path — API, pages, ActivityPub object fetches,
// collections, search, notifications, thread context — so no path can forget a rule. The rule itself (who reads
// each scope) is the table in audience.ts; this file only turns it into SQL for each kind of viewer.
// The author always reads their own posts.
import type { Db } from "../../db/pool.ts";
import { scopesWhere, VISIBILITIES, type Visibility } from "./audience.ts";
import { blocksBetween, suspendedAccounts } from "../blocks/blocks.ts";

export { federates, isBoostable, narrowest, VISIBILITIES, type Visibility } from "./audience.ts";

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
 * SQL condition "the viewer may read post `alias`". A boost row carries its original's scope (only scopes whose
 * readers are a group may be boosted, audience.ts isBoostable), and callers also check the boosted post with this
 * predicate.
 */
// The scope lists each kind of viewer's SQL needs, read off the table once (visibleTo runs on every read).
const OPEN = scopesWhere((r) => r.readers.anyone);
const EMPLOYEE_READS = scopesWhere((r) => r.readers.anyone || r.readers.employees);
const LOCAL_FOLLOWER_READS = scopesWhere((r) => r.readers.followers && !r.readers.anyone && !r.readers.employees);
const SIBLING_READS = scopesWhere((r) => r.readers.siblings && !r.readers.anyone);
const REMOTE_FOLLOWER_READS = scopesWhere((r) => r.readers.followers && !r.readers.anyone);
const REMOTE_MENTIONED_READS = scopesWhere((r) => r.readers.mentioned === "everywhere" && !r.readers.anyone);
const LOCAL_MENTIONED_READS = scopesWhere((r) => r.readers.mentioned !== "none");
const MEMBER_READS = scopesWhere((r) => r.readers.members);
const FOLLOWEE_SCOPES = scopesWhere((r) => r.readers.anyone || r.readers.employees || r.readers.followers);

/**
 * `mentions: false` for objects that name nobody into their audience (knowledge-base articles and questions, issue
 * #14): the same rule read on their rows (`account_id`, `visibility`, `group_id`), without the mentions table,
 * whose ids are posts'.
 */
export function visibleTo(db: Db, viewer: Viewer, alias = "p", opts: { mentions?: boolean } = {}) {
  const p = db.unsafe(alias);
  const withMentions = opts.mentions ?? true;
  const scopeIn = (list: Visibility[]) =>
    list.length === VISIBILITIES.length ? db`true` : list.length === 0 ? db`false` : db`${p}.visibility IN ${db(list)}`;
  // A suspended account's posts are read by nobody (local viewers: through blocksBetween).
  if (viewer.kind === "anonymous") return db`(${scopeIn(OPEN)} AND ${p}.account_id NOT IN (${suspendedAccounts(db)}))`;
  if (viewer.kind === "local") {
    const v = viewer.accountId;
    // Every scope but a group's lets the people it mentions here read it; a group's post, its group's members
    // (accepted followers of the group account). A block, either way, hides every post of one from the other,
    // whatever its scope (Mastodon's StatusPolicy does the same for a signed-in reader).
    return db`((${p}.account_id = ${v}
      OR ${scopeIn(EMPLOYEE_READS)}
      OR (${scopeIn(LOCAL_FOLLOWER_READS)} AND EXISTS (SELECT 1 FROM follows f
            WHERE f.follower_id = ${v} AND f.following_id = ${p}.account_id AND f.state = 'accepted'))
      OR (${scopeIn(MEMBER_READS)} AND EXISTS (SELECT 1 FROM follows f
            WHERE f.follower_id = ${v} AND f.following_id = ${p}.group_id AND f.state = 'accepted'))
      OR (${withMentions ? db`${scopeIn(LOCAL_MENTIONED_READS)} AND EXISTS (SELECT 1 FROM mentions m WHERE m.post_id = ${p}.id AND m.account_id = ${v})` : db`false`}))
      AND ${p}.account_id NOT IN ${blocksBetween(db, v)})`;
  }
  // A remote reader: the signer's account, or any account of its server when the server itself signed.
  const who = viewer.instanceActor || viewer.accountId == null
    ? db`IN (SELECT id FROM accounts WHERE domain = ${viewer.domain})`
    : db`= ${viewer.accountId}`;
  // A signer someone here blocked (or who blocked them) reads none of that person's posts — nor likes or boosts
  // them. The server's own signature cannot be told apart from its people's, so it is not held to one's block.
  const blocked = viewer.instanceActor || viewer.accountId == null
    ? db`AND ${p}.account_id NOT IN (${suspendedAccounts(db)})`
    : db`AND ${p}.account_id NOT IN ${blocksBetween(db, viewer.accountId)}`;
  return db`((${scopeIn(OPEN)}
    OR (${scopeIn(SIBLING_READS)} AND ${viewer.sibling})
    OR (${scopeIn(REMOTE_FOLLOWER_READS)} AND EXISTS (SELECT 1 FROM follows f
          WHERE f.following_id = ${p}.account_id AND f.state = 'accepted' AND f.follower_id ${who}))
    OR (${withMentions ? db`${scopeIn(REMOTE_MENTIONED_READS)} AND EXISTS (SELECT 1 FROM mentions m
          WHERE m.post_id = ${p}.id AND m.account_id ${who})` : db`false`})
    OR (${scopeIn(MEMBER_READS)} AND EXISTS (SELECT 1 FROM follows f
          WHERE f.following_id = ${p}.group_id AND f.state = 'accepted' AND f.follower_id ${who}))) ${blocked})`;
}

/**
 * The scopes of a followee's posts a local follower reads without being mentioned (the home timeline's cheap
 * per-row check, home-timeline.ts).
 */
export function followeeScopes(): Visibility[] {
  return FOLLOWEE_SCOPES;
}

/** Can `viewer` read post `postId`? */
export async function canRead(db: Db, viewer: Viewer, postId: string): Promise<boolean> {
  if (!/^\d{1,18}$/.test(postId)) return false;
  const rows = await db`SELECT 1 FROM posts p WHERE p.id = ${postId} AND ${visibleTo(db, viewer)}`;
  return rows.length > 0;
}
