// What apps show to help people find others and topics: trends (/api/v1/trends, /api/v1/trends/tags|statuses|links),
// follow suggestions (/api/v2/suggestions, /api/v1/suggestions) and featured accounts (/api/v1/endorsements).
// Trending tags are the week's popular tags (hashtags.ts popularTags, counted over the posts the reader may read);
// suggestions are the onboarding's colleagues (same department and site, not followed yet; profiles/onboarding.ts).
// Trending posts and links and endorsements do not exist in Ruche: empty lists, which apps show as "nothing yet".
import type { Hono } from "hono";
import { z } from "zod";
import { popularTags, tagInfo } from "../../domain/posts/hashtags.ts";
import { colleagueSuggestions } from "../../domain/profiles/onboarding.ts";
import { getProfile } from "../../domain/profiles/profiles.ts";
import type { RouteDeps } from "../deps.ts";
import { scopeOf } from "./accounts.ts";
import { type ApiContext, type ApiEnv, scopeRequired, tokenOptional, tokenRequired, viewerOf } from "./auth.ts";
import { limitParam, parse, queryParams } from "./params.ts";
import { serializeAccounts } from "./serializers.ts";
import { viewerFor } from "./statuses.ts";
import { tagEntity } from "./timelines.ts";

const trendsSchema = z.object({ limit: limitParam(10, 20) });
const suggestionsSchema = z.object({ limit: limitParam(40, 80) });

export function registerDiscovery(api: Hono<ApiEnv>, deps: RouteDeps): void {
  const { sql, config } = deps;
  const origin = config.origin;

  // Public in Mastodon (no scope); in siblings mode tokenOptional still asks for a person's token.
  for (const path of ["/api/v1/trends", "/api/v1/trends/tags"]) {
    api.get(path, tokenOptional(deps), async (c) => {
      const { limit } = parse(trendsSchema, queryParams(c));
      const viewer = viewerFor(c);
      const tags = await popularTags(sql, viewer, { days: 7, limit });
      return c.json(await Promise.all(tags.map(async (t) => tagEntity(origin, await tagInfo(sql, t.name, viewer)))));
    });
  }
  for (const path of ["/api/v1/trends/statuses", "/api/v1/trends/links"]) {
    api.get(path, tokenOptional(deps), (c) => c.json([]));
  }

  const suggestions = async (c: ApiContext, limit: number) => {
    const { accountId } = viewerOf(c);
    const list = await colleagueSuggestions(sql, accountId, await getProfile(sql, accountId), limit);
    return { list, accounts: await serializeAccounts(sql, origin, list.map((s) => s.account), { scope: scopeOf(c) }) };
  };
  const readAccounts = [tokenRequired(deps), scopeRequired(["read:accounts"])] as const;
  api.get("/api/v2/suggestions", ...readAccounts, async (c) => {
    const { limit } = parse(suggestionsSchema, queryParams(c));
    const { list, accounts } = await suggestions(c, limit);
    // Colleagues the organisation's own structure suggests: Mastodon's "staff" / "featured" is the nearest source;
    // what they share with the person is Ruche's extension.
    return c.json(list.map((s, i) => ({ source: "staff", sources: ["featured"], account: accounts[i], ruche_shares: s.shares })));
  });
  api.get("/api/v1/suggestions", ...readAccounts, async (c) => {
    const { limit } = parse(suggestionsSchema, queryParams(c));
    return c.json((await suggestions(c, limit)).accounts);
  });

  api.get("/api/v1/endorsements", ...readAccounts, (c) => c.json([]));
}
