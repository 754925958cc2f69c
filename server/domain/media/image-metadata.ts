// Removing metadata from uploaded images without re-encoding them (used when no ffmpeg is available to re-encode):
// EXIF (GPS position, camera serial numbers), XMP, IPTC and comments leak where and with what a photo was taken.
// Each format is walked structurally and only the pixel-carrying and rendering-relevant parts are kept:
//   JPEG  drops APP1 (EXIF/XMP), APP3–APP13 (IPTC, Photoshop…), APP15, COM and anything after the end of image;
//         keeps APP0 (JFIF), APP2 (ICC), APP14 (Adobe)
//   PNG   drops tEXt, zTXt, iTXt, eXIf, tIME and anything after IEND
//   WebP  drops EXIF and XMP chunks (and clears their VP8X flags)
//   GIF   drops comment extensions and application extensions other than the NETSCAPE loop count
// Also reads the dimensions. A structure that does not parse is refused (a polyglot or truncated file, case 27).
import { DomainError } from "../errors.ts";

export interface Stripped { bytes: Uint8Array; width: number | null; height: number | null }

const bad = () => new DomainError("unsupported_media_type", 422, "the image could not be read");

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export function stripJpeg(b: Uint8Array): Stripped {
  const parts: Uint8Array[] = [b.subarray(0, 2)];
  let i = 2, width: number | null = null, height: number | null = null;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) throw bad();
    const marker = b[i + 1];
    if (marker === 0xd9) break;
    const len = (b[i + 2] << 8) | b[i + 3];
    if (len < 2 || i + 2 + len > b.length) throw bad();
    // SOF0–SOF15 (not DHT c4, JPG c8, DAC cc) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      height = (b[i + 5] << 8) | b[i + 6];
      width = (b[i + 7] << 8) | b[i + 8];
    }
    const drop = marker === 0xfe || marker === 0xe1 || (marker >= 0xe3 && marker <= 0xed) || marker === 0xef;
    if (!drop) parts.push(b.subarray(i, i + 2 + len));
    i += 2 + len;
    if (marker === 0xda) {
      // Start of scan: entropy-coded data follows, where 0xFF is always stuffed (FF00) or a restart/scan marker, so
      // the first FFD9 is the end of the image. Whatever follows it (a polyglot's HTML or ZIP) is dropped.
      let end = i;
      while (end + 1 < b.length && !(b[end] === 0xff && b[end + 1] === 0xd9)) end++;
      if (end + 1 >= b.length) throw bad();
      parts.push(b.subarray(i, end + 2));
      return { bytes: concat(parts), width, height };
    }
  }
  throw bad();
}

export function stripPng(b: Uint8Array): Stripped {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const parts: Uint8Array[] = [b.subarray(0, 8)];
  let i = 8, width: number | null = null, height: number | null = null;
  while (i + 12 <= b.length) {
    const len = view.getUint32(i);
    const type = String.fromCharCode(...b.subarray(i + 4, i + 8));
    if (i + 12 + len > b.length) throw bad();
    if (type === "IHDR") {
      width = view.getUint32(i + 8);
      height = view.getUint32(i + 12);
    }
    if (!["tEXt", "zTXt", "iTXt", "eXIf", "tIME"].includes(type)) parts.push(b.subarray(i, i + 12 + len));
    i += 12 + len;
    if (type === "IEND") return { bytes: concat(parts), width, height };
  }
  throw bad();
}

export function stripWebp(b: Uint8Array): Stripped {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const parts: Uint8Array[] = [];
  let i = 12, width: number | null = null, height: number | null = null;
  while (i + 8 <= b.length) {
    const type = String.fromCharCode(...b.subarray(i, i + 4));
    const len = view.getUint32(i + 4, true);
    const end = i + 8 + len + (len % 2);
    if (i + 8 + len > b.length) throw bad();
    if (type === "VP8X") {
      const chunk = b.slice(i, i + 8 + len);
      chunk[8] &= ~0x0c; // EXIF (0x08) and XMP (0x04) flags
      width = 1 + (b[i + 12] | (b[i + 13] << 8) | (b[i + 14] << 16));
      height = 1 + (b[i + 15] | (b[i + 16] << 8) | (b[i + 17] << 16));
      parts.push(chunk, b.subarray(i + 8 + len, Math.min(end, b.length)));
    } else if (type !== "EXIF" && type !== "XMP ") parts.push(b.subarray(i, Math.min(end, b.length)));
    i = end;
  }
  const body = concat(parts);
  const header = new Uint8Array(12);
  header.set(b.subarray(0, 12));
  new DataView(header.buffer).setUint32(4, body.length + 4, true);
  return { bytes: concat([header, body]), width, height };
}

export function stripGif(b: Uint8Array): Stripped {
  if (b.length < 13) throw bad();
  const width = b[6] | (b[7] << 8), height = b[8] | (b[9] << 8);
  let i = 13;
  if (b[10] & 0x80) i += 3 * (1 << ((b[10] & 0x07) + 1));
  const parts: Uint8Array[] = [b.subarray(0, i)];
  const skipSubBlocks = (from: number) => {
    let j = from;
    while (j < b.length && b[j] !== 0) j += b[j] + 1;
    if (j >= b.length) throw bad();
    return j + 1;
  };
  while (i < b.length) {
    const start = i;
    if (b[i] === 0x3b) {
      parts.push(b.subarray(i, i + 1));
      return { bytes: concat(parts), width, height };
    }
    if (b[i] === 0x21) {
      const label = b[i + 1];
      const end = skipSubBlocks(i + 2);
      const isLoop = label === 0xff && String.fromCharCode(...b.subarray(i + 3, i + 14)) === "NETSCAPE2.0";
      if (label !== 0xfe && (label !== 0xff || isLoop)) parts.push(b.subarray(start, end));
      i = end;
    } else if (b[i] === 0x2c) {
      let j = i + 10;
      if (b[i + 9] & 0x80) j += 3 * (1 << ((b[i + 9] & 0x07) + 1));
      const end = skipSubBlocks(j + 1); // LZW minimum code size, then data sub-blocks
      parts.push(b.subarray(start, end));
      i = end;
    } else throw bad();
  }
  throw bad();
}

export function stripMetadata(bytes: Uint8Array, contentType: string): Stripped {
  switch (contentType) {
    case "image/jpeg": return stripJpeg(bytes);
    case "image/png": return stripPng(bytes);
    case "image/webp": return stripWebp(bytes);
    case "image/gif": return stripGif(bytes);
    default: throw bad();
  }
}
