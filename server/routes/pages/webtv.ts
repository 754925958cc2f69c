// /webtv/:id — a video's watch page (issue #13 §3), for whoever may watch it (the carrying post's audience:
// server/domain/videos/videos.ts canWatch); others get a 404 page, and a signed-out visitor the sign-in page.
// The player reads the files with the page's session cookie (server/routes/webtv-files.ts).
import type { Hono } from "hono";
import { findAccountById } from "../../domain/accounts/accounts.ts";
import { ANONYMOUS, localViewer } from "../../domain/audience/visibility.ts";
import { canWatch, findVideo } from "../../domain/videos/videos.ts";
import { WatchPage } from "../../../web/components/webtv.ts";
import type { RouteDeps } from "../deps.ts";
import { islandUrls } from "./islands.ts";
import { errorPage, page } from "./render.ts";
import { chromeOf, toSignIn } from "./session.ts";

export function registerWebtvPages(app: Hono, deps: RouteDeps): void {
  const { sql, config } = deps;
  app.get("/webtv/:id{[0-9]+}", async (c) => {
    const user = c.get("page").user;
    const video = await findVideo(sql, c.req.param("id"));
    if (!video || !(await canWatch(sql, user ? localViewer(user.account.id) : ANONYMOUS, video))) {
      return user ? errorPage(c, deps, 404, "page.error.notFound") : toSignIn(c, c.req.path);
    }
    const author = await findAccountById(sql, video.accountId);
    const files = `/webtv/files/${video.id}`;
    return page(c, WatchPage, {
      ...chromeOf(c, deps),
      video: {
        id: video.id, title: video.title, description: video.description, state: video.state, error: video.error,
        masterUrl: `${files}/master.m3u8`, posterUrl: `${files}/poster.jpg`, durationS: video.durationS, createdAt: video.createdAt,
        author: { name: author?.displayName || author?.username || "", url: author?.url ?? `${config.origin}/@${author?.username}` },
      },
      scripts: await islandUrls("video-player"),
    });
  });
}
