// The weekly cells of engagement analytics (issue #16 point 2), computed by the analytics job from what people did
// (their posts, questions, answers, article revisions, event answers, polls voted in) and the days they used Ruche
// (visits.ts). A week is an ISO week, Monday 00:00 UTC onwards. The job recomputes the current and the previous week
// (late activity, a department changed); older weeks stay as they were computed, which is what lets the raw days
// be erased after the retention period while the aggregates remain.
//
//   weekOf(instant) → "YYYY-MM-DD" (that week's Monday)
//   rollupWeek(db, week) → number of cells written
//   rollupRecent(db, { now, retentionDays }) → weeks computed (all weeks within retention the first time)
import { getLogger } from "@logtape/logtape";
import { atomically, type Db } from "../../db/pool.ts";

const logger = getLogger(["ruche", "analytics"]);
const DAY = 86_400_000;
const MAX_BACKFILL_WEEKS = 60;

export function weekOf(instant: number | Date): string {
  const t = typeof instant === "number" ? instant : instant.getTime();
  const day = new Date(Math.floor(t / DAY) * DAY);
  const back = (day.getUTCDay() + 6) % 7; // Monday → 0
  return new Date(day.getTime() - back * DAY).toISOString().slice(0, 10);
}

export function addWeeks(week: string, n: number): string {
  return new Date(Date.parse(`${week}T00:00:00Z`) + n * 7 * DAY).toISOString().slice(0, 10);
}

export function isWeek(week: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(week) && !Number.isNaN(Date.parse(`${week}T00:00:00Z`)) && weekOf(Date.parse(`${week}T00:00:00Z`)) === week;
}

/** Recomputes one week's cells (all of them, in one transaction): who counts is who is a person here now. */
export async function rollupWeek(db: Db, week: string): Promise<number> {
  if (!isWeek(week)) throw new Error(`not a week's Monday: ${week}`);
  const from = new Date(`${week}T00:00:00Z`), to = new Date(from.getTime() + 7 * DAY);
  return atomically(db, async (tx) => {
    await tx`DELETE FROM analytics_weekly WHERE week = ${week}`;
    const rows = await tx`
      WITH people AS (
        SELECT u.account_id AS id, btrim(coalesce(p.department, '')) AS department, btrim(coalesce(p.site, '')) AS site,
          EXISTS (SELECT 1 FROM profiles r WHERE r.manager_iri = a.iri) AS manager
        FROM users u JOIN accounts a ON a.id = u.account_id LEFT JOIN profiles p ON p.account_id = u.account_id
        WHERE u.disabled_at IS NULL AND a.deleted_at IS NULL AND a.suspended_at IS NULL AND NOT u.analytics_opt_out
          AND a.actor_type = 'Person' AND u.created_at < ${to}
      ), acts AS (
        SELECT account_id, 1 AS posts, 0 AS questions, 0 AS answers, 0 AS articles, 0 AS rsvps, 0 AS votes FROM posts
          WHERE local AND created_at >= ${from} AND created_at < ${to} AND reblog_of_id IS NULL AND visibility <> 'direct'
        UNION ALL SELECT account_id, 0, 1, 0, 0, 0, 0 FROM questions WHERE local AND created_at >= ${from} AND created_at < ${to}
        UNION ALL SELECT account_id, 0, 0, 1, 0, 0, 0 FROM answers WHERE local AND created_at >= ${from} AND created_at < ${to}
        UNION ALL SELECT author_id, 0, 0, 0, 1, 0, 0 FROM article_revisions WHERE created_at >= ${from} AND created_at < ${to}
        UNION ALL SELECT account_id, 0, 0, 0, 0, 1, 0 FROM event_participants
          WHERE updated_at >= ${from} AND updated_at < ${to} AND status IN ('going', 'maybe', 'not_going', 'pending', 'waitlisted')
        UNION ALL SELECT account_id, 0, 0, 0, 0, 0, 1 FROM poll_voters WHERE created_at >= ${from} AND created_at < ${to}
      ), per AS (
        SELECT account_id, sum(posts)::int AS posts, sum(questions)::int AS questions, sum(answers)::int AS answers,
          sum(articles)::int AS articles, sum(rsvps)::int AS rsvps, sum(votes)::int AS votes
        FROM acts GROUP BY account_id
      ), seen AS (
        SELECT DISTINCT account_id FROM analytics_visits WHERE day >= ${week}::date AND day < ${week}::date + 7
      )
      INSERT INTO analytics_weekly (week, department, site, manager, people, active, contributors, posts, questions, answers, articles, rsvps, votes)
      SELECT ${week}::date, pe.department, pe.site, pe.manager, count(*)::int,
        count(*) FILTER (WHERE s.account_id IS NOT NULL OR per.account_id IS NOT NULL)::int, count(per.account_id)::int,
        coalesce(sum(per.posts), 0)::int, coalesce(sum(per.questions), 0)::int, coalesce(sum(per.answers), 0)::int,
        coalesce(sum(per.articles), 0)::int, coalesce(sum(per.rsvps), 0)::int, coalesce(sum(per.votes), 0)::int
      FROM people pe LEFT JOIN per ON per.account_id = pe.id LEFT JOIN seen s ON s.account_id = pe.id
      GROUP BY pe.department, pe.site, pe.manager
      RETURNING 1`;
    return rows.length;
  });
}

/**
 * What the analytics job does each time: the current and previous weeks (every week within the retention period,
 * up to 60, when nothing was computed yet), then the raw days older than the retention period are erased.
 */
export async function rollupRecent(db: Db, opts: { now: number; retentionDays: number }): Promise<string[]> {
  const current = weekOf(opts.now);
  const [{ any }] = await db`SELECT EXISTS (SELECT 1 FROM analytics_weekly) AS any`;
  let first = addWeeks(current, -1);
  if (!any) {
    const [{ since }] = await db`SELECT min(created_at) AS since FROM users`;
    const floor = Math.max(opts.now - opts.retentionDays * DAY, opts.now - MAX_BACKFILL_WEEKS * 7 * DAY);
    first = weekOf(Math.max(floor, since ? (since as Date).getTime() : opts.now));
  }
  const weeks: string[] = [];
  for (let w = first; w <= current; w = addWeeks(w, 1)) {
    await rollupWeek(db, w);
    weeks.push(w);
  }
  const cutoff = new Date(opts.now - opts.retentionDays * DAY).toISOString().slice(0, 10);
  const erased = await db`DELETE FROM analytics_visits WHERE day < ${cutoff}::date RETURNING 1`;
  if (erased.length > 0) logger.info("Erased {n} raw analytics days older than {days} days", { n: erased.length, days: opts.retentionDays });
  return weeks;
}

/** When the current week was last computed, or null. */
export async function lastComputed(db: Db, week: string): Promise<Date | null> {
  const [row] = await db`SELECT max(computed_at) AS at FROM analytics_weekly WHERE week = ${week}`;
  return (row?.at as Date | null) ?? null;
}
