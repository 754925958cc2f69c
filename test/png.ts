// Test images built in memory: no fixture files.
import { deflateSync } from "node:zlib";

/** A real (tiny) PNG: signature, IHDR, the `extra` chunks (e.g. tEXt metadata), one IDAT, IEND. */
export function png(width = 2, height = 2, extra: { type: string; data: Buffer }[] = []): Uint8Array {
  const crc32 = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) {
      c ^= b;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows = Buffer.alloc((width * 3 + 1) * height, 0x80);
  for (let y = 0; y < height; y++) rows[y * (width * 3 + 1)] = 0;
  return new Uint8Array(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr),
    ...extra.map((c) => chunk(c.type, c.data)), chunk("IDAT", deflateSync(rows)), chunk("IEND", Buffer.alloc(0))]));
}

/** A 1×1 PNG carrying a tEXt chunk (metadata a photo app might write: where it was taken). */
export function pngWithMetadata(): Uint8Array {
  return png(1, 1, [{ type: "tEXt", data: Buffer.from("GPS\u000048.8566,2.3522", "latin1") }]);
}
