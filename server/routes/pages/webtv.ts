// /webtv/:id — a video's watch page (issue #13 §3), for whoever may watch it (the carrying post's audience:
// server/domain/videos/videos.ts canWatch); others get a 404 page, and a signed-out visitor the sign-in page.
// The player reads the files with the page's session cookie (server/routes/webtv-files.ts).
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Context, Hono } from "hono";
import { findAccountById } from "../../domain/accounts/accounts.ts";
import { ANONYMOUS, localViewer } from "../../domain/audience/visibility.ts";
import { DomainError } from "../../domain/errors.ts";
import { canWatch, findVideo, registerVideo, videoInputSchema } from "../../domain/videos/videos.ts";
import { UploadPage, WatchPage } from "../../../web/components/webtv.ts";
import { uploadsDir, videoEnvOf } from "../ruche-api/videos.ts";
import type { RouteDeps } from "../deps.ts";
import { islandUrls } from "./islands.ts";
import { errorPage, page } from "./render.ts";
import { checkCsrf, chromeOf, toSignIn } from "./session.ts";

export function registerWebtvPages(app: Hono, deps: RouteDeps): void {
  const { sql, config } = deps;
  const limits = { maxMiB: Math.floor(config.video.maxBytes / 1024 ** 2), maxMinutes: Math.floor(config.video.maxSeconds / 60) };

  async function uploadPage(c: Context, extra: { form?: { title: string; description: string; visibility: string }; error?: string } = {}, status = 200) {
    return page(c, UploadPage, { ...chromeOf(c, deps), limits, scripts: await islandUrls("video-upload"), ...extra }, status);
  }

  app.get("/webtv/new", async (c) => (c.get("page").user ? await uploadPage(c) : toSignIn(c, "/webtv/new")));

  // Without JavaScript: one multipart request (bounded like other page uploads, body-limits.ts); the island uses tus.
  app.post("/webtv/new", async (c) => {
    const user = c.get("page").user;
    if (!user) return toSignIn(c, "/webtv/new");
    const body = await c.req.parseBody();
    if (!(await checkCsrf(c, body))) return errorPage(c, deps, 403, "page.error.csrf");
    const form = { title: String(body.title ?? ""), description: String(body.description ?? ""), visibility: String(body.visibility ?? "internal") };
    const file = body.file instanceof File ? body.file : null;
    const upload = `${user.account.id}_${randomBytes(16).toString("hex")}`;
    const parsed = videoInputSchema.safeParse({ ...form, upload_id: upload });
    if (!parsed.success || !file) {
      return uploadPage(c, { form, error: parsed.success ? "file: required" : `${String(parsed.error.issues[0].path[0])}: ${parsed.error.issues[0].message}` }, 422);
    }
    await mkdir(uploadsDir(config.dataDir), { recursive: true });
    const path = join(uploadsDir(config.dataDir), upload);
    await writeFile(path, new Uint8Array(await file.arrayBuffer()));
    try {
      const video = await registerVideo(sql, videoEnvOf(config), user.account.id, path, parsed.data);
      return c.redirect(`/webtv/${video.id}`, 303);
    } catch (e) {
      if (e instanceof DomainError) return uploadPage(c, { form, error: e.message }, e.status);
      throw e;
    }
  });

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
