// GET /directory: the group's people, for signed-in employees (the directory shows internal fields).
import type { Hono } from "hono";
import { directoryFacets, searchDirectory } from "../../domain/profiles/directory.ts";
import { normaliseTag, sameTag } from "../../domain/profiles/profile-validation.ts";
import { DirectoryPage, type DirectoryFilters } from "../../../web/components/directory.ts";
import { t } from "../../../web/i18n/index.ts";
import type { RouteDeps } from "../deps.ts";
import { page } from "./render.ts";
import { chromeOf, toSignIn } from "./session.ts";
import { instanceNameOf } from "./profile-views.ts";
import { summary } from "./views.ts";

const PAGE_SIZE = 30;

export function registerDirectoryPages(app: Hono, deps: RouteDeps): void {
  app.get("/directory", async (c) => {
    if (!c.get("page").user) return toSignIn(c);
    const base = chromeOf(c, deps);
    const param = (name: string, max: number) => (c.req.query(name) ?? "").trim().slice(0, max);
    const filters: DirectoryFilters = {
      q: param("q", 200), knows: param("knows", 100), instance: param("instance", 300),
      department: param("department", 200), site: param("site", 200), expertise: param("expertise", 100),
    };
    const offset = Math.min(Math.max(Number.parseInt(c.req.query("offset") ?? "0", 10) || 0, 0), 10_000);
    const [found, facets] = await Promise.all([
      searchDirectory(deps.sql, { ...filters, limit: PAGE_SIZE + 1, offset }, "internal"),
      directoryFacets(deps.sql, "internal"),
    ]);
    const more = found.length > PAGE_SIZE;
    const knows = normaliseTag(filters.knows);
    const results = found.slice(0, PAGE_SIZE).map((e) => ({
      ...summary(deps, e.account),
      jobTitle: e.profile.jobTitle, department: e.profile.department, site: e.profile.site,
      instanceName: instanceNameOf(deps, e.account, e.profile), expertise: e.profile.expertise,
      // The tag "who knows…" found, as this person wrote it ("cybersécurité" for a search of "cybersecurite").
      matchedTag: knows ? e.profile.expertise.find((tag) => sameTag(tag, knows)) : undefined,
    }));
    const url = new URL(c.req.url);
    url.searchParams.set("offset", String(offset + PAGE_SIZE));
    const opt = (f: { value: string; count: number }, label = f.value) => ({ value: f.value, label, count: f.count });
    return page(c, DirectoryPage, {
      ...base,
      filters,
      options: {
        instances: facets.instances.map((f) => opt(f, f.value === "local" ? t(base.locale, "directory.local", { name: deps.config.instanceName }) : f.value)),
        departments: facets.departments.map((f) => opt(f)),
        sites: facets.sites.map((f) => opt(f)),
        expertise: facets.expertise.map((f) => opt(f, `#${f.value}`)),
      },
      results,
      searched: Object.values(filters).some((v) => v !== ""),
      moreUrl: more ? `${url.pathname}${url.search}` : null,
    });
  });
}
