// Reading Mastodon API parameters the way Mastodon (Rails/Rack) accepts them: JSON, form-urlencoded or multipart
// bodies, query-string parameters merged underneath, bracketed keys nested as Rack nests them (`a[b]=1`, `a[]=1&a[]=2`,
// `a[b][]=1`, `a[][b]=1`), and booleans ("true", "1", "on"…). Schemas then validate the merged record with zod, so
// `poll[options][]` arrives as `{ poll: { options: [...] } }` exactly as a JSON client sends it, and is refused
// or honoured the same way.
import type { Context } from "hono";
import { z } from "zod";
import { DomainError } from "../../domain/errors.ts";
import { keysetCursors } from "../../domain/keyset.ts";

export type Params = Record<string, unknown>;

/** Rack's `param_depth_limit`: deeper keys are refused (they only serve to exhaust the parser). */
const MAX_DEPTH = 32;

/** `a[b][]` → ["a", "b", ""]; a key that is not Rails-shaped (`a]`, `[x]`) is kept whole, as Rack keeps it. */
function keyPath(name: string): string[] {
  const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(name);
  if (!m) return [name];
  return [m[1], ...[...m[2].matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1])];
}

function conflict(name: string): DomainError {
  return new DomainError("bad_request", 400, `Error occurred while parsing request parameters: ${name} is given both as a value and as a group`);
}

const isGroup = (v: unknown): v is Params => v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Blob);

/** Does `group` already hold `path` (Rack starts a new array element for `a[][b]` when the last one has `b`)? */
function holds(group: Params, path: string[]): boolean {
  let node: unknown = group;
  for (const k of path) {
    if (k === "" || !isGroup(node) || !Object.hasOwn(node, k)) return false;
    node = node[k];
  }
  return true;
}

function put(target: Params, path: string[], value: unknown, name: string): void {
  const [key, ...rest] = path;
  if (rest.length === 0) {
    const existing = target[key];
    if (existing === undefined) target[key] = value;
    else if (isGroup(existing)) throw conflict(name);
    // A key given twice keeps both values (a string field then refuses the array, rather than one being dropped).
    else target[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
    return;
  }
  if (rest[0] === "") {
    const list = target[key] ?? (target[key] = []);
    if (!Array.isArray(list)) throw conflict(name);
    const child = rest.slice(1);
    if (child.length === 0) {
      list.push(value);
      return;
    }
    const last = list[list.length - 1];
    if (isGroup(last) && !holds(last, child)) put(last, child, value, name);
    else {
      const group: Params = Object.create(null);
      put(group, child, value, name);
      list.push(group);
    }
    return;
  }
  const group = target[key] ?? (target[key] = Object.create(null));
  if (!isGroup(group)) throw conflict(name);
  put(group, rest, value, name);
}

/**
 * Groups whose keys are all indices (`options[0]=a&options[1]=b`, what masto.js and Rails' `fields_for` send) become
 * arrays in index order, so that they read like `options[]=a&options[]=b`. Null-prototype groups become plain objects.
 */
function settle(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(settle);
  if (!isGroup(v)) return v;
  const keys = Object.keys(v);
  if (keys.length > 0 && keys.every((k) => /^\d{1,9}$/.test(k))) {
    return keys.map(Number).sort((a, b) => a - b).map((i) => settle(v[String(i)]));
  }
  return Object.fromEntries(keys.map((k) => [k, settle(v[k])]));
}

/** Nests form or query entries, in the order they came, as Rack does. */
export function nestParams(entries: Iterable<[string, unknown]>): Params {
  const out: Params = Object.create(null);
  for (const [name, value] of entries) {
    const path = keyPath(name);
    if (path.length > MAX_DEPTH) throw new DomainError("bad_request", 400, "Error occurred while parsing request parameters: too deeply nested");
    // `__proto__` and friends are kept as plain own keys of null-prototype groups; they can never reach a prototype.
    put(out, path, value, name);
  }
  return settle(out) as Params;
}

/** Query parameters, nested; a repeated plain key becomes an array under that key. */
export function queryParams(c: Context): Params {
  return nestParams(new URL(c.req.url).searchParams.entries());
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
    body = nestParams((await c.req.formData()).entries());
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
 * Mastodon's pagination Link header, the one helper every paginated endpoint uses: `next` points to older items
 * (max_id = the page's last cursor), `prev` to newer ones (min_id = its first cursor); the domain computes both
 * (`keysetCursors`, server/domain/keyset.ts), `next` only for a full page. The request's other parameters (filters
 * such as exclude_replies or types[]) are kept, so that following the link reads the same list further.
 */
export function setPageLinks(c: Context, origin: string, page: { nextMaxId: string | null; prevMinId: string | null }, limit: number): void {
  const links: string[] = [];
  const link = (key: string, value: string) => {
    const u = new URL(c.req.path, origin);
    for (const [k, v] of new URL(c.req.url).searchParams) if (!["max_id", "min_id", "since_id", "limit"].includes(k)) u.searchParams.append(k, v);
    u.searchParams.set("limit", String(limit));
    u.searchParams.set(key, value);
    return u.href;
  };
  if (page.nextMaxId) links.push(`<${link("max_id", page.nextMaxId)}>; rel="next"`);
  if (page.prevMinId) links.push(`<${link("min_id", page.prevMinId)}>; rel="prev"`);
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
 * the Link header set from each item's cursor. Followers, following, follow requests, blocks, mutes and the people
 * who favourited or boosted a post use it.
 */
export function pageItems<T>(c: Context, origin: string, page: { limit: number; min_id?: string; since_id?: string },
  items: T[], cursorOf: (item: T) => string): T[] {
  const shown = page.min_id ? items : applySinceId(items, page.since_id, cursorOf);
  setPageLinks(c, origin, keysetCursors(shown, page.limit, cursorOf), page.limit);
  return shown;
}
