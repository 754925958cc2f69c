// Uploaded images (avatars and headers). The type comes from the file's first bytes, never from its name or the
// client's Content-Type, and the stored name is generated here: an SVG (scriptable) or an HTML page renamed
// `cat.png` is refused, and no client-chosen path reaches the disk (corpus case 27).
//
// Then the image is re-encoded by ffmpeg (issue #3 §1): decoded, turned upright (EXIF orientation), scaled and
// centre-cropped to a fixed size — avatars 400×400, headers 1500×500 — and encoded afresh from its pixels, so no
// metadata (EXIF GPS position, camera serial, XMP, comments), no trailing polyglot payload and no malformed structure
// reaches the disk or other people's browsers. JPEG stays JPEG, PNG stays PNG, WebP stays WebP; a GIF becomes a PNG
// of its first frame (animated avatars are not kept). A file ffmpeg cannot decode is refused (422), nothing stored.
// ffmpeg reads one private temp file through the `file` protocol only (`-protocol_whitelist file`, with the demuxer
// forced from the sniffed type: no playlist or concat tricks reaching other files or URLs, corpus case 27), refuses
// pictures above MAX_IMAGE_PIXELS before allocating them, and is killed after 20 s.
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findFfmpeg, runMediaTool } from "../../../media/ffmpeg.ts";
import type { Db } from "../../db/pool.ts";
import { DomainError } from "../errors.ts";
import { stripMetadata } from "./image-metadata.ts";

export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
export const IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"] as const;
export type ImageKind = "avatar" | "header";

/** The size every stored avatar and header has (scaled to cover it, then centre-cropped). */
export const IMAGE_SIZES: Record<ImageKind, { width: number; height: number }> = {
  avatar: { width: 400, height: 400 },
  header: { width: 1500, height: 500 },
};
/** Bigger pictures are refused by the decoder before it allocates them (a 2 MiB PNG can claim 30,000 × 30,000). */
export const MAX_IMAGE_PIXELS = 25_000_000;
const FFMPEG_TIMEOUT_MS = 20_000;

type ImageType = (typeof IMAGE_TYPES)[number];
interface Sniffed { contentType: ImageType; ext: string }

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

/** ffmpeg's demuxer for each sniffed type (never guessed from the content), and what each type is stored as. */
const DEMUXER: Record<ImageType, string> = { "image/png": "png_pipe", "image/jpeg": "jpeg_pipe", "image/gif": "gif", "image/webp": "webp_pipe" };
const STORED_AS: Record<ImageType, { contentType: ImageType; ext: string; args: string[] }> = {
  "image/jpeg": { contentType: "image/jpeg", ext: "jpg", args: ["-q:v", "3"] },
  "image/png": { contentType: "image/png", ext: "png", args: [] },
  "image/gif": { contentType: "image/png", ext: "png", args: [] },
  "image/webp": { contentType: "image/webp", ext: "webp", args: ["-quality", "85"] },
};

/**
 * The EXIF orientation of a JPEG (1–8; 1 when absent or unreadable): phones store pictures sideways and say so in
 * EXIF, which re-encoding drops, so the rotation is applied to the pixels instead.
 */
export function jpegOrientation(b: Uint8Array): number {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let i = 2;
  while (i + 4 <= b.length && b[i] === 0xff) {
    const marker = b[i + 1];
    if (marker === 0xda || marker === 0xd9) break; // image data: no metadata after it
    const len = view.getUint16(i + 2);
    if (len < 2) break;
    const start = i + 4, end = Math.min(i + 2 + len, b.length);
    if (marker === 0xe1 && end - start >= 14 && startsWith(b, [...ascii("Exif"), 0, 0], start)) {
      const tiff = start + 6;
      const little = b[tiff] === 0x49 && b[tiff + 1] === 0x49;
      if (!little && !(b[tiff] === 0x4d && b[tiff + 1] === 0x4d)) return 1;
      const u16 = (at: number) => (at + 2 <= end ? view.getUint16(at, little) : -1);
      const u32 = (at: number) => (at + 4 <= end ? view.getUint32(at, little) : -1);
      const ifd = u32(tiff + 4);
      if (ifd < 0) return 1;
      const count = u16(tiff + ifd);
      for (let k = 0; k < count; k++) {
        const entry = tiff + ifd + 2 + 12 * k;
        if (entry + 12 > end) return 1;
        if (u16(entry) === 0x0112 && u16(entry + 2) === 3) {
          const value = u16(entry + 8);
          return value >= 1 && value <= 8 ? value : 1;
        }
      }
      return 1;
    }
    i += 2 + len;
  }
  return 1;
}

/** ffmpeg filters that turn a picture with this EXIF orientation upright. */
const UPRIGHT: Record<number, string[]> = {
  1: [], 2: ["hflip"], 3: ["hflip", "vflip"], 4: ["vflip"],
  5: ["transpose=cclock_flip"], 6: ["transpose=clock"], 7: ["transpose=clock_flip"], 8: ["transpose=cclock"],
};

async function runFfmpeg(ffmpeg: string, args: string[]): Promise<{ ok: true } | { ok: false; started: boolean }> {
  const r = await runMediaTool(ffmpeg, args, { timeoutMs: FFMPEG_TIMEOUT_MS });
  return r.ok ? { ok: true } : { ok: false, started: r.started };
}

/** Post images keep their aspect ratio and are only ever scaled down, to fit in this square. */
export const MAX_POST_IMAGE_SIDE = 4096;

/**
 * The one image pipeline, for avatars, headers and post images: decodes (pixel cap, forced demuxer, file protocol
 * only), turns upright, scales — avatars and headers cropped to their fixed size, post images shrunk to fit
 * MAX_POST_IMAGE_SIDE — and re-encodes; throws a 422 naming `field` when ffmpeg cannot decode the file.
 */
async function reencode(ffmpeg: string, bytes: Uint8Array, sniffed: Sniffed, kind: ImageKind | "post", field: string): Promise<{ bytes: Uint8Array; contentType: ImageType; ext: string }> {
  const out = STORED_AS[sniffed.contentType];
  const orientation = sniffed.contentType === "image/jpeg" ? jpegOrientation(bytes) : 1;
  const M = MAX_POST_IMAGE_SIDE;
  const fit = kind === "post"
    ? [`scale='min(${M},iw)':'min(${M},ih)':force_original_aspect_ratio=decrease`]
    : [`scale=${IMAGE_SIZES[kind].width}:${IMAGE_SIZES[kind].height}:force_original_aspect_ratio=increase`, `crop=${IMAGE_SIZES[kind].width}:${IMAGE_SIZES[kind].height}`];
  const filters = [...UPRIGHT[orientation], ...fit];
  const dir = await mkdtemp(join(tmpdir(), "ruche-img-"));
  try {
    const input = join(dir, `in.${sniffed.ext}`), output = join(dir, `out.${out.ext}`);
    await writeFile(input, bytes, { mode: 0o600 });
    const result = await runFfmpeg(ffmpeg, [
      "-nostdin", "-hide_banner", "-v", "error", "-threads", "1",
      "-protocol_whitelist", "file", "-max_pixels", String(MAX_IMAGE_PIXELS), "-f", DEMUXER[sniffed.contentType], "-i", input,
      "-map", "0:v:0", "-frames:v", "1", "-vf", filters.join(","), "-map_metadata", "-1", "-map_chapters", "-1",
      "-fflags", "+bitexact", "-flags:v", "+bitexact", ...out.args, "-y", output,
    ]);
    if (!result.ok && !result.started) throw new Error(`ffmpeg (${ffmpeg}) could not be started to re-encode an image`);
    const encoded = result.ok ? new Uint8Array(await readFile(output).catch(() => Buffer.alloc(0))) : new Uint8Array(0);
    if (encoded.length === 0 || sniffImage(encoded)?.contentType !== out.contentType) {
      throw new DomainError("unsupported_media_type", 422, `the ${kind === "post" ? "image" : kind} could not be read as an image`, field);
    }
    return { bytes: encoded, contentType: out.contentType, ext: out.ext };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Stores an avatar or header under `<dataDir>/media/<kind>s/` with a random name and records it in `media`.
 * Returns the public path (`/media/avatars/….png`) to put on the profile. `ffmpegPath` is the configured
 * FFMPEG_PATH (config.ffmpegPath), else ffmpeg on PATH, else the one shipped with the npm package; when there is
 * none at all, the image is stored as uploaded with its metadata stripped structurally (image-metadata.ts).
 */
export async function saveImageUpload(db: Db, dataDir: string, accountId: string, kind: ImageKind, bytes: Uint8Array,
  opts: { ffmpegPath?: string } = {}): Promise<string> {
  if (bytes.length > MAX_IMAGE_BYTES) {
    throw new DomainError("file_too_large", 413, `the ${kind} is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MiB`, kind);
  }
  if (bytes.length === 0) throw new DomainError("empty_file", 422, `the ${kind} file is empty`, kind);
  const sniffed = sniffImage(bytes);
  if (!sniffed) {
    throw new DomainError("unsupported_media_type", 422, `the ${kind} must be a PNG, JPEG, GIF or WebP image`, kind);
  }
  const ffmpeg = await findFfmpeg(opts.ffmpegPath);
  let image: { bytes: Uint8Array; contentType: ImageType; ext: string };
  if (ffmpeg) image = await reencode(ffmpeg, bytes, sniffed, kind, kind);
  else {
    try {
      image = { bytes: stripMetadata(bytes, sniffed.contentType).bytes, contentType: sniffed.contentType, ext: sniffed.ext };
    } catch {
      throw new DomainError("unsupported_media_type", 422, `the ${kind} could not be read as an image`, kind);
    }
  }
  const folder = `${kind}s`;
  const name = `${randomBytes(16).toString("hex")}.${image.ext}`;
  const dir = join(dataDir, "media", folder);
  await mkdir(dir, { recursive: true });
  const file = join(dir, name);
  await writeFile(file, image.bytes, { flag: "wx" });
  const publicPath = `/media/${folder}/${name}`;
  try {
    await db`INSERT INTO media (account_id, kind, path, content_type, size)
      VALUES (${accountId}, ${kind}, ${publicPath}, ${image.contentType}, ${image.bytes.length})`;
  } catch (e) {
    await unlink(file).catch(() => {});
    throw e;
  }
  return publicPath;
}

/**
 * A post image through the same pipeline. GIFs are left to the caller's structural stripping (animations are kept
 * in posts; their pixel count is checked there): null. Throws the 422 for a file ffmpeg cannot decode or that is
 * above MAX_IMAGE_PIXELS — never falls back to storing the original.
 */
export async function reencodePostImage(ffmpeg: string, bytes: Uint8Array): Promise<{ bytes: Uint8Array; contentType: string } | null> {
  const sniffed = sniffImage(bytes);
  if (!sniffed) throw new DomainError("unsupported_media_type", 422, "images must be PNG, JPEG, GIF or WebP", "file");
  if (sniffed.contentType === "image/gif") return null;
  const image = await reencode(ffmpeg, bytes, sniffed, "post", "file");
  return { bytes: image.bytes, contentType: image.contentType };
}

/** The `reencode` port of post-media.ts, with the configured ffmpeg (FFMPEG_PATH, PATH, else the npm one). */
export function postImageReencoder(ffmpegPath?: string) {
  return async (bytes: Uint8Array) => {
    const ffmpeg = await findFfmpeg(ffmpegPath);
    return ffmpeg ? await reencodePostImage(ffmpeg, bytes) : null;
  };
}
