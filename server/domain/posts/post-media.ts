// Images attached to posts (Mastodon's v2 media upload: upload first, attach when posting). Type by magic bytes
// (media.ts sniffImage: SVG/HTML refused), server-generated names, metadata removed before anything is stored:
// re-encoded by the `reencode` port when given (ffmpeg, media.ts reencodePostImage: the avatars' pipeline), else stripped structurally
// (image-metadata.ts). Up to 4 per post (posts.ts).
//
//   saveAttachment(db, dataDir, accountId, bytes, { description?, reencode? }) → Attachment
//   updateAttachment(db, accountId, id, { description }) → Attachment
//   findAttachment(db, accountId, id) → Attachment | null
//   attachmentAudience(db, url) → who may read a local attachment file: its post's audience (issue #8 point 32)
//   removeAttachmentFiles(dataDir, urls) → the files of a deleted post, removed after its transaction commits
import { randomBytes } from "node:crypto";
import { mkdir, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Db } from "../../db/pool.ts";
import { LocalDiskStorage } from "../../../media/storage.ts";
import { DomainError } from "../errors.ts";
import { stripMetadata } from "../media/image-metadata.ts";
import { MAX_IMAGE_PIXELS, sniffImage } from "../media/media.ts";
import type { Attachment } from "./post-views.ts";

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_DESCRIPTION = 1500;

/** The image pipeline (media.ts reencodePostImage with the configured ffmpeg): null leaves the file as uploaded. */
export type Reencode = (bytes: Uint8Array) => Promise<{ bytes: Uint8Array; contentType: string } | null>;

function toAttachment(r: Record<string, unknown>): Attachment {
  return {
    id: String(r.id), url: r.url as string, remote: r.remote as boolean, contentType: r.content_type as string,
    description: r.description as string, width: (r.width as number) ?? null, height: (r.height as number) ?? null,
  };
}

export async function saveAttachment(db: Db, dataDir: string, accountId: string, bytes: Uint8Array,
  opts: { description?: string; reencode?: Reencode } = {}): Promise<Attachment> {
  if (bytes.length === 0) throw new DomainError("empty_file", 422, "the file is empty", "file");
  if (bytes.length > MAX_ATTACHMENT_BYTES) throw new DomainError("file_too_large", 413, `images are limited to ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MiB`, "file");
  const description = (opts.description ?? "").slice(0, MAX_DESCRIPTION);
  const sniffed = sniffImage(bytes);
  if (!sniffed) throw new DomainError("unsupported_media_type", 422, "images must be PNG, JPEG, GIF or WebP", "file");
  // A file the pipeline cannot decode is refused (422): the original is never kept in its place.
  const reencoded = opts.reencode ? await opts.reencode(bytes) : null;
  const stored = reencoded ? sniffImage(reencoded.bytes) ?? sniffed : sniffed;
  // Re-encoded output is stripped too: it gives us the dimensions, and costs microseconds.
  let clean: ReturnType<typeof stripMetadata>;
  try {
    clean = stripMetadata(reencoded?.bytes ?? bytes, stored.contentType);
  } catch {
    throw new DomainError("unsupported_media_type", 422, "the image could not be read", "file");
  }
  if ((clean.width ?? 0) * (clean.height ?? 0) > MAX_IMAGE_PIXELS) {
    throw new DomainError("image_too_large", 422, `images are limited to ${MAX_IMAGE_PIXELS / 1_000_000} megapixels`, "file");
  }
  const dir = join(dataDir, "media", "attachments");
  await mkdir(dir, { recursive: true });
  const name = `${randomBytes(16).toString("hex")}.${stored.ext}`;
  const file = join(dir, name);
  await writeFile(file, clean.bytes, { flag: "wx" });
  try {
    const [row] = await db`INSERT INTO attachments (account_id, url, content_type, description, width, height, size)
      VALUES (${accountId}, ${`/media/attachments/${name}`}, ${stored.contentType}, ${description}, ${clean.width}, ${clean.height},
        ${clean.bytes.length})
      RETURNING id, url, remote, content_type, description, width, height`;
    return toAttachment(row);
  } catch (e) {
    await unlink(file).catch(() => {});
    throw e;
  }
}

export async function findAttachment(db: Db, accountId: string, id: string): Promise<Attachment | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const [row] = await db`SELECT id, url, remote, content_type, description, width, height FROM attachments
    WHERE id = ${id} AND account_id = ${accountId}`;
  return row ? toAttachment(row) : null;
}

export async function updateAttachment(db: Db, accountId: string, id: string, input: { description?: string }): Promise<Attachment> {
  const current = await findAttachment(db, accountId, id);
  if (!current || current.remote) throw new DomainError("not_found", 404, "no such media");
  if (input.description === undefined) return current;
  const [row] = await db`UPDATE attachments SET description = ${input.description.slice(0, MAX_DESCRIPTION)}
    WHERE id = ${id} AND account_id = ${accountId} RETURNING id, url, remote, content_type, description, width, height`;
  return toAttachment(row);
}

export interface AttachmentAudience {
  accountId: string;
  /** null: not attached to a post (yet, or any more). */
  postId: string | null;
  visibility: string | null;
  /** Not attached now but part of an earlier version of a post (removed by an edit). */
  detached: boolean;
}

/**
 * The post a local attachment file belongs to, by its URL (`/media/attachments/…`): null when no attachment has
 * that URL (its post was deleted, or it never existed).
 */
export async function attachmentAudience(db: Db, url: string): Promise<AttachmentAudience | null> {
  const [row] = await db`SELECT a.account_id::text, a.post_id::text, p.visibility,
      a.post_id IS NULL AND EXISTS (SELECT 1 FROM post_edits e WHERE e.media @> ${db.json([{ url }] as never)}) AS detached
    FROM attachments a LEFT JOIN posts p ON p.id = a.post_id WHERE a.url = ${url} AND NOT a.remote`;
  return row ? { accountId: row.account_id, postId: row.post_id ?? null, visibility: row.visibility ?? null, detached: row.detached } : null;
}

/** Removes local attachment files (`/media/…` URLs) from the data directory's media storage. */
export async function removeAttachmentFiles(dataDir: string, urls: string[]): Promise<void> {
  const storage = new LocalDiskStorage(join(dataDir, "media"));
  for (const url of urls) if (url.startsWith("/media/")) await storage.remove(url.slice("/media/".length));
}
