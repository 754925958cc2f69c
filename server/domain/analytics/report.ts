// The analytics dashboard's figures (issue #16 point 2), read from the weekly cells (rollup.ts) and the siblings'
// published figures (exchange.ts), never from individual records. Every figure passes figures.ts's suppression
// rule; a filter that selects fewer than 5 people is refused (cohort_too_small) rather than answered with zeros.
//
//   analyticsReport(db, query) → Report
//   instanceView(db, week) → what this instance shows of a week (and publishes to its siblings)
import type { Db } from "../../db/pool.ts";
import { DomainError } from "../errors.ts";
import { type Figures, fromShown, type KeyedFigures, MIN_COHORT, show, type Shown, sum, suppress, zero } from "./figures.ts";
import { addWeeks } from "./rollup.ts";

export type GroupBy = "none" | "department" | "site" | "manager" | "instance";
export interface ReportQuery {
  scope: "instance" | "group"; groupBy: GroupBy; week: string; weeks: number; department?: string; site?: string;
}
export interface ReportRow { key: string; figures: Shown }
export interface Report {
  scope: "instance" | "group"; groupBy: GroupBy; week: string; minCohort: number;
  totals: Shown; rows: ReportRow[]; other: Shown | null;
  series: { week: string; figures: Shown | null }[];
  /** Group scope: the instances counted this week (this one first) and when each sibling's figures were fetched. */
  instances: { origin: string | null; fetchedAt: Date | null }[];
  computedAt: Date | null;
}

/** What an instance shows of one week: nothing under 5 people; departments suppressed; small ones as "other". */
export interface InstanceView { total: Shown; departments: ReportRow[]; other: Shown | null }

interface Cell { week: string; department: string; site: string; figures: Figures; manager: boolean }

/**
 * The weekly cells from `first` to `last`: each cell (department × site × manager), or summed in PostgreSQL per week
 * and department, or per week — a year of a 10,000-person instance is 37,000 cells, too many to carry over to
 * sum here (bench/analytics.ts).
 */
async function localCells(db: Db, first: string, last: string, filter: { department?: string; site?: string } = {},
  per: "cell" | "department" | "week" = "cell"): Promise<Cell[]> {
  const keys = per === "cell" ? db`department, site, manager` : per === "department" ? db`department, '' AS site, false AS manager`
    : db`'' AS department, '' AS site, false AS manager`;
  const groupBy = per === "cell" ? db`` : per === "department" ? db`GROUP BY week, department` : db`GROUP BY week`;
  const figures = per === "cell"
    ? db`people, active, contributors, CASE WHEN manager THEN people ELSE 0 END AS managers,
        CASE WHEN manager THEN active ELSE 0 END AS managers_active, posts, questions, answers, articles, rsvps, votes`
    : db`sum(people)::int AS people, sum(active)::int AS active, sum(contributors)::int AS contributors,
        coalesce(sum(people) FILTER (WHERE manager), 0)::int AS managers, coalesce(sum(active) FILTER (WHERE manager), 0)::int AS managers_active,
        sum(posts)::int AS posts, sum(questions)::int AS questions, sum(answers)::int AS answers, sum(articles)::int AS articles,
        sum(rsvps)::int AS rsvps, sum(votes)::int AS votes`;
  const rows = await db`SELECT to_char(week, 'YYYY-MM-DD') AS week, ${keys}, ${figures}
    FROM analytics_weekly WHERE week >= ${first}::date AND week <= ${last}::date
      ${filter.department !== undefined ? db`AND ruche_fold(department) = ruche_fold(${filter.department})` : db``}
      ${filter.site !== undefined ? db`AND ruche_fold(site) = ruche_fold(${filter.site})` : db``}
    ${groupBy}`;
  return rows.map((r) => ({
    week: r.week, department: r.department, site: r.site, manager: r.manager,
    figures: {
      people: r.people, active: r.active, contributors: r.contributors, managers: r.managers, managersActive: r.managers_active,
      posts: r.posts, questions: r.questions, answers: r.answers, articles: r.articles, rsvps: r.rsvps, votes: r.votes,
    },
  }));
}

/** The cells grouped by week, in one pass. */
function byWeek(cells: Cell[]): Map<string, Cell[]> {
  const out = new Map<string, Cell[]>();
  for (const c of cells) {
    const list = out.get(c.week);
    if (list) list.push(c);
    else out.set(c.week, [c]);
  }
  return out;
}

function groupCells(cells: Cell[], key: (c: Cell) => string): KeyedFigures[] {
  const groups = new Map<string, Figures[]>();
  for (const c of cells) {
    const k = key(c);
    const list = groups.get(k);
    if (list) list.push(c.figures);
    else groups.set(k, [c.figures]);
  }
  return [...groups].map(([k, list]) => ({ key: k, figures: sum(list) }));
}

function viewOfCells(cells: Cell[]): InstanceView | null {
  const total = sum(cells.map((c) => c.figures));
  if (total.people < MIN_COHORT) return null;
  const { rows, other } = suppress(groupCells(cells, (c) => c.department));
  return { total: show(total), departments: rows.map((r) => ({ key: r.key, figures: show(r.figures) })), other: other && show(other) };
}

/** This instance's view of each week from `first` to `last` (weeks under 5 people absent). */
export async function instanceViews(db: Db, first: string, last: string): Promise<Map<string, InstanceView>> {
  const weeks = byWeek(await localCells(db, first, last, {}, "department"));
  const out = new Map<string, InstanceView>();
  for (let w = first; w <= last; w = addWeeks(w, 1)) {
    const view = viewOfCells(weeks.get(w) ?? []);
    if (view) out.set(w, view);
  }
  return out;
}

const tooSmall = () => new DomainError("cohort_too_small", 422, `This selection holds fewer than ${MIN_COHORT} people: its figures are not shown`);

export async function analyticsReport(db: Db, q: ReportQuery): Promise<Report> {
  const first = addWeeks(q.week, -(q.weeks - 1));
  const [computed] = await db`SELECT max(computed_at) AS at FROM analytics_weekly WHERE week = ${q.week}::date`;
  const base = { scope: q.scope, groupBy: q.groupBy, week: q.week, minCohort: MIN_COHORT, computedAt: (computed?.at as Date | null) ?? null };
  return q.scope === "instance" ? { ...base, ...(await instanceReport(db, q, first)) } : { ...base, ...(await groupReport(db, q, first)) };
}

async function instanceReport(db: Db, q: ReportQuery, first: string) {
  const filter = { department: q.department, site: q.site };
  const [now, weekly] = await Promise.all([localCells(db, q.week, q.week, filter), localCells(db, first, q.week, filter, "week")]);
  const total = sum(now.map((c) => c.figures));
  if (total.people < MIN_COHORT) throw tooSmall();
  const key = q.groupBy === "department" ? (c: Cell) => c.department
    : q.groupBy === "site" ? (c: Cell) => c.site
    : q.groupBy === "manager" ? (c: Cell) => (c.manager ? "managers" : "others")
    : null;
  const { rows, other } = key ? suppress(groupCells(now, key)) : { rows: [], other: null };
  const series = [];
  for (let w = first; w <= q.week; w = addWeeks(w, 1)) {
    const f = weekly.find((c) => c.week === w)?.figures ?? zero();
    series.push({ week: w, figures: f.people >= MIN_COHORT ? show(f) : null });
  }
  return {
    totals: show(total), rows: rows.map((r) => ({ key: r.key, figures: show(r.figures) })), other: other && show(other),
    series, instances: [{ origin: null, fetchedAt: null }],
  };
}

interface SiblingWeek { origin: string; week: string; view: InstanceView; fetchedAt: Date }

async function siblingViews(db: Db, first: string, last: string): Promise<SiblingWeek[]> {
  const rows = await db`SELECT origin, to_char(week, 'YYYY-MM-DD') AS week, kind, department, people, active, contributors,
      managers, managers_active, posts, questions, answers, articles, rsvps, votes, fetched_at
    FROM analytics_sibling_weekly s WHERE week >= ${first}::date AND week <= ${last}::date
      AND EXISTS (SELECT 1 FROM siblings WHERE siblings.origin = s.origin)
    ORDER BY origin, week, kind, department`;
  const out = new Map<string, SiblingWeek>();
  for (const r of rows) {
    const figures: Shown = {
      people: r.people, active: r.active, contributors: r.contributors, readers: Math.max(0, r.active - r.contributors),
      managers: r.managers, managersActive: r.managers_active, posts: r.posts, questions: r.questions, answers: r.answers,
      articles: r.articles, rsvps: r.rsvps, votes: r.votes,
    };
    const k = `${r.origin} ${r.week}`;
    let entry = out.get(k);
    if (!entry) out.set(k, entry = { origin: r.origin, week: r.week, fetchedAt: r.fetched_at, view: { total: null as unknown as Shown, departments: [], other: null } });
    if (r.kind === "total") entry.view.total = figures;
    else if (r.kind === "other") entry.view.other = figures;
    else entry.view.departments.push({ key: r.department, figures });
  }
  return [...out.values()].filter((s) => s.view.total);
}

/** The folded form of department names (the directory's ruche_fold), so "Finance" here and "finance" there add up. */
async function folded(db: Db, names: string[]): Promise<Map<string, string>> {
  if (names.length === 0) return new Map();
  const rows = await db`SELECT k, ruche_fold(k) AS f FROM unnest(${names}::text[]) AS k`;
  return new Map(rows.map((r) => [r.k as string, r.f as string]));
}

async function groupReport(db: Db, q: ReportQuery, first: string) {
  if (q.site !== undefined) throw new DomainError("unsupported_filter", 422, "Group-wide figures have no site filter: siblings publish departments only");
  if (q.groupBy === "site" || q.groupBy === "manager") {
    throw new DomainError("unsupported_grouping", 422, "Group-wide figures are grouped by instance or department only");
  }
  const [local, siblings] = await Promise.all([instanceViews(db, first, q.week), siblingViews(db, first, q.week)]);
  const perWeek = (w: string) => [
    ...(local.has(w) ? [{ origin: null as string | null, view: local.get(w)!, fetchedAt: null as Date | null }] : []),
    ...siblings.filter((s) => s.week === w).map((s) => ({ origin: s.origin as string | null, view: s.view, fetchedAt: s.fetchedAt as Date | null })),
  ];
  const names = new Set<string>();
  for (const v of [...local.values(), ...siblings.map((s) => s.view)]) for (const d of v.departments) names.add(d.key);
  if (q.department !== undefined) names.add(q.department);
  const fold = await folded(db, [...names]);
  // One instance's figures for the selection: its total, or its (shown) row of the department asked for.
  const pick = (v: InstanceView): Shown | null =>
    q.department === undefined ? v.total : v.departments.find((d) => fold.get(d.key) === fold.get(q.department!))?.figures ?? null;

  const instances = perWeek(q.week);
  const picked = instances.map((i) => ({ ...i, figures: pick(i.view) })).filter((i) => i.figures);
  const total = sum(picked.map((i) => fromShown(i.figures!)));
  if (total.people < MIN_COHORT) throw tooSmall();

  let rows: ReportRow[] = [], other: Shown | null = null;
  if (q.groupBy === "instance") {
    rows = picked.map((i) => ({ key: i.origin ?? "", figures: i.figures! }));
  } else if (q.groupBy === "department") {
    const byKey = new Map<string, { label: string; list: Figures[] }>();
    const others: Figures[] = [];
    for (const i of instances) {
      for (const d of i.view.departments) {
        const k = fold.get(d.key) ?? d.key;
        const entry = byKey.get(k) ?? { label: d.key, list: [] };
        entry.list.push(fromShown(d.figures));
        byKey.set(k, entry);
      }
      if (i.view.other) others.push(fromShown(i.view.other));
    }
    const combined = suppress([...byKey.values()].map((e) => ({ key: e.label, figures: sum(e.list) })));
    rows = combined.rows.map((r) => ({ key: r.key, figures: show(r.figures) }));
    const rest = [...others, ...(combined.other ? [combined.other] : [])];
    other = rest.length ? show(sum(rest)) : null;
  }
  const series = [];
  for (let w = first; w <= q.week; w = addWeeks(w, 1)) {
    const list = perWeek(w).map((i) => pick(i.view)).filter((f): f is Shown => f !== null);
    const f = sum(list.map(fromShown));
    series.push({ week: w, figures: f.people >= MIN_COHORT ? show(f) : null });
  }
  return { totals: show(total), rows, other, series, instances: instances.map((i) => ({ origin: i.origin, fetchedAt: i.fetchedAt })) };
}
