// Re-encoding uploaded still images with ffmpeg, when one is available (FFMPEG_PATH, else `ffmpeg` on PATH): the
// output is a fresh file made from decoded pixels only, so no metadata, trailing polyglot payload or malformed
// structure survives. ffmpeg reads one local temp file (`-protocol_whitelist file`: no HLS/concat tricks reading
// other files or URLs, corpus case 27) and is killed after 20 s. Without ffmpeg, callers fall back to
// structural metadata stripping (server/domain/image-metadata.ts).
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

function run(cmd: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 1024 * 1024 }, (error) => (error ? reject(error) : resolve()));
  });
}

export { findFfmpeg } from "./ffmpeg.ts";

const OUTPUT: Record<string, { ext: string; args: string[] }> = {
  "image/jpeg": { ext: "jpg", args: ["-q:v", "3"] },
  "image/png": { ext: "png", args: [] },
  "image/webp": { ext: "webp", args: ["-quality", "85"] },
};

/** Re-encodes a JPEG, PNG or WebP image; returns null for formats it leaves alone (GIF animations). */
export async function reencodeImage(ffmpeg: string, bytes: Uint8Array, contentType: string): Promise<Uint8Array | null> {
  const out = OUTPUT[contentType];
  if (!out) return null;
  const dir = await mkdtemp(join(tmpdir(), "ruche-img-"));
  try {
    const input = join(dir, `in.${out.ext}`), output = join(dir, `out.${out.ext}`);
    await writeFile(input, bytes);
    await run(ffmpeg, ["-nostdin", "-v", "error", "-protocol_whitelist", "file", "-i", input, "-map_metadata", "-1",
      "-frames:v", "1", ...out.args, "-y", output], 20_000);
    return new Uint8Array(await readFile(output));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
