// /api/ruche/v1/groups: groups and projects across subsidiaries (issue #10) — create, read, members, invitations,
// join requests, roles, removal, the group's timeline. Joining and leaving are Mastodon's follow and unfollow of
// the group's account (`group: true`); posting is POST /api/v1/statuses with `ruche_group_id`. Same tokens,
// scopes and JSON errors as the Mastodon API; documented in docs/groups.md.
import { randomUUID } from "node:crypto";
import type { Hono } from "hono";
import { z } from "zod";
import { unfollow } from "../../domain/follows/follows.ts";
import {
  acceptInvitation, acceptRequest, createGroup, findGroup, type GroupView, groupPosts, groupsOf, invite, isMember, listInvitations,
  listMembers, listRequests, removeMember, roleOf, setRole,
} from "../../domain/groups/groups.ts";
import { DomainError } from "../../domain/errors.ts";
import { loadPosts } from "../../domain/posts/post-views.ts";
import { localViewer } from "../../domain/audience/visibility.ts";
import { groupIris } from "../../../federation/uris.ts";
import type { RouteDeps } from "../deps.ts";
import { type ApiEnv, scopeRequired, tokenRequired, viewerOf } from "../mastodon/auth.ts";
import { notFound } from "../mastodon/errors.ts";
import { bodyParams, idParam, limitParam, parse, queryParams } from "../mastodon/params.ts";
import { serializeAccounts } from "../mastodon/serializers.ts";
import { serializeStatuses } from "../mastodon/status-serializer.ts";

const createSchema = z.object({
  name: z.string(), display_name: z.string().optional(), description: z.string().optional(), kind: z.string(),
});
const inviteSchema = z.object({ account_id: idParam });
const roleSchema = z.object({ role: z.enum(["moderator", "member"]) });
const pageSchema = z.object({ limit: limitParam(20, 40), max_id: idParam.optional() });

export function registerRucheGroups(api: Hono<ApiEnv>, deps: RouteDeps): void {
  const { sql, config } = deps;
  const read = [tokenRequired(deps), scopeRequired(["read:accounts"])] as const;
  const write = [tokenRequired(deps), scopeRequired(["write:follows"])] as const;

  async function groupJson(g: GroupView, viewerId: string) {
    const [account] = await serializeAccounts(sql, config.origin, [g.account]);
    const role = await roleOf(sql, g.account.id, viewerId);
    return {
      id: g.account.id, name: g.account.username, display_name: g.account.displayName, description: g.account.bio,
      kind: g.kind, local: g.local, url: g.account.iri, locked: g.account.locked, account, role,
    };
  }

  /** A group the viewer may see the inside of: a community's to anyone here, a project's to its members. */
  async function readableGroup(id: string, viewerId: string): Promise<GroupView> {
    const g = await findGroup(sql, id);
    if (!g) throw notFound();
    if (g.account.locked && !(await isMember(sql, g.account.id, viewerId))) {
      throw new DomainError("forbidden", 403, "only the project's members see its members and posts");
    }
    return g;
  }

  api.post("/api/ruche/v1/groups", ...write, async (c) => {
    const viewer = viewerOf(c);
    const p = parse(createSchema, await bodyParams(c));
    const name = p.name.trim().toLowerCase();
    const g = await createGroup(sql, viewer.accountId, { name, display_name: p.display_name, description: p.description, kind: p.kind as never },
      { ...groupIris(config.origin, name) });
    return c.json(await groupJson(g, viewer.accountId));
  });

  api.get("/api/ruche/v1/groups", ...read, async (c) => {
    const viewer = viewerOf(c);
    return c.json(await Promise.all((await groupsOf(sql, viewer.accountId)).map((g) => groupJson(g, viewer.accountId))));
  });

  api.get("/api/ruche/v1/groups/invitations", ...read, async (c) => {
    const viewer = viewerOf(c);
    const list = await listInvitations(sql, viewer.accountId);
    const accounts = await serializeAccounts(sql, config.origin, list.map((i) => i.group));
    return c.json(list.map((i, n) => ({ id: i.id, group: accounts[n], created_at: i.createdAt.toISOString() })));
  });

  api.post("/api/ruche/v1/groups/invitations/:id{[0-9]+}/accept", ...write, async (c) => {
    const viewer = viewerOf(c);
    const state = await acceptInvitation(sql, config.origin, c.req.param("id"), viewer.accountId);
    return c.json({ id: c.req.param("id"), state });
  });

  api.get("/api/ruche/v1/groups/:id{[0-9]+}", ...read, async (c) => {
    const g = await findGroup(sql, c.req.param("id"));
    if (!g) throw notFound();
    return c.json(await groupJson(g, viewerOf(c).accountId));
  });

  api.get("/api/ruche/v1/groups/:id{[0-9]+}/members", ...read, async (c) => {
    const viewer = viewerOf(c);
    const g = await readableGroup(c.req.param("id"), viewer.accountId);
    const members = await listMembers(sql, g.account.id);
    const accounts = await serializeAccounts(sql, config.origin, members.map((m) => m.account));
    return c.json(members.map((m, i) => ({ account: accounts[i], role: m.role })));
  });

  api.get("/api/ruche/v1/groups/:id{[0-9]+}/statuses", ...read, async (c) => {
    const viewer = viewerOf(c);
    const g = await readableGroup(c.req.param("id"), viewer.accountId);
    const q = parse(pageSchema, queryParams(c));
    const ids = await groupPosts(sql, localViewer(viewer.accountId), g.account.id, { limit: q.limit, maxId: q.max_id });
    return c.json(await serializeStatuses(sql, config.origin, await loadPosts(sql, ids, localViewer(viewer.accountId))));
  });

  api.post("/api/ruche/v1/groups/:id{[0-9]+}/invitations", ...write, async (c) => {
    const viewer = viewerOf(c);
    const p = parse(inviteSchema, await bodyParams(c));
    const inv = await invite(sql, c.req.param("id"), viewer.accountId, p.account_id, `${config.origin}/activities/invite/${randomUUID()}`);
    return c.json({ id: inv.id, account_id: inv.accountId, state: inv.state, created_at: inv.createdAt.toISOString() });
  });

  api.get("/api/ruche/v1/groups/:id{[0-9]+}/requests", ...read, async (c) => {
    const viewer = viewerOf(c);
    const g = await readableGroup(c.req.param("id"), viewer.accountId);
    return c.json(await serializeAccounts(sql, config.origin, await listRequests(sql, g.account.id)));
  });

  api.post("/api/ruche/v1/groups/:id{[0-9]+}/requests/:account_id{[0-9]+}/accept", ...write, async (c) => {
    await acceptRequest(sql, c.req.param("id"), viewerOf(c).accountId, c.req.param("account_id"));
    return c.json({ account_id: c.req.param("account_id"), state: "accepted" });
  });

  api.put("/api/ruche/v1/groups/:id{[0-9]+}/members/:account_id{[0-9]+}/role", ...write, async (c) => {
    const p = parse(roleSchema, await bodyParams(c));
    await setRole(sql, c.req.param("id"), viewerOf(c).accountId, c.req.param("account_id"), p.role);
    return c.json({ account_id: c.req.param("account_id"), role: p.role });
  });

  api.delete("/api/ruche/v1/groups/:id{[0-9]+}/members/:account_id{[0-9]+}", ...write, async (c) => {
    await removeMember(sql, c.req.param("id"), viewerOf(c).accountId, c.req.param("account_id"), `${config.origin}/activities/remove/${randomUUID()}`);
    return c.json({});
  });

  api.post("/api/ruche/v1/groups/:id{[0-9]+}/leave", ...write, async (c) => {
    const g = await findGroup(sql, c.req.param("id"));
    if (!g) throw notFound();
    await unfollow(sql, viewerOf(c).accountId, g.account.id);
    return c.json({});
  });
}
