// Lists (Mastodon's /api/v1/lists, issue #9 point 5): a person's named groups of people they follow, each with its
// own timeline (timelines.ts listTimeline, the home timeline's scan on the list's members), a replies policy
// (followed: replies to anyone one follows; list: to members only; none: no replies to others) and `exclusive`
// (its members' posts leave the home timeline). A member row stands on the follow (0023_filters_lists.sql):
// unfollowing someone takes them out of one's lists, and only people one follows can be added.
//
//   createList(db, accountId, input) / updateList / deleteList / getList / listLists
//   addListMembers(db, accountId, listId, accountIds) / removeListMembers / listMembers(…, page) / listsWith
import { atomically, type Db } from "../../db/pool.ts";
import { type Account, accountColumns, toAccount } from "../accounts/accounts.ts";
import { DomainError } from "../errors.ts";
import { keysetCursors } from "../keyset.ts";

export const REPLIES_POLICIES = ["followed", "list", "none"] as const;
export type RepliesPolicy = (typeof REPLIES_POLICIES)[number];

export interface List { id: string; title: string; repliesPolicy: RepliesPolicy; exclusive: boolean }
export interface ListInput { title?: string; repliesPolicy?: RepliesPolicy; exclusive?: boolean }

const idRe = /^\d{1,18}$/;
const notFound = () => new DomainError("not_found", 404, "no such list");

function checkTitle(title: string): string {
  const t = title.trim();
  if (t.length < 1 || t.length > 200) throw new DomainError("validation_failed", 422, "title: 1 to 200 characters", "title");
  return t;
}

const toList = (r: Record<string, any>): List => ({ id: r.id, title: r.title, repliesPolicy: r.replies_policy, exclusive: r.exclusive });
const listColumns = (db: Db) => db`l.id::text, l.title, l.replies_policy, l.exclusive`;

export async function listLists(db: Db, accountId: string): Promise<List[]> {
  return (await db`SELECT ${listColumns(db)} FROM lists l WHERE l.account_id = ${accountId} ORDER BY lower(l.title), l.id`).map(toList);
}

export async function getList(db: Db, accountId: string, id: string): Promise<List> {
  if (!idRe.test(id)) throw notFound();
  const [r] = await db`SELECT ${listColumns(db)} FROM lists l WHERE l.id = ${id} AND l.account_id = ${accountId}`;
  if (!r) throw notFound();
  return toList(r);
}

export async function createList(db: Db, accountId: string, input: ListInput): Promise<List> {
  const [r] = await db`INSERT INTO lists (account_id, title, replies_policy, exclusive)
    VALUES (${accountId}, ${checkTitle(input.title ?? "")}, ${input.repliesPolicy ?? "list"}, ${input.exclusive ?? false})
    RETURNING id::text, title, replies_policy, exclusive`;
  return toList(r);
}

export async function updateList(db: Db, accountId: string, id: string, input: ListInput): Promise<List> {
  if (!idRe.test(id)) throw notFound();
  const title = input.title === undefined ? null : checkTitle(input.title);
  const [r] = await db`UPDATE lists SET title = coalesce(${title}, title),
      replies_policy = coalesce(${input.repliesPolicy ?? null}, replies_policy), exclusive = coalesce(${input.exclusive ?? null}, exclusive)
    WHERE id = ${id} AND account_id = ${accountId} RETURNING id::text, title, replies_policy, exclusive`;
  if (!r) throw notFound();
  return toList(r);
}

export async function deleteList(db: Db, accountId: string, id: string): Promise<void> {
  if (!idRe.test(id)) throw notFound();
  const gone = await db`DELETE FROM lists WHERE id = ${id} AND account_id = ${accountId} RETURNING id`;
  if (gone.length === 0) throw notFound();
}

/**
 * Adds people to the list, all or none: each must exist (else 404) and be followed by the owner, or asked to be
 * (Mastodon: 422 otherwise). Adding someone already there changes nothing.
 */
export async function addListMembers(db: Db, accountId: string, listId: string, accountIds: string[]): Promise<void> {
  await getList(db, accountId, listId);
  if (!accountIds.every((id) => idRe.test(id))) throw new DomainError("not_found", 404, "no such account");
  await atomically(db, async (tx) => {
    const rows = await tx`SELECT a.id::text, f.id IS NOT NULL AS followed FROM accounts a
      LEFT JOIN follows f ON f.follower_id = ${accountId} AND f.following_id = a.id WHERE a.id = ANY(${accountIds}::bigint[])`;
    if (rows.length !== new Set(accountIds).size) throw new DomainError("not_found", 404, "no such account");
    if (rows.some((r) => !r.followed)) {
      throw new DomainError("not_followed", 422, "you can only add people you follow to a list");
    }
    await tx`INSERT INTO list_accounts (list_id, owner_id, account_id)
      SELECT ${listId}, ${accountId}, unnest(${accountIds}::bigint[]) ON CONFLICT (list_id, account_id) DO NOTHING`;
  });
}

export async function removeListMembers(db: Db, accountId: string, listId: string, accountIds: string[]): Promise<void> {
  await getList(db, accountId, listId);
  const ids = accountIds.filter((id) => idRe.test(id));
  await db`DELETE FROM list_accounts WHERE list_id = ${listId} AND owner_id = ${accountId} AND account_id = ANY(${ids}::bigint[])`;
}

export interface MemberPage { items: (Account & { memberId: string })[]; nextMaxId: string | null; prevMinId: string | null }

/** The list's members, newest added first, keyset-paged on the member row (limit 0: all of them, as Mastodon). */
export async function listMembers(db: Db, accountId: string, listId: string, page: { limit: number; maxId?: string; minId?: string }): Promise<MemberPage> {
  await getList(db, accountId, listId);
  const all = page.limit === 0;
  const rows = await db`SELECT la.id::text AS member_id, ${accountColumns(db)} FROM list_accounts la JOIN accounts a ON a.id = la.account_id
    WHERE la.list_id = ${listId} ${page.maxId ? db`AND la.id < ${page.maxId}` : db``} ${page.minId ? db`AND la.id > ${page.minId}` : db``}
    ORDER BY la.id ${page.minId ? db`ASC` : db`DESC`} ${all ? db`` : db`LIMIT ${page.limit}`}`;
  if (page.minId) rows.reverse();
  const items = rows.map((r) => ({ ...toAccount(r), memberId: r.member_id as string }));
  return all ? { items, nextMaxId: null, prevMinId: null } : { items, ...keysetCursors(items, page.limit, (i) => i.memberId) };
}

/** The owner's lists that hold `targetId`. */
export async function listsWith(db: Db, accountId: string, targetId: string): Promise<List[]> {
  if (!idRe.test(targetId)) return [];
  return (await db`SELECT ${listColumns(db)} FROM lists l JOIN list_accounts la ON la.list_id = l.id
    WHERE l.account_id = ${accountId} AND la.account_id = ${targetId} ORDER BY lower(l.title), l.id`).map(toList);
}
