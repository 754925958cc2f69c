// Uploaded images (avatars and headers). The type comes from the file's first bytes, never from its name or the
// client's Content-Type, and the stored name is generated here: an SVG (scriptable) or an HTML page renamed
// `cat.png` is refused, and no client-chosen path reaches the disk (corpus case 27).
import { randomBytes } from "node:crypto";
import { mkdir, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Db } from "../db/pool.ts";
import { DomainError } from "./errors.ts";

export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
export const IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"] as const;
export type ImageKind = "avatar" | "header";

interface Sniffed { contentType: (typeof IMAGE_TYPES)[number]; ext: string }

function startsWith(bytes: Uint8Array, prefix: number[], at = 0): boolean {
  return bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b);
}

const ascii = (s: string) => [...s].map((ch) => ch.charCodeAt(0));

/** PNG, JPEG, GIF or WebP by magic bytes; anything else (SVG, HTML, text, archives…) is null. */
export function sniffImage(bytes: Uint8Array): Sniffed | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { contentType: "image/png", ext: "png" };
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { contentType: "image/jpeg", ext: "jpg" };
  if (startsWith(bytes, ascii("GIF87a")) || startsWith(bytes, ascii("GIF89a"))) return { contentType: "image/gif", ext: "gif" };
  if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WEBP"), 8)) return { contentType: "image/webp", ext: "webp" };
  return null;
}

/**
 * Stores an avatar or header under `<dataDir>/media/<kind>s/` with a random name and records it in `media`.
 * Returns the public path (`/media/avatars/….png`) to put on the profile.
 */
export async function saveImageUpload(db: Db, dataDir: string, accountId: string, kind: ImageKind, bytes: Uint8Array): Promise<string> {
  if (bytes.length > MAX_IMAGE_BYTES) {
    throw new DomainError("file_too_large", 413, `the ${kind} is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MiB`, kind);
  }
  if (bytes.length === 0) throw new DomainError("empty_file", 422, `the ${kind} file is empty`, kind);
  const sniffed = sniffImage(bytes);
  if (!sniffed) {
    throw new DomainError("unsupported_media_type", 422, `the ${kind} must be a PNG, JPEG, GIF or WebP image`, kind);
  }
  const folder = `${kind}s`;
  const name = `${randomBytes(16).toString("hex")}.${sniffed.ext}`;
  const dir = join(dataDir, "media", folder);
  await mkdir(dir, { recursive: true });
  const file = join(dir, name);
  await writeFile(file, bytes, { flag: "wx" });
  const publicPath = `/media/${folder}/${name}`;
  try {
    await db`INSERT INTO media (account_id, kind, path, content_type, size)
      VALUES (${accountId}, ${kind}, ${publicPath}, ${sniffed.contentType}, ${bytes.length})`;
  } catch (e) {
    await unlink(file).catch(() => {});
    throw e;
  }
  return publicPath;
}
