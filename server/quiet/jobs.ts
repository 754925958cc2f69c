// The job handlers of quiet time (issue #15): `quiet-release` releases a person's held notifications when their
// working period starts; `scheduled-status` publishes a delayed status. Both read the instance's clock, and both
// also run when a test's ManualClock moves past their time (`runDue`), since pg-boss delays follow real time.
import { getLogger } from "@logtape/logtape";
import type { Sql } from "../db/pool.ts";
import type { Clock } from "../clock.ts";
import type { Ctx } from "../../federation/context.ts";
import { resolveHandle } from "../../federation/remote-actors.ts";
import { releaseDue } from "../domain/quiet/held.ts";
import { dueScheduled, removePublished, scheduledById } from "../domain/quiet/scheduled.ts";
import { createPost, type PostInput } from "../domain/posts/posts.ts";
import { DomainError } from "../domain/errors.ts";

const logger = getLogger(["ruche", "quiet"]);

export interface QuietDeps { sql: Sql; clock: Clock; context(): Ctx }

/** Publishes scheduled status `id` (nothing if deleted meanwhile). A refusal the author can't fix now drops it. */
export async function publishScheduled(deps: QuietDeps, id: string): Promise<string | null> {
  const s = await scheduledById(deps.sql, id);
  if (!s) return null;
  const ctx = deps.context();
  try {
    const post = await createPost(deps.sql, ctx.data.config.origin, s.accountId, { ...(s.params as PostInput), idempotencyKey: `ruche-scheduled:${id}` }, {
      resolveMention: (handle) => resolveHandle(deps.context(), handle),
    });
    await removePublished(deps.sql, id);
    return post.id;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error; // retried by the job system
    logger.warn("Scheduled status {id} dropped: {error}", { id, error: error.message });
    await removePublished(deps.sql, id);
    return null;
  }
}

export function quietHandlers(deps: QuietDeps) {
  return {
    // Due at the job's instant: the clock says what is due (a job run late releases what fell due since, too).
    "quiet-release": async () => void (await releaseDue(deps.sql, deps.clock.now())),
    "scheduled-status": async (job: { scheduledStatusId: string }) => void (await publishScheduled(deps, job.scheduledStatusId)),
  };
}

/** What is due at `now` on a clock that jumped there (tests): held notifications released, scheduled statuses sent. */
export async function runDue(deps: QuietDeps, now: number): Promise<void> {
  await releaseDue(deps.sql, now);
  for (const id of await dueScheduled(deps.sql, now)) await publishScheduled(deps, id);
}
