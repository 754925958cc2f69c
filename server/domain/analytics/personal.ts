// A person's own side of engagement analytics (issue #16 point 2): the day they used Ruche is recorded (the one
// individual-level record analytics keeps, erased after the retention period), unless they opted out; they see their
// own figures, week by week, computed from their own activity; they may opt out, which erases their recorded days
// and leaves them out of every weekly cell computed from then on.
//
//   recordVisit(db, accountId) — called by the one session check and the one token check (accounts/tokens.ts)
//   personalFigures(db, accountId, { now, weeks }) → { optedOut, weeks: [{ week, daysActive, posts, … }] }
//   setAnalyticsOptOut(db, accountId, optOut)
import { atomically, type Db } from "../../db/pool.ts";
import { addWeeks, weekOf } from "./rollup.ts";

/** Today (UTC) is a day this person used Ruche. A no-op after the first call of the day, or when they opted out. */
export async function recordVisit(db: Db, accountId: string): Promise<void> {
  await db`INSERT INTO analytics_visits (day, account_id)
    SELECT (now() AT TIME ZONE 'UTC')::date, u.account_id FROM users u WHERE u.account_id = ${accountId} AND NOT u.analytics_opt_out
    ON CONFLICT DO NOTHING`;
}

export interface PersonalWeek {
  week: string; daysActive: number; posts: number; questions: number; answers: number; articles: number; rsvps: number; votes: number;
}

export async function personalFigures(db: Db, accountId: string, opts: { now: number; weeks: number }): Promise<{ optedOut: boolean; weeks: PersonalWeek[] }> {
  const last = weekOf(opts.now), first = addWeeks(last, -(opts.weeks - 1));
  const from = new Date(`${first}T00:00:00Z`);
  const [user] = await db`SELECT analytics_opt_out FROM users WHERE account_id = ${accountId}`;
  const rows = await db`
    WITH acts AS (
      SELECT created_at AS at, 'posts' AS kind FROM posts
        WHERE account_id = ${accountId} AND local AND created_at >= ${from} AND reblog_of_id IS NULL AND visibility <> 'direct'
      UNION ALL SELECT created_at, 'questions' FROM questions WHERE account_id = ${accountId} AND local AND created_at >= ${from}
      UNION ALL SELECT created_at, 'answers' FROM answers WHERE account_id = ${accountId} AND local AND created_at >= ${from}
      UNION ALL SELECT created_at, 'articles' FROM article_revisions WHERE author_id = ${accountId} AND created_at >= ${from}
      UNION ALL SELECT updated_at, 'rsvps' FROM event_participants WHERE account_id = ${accountId} AND updated_at >= ${from}
        AND status IN ('going', 'maybe', 'not_going', 'pending', 'waitlisted')
      UNION ALL SELECT created_at, 'votes' FROM poll_voters WHERE account_id = ${accountId} AND created_at >= ${from}
    )
    SELECT to_char(date_trunc('week', at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS week, kind, count(*)::int AS n FROM acts GROUP BY 1, 2
    UNION ALL
    SELECT to_char(date_trunc('week', day::timestamp), 'YYYY-MM-DD'), 'days', count(*)::int FROM analytics_visits
      WHERE account_id = ${accountId} AND day >= ${first}::date GROUP BY 1`;
  const weeks: PersonalWeek[] = [];
  for (let w = first; w <= last; w = addWeeks(w, 1)) {
    weeks.push({ week: w, daysActive: 0, posts: 0, questions: 0, answers: 0, articles: 0, rsvps: 0, votes: 0 });
  }
  const byWeek = new Map(weeks.map((w) => [w.week, w]));
  for (const r of rows) {
    const w = byWeek.get(r.week);
    if (!w) continue;
    if (r.kind === "days") w.daysActive = r.n;
    else (w as unknown as Record<string, number>)[r.kind] = r.n;
  }
  return { optedOut: Boolean(user?.analytics_opt_out), weeks };
}

export async function setAnalyticsOptOut(db: Db, accountId: string, optOut: boolean): Promise<void> {
  await atomically(db, async (tx) => {
    await tx`UPDATE users SET analytics_opt_out = ${optOut} WHERE account_id = ${accountId}`;
    if (optOut) await tx`DELETE FROM analytics_visits WHERE account_id = ${accountId}`;
  });
}
