// The knowledge base's API answers errors as the Mastodon API does ({error}, onApiError) and adds the domain
// error's stable `code` (article_too_large, edit_conflict, revision_not_of_article, forbidden, invalid_query…), so a
// client can tell refusals apart without reading English. Hono has already turned the thrown error into the
// response when this runs after the handler; the body is rewritten with the code added.
import type { MiddlewareHandler } from "hono";
import { DomainError } from "../../domain/errors.ts";
import type { ApiEnv } from "../mastodon/auth.ts";

export function errorCodes(): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    await next();
    const err = c.error;
    if (!(err instanceof DomainError) || c.res.status !== err.status) return;
    const body = await c.res.clone().json().catch(() => null) as Record<string, unknown> | null;
    if (!body || "code" in body) return;
    c.res = undefined;
    c.res = c.json({ ...body, code: err.code }, err.status);
  };
}
