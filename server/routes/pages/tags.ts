// Hashtag pages: GET /tags/:tag (posts the viewer may read, newest first), /tags/:tag/more (the next page as a
// fragment), POST /tags/:tag/follow and /unfollow (a followed hashtag's posts join the home timeline).
import type { Hono } from "hono";
import { DomainError } from "../../domain/errors.ts";
import { followTag, normaliseTag, tagInfo, unfollowTag } from "../../domain/posts/hashtags.ts";
import { hashtagTimeline } from "../../domain/timelines/timelines.ts";
import { HashtagPage } from "../../../web/components/hashtag.ts";
import type { RouteDeps } from "../deps.ts";
import { islandUrls } from "./islands.ts";
import { postItems } from "./post-items.ts";
import { errorPage, page } from "./render.ts";
import { checkCsrf, chromeOf, safeNext, toSignIn } from "./session.ts";
import { cursor, fragment, moreOf, viewerOf } from "./timeline.ts";

const tagPath = (tag: string) => `/tags/${encodeURIComponent(tag)}`;

export function registerTagPages(app: Hono, deps: RouteDeps): void {
  const { sql } = deps;

  app.get("/tags/:tag", async (c) => {
    const tag = normaliseTag(c.req.param("tag"));
    if (!tag) return errorPage(c, deps, 404, "tags.notFound");
    // One spelling per hashtag: /tags/Paris → /tags/paris.
    if (c.req.param("tag") !== tag) return c.redirect(tagPath(tag), 301);
    const { viewer, viewerId } = viewerOf(c);
    const opts = cursor(c);
    const [data, info, scripts] = await Promise.all([
      hashtagTimeline(sql, viewer, tag, opts),
      tagInfo(sql, tag, viewer),
      islandUrls("infinite-scroll", "post-actions"),
    ]);
    return page(c, HashtagPage, {
      ...chromeOf(c, deps),
      tag,
      following: viewerId ? info.following : null,
      uses: { posts: info.history.reduce((n, d) => n + d.uses, 0), people: Math.max(0, ...info.history.map((d) => d.accounts)) },
      items: await postItems(deps, data.items, viewerId, "public"),
      more: moreOf(tagPath(tag), data.nextMaxId),
      scripts,
    });
  });

  app.get("/tags/:tag/more", async (c) => {
    const tag = normaliseTag(c.req.param("tag"));
    if (!tag) return c.body(null, 404);
    const { viewer, viewerId } = viewerOf(c);
    return await fragment(c, deps, tagPath(tag), await hashtagTimeline(sql, viewer, tag, cursor(c)), viewerId, "public");
  });

  for (const action of ["follow", "unfollow"] as const) {
    app.post(`/tags/:tag/${action}`, async (c) => {
      const user = c.get("page").user;
      if (!user) return toSignIn(c, tagPath(c.req.param("tag")));
      const form = await c.req.parseBody();
      if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
      try {
        const info = action === "follow"
          ? await followTag(sql, user.account.id, c.req.param("tag"))
          : await unfollowTag(sql, user.account.id, c.req.param("tag"));
        return c.redirect(safeNext(form.next ?? tagPath(info.name)), 303);
      } catch (e) {
        if (e instanceof DomainError) return errorPage(c, deps, 404, "tags.notFound");
        throw e;
      }
    });
  }
}
