// /api/ruche/v1/uploads (tus 1.0 resumable uploads, @tus/server + @tus/file-store) and /api/ruche/v1/videos
// (issue #13). Both authenticate like the rest of the API — a bearer token — or with the web session for the
// browser's upload island. An upload is named after its uploader (`<account id>_<random>`), and every tus request
// on an upload that is not the caller's answers 404: no one resumes, reads or deletes someone else's upload.
// A finished upload becomes a video with POST /videos, which inspects it (server/domain/videos/) and always
// removes the upload, refused or accepted.
import { randomBytes } from "node:crypto";
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Context, Hono, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { FileStore } from "@tus/file-store";
import type { Server as TusServer } from "@tus/server";
import { readSession } from "../../domain/accounts/tokens.ts";
import { DomainError } from "../../domain/errors.ts";
import { deleteVideo, findVideo, registerVideo, uploadOwner, type VideoEnv, videoInputSchema, type VideoView, watchPath } from "../../domain/videos/videos.ts";
import { canWatch } from "../../domain/videos/videos.ts";
import { localViewer } from "../../domain/audience/visibility.ts";
import type { RouteDeps } from "../deps.ts";
import { type ApiEnv, tokenRequired } from "../mastodon/auth.ts";
import { bodyParams } from "../mastodon/params.ts";
import { SESSION_COOKIE } from "../pages/session.ts";
import { videoFileUrl } from "../webtv-files.ts";

export const UPLOADS_PATH = "/api/ruche/v1/uploads";
/** Unfinished or unclaimed uploads are removed after a day (the hourly sweep below). */
const UPLOAD_EXPIRY_MS = 24 * 3600 * 1000;

export const uploadsDir = (dataDir: string) => join(dataDir, "uploads");

/** What the videos domain needs from the configuration. */
export function videoEnvOf(config: RouteDeps["config"]): VideoEnv {
  return {
    dataDir: config.dataDir, origin: config.origin, ffmpegPath: config.ffmpegPath, ffprobePath: config.ffprobePath,
    limits: { maxBytes: config.video.maxBytes, maxSeconds: config.video.maxSeconds },
  };
}

type VideoApiEnv = ApiEnv & { Variables: { uploader: string } };

/**
 * A bearer token (tokenRequired: scopes, charter gate…), else the web session. A session request must come from
 * our own pages: a cross-site page cannot send our cookie with a tus header or a JSON body without a CORS
 * preflight, which this API does not grant to credentials, and a stated foreign Origin is refused outright.
 */
function uploaderRequired(deps: RouteDeps): MiddlewareHandler<VideoApiEnv> {
  const bearer = tokenRequired(deps);
  return async (c, next) => {
    if (c.req.header("Authorization")) {
      return await bearer(c as never, async () => {
        c.set("uploader", c.get("viewer")!.accountId);
        await next();
      });
    }
    const cookie = getCookie(c, SESSION_COOKIE);
    const session = cookie ? await readSession(deps.sql, cookie) : null;
    const origin = c.req.header("Origin");
    if (!session || (origin && origin !== deps.config.origin)) return c.json({ error: "The access token is invalid", error_code: "unauthorized" }, 401);
    c.header("Cache-Control", "private, no-store");
    c.set("uploader", session.accountId);
    await next();
  };
}

function errorJson(c: Context, e: unknown): Response {
  if (e instanceof DomainError) return c.json({ error: e.message, error_code: e.code, field: e.field }, e.status);
  throw e;
}

/** The video as the API shows it; `master_playlist_url` is signed for a video that is not public (webtv-files.ts). */
export function videoJson(origin: string, v: VideoView) {
  return {
    id: v.id, uuid: v.uuid, title: v.title, description: v.description, visibility: v.visibility,
    state: v.state, error: v.error, url: `${origin}${watchPath(v.id)}`, status_id: v.postId,
    master_playlist_url: v.state === "playable" || v.state === "ready" ? videoFileUrl(origin, v, "master.m3u8") : null,
    poster_url: v.state === "failed" ? null : videoFileUrl(origin, v, "poster.jpg"),
    duration: v.durationS, width: v.width, height: v.height, frame_rate: v.fps, size: v.sizeBytes,
    rungs: v.rungs.map((r) => ({ label: r.label, width: r.width, height: r.height, state: r.state, bandwidth: r.bandwidth })),
    created_at: v.createdAt.toISOString(),
  };
}

export function registerRucheVideos(api: Hono<ApiEnv>, deps: RouteDeps): void {
  const { sql, config } = deps;
  const uploaders = new WeakMap<Request, string>();
  // @tus/server and its file store are loaded on the first upload, not at start-up: about 8 MB of an idle
  // instance's memory (bench/memory.ts) for a feature most processes seldom use.
  let parts: Promise<{ tus: TusServer; store: FileStore }> | undefined;
  const tusParts = () => parts ??= (async () => {
    const [{ FileStore }, { Server }] = await Promise.all([import("@tus/file-store"), import("@tus/server")]);
    const store = new FileStore({ directory: uploadsDir(config.dataDir), expirationPeriodInMilliseconds: UPLOAD_EXPIRY_MS });
    const tus = new Server({
      path: UPLOADS_PATH,
      datastore: store,
      maxSize: config.video.maxBytes,
      // The Location is on our canonical origin whatever Host or X-Forwarded-* the request carried.
      generateUrl: (_req, { id }) => `${config.origin}${UPLOADS_PATH}/${id}`,
      namingFunction: (req) => `${uploaders.get(req as unknown as Request)}_${randomBytes(16).toString("hex")}`,
      onIncomingRequest: async (req, uploadId) => {
        if (uploadOwner(uploadId) !== uploaders.get(req as unknown as Request)) throw { status_code: 404, body: "no such upload\n" };
      },
    });
    return { tus, store };
  })();
  // Expired uploads are swept hourly, loading tus only when there is something in the uploads directory.
  const sweep = setInterval(() => void (async () => {
    const pending = await readdir(uploadsDir(config.dataDir)).catch(() => [] as string[]);
    if (pending.length > 0) await (await tusParts()).tus.cleanUpExpiredUploads();
  })().catch(() => {}), 3600_000);
  sweep.unref();

  const env = videoEnvOf(config);
  const auth = uploaderRequired(deps) as unknown as MiddlewareHandler<ApiEnv>;
  const uploader = (c: Context) => (c as unknown as Context<VideoApiEnv>).get("uploader");

  const toTus = async (c: Context) => {
    uploaders.set(c.req.raw, uploader(c));
    return await (await tusParts()).tus.handleWeb(c.req.raw);
  };
  api.options(UPLOADS_PATH, async (c) => await (await tusParts()).tus.handleWeb(c.req.raw));
  api.options(`${UPLOADS_PATH}/:id`, async (c) => await (await tusParts()).tus.handleWeb(c.req.raw));
  api.post(UPLOADS_PATH, auth, toTus);
  api.on(["PATCH", "DELETE"], `${UPLOADS_PATH}/:id`, auth, toTus);
  // Hono dispatches HEAD to GET routes. A GET of the upload's bytes is not offered (tus's GetHandler would serve them).
  api.get(`${UPLOADS_PATH}/:id`, auth, async (c) => (c.req.raw.method === "HEAD" ? await toTus(c) : c.json({ error: "uploads are not downloaded", error_code: "method_not_allowed" }, 405)));

  api.post("/api/ruche/v1/videos", auth, async (c) => {
    const parsed = videoInputSchema.safeParse(await bodyParams(c));
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      return c.json({ error: `${String(i.path[0])} ${i.message}`, error_code: "validation_failed", field: String(i.path[0]) }, 422);
    }
    const input = parsed.data, accountId = uploader(c);
    if (uploadOwner(input.upload_id) !== accountId) return c.json({ error: "no such upload", error_code: "not_found" }, 404);
    const file = join(uploadsDir(config.dataDir), input.upload_id);
    const upload = await (await tusParts()).store.getUpload(input.upload_id).catch(() => null);
    if (!upload) return c.json({ error: "no such upload (unclaimed uploads are kept a day)", error_code: "not_found" }, 404);
    if (upload.size == null || upload.offset !== upload.size) {
      return c.json({ error: `the upload is not finished (${upload.offset} of ${upload.size ?? "?"} bytes): resume it first`, error_code: "upload_incomplete" }, 409);
    }
    try {
      const video = await registerVideo(sql, env, accountId, file, input);
      return c.json(videoJson(config.origin, video), 201);
    } catch (e) {
      return errorJson(c, e);
    } finally {
      await rm(file, { force: true });
      await rm(`${file}.json`, { force: true });
    }
  });

  api.get("/api/ruche/v1/videos/:id{[0-9]+}", auth, async (c) => {
    const video = await findVideo(sql, c.req.param("id"));
    if (!video || !(await canWatch(sql, localViewer(uploader(c)), video))) return c.json({ error: "Record not found", error_code: "not_found" }, 404);
    return c.json(videoJson(config.origin, video));
  });

  api.delete("/api/ruche/v1/videos/:id{[0-9]+}", auth, async (c) => {
    const video = await findVideo(sql, c.req.param("id"));
    if (!video || video.accountId !== uploader(c)) return c.json({ error: "Record not found", error_code: "not_found" }, 404);
    await deleteVideo(sql, config.dataDir, video, uploader(c));
    return c.json({ id: video.id, deleted: true });
  });
}
