// The layering rules of docs/ARCHITECTURE.md §2, enforced: the domain knows neither Fedify, Hono nor the HTTP and
// federation layers; web/ never imports server or federation code; media/ knows nothing of HTTP. Every import form
// counts (static, `export … from`, dynamic `import()`), relative ones resolved against the importing file.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");

interface Rule {
  /** Folder whose (non-test) files the rule covers, relative to the repository root. */
  folder: string;
  /** Package names (exact or prefix ending in "/") the folder may not import. */
  packages: string[];
  /** Repository folders the folder may not import from. */
  folders: string[];
}

export const RULES: Rule[] = [
  { folder: "server/domain", packages: ["@fedify/", "hono", "@hono/"], folders: ["federation", "server/routes", "web"] },
  { folder: "web", packages: ["hono", "@hono/", "@fedify/", "postgres"], folders: ["server", "federation", "media"] },
  { folder: "media", packages: ["hono", "@hono/", "@fedify/"], folders: ["server/routes", "federation", "web"] },
];

const IMPORT = /(?:^|[^\w.])(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|(?:^|[^\w.])import\s*\(\s*["']([^"']+)["']\s*\)|(?:^|[^\w.])import\s*["']([^"']+)["']/gm;

export function importsOf(source: string): string[] {
  return [...source.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3]);
}

/** The broken rules in one file: "file: imports X (rule)". */
export function violations(file: string, source: string, rules = RULES): string[] {
  const out: string[] = [];
  for (const rule of rules) {
    if (!file.startsWith(`${rule.folder}/`)) continue;
    for (const spec of importsOf(source)) {
      if (spec.startsWith(".")) {
        const target = relative(ROOT, resolve(ROOT, dirname(file), spec));
        const banned = rule.folders.find((f) => target === f || target.startsWith(`${f}/`));
        if (banned) out.push(`${file}: imports ${target} (${rule.folder} may not import ${banned}/)`);
      } else if (spec.startsWith("node:")) {
        continue;
      } else {
        const banned = rule.packages.find((p) => (p.endsWith("/") ? spec.startsWith(p) : spec === p || spec.startsWith(`${p}/`)));
        if (banned) out.push(`${file}: imports ${spec} (${rule.folder} may not import ${banned})`);
      }
    }
  }
  return out;
}

function sourceFiles(folder: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, folder), { withFileTypes: true })) {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(path);
  }
  return out;
}

describe("layering", () => {
  it("finds every import form and resolves relative paths", () => {
    const src = [
      `import { x } from "@fedify/vocab";`,
      `import type { Context } from "hono";`,
      `export { y } from "../../../federation/uris.ts";`,
      `const m = await import("../../routes/index.ts");`,
      `import "node:fs";`,
      `import { z } from "zod";`,
      `import { ok } from "../errors.ts";`,
    ].join("\n");
    expect(violations("server/domain/posts/posts.ts", src)).toEqual([
      "server/domain/posts/posts.ts: imports @fedify/vocab (server/domain may not import @fedify/)",
      "server/domain/posts/posts.ts: imports hono (server/domain may not import hono)",
      "server/domain/posts/posts.ts: imports federation/uris.ts (server/domain may not import federation/)",
      "server/domain/posts/posts.ts: imports server/routes/index.ts (server/domain may not import server/routes/)",
    ]);
    expect(violations("web/components/post.ts", `import { a } from "../../server/domain/posts/posts.ts";`)).toHaveLength(1);
    expect(violations("web/components/post.ts", `import { h } from "preact";\nimport { t } from "../i18n/index.ts";`)).toEqual([]);
  });

  it("holds in the tree: domain without Fedify or Hono, web without server code, media without HTTP", () => {
    const found: string[] = [];
    let checked = 0;
    for (const rule of RULES) {
      for (const file of sourceFiles(rule.folder)) {
        checked++;
        found.push(...violations(file, readFileSync(join(ROOT, file), "utf8")));
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(found).toEqual([]);
  });
});
