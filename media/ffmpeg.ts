// Which ffmpeg to run: FFMPEG_PATH, else `ffmpeg` on PATH, else the binary shipped by @ffmpeg-installer/ffmpeg
// (an npm package, so `npm install` alone gives every machine one; ffmpeg-static downloads at install time and
// fails on machines without internet).
import { execFile } from "node:child_process";
import { createRequire } from "node:module";

function works(cmd: string): Promise<boolean> {
  return new Promise((resolve) => execFile(cmd, ["-version"], { timeout: 5_000 }, (error) => resolve(!error)));
}

let found: Promise<string | null> | undefined;

export function findFfmpeg(configured: string | undefined): Promise<string | null> {
  if (configured) return Promise.resolve(configured);
  found ??= (async () => {
    if (await works("ffmpeg")) return "ffmpeg";
    try {
      const shipped = (createRequire(import.meta.url)("@ffmpeg-installer/ffmpeg") as { path: string }).path;
      if (await works(shipped)) return shipped;
    } catch { /* not installed for this platform */ }
    return null;
  })();
  return found;
}
