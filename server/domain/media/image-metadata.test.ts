// Metadata removal on hand-built images of each format, and re-encoding through the ffmpeg the project ships.
import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { findFfmpeg } from "../../../media/ffmpeg.ts";
import { reencodePostImage } from "./media.ts";
import { stripMetadata } from "./image-metadata.ts";

const has = (bytes: Uint8Array, text: string) => Buffer.from(bytes).includes(Buffer.from(text, "latin1"));
const seg = (marker: number, payload: string | number[]) => {
  const body = typeof payload === "string" ? [...Buffer.from(payload, "latin1")] : payload;
  return [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body];
};

function png(extra: Buffer[] = []): Uint8Array {
  const crc32 = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const x of buf) {
      c ^= x;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([head, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return new Uint8Array(Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr),
    chunk("tEXt", Buffer.from("Location\u0000Lyon, 4 rue X", "latin1")), chunk("IDAT", deflateSync(Buffer.from([0, 1, 2, 3, 4, 5, 6]))),
    chunk("IEND", Buffer.alloc(0)), ...extra,
  ]));
}

describe("image metadata", () => {
  it("JPEG: EXIF, comments and a trailing polyglot payload go; frame size is read", () => {
    const jpeg = new Uint8Array([
      0xff, 0xd8, ...seg(0xe0, "JFIF\u0000\u0001\u0001\u0000\u0000\u0001\u0000\u0001\u0000\u0000"),
      ...seg(0xe1, "Exif\u0000\u0000GPS 45.76N 4.83E"), ...seg(0xfe, "taken by J. Dupont"),
      ...seg(0xc0, [8, 0, 3, 0, 4, 1, 1, 0x11, 0]), ...seg(0xda, [1, 1, 0, 0, 0x3f, 0]), 0x12, 0xff, 0x00, 0x34, 0xff, 0xd9,
      ...Buffer.from("<html><script>alert(1)</script>", "latin1"),
    ]);
    const out = stripMetadata(jpeg, "image/jpeg");
    expect([out.width, out.height]).toEqual([4, 3]);
    for (const leak of ["GPS", "Dupont", "<html>"]) expect(has(out.bytes, leak)).toBe(false);
    expect(has(out.bytes, "JFIF")).toBe(true);
    expect([...out.bytes.slice(-2)]).toEqual([0xff, 0xd9]);
  });

  it("PNG: text chunks and data after IEND go", () => {
    const out = stripMetadata(png([Buffer.from("PK\u0003\u0004zip", "latin1")]), "image/png");
    expect([out.width, out.height]).toEqual([2, 1]);
    expect(has(out.bytes, "Lyon")).toBe(false);
    expect(has(out.bytes, "PK")).toBe(false);
    expect(has(out.bytes, "IDAT")).toBe(true);
  });

  it("GIF and WebP: comments, XMP and EXIF go; truncated files are refused", () => {
    const gif = new Uint8Array([...Buffer.from("GIF89a"), 5, 0, 7, 0, 0, 0, 0,
      0x21, 0xfe, 6, ...Buffer.from("secret"), 0, 0x2c, 0, 0, 0, 0, 5, 0, 7, 0, 0, 2, 2, 0x4c, 0x01, 0, 0x3b]);
    const g = stripMetadata(gif, "image/gif");
    expect([g.width, g.height, has(g.bytes, "secret")]).toEqual([5, 7, false]);
    const chunk = (type: string, body: number[]) => [...Buffer.from(type), body.length, 0, 0, 0, ...body, ...(body.length % 2 ? [0] : [])];
    const body = [...chunk("VP8X", [0x0c, 0, 0, 0, 9, 0, 0, 4, 0, 0]), ...chunk("VP8L", [1, 2, 3]), ...chunk("EXIF", [...Buffer.from("GPS!")])];
    const webp = new Uint8Array([...Buffer.from("RIFF"), (body.length + 4) & 0xff, 0, 0, 0, ...Buffer.from("WEBP"), ...body]);
    const w = stripMetadata(webp, "image/webp");
    expect([w.width, w.height, has(w.bytes, "GPS"), w.bytes[20] & 0x0c]).toEqual([10, 5, false, 0]);
    expect(() => stripMetadata(png().slice(0, 40), "image/png")).toThrow(/could not be read/);
  });

  it("re-encodes with ffmpeg: a fresh image made of pixels only", async () => {
    const ffmpeg = await findFfmpeg(undefined);
    expect(ffmpeg).not.toBeNull();
    const out = (await reencodePostImage(ffmpeg!, png([Buffer.from("trailing")])))!.bytes;
    expect(out).not.toBeNull();
    const clean = stripMetadata(out, "image/png");
    expect([clean.width, clean.height]).toEqual([2, 1]);
    expect(has(out, "Lyon") || has(out, "trailing")).toBe(false);
  });
});
