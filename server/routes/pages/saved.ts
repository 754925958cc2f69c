// GET /bookmarks and /favourites: the signed-in person's bookmarked and liked posts, most recent first, each
// with its /more fragment for the infinite-scroll island. The domain lists them (timelines.ts bookmarksOf,
// favouritesOf) through loadPosts with the person as viewer: a post they can no longer read is left out.
import type { Hono } from "hono";
import { bookmarksOf, favouritesOf } from "../../domain/timelines/timelines.ts";
import { SavedPostsPage, type SavedKind } from "../../../web/components/saved.ts";
import type { RouteDeps } from "../deps.ts";
import { islandUrls } from "./islands.ts";
import { postItems } from "./post-items.ts";
import { page } from "./render.ts";
import { chromeOf, toSignIn } from "./session.ts";
import { cursor, fragment, moreOf } from "./timeline.ts";

const LISTS: Record<SavedKind, typeof bookmarksOf> = { bookmarks: bookmarksOf, favourites: favouritesOf };

export function registerSavedPages(app: Hono, deps: RouteDeps): void {
  for (const kind of ["bookmarks", "favourites"] as const) {
    const base = `/${kind}`;
    app.get(base, async (c) => {
      const user = c.get("page").user;
      if (!user) return toSignIn(c, base);
      const [data, scripts] = await Promise.all([
        LISTS[kind](deps.sql, user.account.id, cursor(c)),
        islandUrls("infinite-scroll", "post-actions"),
      ]);
      return page(c, SavedPostsPage, {
        ...chromeOf(c, deps),
        kind,
        items: await postItems(deps, data.items, user.account.id),
        more: moreOf(base, data.nextMaxId),
        scripts,
      });
    });
    app.get(`${base}/more`, async (c) => {
      const user = c.get("page").user;
      if (!user) return c.body(null, 401);
      return await fragment(c, deps, base, await LISTS[kind](deps.sql, user.account.id, cursor(c)), user.account.id);
    });
  }
}
