// Lists, /api/v1/lists (domain/lists/lists.ts): the lists, their members (people one follows; Link-paged), the
// lists holding an account, and each list's timeline /api/v1/timelines/list/:id (the home timeline's scan on the
// list's members, with the reader's `home` filters, as Mastodon applies them to lists).
import type { Hono } from "hono";
import { z } from "zod";
import {
  addListMembers, createList, deleteList, getList, type List, listLists, listMembers, listsWith, REPLIES_POLICIES,
  removeListMembers, updateList,
} from "../../domain/lists/lists.ts";
import { listTimeline } from "../../domain/timelines/timelines.ts";
import type { RouteDeps } from "../deps.ts";
import { type ApiEnv, scopeRequired, tokenRequired, viewerOf } from "./auth.ts";
import { notFound } from "./errors.ts";
import { bodyParams, boolParam, idParam, pageSchema, pageItems, parse, queryParams } from "./params.ts";
import { serializeAccounts } from "./serializers.ts";
import { serializeStatuses, setPageLinks } from "./status-serializer.ts";

export const listEntity = (l: List) => ({ id: l.id, title: l.title, replies_policy: l.repliesPolicy, exclusive: l.exclusive });

const listSchema = z.object({ title: z.string().max(200).optional(), replies_policy: z.enum(REPLIES_POLICIES).optional(), exclusive: boolParam });
const idsSchema = z.object({ account_ids: z.union([idParam, z.array(idParam)]).transform((v) => (Array.isArray(v) ? v : [v])) });
/** Members: 40 a page, at most 80, and 0 means all of them (Mastodon). */
const membersSchema = pageSchema(40, 80).extend({
  limit: z.coerce.number().int().min(0).optional().transform((v) => (v === undefined ? 40 : v === 0 ? 0 : Math.min(v, 80))),
});

export function registerLists(api: Hono<ApiEnv>, deps: RouteDeps): void {
  const { sql, config } = deps;
  const origin = config.origin;
  const read = [tokenRequired(deps), scopeRequired(["read:lists"])] as const;
  const write = [tokenRequired(deps), scopeRequired(["write:lists"])] as const;
  const me = (c: Parameters<typeof viewerOf>[0]) => viewerOf(c).accountId;

  api.get("/api/v1/lists", ...read, async (c) => c.json((await listLists(sql, me(c))).map(listEntity)));
  api.post("/api/v1/lists", ...write, async (c) => {
    const p = parse(listSchema, await bodyParams(c));
    return c.json(listEntity(await createList(sql, me(c), { title: p.title, repliesPolicy: p.replies_policy, exclusive: p.exclusive })));
  });
  api.get("/api/v1/lists/:id{[0-9]+}", ...read, async (c) => c.json(listEntity(await getList(sql, me(c), c.req.param("id")))));
  api.put("/api/v1/lists/:id{[0-9]+}", ...write, async (c) => {
    const p = parse(listSchema, await bodyParams(c));
    return c.json(listEntity(await updateList(sql, me(c), c.req.param("id"), { title: p.title, repliesPolicy: p.replies_policy, exclusive: p.exclusive })));
  });
  api.delete("/api/v1/lists/:id{[0-9]+}", ...write, async (c) => {
    await deleteList(sql, me(c), c.req.param("id"));
    return c.json({});
  });

  api.get("/api/v1/lists/:id{[0-9]+}/accounts", ...read, async (c) => {
    const p = parse(membersSchema, queryParams(c));
    const page = await listMembers(sql, me(c), c.req.param("id"), { limit: p.limit, maxId: p.max_id, minId: p.min_id });
    const shown = p.limit === 0 ? page.items : pageItems(c, origin, p, page.items, (a) => a.memberId);
    return c.json(await serializeAccounts(sql, origin, shown));
  });
  api.post("/api/v1/lists/:id{[0-9]+}/accounts", ...write, async (c) => {
    const p = parse(idsSchema, await bodyParams(c));
    await addListMembers(sql, me(c), c.req.param("id"), p.account_ids);
    return c.json({});
  });
  api.delete("/api/v1/lists/:id{[0-9]+}/accounts", ...write, async (c) => {
    const p = parse(idsSchema, await bodyParams(c));
    await removeListMembers(sql, me(c), c.req.param("id"), p.account_ids);
    return c.json({});
  });
  api.get("/api/v1/accounts/:id{[0-9]+}/lists", ...read, async (c) => c.json((await listsWith(sql, me(c), c.req.param("id"))).map(listEntity)));

  api.get("/api/v1/timelines/list/:id{[0-9]+}", tokenRequired(deps), scopeRequired(["read:lists"]), async (c) => {
    const p = parse(pageSchema(20, 40), queryParams(c));
    const viewerId = me(c);
    const page = await listTimeline(sql, viewerId, c.req.param("id"), { limit: p.limit, maxId: p.max_id, minId: p.min_id, sinceId: p.since_id });
    if (!page) throw notFound();
    setPageLinks(c, origin, page, p.limit);
    return c.json(await serializeStatuses(sql, origin, page.items, { viewer: viewerId, context: "home" }));
  });
}
