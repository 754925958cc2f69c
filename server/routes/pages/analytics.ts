// Engagement analytics pages (issue #16 point 2): /admin/analytics (administrators; the same query and the same
// figures as GET /api/ruche/v1/admin/analytics, also as CSV) and /settings/analytics (a person's own figures and
// the opt-out).
import type { Context, Hono } from "hono";
import { MIN_COHORT } from "../../domain/analytics/figures.ts";
import { personalFigures, setAnalyticsOptOut } from "../../domain/analytics/personal.ts";
import { analyticsReport, type Report } from "../../domain/analytics/report.ts";
import { addWeeks, weekOf } from "../../domain/analytics/rollup.ts";
import { DomainError } from "../../domain/errors.ts";
import { instanceNames } from "../../domain/instance/instance-names.ts";
import { listSiblings } from "../../domain/instance/siblings.ts";
import { AnalyticsPage, MyAnalyticsPage } from "../../../web/components/analytics.ts";
import { t, type Locale } from "../../../web/i18n/index.ts";
import type { RouteDeps } from "../deps.ts";
import { parseReportQuery, reportCsv } from "../ruche-api/analytics.ts";
import { errorPage, page } from "./render.ts";
import { checkCsrf, chromeOf, setFlash, toSignIn } from "./session.ts";

/** The reader's sentence for a refused selection. */
function refusalOf(locale: Locale, e: DomainError): string {
  if (e.code === "cohort_too_small") return t(locale, "analytics.tooSmall", { min: MIN_COHORT });
  if (e.code === "unsupported_grouping" || e.code === "unsupported_filter") return t(locale, "analytics.unsupported");
  return t(locale, "analytics.invalid", { message: e.message });
}

/** The report of the URL's query, or the refusal (422) of it. */
async function reportOf(deps: RouteDeps, c: Context): Promise<{ report: Report } | { refused: DomainError }> {
  try {
    return { report: await analyticsReport(deps.sql, parseReportQuery(c.req.query(), deps.clock.now())) };
  } catch (e) {
    if (e instanceof DomainError && e.status === 422) return { refused: e };
    throw e;
  }
}

export function registerAnalyticsPages(app: Hono, deps: RouteDeps): void {
  const { sql, clock } = deps;

  /** Administrators only: the refusal otherwise. */
  const gate = (c: Context): Response | null => {
    const user = c.get("page").user;
    if (!user) return toSignIn(c);
    return user.role === "admin" ? null : errorPage(c, deps, 403, "admin.only");
  };

  app.get("/admin/analytics", async (c) => {
    const refused = gate(c);
    if (refused) return refused;
    const locale = c.get("page").locale;
    const q = c.req.query();
    const current = weekOf(clock.now());
    const weeks = Array.from({ length: 53 }, (_, i) => addWeeks(current, -i));
    const result = await reportOf(deps, c);
    const week = "report" in result ? result.report.week : q.week ?? current;
    if (!weeks.includes(week) && /^\d{4}-\d{2}-\d{2}$/.test(week)) weeks.push(week);
    const origins = await listSiblings(sql);
    const names = Object.fromEntries(await instanceNames(sql, origins));
    const search = new URL(c.req.url).search;
    return page(c, AnalyticsPage, {
      ...chromeOf(c, deps),
      query: { scope: q.scope ?? "instance", groupBy: q.group_by ?? "none", week, department: q.department ?? "" },
      weeks, minCohort: MIN_COHORT, names, csvHref: `/admin/analytics.csv${search}`,
      report: "report" in result ? result.report : null,
      refusal: "refused" in result ? refusalOf(locale, result.refused) : undefined,
    }, "refused" in result ? 422 : 200);
  });

  app.get("/admin/analytics.csv", async (c) => {
    const refused = gate(c);
    if (refused) return refused;
    const locale = c.get("page").locale;
    const result = await reportOf(deps, c);
    if ("refused" in result) return c.text(refusalOf(locale, result.refused), 422);
    const r = result.report;
    const csv = reportCsv(r, { other: t(locale, "analytics.other"), total: t(locale, "analytics.total"), unset: t(locale, "analytics.unset") },
      deps.config.origin);
    return c.body(csv, 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="ruche-analytics-${r.scope}-${r.groupBy}-${r.week}.csv"`,
    });
  });

  app.get("/settings/analytics", async (c) => {
    const user = c.get("page").user;
    if (!user) return toSignIn(c);
    const mine = await personalFigures(sql, user.account.id, { now: clock.now(), weeks: 12 });
    return page(c, MyAnalyticsPage, {
      ...chromeOf(c, deps), optedOut: mine.optedOut, weeks: mine.weeks,
      retentionDays: deps.config.analyticsRetentionDays, minCohort: MIN_COHORT,
    });
  });

  app.post("/settings/analytics", async (c) => {
    const user = c.get("page").user;
    if (!user) return toSignIn(c, "/settings/analytics");
    const form = await c.req.parseBody();
    if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
    const optOut = form.opt_out === "true";
    await setAnalyticsOptOut(sql, user.account.id, optOut);
    setFlash(c, deps, { kind: "info", message: t(c.get("page").locale, optOut ? "analytics.me.optedOut" : "analytics.me.optedIn") });
    return c.redirect("/settings/analytics", 303);
  });
}
