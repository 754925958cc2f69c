// Groups and projects across subsidiaries (issue #10). A group is an account (actor_type 'Group') whose accepted
// followers are its members, wherever they work (FEP-1b12: followers = members); a pending follow is a request to
// join. Only the group's home instance knows its kind and roles (table `groups`, `group_roles`); a sibling sees a
// remote group as an account, `locked` for a project. What members may read is the audience rule's `group` row
// (server/domain/audience/audience.ts), applied by visibleTo like every other scope.
//
//   createGroup(sql, ownerId, input, iris)                   → GroupView (the owner is its first member)
//   findGroup(db, id) / findLocalGroupByName(db, name)        → GroupView | null
//   roleOf(db, groupId, accountId)                            → owner | moderator | member | null
//   listMembers(db, groupId)                                  → members with their roles
//   invite(sql, groupId, inviterId, inviteeId, iri)           → invitation (a remote invitee gets an Invite)
//   receiveInvite(db, …) / listInvitations(db, accountId) / acceptInvitation(sql, origin, id, accountId)
//   receiveGroupFollow(sql, …)                                → accepted (community, invited) | pending (request)
//   acceptRequest / removeMember (moderators) / receiveRemoved (a remote group's Remove)
//   groupPosts(db, viewer, groupId, page)                     → the group's timeline, through visibleTo
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { atomically, type Db, type Sql } from "../../db/pool.ts";
import { type Account, accountColumns, findAccountById, toAccount } from "../accounts/accounts.ts";
import { DomainError } from "../errors.ts";
import { enqueueOutbox } from "../outbox.ts";
import { authorizeFollowRequest } from "../follows/follows.ts";
import { notifyFollow } from "../notifications/notifications.ts";
import { escapeHtml } from "../posts/html.ts";
import { type Viewer, visibleTo } from "../audience/visibility.ts";

export const GROUP_KINDS = ["community", "project", "department"] as const;
export type GroupKind = (typeof GROUP_KINDS)[number];
export type GroupRole = "owner" | "moderator" | "member";

export const groupInputSchema = z.object({
  // The handle, shared with people's usernames (one account table): a group cannot take a person's name, nor the
  // reverse, so `name@host` is never ambiguous.
  name: z.string().regex(/^[a-z0-9_]{1,30}$/, "a group name has 1 to 30 characters: lower-case letters, digits and underscores")
    .refine((n) => n !== "new", "this name is reserved"), // /groups/new is the create form
  display_name: z.string().trim().max(100, "at most 100 characters").optional(),
  description: z.string().max(2_000, "at most 2000 characters").optional(),
  kind: z.enum(GROUP_KINDS, { message: "must be one of community, project or department" }),
});
export type GroupInput = z.input<typeof groupInputSchema>;

export interface GroupView {
  account: Account;
  /** Known on the group's home instance only; a remote group reads as a project when it approves its members. */
  kind: GroupKind;
  local: boolean;
}

/** The IRIs a local group is published under (federation/uris.ts mints them). */
export interface GroupIris { iri: string; inbox: string; sharedInbox: string; followers: string; url: string }

/** Only a project's (and a department's) members are chosen; anyone in the group of companies may join a community. */
export const isPrivateKind = (kind: GroupKind) => kind !== "community";

function toGroup(r: Record<string, unknown>): GroupView {
  const account = toAccount(r);
  const kind = (r.group_kind as GroupKind | null) ?? (account.locked ? "project" : "community");
  return { account, kind, local: account.domain == null };
}

function newFollowIri(origin: string): string {
  return `${origin}/activities/follow/${randomUUID()}`;
}

export async function createGroup(sql: Sql, ownerId: string, input: GroupInput, iris: GroupIris): Promise<GroupView> {
  const parsed = groupInputSchema.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new DomainError("validation_failed", 422, `${String(i.path[0])}: ${i.message}`, String(i.path[0]));
  }
  const g = parsed.data;
  const origin = new URL(iris.iri).origin;
  const id = await atomically(sql, async (tx) => {
    const [owner] = await tx`SELECT 1 FROM users WHERE account_id = ${ownerId}`;
    if (!owner) throw new DomainError("not_found", 404, "no such local account");
    const [clash] = await tx`SELECT 1 FROM accounts WHERE lower(username) = ${g.name} AND domain IS NULL`;
    if (clash) throw new DomainError("name_taken", 409, "name: this name is already taken by a person or a group", "name");
    const description = g.description ?? "";
    const [row] = await tx`INSERT INTO accounts (username, domain, iri, actor_type, inbox_url, shared_inbox_url, followers_url, url,
        display_name, bio, bio_html, locked, discoverable)
      VALUES (${g.name}, NULL, ${iris.iri}, 'Group', ${iris.inbox}, ${iris.sharedInbox}, ${iris.followers}, ${iris.url},
        ${g.display_name || g.name}, ${description}, ${description ? `<p>${escapeHtml(description)}</p>` : ""},
        ${isPrivateKind(g.kind)}, ${!isPrivateKind(g.kind)})
      ON CONFLICT DO NOTHING RETURNING id::text`;
    if (!row) throw new DomainError("name_taken", 409, "name: this name is already taken by a person or a group", "name");
    await tx`INSERT INTO groups (account_id, kind) VALUES (${row.id}, ${g.kind})`;
    await tx`INSERT INTO group_roles (group_id, account_id, role) VALUES (${row.id}, ${ownerId}, 'owner')`;
    await tx`INSERT INTO follows (follower_id, following_id, state, iri) VALUES (${ownerId}, ${row.id}, 'accepted', ${newFollowIri(origin)})`;
    return row.id as string;
  });
  return (await findGroup(sql, id))!;
}

function groupColumns(db: Db) {
  return db`${accountColumns(db)}, g.kind AS group_kind`;
}

/** A group (local or remote) by its account id; null for any other account. */
export async function findGroup(db: Db, id: string): Promise<GroupView | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const [r] = await db`SELECT ${groupColumns(db)} FROM accounts a LEFT JOIN groups g ON g.account_id = a.id
    WHERE a.id = ${id} AND a.actor_type = 'Group'`;
  return r ? toGroup(r) : null;
}

export async function findLocalGroupByName(db: Db, name: string): Promise<GroupView | null> {
  const [r] = await db`SELECT ${groupColumns(db)} FROM accounts a JOIN groups g ON g.account_id = a.id
    WHERE lower(a.username) = ${name.toLowerCase()} AND a.domain IS NULL`;
  return r ? toGroup(r) : null;
}

/** The groups among these IRIs (an object's `audience` and `to`), first known one. */
export async function findGroupAmong(db: Db, iris: string[]): Promise<GroupView | null> {
  if (iris.length === 0) return null;
  const [r] = await db`SELECT ${groupColumns(db)} FROM accounts a LEFT JOIN groups g ON g.account_id = a.id
    WHERE a.iri = ANY(${iris.slice(0, 50)}::text[]) AND a.actor_type = 'Group' ORDER BY a.id LIMIT 1`;
  return r ? toGroup(r) : null;
}

export async function isMember(db: Db, groupId: string, accountId: string): Promise<boolean> {
  const [r] = await db`SELECT 1 FROM follows WHERE follower_id = ${accountId} AND following_id = ${groupId} AND state = 'accepted'`;
  return r != null;
}

export async function roleOf(db: Db, groupId: string, accountId: string): Promise<GroupRole | null> {
  const [r] = await db`SELECT coalesce(gr.role, 'member') AS role FROM follows f
    LEFT JOIN group_roles gr ON gr.group_id = f.following_id AND gr.account_id = f.follower_id
    WHERE f.follower_id = ${accountId} AND f.following_id = ${groupId} AND f.state = 'accepted'`;
  return (r?.role as GroupRole) ?? null;
}

async function requireModerator(db: Db, group: GroupView, accountId: string): Promise<void> {
  if (!group.local) throw new DomainError("not_local", 422, "this group is managed on its own instance");
  const role = await roleOf(db, group.account.id, accountId);
  if (role !== "owner" && role !== "moderator") throw new DomainError("forbidden", 403, "only the group's owner and moderators may do this");
}

async function requireGroup(db: Db, groupId: string): Promise<GroupView> {
  const group = await findGroup(db, groupId);
  if (!group) throw new DomainError("not_found", 404, "no such group");
  return group;
}

export interface Member { account: Account; role: GroupRole; since: Date }

/** Accepted members, owner and moderators first (as this instance knows them: all of them on the group's home). */
export async function listMembers(db: Db, groupId: string, opts: { limit?: number } = {}): Promise<Member[]> {
  const rows = await db`SELECT ${accountColumns(db)}, coalesce(gr.role, 'member') AS role, f.updated_at AS since FROM follows f
    JOIN accounts a ON a.id = f.follower_id
    LEFT JOIN group_roles gr ON gr.group_id = f.following_id AND gr.account_id = f.follower_id
    WHERE f.following_id = ${groupId} AND f.state = 'accepted'
    ORDER BY CASE coalesce(gr.role, 'member') WHEN 'owner' THEN 0 WHEN 'moderator' THEN 1 ELSE 2 END, f.id
    LIMIT ${Math.min(Math.max(opts.limit ?? 80, 1), 500)}`;
  return rows.map((r) => ({ account: toAccount(r), role: r.role as GroupRole, since: r.since as Date }));
}

/** Groups the account belongs to (local and remote ones), newest membership first. */
export async function groupsOf(db: Db, accountId: string): Promise<GroupView[]> {
  const rows = await db`SELECT ${groupColumns(db)} FROM follows f JOIN accounts a ON a.id = f.following_id AND a.actor_type = 'Group'
    LEFT JOIN groups g ON g.account_id = a.id WHERE f.follower_id = ${accountId} AND f.state = 'accepted' ORDER BY f.id DESC LIMIT 200`;
  return rows.map(toGroup);
}

export interface Invitation { id: string; group: Account; accountId: string; inviterId: string | null; iri: string; state: string; createdAt: Date }

function toInvitation(r: Record<string, unknown>): Invitation {
  return {
    id: r.invitation_id as string, group: toAccount(r), accountId: r.invitee_id as string, inviterId: (r.inviter_id as string) ?? null,
    iri: r.invitation_iri as string, state: r.state as string, createdAt: r.invited_at as Date,
  };
}

export const findInvitation = (db: Db, id: string) => loadInvitation(db, { id });

async function loadInvitation(db: Db, where: { id?: string; iri?: string }): Promise<Invitation | null> {
  const [r] = await db`SELECT ${accountColumns(db)}, i.id::text AS invitation_id, i.account_id::text AS invitee_id,
      i.inviter_id::text AS inviter_id, i.iri AS invitation_iri, i.state, i.created_at AS invited_at
    FROM group_invitations i JOIN accounts a ON a.id = i.group_id
    WHERE ${where.id ? db`i.id = ${where.id}` : db`i.iri = ${where.iri ?? ""}`}`;
  return r ? toInvitation(r) : null;
}

/**
 * A moderator invites someone (an account as this instance knows it, local or remote) into a local group. A remote
 * invitee's server is sent an Invite (it shows the invitation there); when they accept, their Follow is accepted
 * at once. Inviting again refreshes the invitation.
 */
export async function invite(sql: Sql, groupId: string, inviterId: string, inviteeId: string, iri: string): Promise<Invitation> {
  const id = await atomically(sql, async (tx) => {
    const group = await requireGroup(tx, groupId);
    await requireModerator(tx, group, inviterId);
    const invitee = /^\d{1,18}$/.test(inviteeId) ? await findAccountById(tx, inviteeId) : null;
    if (!invitee || invitee.actorType !== "Person") throw new DomainError("not_found", 404, "account_id: no such person", "account_id");
    if (await isMember(tx, groupId, inviteeId)) throw new DomainError("already_member", 409, "this person is already a member");
    const [row] = await tx`INSERT INTO group_invitations (group_id, account_id, inviter_id, iri)
      VALUES (${groupId}, ${inviteeId}, ${inviterId}, ${iri})
      ON CONFLICT (group_id, account_id) DO UPDATE SET state = 'pending', inviter_id = excluded.inviter_id
      RETURNING id::text`;
    if (invitee.domain != null) await enqueueOutbox(tx, { kind: "group-invite", invitationId: row.id });
    return row.id as string;
  });
  return (await loadInvitation(sql, { id }))!;
}

/** A remote group's Invite of one of ours (the group authenticated it). Idempotent on the Invite's IRI. */
export async function receiveInvite(db: Db, input: { iri: string; groupId: string; inviteeId: string }): Promise<void> {
  await db`INSERT INTO group_invitations (group_id, account_id, iri) VALUES (${input.groupId}, ${input.inviteeId}, ${input.iri})
    ON CONFLICT (group_id, account_id) DO UPDATE SET iri = excluded.iri, state = 'pending'
    WHERE group_invitations.state <> 'accepted' OR NOT EXISTS (SELECT 1 FROM follows f
      WHERE f.follower_id = ${input.inviteeId} AND f.following_id = ${input.groupId})`;
}

/** The account's pending invitations, newest first. */
export async function listInvitations(db: Db, accountId: string): Promise<Invitation[]> {
  const rows = await db`SELECT ${accountColumns(db)}, i.id::text AS invitation_id, i.account_id::text AS invitee_id,
      i.inviter_id::text AS inviter_id, i.iri AS invitation_iri, i.state, i.created_at AS invited_at
    FROM group_invitations i JOIN accounts a ON a.id = i.group_id
    WHERE i.account_id = ${accountId} AND i.state = 'pending' ORDER BY i.id DESC LIMIT 100`;
  return rows.map(toInvitation);
}

/**
 * The invitee accepts: a local group's membership starts now; a remote group is sent a Follow, which its home
 * accepts at once because it holds the invitation (receiveGroupFollow). Returns the membership's state here.
 */
export async function acceptInvitation(sql: Sql, origin: string, invitationId: string, accountId: string): Promise<"accepted" | "pending"> {
  return await atomically(sql, async (tx) => {
    const inv = /^\d{1,18}$/.test(invitationId) ? await loadInvitation(tx, { id: invitationId }) : null;
    if (!inv || inv.accountId !== accountId) throw new DomainError("not_found", 404, "no such invitation");
    if (inv.state !== "pending") throw new DomainError("not_pending", 409, "this invitation was already answered");
    await tx`UPDATE group_invitations SET state = 'accepted' WHERE id = ${invitationId}`;
    const remote = inv.group.domain != null;
    const state = remote ? "pending" : "accepted";
    const iri = newFollowIri(origin);
    const [row] = await tx`INSERT INTO follows (follower_id, following_id, state, iri) VALUES (${accountId}, ${inv.group.id}, ${state}, ${iri})
      ON CONFLICT (follower_id, following_id) DO UPDATE SET state = CASE WHEN ${remote} THEN follows.state ELSE 'accepted' END, updated_at = now()
      RETURNING state, iri`;
    if (remote && row.state === "pending") await enqueueOutbox(tx, { kind: "follow", followIri: row.iri, followerId: accountId, targetId: inv.group.id });
    return row.state as "accepted" | "pending";
  });
}

/**
 * A remote person asks to join a local group (their Follow, authenticated). A community accepts at once; a
 * project accepts someone it invited, and keeps anyone else's request for a moderator. Idempotent on the Follow.
 */
export async function receiveGroupFollow(sql: Sql, input: { followIri: string; followerId: string; groupId: string }): Promise<"accepted" | "pending"> {
  return await atomically(sql, async (tx) => {
    const group = await requireGroup(tx, input.groupId);
    if (!group.local) throw new DomainError("not_local", 422, "not a group of this instance");
    const [invited] = await tx`UPDATE group_invitations SET state = 'accepted'
      WHERE group_id = ${input.groupId} AND account_id = ${input.followerId} AND state IN ('pending', 'accepted') RETURNING id`;
    const state = !isPrivateKind(group.kind) || invited ? "accepted" : "pending";
    const [row] = await tx`INSERT INTO follows (follower_id, following_id, state, iri)
      VALUES (${input.followerId}, ${input.groupId}, ${state}, ${input.followIri})
      ON CONFLICT (follower_id, following_id) DO UPDATE SET iri = excluded.iri,
        state = CASE WHEN ${state} = 'accepted' THEN 'accepted' ELSE follows.state END, updated_at = now()
      RETURNING state, (xmax = 0) AS inserted`;
    if (row.state === "accepted") {
      await enqueueOutbox(tx, { kind: "accept-follow", followIri: input.followIri, followerId: input.followerId, targetId: input.groupId });
    } else if (row.inserted) {
      // The request shows to the group's moderators (their notifications come with the groups page, later).
      await notifyFollow(tx, { targetId: input.groupId, followerId: input.followerId, state: "pending" });
    }
    return row.state as "accepted" | "pending";
  });
}

/** Join requests waiting for a moderator. */
export async function listRequests(db: Db, groupId: string): Promise<Account[]> {
  const rows = await db`SELECT ${accountColumns(db)} FROM follows f JOIN accounts a ON a.id = f.follower_id
    WHERE f.following_id = ${groupId} AND f.state = 'pending' ORDER BY f.id LIMIT 200`;
  return rows.map(toAccount);
}

/** A moderator approves a request to join (a remote requester's server gets the group's Accept). */
export async function acceptRequest(sql: Sql, groupId: string, moderatorId: string, accountId: string): Promise<void> {
  const group = await requireGroup(sql, groupId);
  await requireModerator(sql, group, moderatorId);
  await authorizeFollowRequest(sql, groupId, accountId);
}

/**
 * A moderator removes a member (never the owner). A remote member's server is sent Remove, so that the member
 * stops counting themselves in; their later posts to the group are refused here (not a member).
 */
export async function removeMember(sql: Sql, groupId: string, moderatorId: string, accountId: string, removeIri: string): Promise<void> {
  await atomically(sql, async (tx) => {
    const group = await requireGroup(tx, groupId);
    await requireModerator(tx, group, moderatorId);
    const role = await roleOf(tx, groupId, accountId);
    if (!role) throw new DomainError("not_found", 404, "this person is not a member");
    if (role === "owner") throw new DomainError("forbidden", 403, "the owner cannot be removed");
    const [gone] = await tx`DELETE FROM follows WHERE follower_id = ${accountId} AND following_id = ${groupId}
      RETURNING (SELECT domain FROM accounts WHERE id = ${accountId}) AS domain`;
    await tx`DELETE FROM group_roles WHERE group_id = ${groupId} AND account_id = ${accountId}`;
    await tx`DELETE FROM group_invitations WHERE group_id = ${groupId} AND account_id = ${accountId}`;
    if (gone?.domain != null) await enqueueOutbox(tx, { kind: "group-remove", groupId, memberId: accountId, removeIri });
  });
}

/** A remote group removed one of ours (its Remove, authenticated as the group itself). */
export async function receiveRemoved(db: Db, groupId: string, memberId: string): Promise<boolean> {
  const rows = await db`DELETE FROM follows WHERE follower_id = ${memberId} AND following_id = ${groupId}
    AND follower_id IN (SELECT id FROM accounts WHERE domain IS NULL) RETURNING id`;
  return rows.length > 0;
}

/** A moderator makes a member a moderator (or back). */
export async function setRole(sql: Sql, groupId: string, moderatorId: string, accountId: string, role: "moderator" | "member"): Promise<void> {
  await atomically(sql, async (tx) => {
    const group = await requireGroup(tx, groupId);
    await requireModerator(tx, group, moderatorId);
    const current = await roleOf(tx, groupId, accountId);
    if (!current) throw new DomainError("not_found", 404, "this person is not a member");
    if (current === "owner") throw new DomainError("forbidden", 403, "the owner's role cannot change");
    if (role === "member") await tx`DELETE FROM group_roles WHERE group_id = ${groupId} AND account_id = ${accountId}`;
    else await tx`INSERT INTO group_roles (group_id, account_id, role) VALUES (${groupId}, ${accountId}, 'moderator') ON CONFLICT DO NOTHING`;
  });
}

/** The group's posts the viewer may read, newest first (the audience rule decides, as everywhere). */
export async function groupPosts(db: Db, viewer: Viewer, groupId: string, opts: { limit?: number; maxId?: string } = {}): Promise<string[]> {
  const limit = Math.min(Math.max(opts.limit ?? 20, 1), 40);
  const rows = await db`SELECT p.id::text FROM posts p WHERE p.group_id = ${groupId} AND p.reblog_of_id IS NULL
      ${opts.maxId ? db`AND p.id < ${opts.maxId}` : db``} AND ${visibleTo(db, viewer)}
    ORDER BY p.id DESC LIMIT ${limit}`;
  return rows.map((r) => r.id as string);
}

/** Does any local account belong to the (remote) group? A group's relay matters here only then. */
export async function hasLocalMembers(db: Db, groupId: string): Promise<boolean> {
  const [r] = await db`SELECT EXISTS (SELECT 1 FROM follows f JOIN accounts a ON a.id = f.follower_id
    WHERE f.following_id = ${groupId} AND f.state = 'accepted' AND a.domain IS NULL) AS any`;
  return r.any as boolean;
}

/**
 * Groups to join: communities (here and those known from siblings) and the projects the viewer belongs to —
 * a project nobody invited them to is not listed. `q` matches the name or the handle.
 */
export async function searchGroups(db: Db, viewerId: string, q: string, limit = 40): Promise<GroupView[]> {
  const like = `%${q.trim().toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await db`SELECT ${groupColumns(db)} FROM accounts a LEFT JOIN groups g ON g.account_id = a.id
    WHERE a.actor_type = 'Group'
      AND (NOT a.locked OR EXISTS (SELECT 1 FROM follows f WHERE f.following_id = a.id AND f.follower_id = ${viewerId} AND f.state = 'accepted'))
      AND (lower(a.display_name) LIKE ${like} OR lower(a.username) LIKE ${like})
    ORDER BY a.display_name, a.id LIMIT ${Math.min(Math.max(limit, 1), 80)}`;
  return rows.map(toGroup);
}

export async function memberCount(db: Db, groupId: string): Promise<number> {
  const [r] = await db`SELECT count(*)::int AS n FROM follows WHERE following_id = ${groupId} AND state = 'accepted'`;
  return r.n;
}

/** The viewer's place in the group: their role, a pending request, or null. */
export async function membershipOf(db: Db, groupId: string, accountId: string): Promise<GroupRole | "requested" | null> {
  const role = await roleOf(db, groupId, accountId);
  if (role) return role;
  const [r] = await db`SELECT 1 FROM follows WHERE follower_id = ${accountId} AND following_id = ${groupId} AND state = 'pending'`;
  return r ? "requested" : null;
}

/** A group by the handle its page uses: `name` (ours) or `name@host` (a sibling's). */
export async function findGroupByHandle(db: Db, handle: string): Promise<GroupView | null> {
  const [name, host] = handle.toLowerCase().split("@");
  if (!host) return await findLocalGroupByName(db, name);
  const [r] = await db`SELECT ${groupColumns(db)} FROM accounts a LEFT JOIN groups g ON g.account_id = a.id
    WHERE lower(a.username) = ${name} AND lower(a.domain) = ${host} AND a.actor_type = 'Group'`;
  return r ? toGroup(r) : null;
}
