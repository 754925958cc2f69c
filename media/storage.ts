// File storage behind one interface: local disk now (under a root folder), an S3-compatible store later. Reads are
// streamed and ranged, so serving a video segment or a large image never loads the whole file into memory.
// Keys are server-generated relative paths; a key that would leave the root is refused (corpus case 27).
import { createReadStream } from "node:fs";
import { stat, unlink } from "node:fs/promises";
import { join, normalize, sep } from "node:path";
import { Readable } from "node:stream";

export interface StoredFile { size: number; modified: Date }

export interface FileStorage {
  /** The file's size, or null when there is no such file (or the key is not a valid one). */
  stat(key: string): Promise<StoredFile | null>;
  /** A stream of bytes start..end (inclusive), the whole file without a range. */
  read(key: string, range?: { start: number; end: number }): ReadableStream<Uint8Array>;
  /** Removes the file; a missing file (or an invalid key) is not an error. */
  remove(key: string): Promise<void>;
}

export class LocalDiskStorage implements FileStorage {
  readonly root: string;
  constructor(root: string) {
    this.root = normalize(root);
  }

  #path(key: string): string | null {
    const full = normalize(join(this.root, key));
    return full.startsWith(this.root + sep) ? full : null;
  }

  async stat(key: string): Promise<StoredFile | null> {
    const path = this.#path(key);
    if (!path) return null;
    try {
      const s = await stat(path);
      return s.isFile() ? { size: s.size, modified: s.mtime } : null;
    } catch {
      return null;
    }
  }

  read(key: string, range?: { start: number; end: number }): ReadableStream<Uint8Array> {
    const path = this.#path(key);
    if (!path) throw new Error(`invalid storage key: ${key}`);
    return Readable.toWeb(createReadStream(path, range ? { start: range.start, end: range.end } : {})) as ReadableStream<Uint8Array>;
  }

  async remove(key: string): Promise<void> {
    const path = this.#path(key);
    if (!path) return;
    await unlink(path).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== "ENOENT") throw e;
    });
  }
}

/**
 * A single `bytes=` range against a file of `size` bytes (RFC 9110 §14.1.2): `a-b`, `a-` or `-n`. Null means
 * "serve the whole file" (no header, or several ranges, which we do not multipart); "unsatisfiable" means 416.
 */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | "unsatisfiable" {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return null;
  let start: number, end: number;
  if (m[1] === "") {
    const n = Number(m[2]);
    if (n === 0) return "unsatisfiable";
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return "unsatisfiable";
  return { start, end };
}
