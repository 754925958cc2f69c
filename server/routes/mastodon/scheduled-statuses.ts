// Mastodon's scheduled statuses (issue #15 point 3): POST /api/v1/statuses with `scheduled_at` answers a
// ScheduledStatus instead of a Status; /api/v1/scheduled_statuses lists, reads, reschedules (PUT scheduled_at) and
// deletes them. Refusals carry Ruche's `error_code` beside Mastodon's `error`: scheduled_in_past (less than 5
// minutes ahead, as Mastodon), scheduled_too_far (over a year), scheduled_at_invalid.
import type { Hono } from "hono";
import type { PostInput } from "../../domain/posts/posts.ts";
import {
  checkScheduledAt, deleteScheduled, getScheduled, listScheduled, reschedule, scheduleStatus, type ScheduledStatus,
} from "../../domain/quiet/scheduled.ts";
import type { RouteDeps } from "../deps.ts";
import { coded } from "../ruche-api/schedule.ts";
import { type ApiEnv, scopeRequired, tokenRequired, viewerOf } from "./auth.ts";
import { notFound } from "./errors.ts";
import { bodyParams } from "./params.ts";
import { toMastodonVisibility } from "./status-serializer.ts";

/** Mastodon's ScheduledStatus entity; `params` in Mastodon's names. */
export function scheduledJson(s: ScheduledStatus) {
  const p = s.params as PostInput;
  return {
    id: s.id,
    scheduled_at: s.scheduledAt.toISOString(),
    params: {
      text: p.text ?? "", visibility: toMastodonVisibility(p.visibility ?? "internal"), ruche_visibility: p.visibility ?? "internal", in_reply_to_id: p.inReplyToId ?? null,
      media_ids: p.mediaIds ?? [], sensitive: p.sensitive ?? false, spoiler_text: p.summary ?? "", language: p.language ?? null,
      poll: p.poll ? { options: p.poll.options, expires_in: p.poll.expiresIn, multiple: p.poll.multiple ?? false, hide_totals: p.poll.hideTotals ?? false } : null,
      scheduled_at: null, idempotency: null, application_id: null, with_rate_limit: false,
      ruche_urgent: Boolean(p.urgentReason), ruche_group_id: p.groupId ?? null,
    },
    media_attachments: [],
  };
}

/** The create path's branch for `scheduled_at` (statuses.ts): checked, stored with its durable job. */
export async function createScheduled(deps: RouteDeps, accountId: string, input: PostInput, scheduledAt: string) {
  const at = checkScheduledAt(scheduledAt, deps.clock.now());
  return scheduledJson(await scheduleStatus(deps.sql, accountId, input as Record<string, unknown>, at, deps.clock.now()));
}

export function registerScheduledStatuses(api: Hono<ApiEnv>, deps: RouteDeps): void {
  const { sql, clock } = deps;
  const read = [tokenRequired(deps), scopeRequired(["read:statuses"])] as const;
  const write = [tokenRequired(deps), scopeRequired(["write:statuses"])] as const;

  api.get("/api/v1/scheduled_statuses", ...read, async (c) => {
    const limit = Number(c.req.query("limit") ?? 20) || 20;
    const list = await listScheduled(sql, viewerOf(c).accountId, { limit, maxId: c.req.query("max_id") });
    return c.json(list.map(scheduledJson));
  });

  api.get("/api/v1/scheduled_statuses/:id{[0-9]+}", ...read, async (c) => {
    const s = await getScheduled(sql, viewerOf(c).accountId, c.req.param("id"));
    if (!s) throw notFound();
    return c.json(scheduledJson(s));
  });

  api.put("/api/v1/scheduled_statuses/:id{[0-9]+}", ...write, coded(async (c) => {
    const at = checkScheduledAt((await bodyParams(c)).scheduled_at, clock.now());
    const s = await reschedule(sql, viewerOf(c).accountId, c.req.param("id")!, at, clock.now());
    if (!s) throw notFound();
    return c.json(scheduledJson(s));
  }));

  api.delete("/api/v1/scheduled_statuses/:id{[0-9]+}", ...write, async (c) => {
    if (!(await deleteScheduled(sql, viewerOf(c).accountId, c.req.param("id")))) throw notFound();
    return c.json({});
  });
}
