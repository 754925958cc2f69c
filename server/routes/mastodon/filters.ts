// Mastodon 4 filters, /api/v2/filters: the filters with their keywords and posts (domain/timelines/filters.ts).
// Keywords and posts also have their own paths, under both spellings in use: Mastodon's routes
// (/api/v2/filters/keywords/:id) and the one its documentation names (/api/v2/filter_keywords/:id).
import type { Hono } from "hono";
import { z } from "zod";
import {
  addFilterStatus, addKeyword, createFilter, deleteFilter, deleteFilterStatus, deleteKeyword, FILTER_ACTIONS, type FilterInput,
  getFilter, getFilterStatus, getKeyword, listFilters, listFilterStatuses, listKeywords, updateFilter, updateKeyword,
} from "../../domain/timelines/filters.ts";
import type { RouteDeps } from "../deps.ts";
import { type ApiEnv, scopeRequired, tokenRequired, viewerOf } from "./auth.ts";
import { filterEntity, filterStatusEntity, keywordEntity } from "./filter-entities.ts";
import { bodyParams, boolParam, idParam, parse } from "./params.ts";

const oneOrMany = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));
const keywordAttributes = z.object({
  id: idParam.optional(), keyword: z.string().max(200).optional(), whole_word: boolParam, _destroy: boolParam,
});
/** `expires_in`: seconds; "" or null means never (on update: remove the expiry). */
const expiresIn = z.union([z.literal(""), z.null(), z.coerce.number().int().positive().max(10 * 365 * 86_400)]).optional()
  .transform((v) => (v === undefined ? undefined : v === "" || v === null ? null : v));
const filterSchema = z.object({
  title: z.string().max(200).optional(),
  context: oneOrMany.optional(),
  filter_action: z.enum(FILTER_ACTIONS).optional(),
  expires_in: expiresIn,
  keywords_attributes: z.union([z.array(keywordAttributes), z.record(z.string(), keywordAttributes).transform((r) => Object.values(r))]).optional(),
});
const keywordSchema = z.object({ keyword: z.string().max(200).optional(), whole_word: boolParam });

function filterInput(p: z.infer<typeof filterSchema>): FilterInput {
  return {
    title: p.title, context: p.context as FilterInput["context"], action: p.filter_action, expiresIn: p.expires_in,
    keywords: p.keywords_attributes?.map((k) => ({ id: k.id, keyword: k.keyword, wholeWord: k.whole_word, destroy: k._destroy })),
  };
}

export function registerFilters(api: Hono<ApiEnv>, deps: RouteDeps): void {
  const { sql } = deps;
  const read = [tokenRequired(deps), scopeRequired(["read:filters"])] as const;
  const write = [tokenRequired(deps), scopeRequired(["write:filters"])] as const;
  const me = (c: Parameters<typeof viewerOf>[0]) => viewerOf(c).accountId;

  api.get("/api/v2/filters", ...read, async (c) => c.json((await listFilters(sql, me(c))).map((f) => filterEntity(f))));
  api.post("/api/v2/filters", ...write, async (c) => {
    const p = parse(filterSchema, await bodyParams(c));
    const input = filterInput(p);
    return c.json(filterEntity(await createFilter(sql, me(c), { ...input, expiresIn: input.expiresIn ?? null })));
  });
  api.get("/api/v2/filters/:id{[0-9]+}", ...read, async (c) => c.json(filterEntity(await getFilter(sql, me(c), c.req.param("id")))));
  api.put("/api/v2/filters/:id{[0-9]+}", ...write, async (c) => {
    const p = parse(filterSchema, await bodyParams(c));
    return c.json(filterEntity(await updateFilter(sql, me(c), c.req.param("id"), filterInput(p))));
  });
  api.delete("/api/v2/filters/:id{[0-9]+}", ...write, async (c) => {
    await deleteFilter(sql, me(c), c.req.param("id"));
    return c.json({});
  });

  api.get("/api/v2/filters/:id{[0-9]+}/keywords", ...read, async (c) => c.json((await listKeywords(sql, me(c), c.req.param("id"))).map(keywordEntity)));
  api.post("/api/v2/filters/:id{[0-9]+}/keywords", ...write, async (c) => {
    const p = parse(keywordSchema, await bodyParams(c));
    return c.json(keywordEntity(await addKeyword(sql, me(c), c.req.param("id"), { keyword: p.keyword ?? "", wholeWord: p.whole_word })));
  });
  api.get("/api/v2/filters/:id{[0-9]+}/statuses", ...read, async (c) => c.json((await listFilterStatuses(sql, me(c), c.req.param("id"))).map(filterStatusEntity)));
  api.post("/api/v2/filters/:id{[0-9]+}/statuses", ...write, async (c) => {
    const p = parse(z.object({ status_id: idParam }), await bodyParams(c));
    return c.json(filterStatusEntity(await addFilterStatus(sql, me(c), c.req.param("id"), p.status_id)));
  });

  for (const base of ["/api/v2/filters/keywords", "/api/v2/filter_keywords"]) {
    api.get(`${base}/:id{[0-9]+}`, ...read, async (c) => c.json(keywordEntity(await getKeyword(sql, me(c), c.req.param("id")))));
    api.put(`${base}/:id{[0-9]+}`, ...write, async (c) => {
      const p = parse(keywordSchema, await bodyParams(c));
      return c.json(keywordEntity(await updateKeyword(sql, me(c), c.req.param("id"), { keyword: p.keyword, wholeWord: p.whole_word })));
    });
    api.delete(`${base}/:id{[0-9]+}`, ...write, async (c) => {
      await deleteKeyword(sql, me(c), c.req.param("id"));
      return c.json({});
    });
  }
  for (const base of ["/api/v2/filters/statuses", "/api/v2/filter_statuses"]) {
    api.get(`${base}/:id{[0-9]+}`, ...read, async (c) => c.json(filterStatusEntity(await getFilterStatus(sql, me(c), c.req.param("id")))));
    api.delete(`${base}/:id{[0-9]+}`, ...write, async (c) => {
      await deleteFilterStatus(sql, me(c), c.req.param("id"));
      return c.json({});
    });
  }
}
