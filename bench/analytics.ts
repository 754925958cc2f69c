// Engagement analytics at scale (issue #16 point 2): 10,000 people in 60 departments (a dozen under 5 people) on
// 8 sites, 900 managers; one week of real activity (30,000 posts, answers, votes, event answers, 40,000 visit days)
// rolled up into weekly cells by rollupWeek — what the hourly job does — then a year of such weeks and four
// siblings' published figures. The dashboard's queries (analyticsReport, what the page, the API and the CSV call)
// over that year: the target is 200 ms. In process, each figure the median of 3 reads per sample.
//
// `npm run bench -- analytics`; standalone: `node bench/analytics.ts`.
import { availableParallelism, loadavg } from "node:os";
import { migrate } from "../server/db/migrate.ts";
import { connect, type Sql } from "../server/db/pool.ts";
import { analyticsReport, type ReportQuery } from "../server/domain/analytics/report.ts";
import { addWeeks, rollupWeek, weekOf } from "../server/domain/analytics/rollup.ts";
import { type Benchmark, medianOf, runAlone } from "./lib/bench.ts";
import { Scope } from "./lib/cleanup.ts";
import { benchDatabase } from "./lib/instance.ts";
import { atMost, formatNumber, percentile, Report, sortedCopy } from "./lib/report.ts";

const ORIGIN = "https://bench.example";
const PEOPLE = 10_000;
const SIBLINGS = ["https://lyon.example", "https://lille.example", "https://nantes.example", "https://bordeaux.example"];

/** 10,000 people, this week's activity; returns the week. */
export async function generatePeople(sql: Sql, week: string): Promise<void> {
  await sql`INSERT INTO accounts (username, iri, url, inbox_url, followers_url)
    SELECT 'u' || i, ${ORIGIN} || '/users/u' || i, ${ORIGIN} || '/@u' || i, ${ORIGIN} || '/users/u' || i || '/inbox',
      ${ORIGIN} || '/users/u' || i || '/followers'
    FROM generate_series(1, ${PEOPLE}) AS i`;
  await sql`INSERT INTO users (account_id, created_at) SELECT id, now() - interval '400 days' FROM accounts`;
  // 48 large departments and 12 of 1 to 4 people; 8 sites; every 11th person reports to one of 900 managers.
  await sql`INSERT INTO profiles (account_id, department, site, manager_iri)
    SELECT a.id,
      CASE WHEN n <= 30 THEN 'Petit service ' || (1 + n % 12) ELSE 'Service ' || (1 + n % 48) END,
      'Site ' || (1 + (n / 7) % 8),
      CASE WHEN n % 11 = 0 THEN ${ORIGIN} || '/users/u' || (1 + n % 900) END
    FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM accounts) a
      JOIN accounts USING (id)
    ON CONFLICT (account_id) DO UPDATE SET department = EXCLUDED.department, site = EXCLUDED.site, manager_iri = EXCLUDED.manager_iri`;
  const at = sql`(${week}::date + ((i % 7) || ' days')::interval + ((i % 24) || ' hours')::interval)::timestamptz`;
  // 30,000 posts by 4,000 people, 40,000 visit days by 7,000 people.
  await sql`INSERT INTO posts (iri, url, account_id, local, origin, visibility, source, content_html, content_text, created_at)
    SELECT ${ORIGIN} || '/ap/note/' || i, ${ORIGIN} || '/posts/' || i, (SELECT min(id) FROM accounts) + i % 4000, true, ${ORIGIN},
      CASE WHEN i % 10 = 0 THEN 'public' ELSE 'internal' END, 'Bonjour ' || i, '<p>Bonjour ' || i || '</p>', 'Bonjour ' || i, ${at}
    FROM generate_series(1, 30000) AS i`;
  await sql`INSERT INTO analytics_visits (day, account_id)
    SELECT DISTINCT ${week}::date + (i % 7), (SELECT min(id) FROM accounts) + (i * 7) % 7000 FROM generate_series(1, 40000) AS i
    ON CONFLICT DO NOTHING`;
  await sql`VACUUM ANALYZE`;
}

/** A year of weekly cells (this week's, with some variation) and four siblings' figures for each week. */
export async function generateYear(sql: Sql, week: string): Promise<void> {
  for (let i = 1; i < 53; i++) {
    const w = addWeeks(week, -i);
    await sql`INSERT INTO analytics_weekly (week, department, site, manager, people, active, contributors, posts, questions,
        answers, articles, rsvps, votes)
      SELECT ${w}::date, department, site, manager, people, greatest(0, active - ${i % 5}), greatest(0, contributors - ${i % 3}),
        posts, questions, answers, articles, rsvps, votes
      FROM analytics_weekly WHERE week = ${week}::date`;
  }
  for (const origin of SIBLINGS) {
    await sql`INSERT INTO siblings (origin) VALUES (${origin}) ON CONFLICT DO NOTHING`;
    await sql`INSERT INTO analytics_sibling_weekly (origin, week, kind, department, people, active, contributors, managers,
        managers_active, posts, questions, answers, articles, rsvps, votes, fetched_at)
      SELECT ${origin}, w, k.kind, k.department, k.people, k.people * 7 / 10, k.people * 4 / 10, k.people / 10, k.people / 20,
        k.people * 3, 5, 10, 2, 8, 6, now()
      FROM generate_series(${addWeeks(week, -52)}::date, ${week}::date, interval '7 days') AS w,
        (SELECT 'total' AS kind, '' AS department, 2500 AS people
         UNION ALL SELECT 'department', 'Service ' || d, 40 + d FROM generate_series(1, 48) AS d
         UNION ALL SELECT 'other', '', 30) AS k`;
  }
  await sql`VACUUM ANALYZE`;
}


export const analyticsBench: Benchmark = {
  name: "analytics",
  title: "engagement dashboard over a year of 10,000 people, and one week's rollup",
  async run(report: Report) {
    const scope = new Scope("analytics");
    try {
      const db = await benchDatabase(scope);
      const sql = connect(db.url, { max: 4 });
      scope.defer("database pool", () => sql.end({ timeout: 5 }));
      await migrate(sql);
      const week = weekOf(Date.now());
      const t = performance.now();
      await generatePeople(sql, week);
      report.note(`${db.kind}; 10,000 people, 30,000 posts and 40,000 visit days this week, generated in ${formatNumber((performance.now() - t) / 1000)} s`);
      const rollups: number[] = [];
      let cells = 0;
      for (let i = 0; i < 3; i++) {
        const s = performance.now();
        cells = await rollupWeek(sql, week);
        rollups.push(performance.now() - s);
      }
      report.note(`one week rolls up into ${cells} cells (department × site × manager)`);
      report.add("rollup of a week p50", percentile(sortedCopy(rollups), 50), "ms", { target: atMost(5_000, "5 s") });
      await generateYear(sql, week);
      const [{ n }] = await sql`SELECT count(*)::int AS n FROM analytics_weekly`;
      const [{ s }] = await sql`SELECT count(*)::int AS s FROM analytics_sibling_weekly`;
      report.note(`${formatNumber(n)} weekly cells over 53 weeks, ${formatNumber(s)} sibling rows from ${SIBLINGS.length} siblings`);
      report.note(`load average before measuring: ${loadavg().map((l) => l.toFixed(1)).join(", ")} (${availableParallelism()} cores)`);
      const queries: ReportQuery[] = [
        { scope: "instance", groupBy: "none", week, weeks: 12 },
        { scope: "instance", groupBy: "department", week, weeks: 12 },
        { scope: "instance", groupBy: "site", week, weeks: 12 },
        { scope: "instance", groupBy: "manager", week, weeks: 12 },
        { scope: "instance", groupBy: "department", week, weeks: 53 },
        { scope: "group", groupBy: "department", week, weeks: 12 },
        { scope: "group", groupBy: "instance", week, weeks: 53 },
        { scope: "group", groupBy: "department", week, weeks: 53, department: "Service 7" },
      ];
      const times: number[] = [];
      const rows = new Set<number>();
      const each = queries.map(() => [] as number[]);
      for (let round = 0; round < 5; round++) {
        for (const [i, q] of queries.entries()) {
          if (round === 0) rows.add((await analyticsReport(sql, q)).rows.length);
          const ms = await medianOf(() => analyticsReport(sql, q));
          times.push(ms);
          each[i].push(ms);
        }
      }
      const slowest = each.map((list, i) => ({ q: queries[i], ms: percentile(sortedCopy(list), 50) })).sort((a, b) => b.ms - a.ms)[0];
      report.note(`slowest selection: ${slowest.q.scope} by ${slowest.q.groupBy} over ${slowest.q.weeks} weeks${slowest.q.department ? " (one department)" : ""}, median ${formatNumber(slowest.ms)} ms`);
      const sorted = sortedCopy(times);
      report.note(`${queries.length} dashboard selections (instance and group, by department, site, manager, subsidiary; 12 and 53 weeks), up to ${Math.max(...rows)} rows`);
      report.add("dashboard p50", percentile(sorted, 50), "ms");
      report.add("dashboard p95", percentile(sorted, 95), "ms", { target: atMost(200, "200 ms") });
    } finally {
      await scope.close();
    }
  },
};

if (process.argv[1]?.endsWith("bench/analytics.ts")) await runAlone(analyticsBench);
