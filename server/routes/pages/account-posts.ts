// The posts shown on a profile page (issue #4): pinned ones, then the latest the viewer may read, and
// GET /@user/more, the next page as a fragment for the infinite-scroll island.
//
// The profile route fills ProfilePage's `posts` slot with `await accountPostsSlot(c, deps, account)`.
import type { Context, Hono } from "hono";
import { h, type VNode } from "preact";
import { type Account, findAccountByHandle } from "../../domain/accounts/accounts.ts";
import { accountTimeline } from "../../domain/timelines/timelines.ts";
import { AccountPosts } from "../../../web/components/post-profile.ts";
import type { RouteDeps } from "../deps.ts";
import { islandUrls } from "./islands.ts";
import { postItems } from "./post-items.ts";
import { chromeOf } from "./session.ts";
import { cursor, fragment, moreOf, viewerOf } from "./timeline.ts";
import { localHost, pagePath } from "./views.ts";

export async function accountPostsSlot(c: Context, deps: RouteDeps, account: Account): Promise<VNode<any>> {
  const { viewer, viewerId } = viewerOf(c);
  const opts = cursor(c);
  const [pinned, latest, scripts] = await Promise.all([
    opts.maxId ? Promise.resolve({ items: [] }) : accountTimeline(deps.sql, viewer, account.id, { pinned: true }),
    accountTimeline(deps.sql, viewer, account.id, opts),
    islandUrls("infinite-scroll", "post-actions"),
  ]);
  const { locale, csrf } = chromeOf(c, deps);
  const path = pagePath(deps, account);
  return h(AccountPosts, {
    locale, csrf, scripts, returnTo: path,
    pinned: await postItems(deps, pinned.items, viewerId, "account"),
    items: await postItems(deps, latest.items, viewerId, "account"),
    more: moreOf(path, latest.nextMaxId),
  });
}

export function registerAccountPostPages(app: Hono, deps: RouteDeps): void {
  app.get("/:handle{@[^/]+}/more", async (c) => {
    const m = /^@([^@/]+)(?:@([^@/]+))?$/.exec(decodeURIComponent(c.req.param("handle")));
    if (!m) return c.body(null, 404);
    const local = !m[2] || m[2].toLowerCase() === localHost(deps).toLowerCase();
    const account = await findAccountByHandle(deps.sql, m[1], local ? null : m[2]);
    if (!account) return c.body(null, 404);
    const { viewer, viewerId } = viewerOf(c);
    return await fragment(c, deps, pagePath(deps, account), await accountTimeline(deps.sql, viewer, account.id, cursor(c)), viewerId, "account");
  });
}
