// Engagement analytics over the API (issue #16 point 2): the dashboard's figures for administrators
// (GET /api/ruche/v1/admin/analytics, also as CSV), a person's own figures and opt-out (/api/ruche/v1/me/analytics),
// and the aggregates siblings read (/ap/analytics, signed). A selection of fewer than 5 people is a 422 with
// error_code "cohort_too_small".
import type { Context, Hono } from "hono";
import { z } from "zod";
import { serveAggregates } from "../../../federation/analytics-exchange.ts";
import type { Shown } from "../../domain/analytics/figures.ts";
import { personalFigures, type PersonalWeek, setAnalyticsOptOut } from "../../domain/analytics/personal.ts";
import { analyticsReport, type Report, type ReportQuery } from "../../domain/analytics/report.ts";
import { isWeek, weekOf } from "../../domain/analytics/rollup.ts";
import { csvTable } from "../../domain/csv.ts";
import { DomainError } from "../../domain/errors.ts";
import type { RouteDeps } from "../deps.ts";
import { type ApiEnv, scopeRequired, tokenRequired, viewerOf } from "../mastodon/auth.ts";
import { bodyParams } from "../mastodon/params.ts";
import { coded } from "./schedule.ts";

const text = z.string().trim().min(1).max(200);
const querySchema = z.object({
  group_by: z.enum(["none", "department", "site", "manager", "instance"]).default("none"),
  scope: z.enum(["instance", "group"]).default("instance"),
  week: z.string().refine(isWeek, "week must be a Monday, as YYYY-MM-DD").optional(),
  weeks: z.coerce.number().int().min(1).max(53).default(12),
  department: text.optional(),
  site: text.optional(),
});

/** The dashboard's query from URL parameters (the API's and the page's), or a 422 naming the bad parameter. */
export function parseReportQuery(params: Record<string, string | undefined>, now: number): ReportQuery {
  const cleaned = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = querySchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DomainError("invalid_parameter", 422, `${issue.path.join(".")}: ${issue.message}`, String(issue.path[0] ?? ""));
  }
  const q = parsed.data;
  return { scope: q.scope, groupBy: q.group_by, week: q.week ?? weekOf(now), weeks: q.weeks, department: q.department, site: q.site };
}

function figuresJson(f: Shown) {
  return {
    people: f.people, active: f.active, contributors: f.contributors, readers: f.readers,
    managers: f.managers, managers_active: f.managersActive,
    managers_active_share: f.managers && f.managersActive !== null ? Math.round((f.managersActive / f.managers) * 1000) / 1000 : null,
    posts: f.posts, questions: f.questions, answers: f.answers, articles: f.articles, rsvps: f.rsvps, votes: f.votes,
  };
}

export function reportJson(r: Report) {
  const field = r.groupBy === "none" ? "key" : r.groupBy;
  return {
    scope: r.scope, group_by: r.groupBy, week: r.week, min_cohort: r.minCohort,
    computed_at: r.computedAt?.toISOString() ?? null,
    totals: figuresJson(r.totals),
    rows: r.rows.map((row) => ({ key: row.key, [field]: row.key, ...figuresJson(row.figures) })),
    other: r.other ? figuresJson(r.other) : null,
    series: r.series.map((s) => ({ week: s.week, ...(s.figures ? figuresJson(s.figures) : { suppressed: true }) })),
    instances: r.instances.map((i) => ({ origin: i.origin, fetched_at: i.fetchedAt?.toISOString() ?? null })),
  };
}

const CSV_FIGURES = ["people", "active", "contributors", "readers", "managers", "managers_active", "posts", "questions", "answers", "articles", "rsvps", "votes"] as const;

/** The table as CSV: one line per row, "other" and the total last; the same suppression as the page. */
export function reportCsv(r: Report, labels: { other: string; total: string; unset: string }, origin: string): string {
  const head = [r.groupBy === "none" ? "selection" : r.groupBy, "week", ...CSV_FIGURES];
  const line = (label: string, f: Shown) => {
    const j = figuresJson(f) as Record<string, unknown>;
    return [label, r.week, ...CSV_FIGURES.map((k) => (j[k] === null ? "" : String(j[k])))];
  };
  const name = (key: string) => (r.groupBy === "instance" ? key || origin : key || labels.unset);
  return csvTable(head, [...r.rows.map((row) => line(name(row.key), row.figures)), ...(r.other ? [line(labels.other, r.other)] : []),
    line(labels.total, r.totals)]);
}

export function personalJson(p: { optedOut: boolean; weeks: PersonalWeek[] }) {
  return {
    opt_out: p.optedOut,
    weeks: p.weeks.map((w) => ({ week: w.week, days_active: w.daysActive, posts: w.posts, questions: w.questions, answers: w.answers,
      articles: w.articles, rsvps: w.rsvps, votes: w.votes })),
  };
}

function adminOnly(c: Context<ApiEnv>): void {
  if (viewerOf(c).user.role !== "admin") throw new DomainError("forbidden", 403, "Engagement analytics are for administrators");
}

export function registerAnalytics(api: Hono<ApiEnv>, deps: RouteDeps): void {
  const { sql, clock } = deps;
  api.get("/api/ruche/v1/admin/analytics", tokenRequired(deps), scopeRequired(["admin:read"]), coded(async (c) => {
    adminOnly(c);
    const report = await analyticsReport(sql, parseReportQuery(c.req.query(), clock.now()));
    return c.json(reportJson(report));
  }));
  api.get("/api/ruche/v1/me/analytics", tokenRequired(deps), scopeRequired(["read"]), async (c) => {
    return c.json(personalJson(await personalFigures(sql, viewerOf(c).accountId, { now: clock.now(), weeks: 12 })));
  });
  api.put("/api/ruche/v1/me/analytics", tokenRequired(deps), scopeRequired(["write"]), coded(async (c) => {
    const body = await bodyParams(c);
    const optOut = body.opt_out;
    const value = optOut === true || optOut === "true" ? true : optOut === false || optOut === "false" ? false : null;
    if (value === null) throw new DomainError("invalid_parameter", 422, "opt_out must be true or false", "opt_out");
    await setAnalyticsOptOut(sql, viewerOf(c).accountId, value);
    return c.json(personalJson(await personalFigures(sql, viewerOf(c).accountId, { now: clock.now(), weeks: 12 })));
  }));
}

/** /ap/analytics: after the federation middleware's guards (a signed GET), for siblings only. */
export function registerAnalyticsExchange(app: Hono, deps: RouteDeps): void {
  app.get("/ap/analytics", (c) => serveAggregates(deps.federation.createContext(c.req.raw, deps.data)));
}
