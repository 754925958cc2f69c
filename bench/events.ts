// Calendars at scale (issue #12): a person in 20 groups, 10,000 events over a year (internal, public, local, and
// the 20 groups' own, 5 % of them weekly recurring), generated in SQL. Then agenda() — the domain function the
// agenda page, the API and the feeds call — for a month, and a private ICS feed of 1,000 events the person attends
// (the feed's query, expansion and ical-generator's output). In process, each figure the median of 3 reads per
// sample, so that other processes on the shared cores do not make the percentiles.
//
// `npm run bench -- events`; standalone: `node bench/events.ts`.
import { availableParallelism, loadavg } from "node:os";
import { migrate } from "../server/db/migrate.ts";
import { connect, type Sql } from "../server/db/pool.ts";
import { localViewer } from "../server/domain/audience/visibility.ts";
import { agenda } from "../server/domain/events/calendar.ts";
import { calendarIcs } from "../server/domain/events/ics.ts";
import { type Benchmark, medianOf, runAlone } from "./lib/bench.ts";
import { Scope } from "./lib/cleanup.ts";
import { benchDatabase } from "./lib/instance.ts";
import { atMost, formatNumber, percentile, Report, sortedCopy } from "./lib/report.ts";

const DAY = 86_400_000;
const ORIGIN = "https://bench.example";

/** 10,000 events by 199 people (not the viewer), 20 groups the viewer belongs to, 1,000 of the events attended by the viewer. */
export async function generateEventsData(sql: Sql): Promise<string> {
  await sql`INSERT INTO accounts (username, iri, url, inbox_url, followers_url)
    SELECT 'u' || i, ${ORIGIN} || '/users/u' || i, ${ORIGIN} || '/@u' || i, ${ORIGIN} || '/users/u' || i || '/inbox', ${ORIGIN} || '/users/u' || i || '/followers'
    FROM generate_series(1, 200) AS i`;
  await sql`INSERT INTO accounts (username, iri, url, inbox_url, followers_url, actor_type, locked)
    SELECT 'g' || i, ${ORIGIN} || '/groups/g' || i, ${ORIGIN} || '/groups/g' || i, ${ORIGIN} || '/groups/g' || i || '/inbox',
      ${ORIGIN} || '/groups/g' || i || '/followers', 'Group', true FROM generate_series(1, 20) AS i`;
  const [{ viewer }] = await sql`SELECT id::text AS viewer FROM accounts WHERE username = 'u1'`;
  await sql`INSERT INTO follows (follower_id, following_id, state, iri)
    SELECT ${viewer}, id, 'accepted', ${ORIGIN} || '/f/' || id FROM accounts WHERE actor_type = 'Group'`;
  const [{ base }] = await sql`SELECT min(id) - 1 AS base FROM accounts WHERE actor_type = 'Group'`;
  // 40 % internal, 40 % in one of the groups (its audience), 10 % public, 10 % local; over a year around now.
  await sql`INSERT INTO posts (id, iri, url, account_id, local, origin, visibility, group_id, source, content_html, content_text, created_at)
    SELECT i, ${ORIGIN} || '/ap/note/' || i, ${ORIGIN} || '/events/' || i, ${viewer}::bigint + 1 + (i * 7919) % 199, true, ${ORIGIN},
      CASE WHEN i % 10 < 4 THEN 'internal' WHEN i % 10 < 8 THEN 'group' WHEN i % 10 = 8 THEN 'public' ELSE 'local' END,
      CASE WHEN i % 10 BETWEEN 4 AND 7 THEN ${base} + 1 + (i % 20) END,
      'Réunion ' || i, '<p>Réunion ' || i || '</p>', 'Réunion ' || i, now() - interval '200 days'
    FROM generate_series(1::bigint, 10000) AS i`;
  await sql`SELECT setval('posts_id_seq', 10000)`;
  await sql`INSERT INTO events (post_id, title, starts_at, ends_at, timezone, join_mode, capacity, rrule)
    SELECT i, 'Réunion ' || i, date_trunc('hour', now() - interval '182 days' + (i * interval '365 days' / 10000)),
      date_trunc('hour', now() - interval '182 days' + (i * interval '365 days' / 10000)) + interval '1 hour',
      'Europe/Paris', CASE WHEN i % 3 = 0 THEN 'restricted' ELSE 'free' END, CASE WHEN i % 2 = 0 THEN 50 END,
      CASE WHEN i % 20 = 0 THEN 'FREQ=WEEKLY;COUNT=52' END
    FROM generate_series(1::bigint, 10000) AS i`;
  // The viewer attends every tenth event, the ones it may read: 1,000 in the feed.
  await sql`INSERT INTO event_participants (post_id, account_id, status)
    SELECT e.post_id, ${viewer}, 'going' FROM events e JOIN posts p ON p.id = e.post_id WHERE e.post_id % 10 = 1`;
  await sql`VACUUM ANALYZE`;
  return viewer as string;
}


export const events: Benchmark = {
  name: "events",
  title: "calendar month view (20 groups, 10k events) and a 1,000-event ICS feed",
  async run(report: Report) {
    const scope = new Scope("events");
    try {
      const db = await benchDatabase(scope);
      const sql = connect(db.url, { max: 4 });
      scope.defer("database pool", () => sql.end({ timeout: 5 }));
      await migrate(sql);
      const t = performance.now();
      const viewerId = await generateEventsData(sql);
      const viewer = localViewer(viewerId);
      report.note(`${db.kind}; 10,000 events (500 weekly recurring), 20 groups, generated in ${formatNumber((performance.now() - t) / 1000)} s`);
      report.note(`load average before measuring: ${loadavg().map((l) => l.toFixed(1)).join(", ")} (${availableParallelism()} cores)`);
      // Month views: the 12 months around now, 4 samples each.
      const now = new Date();
      const months = Array.from({ length: 12 }, (_, i) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 6 + i, 1)));
      const month: number[] = [];
      let shown = 0;
      for (let round = 0; round < 4; round++) {
        for (const from of months) {
          const to = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1));
          if (round === 0) shown = Math.max(shown, (await agenda(sql, viewer, { from, to, limit: 2_000 })).length);
          month.push(await medianOf(() => agenda(sql, viewer, { from, to, limit: 2_000 })));
        }
      }
      const m = sortedCopy(month);
      report.note(`a month shows up to ${shown} occurrences`);
      report.add("month view p50", percentile(m, 50), "ms");
      report.add("month view p95", percentile(m, 95), "ms", { target: atMost(30, "30 ms") });
      // The feed: the viewer's events from a month ago to a year ahead, as the feed route builds it.
      const feed: number[] = [];
      let items = 0, bytes = 0;
      for (let i = 0; i < 12; i++) {
        feed.push(await medianOf(async () => {
          const from = new Date(Date.now() - 200 * DAY);
          const list = await agenda(sql, viewer, { from, to: new Date(from.getTime() + 396 * DAY), mine: true, limit: 2_000 });
          const ics = calendarIcs(list, { name: "Bench", host: "bench.example" });
          items = list.length;
          bytes = ics.length;
        }));
      }
      const f = sortedCopy(feed);
      report.note(`the feed holds ${items} occurrences (${formatNumber(bytes / 1024)} KiB of iCalendar)`);
      report.add("ICS feed p50", percentile(f, 50), "ms");
      report.add("ICS feed p95", percentile(f, 95), "ms", { target: atMost(100, "100 ms") });
    } finally {
      await scope.close();
    }
  },
};

if (process.argv[1]?.endsWith("bench/events.ts")) await runAlone(events);
