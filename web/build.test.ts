import { describe, expect, it } from "vitest";
import { buildIslands, islandSizes } from "./build.ts";

describe("island bundles", () => {
  it("builds every island as one small self-contained ES module with a content hash", async () => {
    const bundles = await buildIslands();
    expect([...bundles.keys()].sort()).toEqual(["composer", "copy-link", "infinite-scroll", "live-badges", "live-timeline", "menus", "messages", "post-actions", "time-zone", "video-player", "video-upload"]);
    for (const [name, b] of bundles) {
      expect(b.code, name).not.toMatch(/^\s*import\b/m);
      expect(b.etag).toMatch(/^[\w-]{16}$/);
    }
    // Budget (anchor-figures §1.7: ≤ 100 KB gzip per route): these are enhancements, each well under 2 KB.
    // The WebTV player carries hls.js (light build, ~116 KB gzip) and is loaded on watch pages only; the upload
    // form carries tus-js-client, on the upload page only (issue #13).
    const budget: Record<string, number> = { "video-player": 125 * 1024, "video-upload": 20 * 1024 };
    for (const s of islandSizes(bundles)) expect(s.gzip, s.name).toBeLessThan(budget[s.name] ?? 2048);
  });
});
