// Reading Mastodon API parameters the way Mastodon (Rails) accepts them: JSON, form-urlencoded or multipart bodies,
// query-string parameters merged underneath, Rails-style arrays (`id[]=1&id[]=2`) and booleans ("true", "1", "on"…).
// Schemas then validate the merged record with zod.
import type { Context } from "hono";
import { z } from "zod";
import { DomainError } from "../../domain/errors.ts";

export type Params = Record<string, unknown>;

/** Query parameters; a repeated key or a `key[]` key becomes an array under `key`. */
export function queryParams(c: Context): Params {
  const out: Params = {};
  for (const [key, values] of Object.entries(c.req.queries())) {
    if (key.endsWith("[]")) out[key.slice(0, -2)] = values;
    else out[key] = values.length > 1 ? values : values[0];
  }
  return out;
}

/** Body parameters (JSON, form or multipart) over query parameters, as Rails merges them. */
export async function bodyParams(c: Context): Promise<Params> {
  const type = (c.req.header("Content-Type") ?? "").toLowerCase();
  let body: Params = {};
  if (type.startsWith("application/json")) {
    const text = await c.req.text();
    if (text.trim() !== "") {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new DomainError("bad_request", 400, "Error occurred while parsing request parameters");
      }
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new DomainError("bad_request", 400, "the JSON body must be an object");
      }
      body = parsed as Params;
    }
  } else if (type.startsWith("multipart/form-data") || type.startsWith("application/x-www-form-urlencoded")) {
    const form = await c.req.parseBody({ all: true });
    for (const [key, value] of Object.entries(form)) {
      if (key.endsWith("[]")) body[key.slice(0, -2)] = Array.isArray(value) ? value : [value];
      else body[key] = value;
    }
  }
  return { ...queryParams(c), ...body };
}

const TRUE = new Set(["true", "1", "t", "on", "yes"]);
const FALSE = new Set(["false", "0", "f", "off", "no"]);

/** A boolean as Mastodon clients send it: JSON true/false or a form string. An empty string means "not given". */
export const boolParam = z.preprocess(
  (v) => (v === "" ? undefined : v),
  z.union([
    z.boolean(),
    z.string().refine((s) => TRUE.has(s.toLowerCase()) || FALSE.has(s.toLowerCase()), "must be true or false")
      .transform((s) => TRUE.has(s.toLowerCase())),
  ]).optional(),
);

/** Database ids travel as strings of digits (Mastodon's snowflakes are strings too). */
export const idParam = z.union([z.string(), z.number()]).transform(String)
  .refine((s) => /^\d{1,18}$/.test(s), "must be an id");

/** A positive integer within [1, max] (Mastodon clamps rather than refuses), `fallback` when absent. */
export function limitParam(fallback: number, max: number) {
  return z.preprocess((v) => (v === "" || v == null ? undefined : v), z.coerce.number().int().optional())
    .transform((n) => Math.min(Math.max(n ?? fallback, 1), max));
}

export const pageSchema = (fallback: number, max: number) => z.object({
  max_id: idParam.optional(),
  min_id: idParam.optional(),
  since_id: idParam.optional(),
  limit: limitParam(fallback, max),
});
export type PageParams = z.infer<ReturnType<typeof pageSchema>>;

export function parse<T extends z.ZodType>(schema: T, params: Params): z.infer<T> {
  return schema.parse(params) as z.infer<T>;
}

/**
 * Mastodon's pagination Link header: `next` points to older items (max_id = the last item's cursor), `prev` to
 * newer ones (min_id = the first item's cursor). `next` only when the page is full.
 */
export function setLinkHeader(c: Context, origin: string, cursors: string[], limit: number): void {
  const links: string[] = [];
  const base = new URL(c.req.path, origin);
  const link = (key: string, value: string) => {
    const u = new URL(base);
    u.searchParams.set("limit", String(limit));
    u.searchParams.set(key, value);
    return u.href;
  };
  if (cursors.length === limit && cursors.length > 0) links.push(`<${link("max_id", cursors[cursors.length - 1])}>; rel="next"`);
  if (cursors.length > 0) links.push(`<${link("min_id", cursors[0])}>; rel="prev"`);
  if (links.length > 0) c.header("Link", links.join(", "));
}

/**
 * Applies since_id to a page read newest-first: the newest `limit` items above since_id are exactly the newest
 * `limit` items, cut at since_id (the page query supports max_id and min_id only).
 */
export function applySinceId<T>(items: T[], sinceId: string | undefined, cursorOf: (item: T) => string): T[] {
  if (!sinceId) return items;
  return items.filter((i) => BigInt(cursorOf(i)) > BigInt(sinceId));
}

/**
 * One page of a keyset-paginated list as the client sees it: since_id applied (unless paging up with min_id) and
 * the Link header set from each item's cursor. Followers, following, follow requests and blocks use it.
 */
export function pageItems<T>(c: Context, origin: string, page: { limit: number; min_id?: string; since_id?: string },
  items: T[], cursorOf: (item: T) => string): T[] {
  const shown = page.min_id ? items : applySinceId(items, page.since_id, cursorOf);
  setLinkHeader(c, origin, shown.map(cursorOf), page.limit);
  return shown;
}
