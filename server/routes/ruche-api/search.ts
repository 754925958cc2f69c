// GET /api/ruche/v1/search?q=…: the group-wide search (issue #14, server/domain/search/search.ts) →
// {results: [{kind, id, url, title?, snippet}], facets}. Filters: kind (repeatable or comma-separated), author (an
// account id), tag, group_id, instance ("local" or an origin), since/until (ISO dates). A query with nothing
// searchable ("&&&") has no results; one longer than 500 characters is refused (422, query_too_long).
import type { Hono } from "hono";
import { z } from "zod";
import { search, SEARCH_KINDS } from "../../domain/search/search.ts";
import { normaliseTag } from "../../domain/posts/hashtags.ts";
import { localViewer } from "../../domain/audience/visibility.ts";
import type { RouteDeps } from "../deps.ts";
import { type ApiEnv, scopeRequired, tokenRequired, viewerOf } from "../mastodon/auth.ts";
import { idParam, limitParam, parse, queryParams } from "../mastodon/params.ts";
import { errorCodes } from "./codes.ts";

const list = (v: unknown) => (v == null ? undefined : (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(",")).filter(Boolean));
export const searchQuerySchema = z.object({
  q: z.string().max(10_000),
  kind: z.preprocess(list, z.array(z.enum(SEARCH_KINDS)).max(4).optional()),
  author: idParam.optional(),
  tag: z.string().max(101).optional().transform((t) => (t ? normaliseTag(t) ?? "\u0000none" : undefined)),
  group_id: idParam.optional(),
  instance: z.string().max(300).optional(),
  since: z.coerce.date().optional(),
  until: z.coerce.date().optional(),
  limit: limitParam(20, 50),
  offset: z.coerce.number().int().min(0).max(500).optional(),
});

export function registerRucheSearch(api: Hono<ApiEnv>, deps: RouteDeps): void {
  const { sql, config } = deps;
  api.use("/api/ruche/v1/search", errorCodes());
  api.get("/api/ruche/v1/search", tokenRequired(deps), scopeRequired(["read:search"]), async (c) => {
    const p = parse(searchQuerySchema, queryParams(c));
    const answer = await search(sql, localViewer(viewerOf(c).accountId), p.q, {
      kinds: p.kind, authorId: p.author, tag: p.tag, groupId: p.group_id, origin: p.instance, since: p.since, until: p.until,
      limit: p.limit, offset: p.offset,
    });
    return c.json({
      results: answer.results.map((r) => ({
        kind: r.kind, id: r.id, url: new URL(r.url, config.origin).href, ...(r.title != null ? { title: r.title } : {}), snippet: r.snippet,
      })),
      facets: answer.facets,
    });
  });
}
