// POST /api/v2/media (and the older /api/v1/media), GET/PUT /api/v1/media/:id. Images are processed
// synchronously (small stills), so v2 answers 200 with a ready URL rather than 202.
import type { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import { findAttachment, MAX_ATTACHMENT_BYTES, saveAttachment, updateAttachment } from "../../domain/posts/post-media.ts";
import { postImageReencoder } from "../../domain/media/media.ts";
import type { RouteDeps } from "../deps.ts";
import { type ApiEnv, scopeRequired, tokenRequired, viewerOf } from "./auth.ts";
import { notFound } from "./errors.ts";
import { bodyParams, parse } from "./params.ts";
import { mediaEntity } from "./status-serializer.ts";

const uploadSchema = z.object({
  file: z.instanceof(File, { message: "must be a file" }),
  description: z.string().max(1500).optional(),
  focus: z.string().optional(),
});
const updateSchema = z.object({ description: z.string().max(1500).optional(), focus: z.string().optional() });

export function registerMedia(api: Hono<ApiEnv>, deps: RouteDeps): void {
  const { sql, config } = deps;
  const write = [tokenRequired(deps), scopeRequired(["write:media"])] as const;
  const limit = bodyLimit({ maxSize: MAX_ATTACHMENT_BYTES + 64 * 1024, onError: (c) => c.json({ error: "Request entity too large" }, 413) });
  const reencode = postImageReencoder(config.ffmpegPath);

  for (const path of ["/api/v2/media", "/api/v1/media"]) {
    api.post(path, ...write, limit, async (c) => {
      const p = parse(uploadSchema, await bodyParams(c));
      const saved = await saveAttachment(sql, config.dataDir, viewerOf(c).accountId, new Uint8Array(await p.file.arrayBuffer()), {
        description: p.description, reencode,
      });
      return c.json(mediaEntity(config.origin, saved));
    });
  }

  api.get("/api/v1/media/:id{[0-9]+}", tokenRequired(deps), scopeRequired(["read:statuses", "write:media"]), async (c) => {
    const m = await findAttachment(sql, viewerOf(c).accountId, c.req.param("id"));
    if (!m) throw notFound();
    return c.json(mediaEntity(config.origin, m));
  });

  api.put("/api/v1/media/:id{[0-9]+}", ...write, async (c) => {
    const p = parse(updateSchema, await bodyParams(c));
    return c.json(mediaEntity(config.origin, await updateAttachment(sql, viewerOf(c).accountId, c.req.param("id"), { description: p.description })));
  });
}
