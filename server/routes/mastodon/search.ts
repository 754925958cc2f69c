// GET /api/v2/search (statuses and hashtags: search-posts.ts): a handle or an actor URL is resolved remotely when the client asks
// for it with a token (Mastodon refuses anonymous resolving: it makes this server fetch from elsewhere); any other
// query is a prefix search over local and already known accounts.
import type { Hono } from "hono";
import { z } from "zod";
import { type Account, findAccountByHandle, findAccountByIri } from "../../domain/accounts/accounts.ts";
import { searchAccounts } from "../../domain/accounts/account-search.ts";
import { resolveActorByIri, resolveHandle } from "../../../federation/remote-actors.ts";
import type { RouteDeps } from "../deps.ts";
import { type ApiEnv, scopeRequired, tokenOptional } from "./auth.ts";
import { boolParam, idParam, limitParam, parse, queryParams } from "./params.ts";
import { serializeAccounts } from "./serializers.ts";
import { searchStatusesAndHashtags } from "./search-posts.ts";

const searchSchema = z.object({
  q: z.string().trim().min(1).max(500),
  type: z.enum(["accounts", "statuses", "hashtags"]).optional(),
  resolve: boolParam,
  limit: limitParam(20, 40),
  offset: z.coerce.number().int().min(0).max(10_000).optional(),
  // Statuses (full-text, issue #14): one author's, and id bounds for paging.
  account_id: idParam.optional(),
  min_id: idParam.optional(),
  max_id: idParam.optional(),
});

const HANDLE = /^@?([^@\s/]+)@([^@\s/]+)$/;

export function registerSearch(api: Hono<ApiEnv>, deps: RouteDeps): void {
  const { sql, config } = deps;
  const localHost = new URL(config.origin).host.toLowerCase();

  /** The one account a handle or URL names, fetched when `resolve`, else looked up among known accounts. */
  async function exactMatch(q: string, resolve: boolean): Promise<Account | null> {
    if (/^https?:\/\//i.test(q)) {
      let url: URL;
      try {
        url = new URL(q);
      } catch {
        return null;
      }
      const profile = /^\/@([^/@]+)$/.exec(url.pathname);
      if (url.origin === config.origin && profile) return await findAccountByHandle(sql, profile[1], null);
      return resolve ? await resolveActorByIri(deps.context(), url.href) : await findAccountByIri(sql, url.href);
    }
    const m = HANDLE.exec(q);
    if (!m) return null;
    const [, username, host] = m;
    if (host.toLowerCase() === localHost) return await findAccountByHandle(sql, username, null);
    return resolve ? await resolveHandle(deps.context(), `${username}@${host}`) : await findAccountByHandle(sql, username, host);
  }

  api.get("/api/v2/search", tokenOptional(deps), scopeRequired(["read:search"]), async (c) => {
    const p = parse(searchSchema, queryParams(c));
    const signedIn = c.get("viewer") != null;
    if (p.resolve && !signedIn) {
      return c.json({ error: "Search queries that resolve remote resources are not supported without authentication" }, 401);
    }
    if (p.offset && !signedIn) {
      return c.json({ error: "Search queries pagination is not supported without authentication" }, 401);
    }
    const empty = { accounts: [], statuses: [], hashtags: [] };
    const posts = await searchStatusesAndHashtags(sql, config.origin, c.get("viewer")?.accountId ?? null, p); // issue #4
    if (p.type && p.type !== "accounts") return c.json({ ...empty, ...posts });
    const offset = p.offset ?? 0;
    const exact = offset === 0 ? await exactMatch(p.q, p.resolve ?? false) : null;
    // A URL names one account and is not a text query.
    const found = /^https?:\/\//i.test(p.q) ? [] : await searchAccounts(sql, p.q, { localHost, limit: p.limit, offset, viewerId: c.get("viewer")?.accountId ?? null });
    const accounts = exact ? [exact, ...found.filter((a) => a.id !== exact.id)].slice(0, p.limit) : found;
    return c.json({ ...empty, ...posts, accounts: await serializeAccounts(sql, config.origin, accounts) });
  });
}
