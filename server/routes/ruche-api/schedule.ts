// Working hours over the API (issue #15 points 2 and 5): a person's schedule and leave, the presets administrators
// set, anyone's availability, and the urgent role and its audit log. Refusals carry a stable `error_code` beside
// Mastodon's `error` (422 unknown_time_zone, range_end_before_start, ranges_overlap…; 403 forbidden), nothing stored.
// Changing one's schedule or leave (or an administrator a preset) re-decides what is held: at work now, it is
// released at once as one digest.
import type { Context, Handler, Hono } from "hono";
import { DomainError } from "../../domain/errors.ts";
import { availabilityJson, availabilityOf } from "../../domain/quiet/availability.ts";
import { heldCount, redecideAllHeld, releaseHeld } from "../../domain/quiet/held.ts";
import {
  addLeave, clearSchedule, deleteLeave, deletePreset, listLeaves, listPresets, parseSchedule, scheduleInForce, scheduleJson,
  setPreset, setSchedule, type ScheduleInput,
} from "../../domain/quiet/schedules.ts";
import { grantUrgent, revokeUrgent, urgentLog, urgentSenders } from "../../domain/quiet/urgent.ts";
import type { RouteDeps } from "../deps.ts";
import { type ApiEnv, scopeRequired, tokenRequired, viewerOf } from "../mastodon/auth.ts";
import { bodyParams } from "../mastodon/params.ts";
import { onApiError } from "../mastodon/errors.ts";
import type { Db } from "../../db/pool.ts";

/**
 * A domain refusal in Mastodon's shape (onApiError: `error`, and `details` for a field) plus its stable `error_code`:
 * apps and the acceptance check branch on the code, Mastodon clients read what they always read.
 */
export function coded(handler: Handler<ApiEnv>): Handler<ApiEnv> {
  return async (c, next) => {
    try {
      return await handler(c, next);
    } catch (error) {
      if (!(error instanceof DomainError) || error.status === 404) throw error;
      const mastodon = onApiError(error, c);
      return c.json({ ...(await mastodon.json() as object), error_code: error.code }, error.status);
    }
  };
}

function adminOnly(c: Context<ApiEnv>): void {
  if (viewerOf(c).user.role !== "admin") throw new DomainError("forbidden", 403, "This action is for administrators");
}

/** What GET and PUT answer: the schedule in force, where it comes from, the leave, the availability now. */
async function scheduleView(db: Db, accountId: string, now: number) {
  const found = await scheduleInForce(db, accountId);
  const availability = await availabilityOf(db, accountId, now);
  const schedule: ScheduleInput | null = found
    ? { timeZone: found.schedule.timeZone, days: found.schedule.days as ScheduleInput["days"], country: found.schedule.country }
    : null;
  return {
    ...(schedule ? scheduleJson(schedule) : { timezone: null, days: {}, country: null }),
    source: found?.source ?? "none",
    leaves: (await listLeaves(db, accountId)).map((l) => ({ id: l.id, first_day: l.firstDay, last_day: l.lastDay })),
    availability: availability ? availabilityJson(availability) : null,
    held_notifications: await heldCount(db, accountId),
  };
}

export function registerSchedule(api: Hono<ApiEnv>, deps: RouteDeps): void {
  const { sql, clock } = deps;
  const read = [tokenRequired(deps), scopeRequired(["read:accounts"])] as const;
  const write = [tokenRequired(deps), scopeRequired(["write:accounts"])] as const;
  const me = (c: Context<ApiEnv>) => viewerOf(c).accountId;

  api.get("/api/ruche/v1/me/schedule", ...read, async (c) => c.json(await scheduleView(sql, me(c), clock.now())));

  api.put("/api/ruche/v1/me/schedule", ...write, coded(async (c) => {
    const input = parseSchedule(await bodyParams(c));
    await setSchedule(sql, me(c), input);
    const released = await releaseHeld(sql, me(c), clock.now());
    return c.json({ ...(await scheduleView(sql, me(c), clock.now())), released: released.length });
  }));

  // Back to the department's or the company's hours (or none).
  api.delete("/api/ruche/v1/me/schedule", ...write, async (c) => {
    await clearSchedule(sql, me(c));
    const released = await releaseHeld(sql, me(c), clock.now());
    return c.json({ ...(await scheduleView(sql, me(c), clock.now())), released: released.length });
  });

  api.post("/api/ruche/v1/me/leaves", ...write, coded(async (c) => {
    const p = await bodyParams(c);
    const leave = await addLeave(sql, me(c), p.first_day, p.last_day);
    await releaseHeld(sql, me(c), clock.now());
    return c.json({ id: leave.id, first_day: leave.firstDay, last_day: leave.lastDay });
  }));

  api.delete("/api/ruche/v1/me/leaves/:id{[0-9]+}", ...write, async (c) => {
    if (!(await deleteLeave(sql, me(c), c.req.param("id")))) return c.json({ error: "Record not found" }, 404);
    await releaseHeld(sql, me(c), clock.now());
    return c.json({});
  });

  // Anyone's availability as the reader may show it (a remote person's as their server published it).
  api.get("/api/ruche/v1/accounts/:id{[0-9]+}/availability", ...read, async (c) => {
    const a = await availabilityOf(sql, c.req.param("id"), clock.now());
    return c.json(a ? availabilityJson(a) : { state: "working", until: null, leave_ends: null, timezone: null });
  });

  // Presets from the company agreement: the instance's (no department) and per department.
  api.get("/api/ruche/v1/admin/schedule_presets", tokenRequired(deps), scopeRequired(["admin:read"]), async (c) => {
    adminOnly(c);
    return c.json((await listPresets(sql)).map((p) => ({ department: p.department, ...scheduleJson(p.schedule) })));
  });

  api.put("/api/ruche/v1/admin/schedule_presets", tokenRequired(deps), scopeRequired(["admin:write"]), coded(async (c) => {
    adminOnly(c);
    const body = await bodyParams(c);
    const department = typeof body.department === "string" && body.department.trim() ? body.department.trim() : null;
    const input = parseSchedule(body);
    await setPreset(sql, department, input);
    await redecideAllHeld(sql, clock.now());
    return c.json({ department, ...scheduleJson(input) });
  }));

  api.delete("/api/ruche/v1/admin/schedule_presets", tokenRequired(deps), scopeRequired(["admin:write"]), coded(async (c) => {
    adminOnly(c);
    const department = c.req.query("department")?.trim() || null;
    if (!(await deletePreset(sql, department))) return c.json({ error: "Record not found" }, 404);
    await redecideAllHeld(sql, clock.now());
    return c.json({});
  }));

  // The urgent role and its audit log (issue #15 point 4).
  api.get("/api/ruche/v1/admin/urgent_senders", tokenRequired(deps), scopeRequired(["admin:read"]), coded(async (c) => {
    adminOnly(c);
    return c.json((await urgentSenders(sql)).map((s) => ({ account_id: s.accountId, username: s.username, granted_at: s.grantedAt.toISOString() })));
  }));

  api.put("/api/ruche/v1/admin/urgent_senders/:id{[0-9]+}", tokenRequired(deps), scopeRequired(["admin:write"]), coded(async (c) => {
    adminOnly(c);
    await grantUrgent(sql, c.req.param("id")!, me(c));
    return c.json({ account_id: c.req.param("id"), urgent: true });
  }));

  api.delete("/api/ruche/v1/admin/urgent_senders/:id{[0-9]+}", tokenRequired(deps), scopeRequired(["admin:write"]), coded(async (c) => {
    adminOnly(c);
    await revokeUrgent(sql, c.req.param("id")!);
    return c.json({ account_id: c.req.param("id"), urgent: false });
  }));

  api.get("/api/ruche/v1/admin/urgent_log", tokenRequired(deps), scopeRequired(["admin:read"]), coded(async (c) => {
    adminOnly(c);
    const records = await urgentLog(sql, { limit: Number(c.req.query("limit") ?? 40) || 40, maxId: c.req.query("max_id") });
    return c.json(records.map((r) => ({
      id: r.id, status_id: r.postId, sender: r.sender, recipients: r.recipients, reason: r.reason, created_at: r.createdAt.toISOString(),
    })));
  }));
}
