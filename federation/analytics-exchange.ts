// Siblings exchange engagement aggregates (issue #16 point 2): each instance serves its suppressed weekly figures
// at /ap/analytics, only to a request signed by a sibling instance's key (the directory feed's rule,
// mappers/profile-scope.ts); the analytics job pulls each sibling's with a request signed by our instance actor and
// stores it (server/domain/analytics/exchange.ts validates it). Only aggregates ever leave: figures resting on
// fewer than 5 people are not in the document. No transaction is open during a fetch.
import type { RequestContext } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import { publishedAggregates, storeSiblingAggregates } from "../server/domain/analytics/exchange.ts";
import { rollupRecent } from "../server/domain/analytics/rollup.ts";
import { enqueueJob } from "../server/jobs/enqueue.ts";
import { type AppContext, type Ctx, INSTANCE_ACTOR } from "./context.ts";
import { isSiblingRequest } from "./mappers/profile-scope.ts";
import { jsonError } from "./post-access.ts";

const logger = getLogger(["ruche", "federation", "analytics"]);

export const ANALYTICS_PATH = "/ap/analytics";
export const ANALYTICS_EVERY_MS = 3_600_000;

/** GET /ap/analytics: the aggregates, to siblings only (401 unsigned, 403 signed by anyone else). */
export async function serveAggregates(ctx: RequestContext<AppContext>): Promise<Response> {
  const signed = ctx.request.headers.has("signature") || ctx.request.headers.has("signature-input");
  if (!(await isSiblingRequest(ctx))) {
    return jsonError(signed ? 403 : 401, signed ? "only sibling instances may read these figures" : "this requires a signed request");
  }
  const doc = await publishedAggregates(ctx.data.sql, { origin: ctx.data.config.origin, now: Date.now() });
  return new Response(JSON.stringify(doc), {
    headers: { "Content-Type": "application/activity+json", "Cache-Control": "private, no-store", Vary: "Signature" },
  });
}

/** Fetches one sibling's aggregates (signed) and stores them; throws when the fetch or the document fails. */
export async function pullSiblingAggregates(ctx: Ctx, origin: string): Promise<number> {
  const loader = await ctx.getDocumentLoader({ identifier: INSTANCE_ACTOR });
  const url = `${origin}${ANALYTICS_PATH}`;
  const { document, documentUrl } = await loader(url);
  if (documentUrl !== url) throw new Error(`${url} redirected to ${documentUrl}`);
  return storeSiblingAggregates(ctx.data.sql, origin, document);
}

/** The analytics job: this instance's weekly cells, then every sibling's figures; then the next run in an hour. */
export async function runAnalyticsJob(ctx: Ctx): Promise<void> {
  const db = ctx.data.sql;
  await rollupRecent(db, { now: Date.now(), retentionDays: ctx.data.config.analyticsRetentionDays });
  await ctx.data.siblings.refresh();
  for (const origin of ctx.data.siblings.list()) {
    try {
      const weeks = await pullSiblingAggregates(ctx, origin);
      logger.debug("Stored {weeks} weeks of figures from {origin}", { weeks, origin });
    } catch (error) {
      // One sibling down does not hold the others; its last figures stay until the next run.
      logger.warn("Could not fetch the analytics aggregates of {origin}: {error}", { origin, error: String(error) });
    }
  }
  await enqueueJob(db, "analytics", {}, { key: "analytics", delayMs: ANALYTICS_EVERY_MS });
}
