// Bundles the islands (web/islands/*.ts) in memory with esbuild: one small ES module per island, minified, no
// files written. The server builds them once at start-up and serves them from memory (server/routes/pages/islands.ts).
// `npm run build:web` prints their sizes (minified and gzip), to keep an eye on the page-weight budget
// (../shared/reference/anchor-figures.md §1.7: initial route JS ≤ 100 KB gzip; ours are a few hundred bytes each).
//
// The islands are plain DOM code, not Preact: each one enhances server-rendered markup that already works without
// JavaScript, so none of them needs a component runtime (Preact alone would be ~5 KB gzip per page).
import { createHash } from "node:crypto";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, stop } from "esbuild";

export type IslandBundle = { code: string; etag: string };

const ISLANDS_DIR = join(import.meta.dirname, "islands");

/** The island names: every `web/islands/<name>.ts` that is not a test. */
export async function islandNames(): Promise<string[]> {
  const files = await readdir(ISLANDS_DIR);
  return files.filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts")).map((f) => f.slice(0, -3)).sort();
}

export async function buildIslands(): Promise<Map<string, IslandBundle>> {
  const names = await islandNames();
  const result = await build({
    entryPoints: Object.fromEntries(names.map((n) => [n, join(ISLANDS_DIR, `${n}.ts`)])),
    outdir: "/islands",
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2020",
    platform: "browser",
    write: false,
    logLevel: "silent",
    legalComments: "none",
  });
  // esbuild keeps a helper process alive for later builds; there are none, so free its memory (~12 MB).
  await stop();
  const out = new Map<string, IslandBundle>();
  for (const file of result.outputFiles) {
    const name = file.path.split("/").pop()!.replace(/\.js$/, "");
    const etag = createHash("sha256").update(file.contents).digest("base64url").slice(0, 16);
    out.set(name, { code: file.text, etag });
  }
  return out;
}

/** Sizes in bytes, minified and gzip -9, per island. */
export function islandSizes(bundles: Map<string, IslandBundle>): { name: string; min: number; gzip: number }[] {
  return [...bundles].map(([name, b]) => ({
    name, min: Buffer.byteLength(b.code), gzip: gzipSync(b.code, { level: 9 }).length,
  }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sizes = islandSizes(await buildIslands());
  for (const s of sizes) console.log(`${s.name.padEnd(20)} ${String(s.min).padStart(6)} B min  ${String(s.gzip).padStart(6)} B gzip`);
  console.log(`${"total".padEnd(20)} ${String(sizes.reduce((a, s) => a + s.min, 0)).padStart(6)} B min  ${String(sizes.reduce((a, s) => a + s.gzip, 0)).padStart(6)} B gzip`);
}
