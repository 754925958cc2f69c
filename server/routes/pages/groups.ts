// Group pages (issue #10): /groups (my groups and groups to join), /groups/new (create), /groups/{name} (a group
// of ours — the same URL as its actor, which ActivityPub clients get as JSON) and /groups/{name}@{host} (a
// sibling's). Joining and leaving are the follows of the group's account; visibility is the audience rule's, as
// everywhere (a project's posts and members only for its members).
import type { Context, Hono } from "hono";
import { follow, unfollow } from "../../domain/follows/follows.ts";
import { DomainError } from "../../domain/errors.ts";
import {
  createGroup, findGroupByHandle, GROUP_KINDS, groupPosts, type GroupView, groupsOf, listMembers, memberCount, membershipOf, searchGroups,
} from "../../domain/groups/groups.ts";
import { loadPosts } from "../../domain/posts/post-views.ts";
import { POST_LIMITS } from "../../domain/posts/posts.ts";
import { localViewer } from "../../domain/audience/visibility.ts";
import { groupIris } from "../../../federation/uris.ts";
import { GroupFormPage, type GroupFormValues, GroupPage, GroupsPage, type GroupSummary } from "../../../web/components/groups.ts";
import { t } from "../../../web/i18n/index.ts";
import type { RouteDeps } from "../deps.ts";
import { islandUrls } from "./islands.ts";
import { postItems } from "./post-items.ts";
import { errorPage, page } from "./render.ts";
import { checkCsrf, chromeOf, requireUser } from "./session.ts";
import { composerDefaults, cursor, idempotencyKey, moreOf } from "./timeline.ts";
import { summary } from "./views.ts";

const HANDLE = /^[a-z0-9_]{1,30}(@[a-z0-9.-]+(:\d{1,5})?)?$/;

function groupSummary(deps: RouteDeps, g: GroupView): GroupSummary {
  const host = new URL(deps.config.origin).host;
  const handle = g.account.domain == null ? g.account.username : `${g.account.username}@${g.account.domain}`;
  return {
    url: `/groups/${handle}`, handle: `${g.account.username}@${g.account.domain ?? host}`, displayName: g.account.displayName || g.account.username,
    description: g.account.bio, kind: g.kind, avatarUrl: g.account.avatarUrl,
  };
}

export function registerGroupPages(app: Hono, deps: RouteDeps): void {
  const { sql, config } = deps;

  app.get("/groups", async (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const q = (c.req.query("q") ?? "").slice(0, 100);
    const [mine, found] = await Promise.all([groupsOf(sql, r.user.account.id), searchGroups(sql, r.user.account.id, q)]);
    const mineIds = new Set(mine.map((g) => g.account.id));
    return page(c, GroupsPage, {
      ...chromeOf(c, deps), path: "/groups", q,
      mine: mine.map((g) => groupSummary(deps, g)),
      directory: found.filter((g) => !mineIds.has(g.account.id)).map((g) => groupSummary(deps, g)),
    });
  });

  const blank: GroupFormValues = { name: "", displayName: "", description: "", kind: "project" };
  app.get("/groups/new", (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    return page(c, GroupFormPage, { ...chromeOf(c, deps), path: "/groups", values: blank });
  });

  app.post("/groups", async (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const form = await c.req.parseBody();
    if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
    const str = (k: string) => (typeof form[k] === "string" ? (form[k] as string) : "");
    const kind = (GROUP_KINDS as readonly string[]).includes(str("kind")) ? str("kind") as GroupFormValues["kind"] : "project";
    const values: GroupFormValues = { name: str("name").trim().toLowerCase(), displayName: str("displayName"), description: str("description"), kind };
    try {
      const g = await createGroup(sql, r.user.account.id, { name: values.name, display_name: values.displayName, description: values.description, kind },
        groupIris(config.origin, values.name));
      return c.redirect(`/groups/${g.account.username}`, 303);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      const base = chromeOf(c, deps);
      return page(c, GroupFormPage, { ...base, path: "/groups", values, error: t(base.locale, "groups.error.invalid", { reason: e.message }) }, 422);
    }
  });

  async function groupOf(c: Context): Promise<GroupView | null> {
    const handle = c.req.param("handle") ?? "";
    return HANDLE.test(handle) ? await findGroupByHandle(sql, handle) : null;
  }

  app.get("/groups/:handle", async (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const g = await groupOf(c);
    if (!g) return errorPage(c, deps, 404, "page.error.notFound");
    const viewerId = r.user.account.id;
    const viewer = localViewer(viewerId);
    const membership = await membershipOf(sql, g.account.id, viewerId);
    const member = membership !== null && membership !== "requested";
    const inside = member || !g.account.locked;
    const opts = cursor(c);
    const [ids, members, count, scripts] = await Promise.all([
      inside ? groupPosts(sql, viewer, g.account.id, { limit: opts.limit, maxId: opts.maxId }) : Promise.resolve([]),
      inside ? listMembers(sql, g.account.id) : Promise.resolve(null),
      memberCount(sql, g.account.id),
      islandUrls("composer", "post-actions", "time-zone"),
    ]);
    const posts = await loadPosts(sql, ids, viewer);
    const base = `/groups/${g.account.domain == null ? g.account.username : `${g.account.username}@${g.account.domain}`}`;
    return page(c, GroupPage, {
      ...chromeOf(c, deps), path: "/groups",
      group: { ...groupSummary(deps, g), local: g.local, memberCount: count },
      membership,
      members: members ? members.map((m) => ({ ...summary(deps, m.account), role: m.role })) : null,
      items: inside ? await postItems(deps, posts, viewerId, "public") : null,
      more: moreOf(base, posts.length === opts.limit ? posts[posts.length - 1].id : null),
      composer: member && !opts.maxId
        ? { returnTo: base, limits: POST_LIMITS, idempotencyKey: idempotencyKey(), values: composerDefaults(c), groupId: g.account.id, idPrefix: "group-",
          fixedScope: g.account.locked ? "group" as const : undefined }
        : null,
      scripts,
    });
  });

  for (const action of ["join", "leave"] as const) {
    app.post(`/groups/:handle/${action}`, async (c) => {
      const r = requireUser(c);
      if (!r.user) return r.redirect;
      const form = await c.req.parseBody();
      if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
      const g = await groupOf(c);
      if (!g) return errorPage(c, deps, 404, "page.error.notFound");
      if (action === "join") await follow(sql, config.origin, r.user.account.id, g.account.id);
      else await unfollow(sql, r.user.account.id, g.account.id);
      return c.redirect(`/groups/${c.req.param("handle")}`, 303);
    });
  }
}
