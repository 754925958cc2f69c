// Home-timeline latency at scale (issue #4): 10,000 accounts, 1,000,000 posts, ~150 follows and 3 followed
// hashtags per account, a realistic mix of scopes, boosts, mentions and hashtags — generated in SQL with
// generate_series (tens of seconds, not hours). Then homeTimeline() — the domain function the API and pages call —
// runs for random viewers, first page and the next one (max_id), with and without mutes (10 people + 5 words:
// the case that took Mastodon's timelines from milliseconds to seconds, mastodon#33765). Figures are server time
// (the query and the hydration of 20 posts), in process: each viewer's page is read once (cold), then timed as the
// median of 3 reads, so that other processes on the shared cores do not make the percentiles.
//
// `npm run bench -- timeline` once wired in bench/run.ts; standalone: `node bench/timeline.ts`.
import { availableParallelism, loadavg } from "node:os";
import { migrate } from "../server/db/migrate.ts";
import { connect, type Sql } from "../server/db/pool.ts";
import { homeTimeline } from "../server/domain/timelines/timelines.ts";
import { type Benchmark, medianOf, runAlone } from "./lib/bench.ts";
import { Scope } from "./lib/cleanup.ts";
import { benchDatabase } from "./lib/instance.ts";
import { atMost, formatNumber, percentile, Report, sortedCopy } from "./lib/report.ts";

export interface TimelineDataset { users: number; posts: number; followsPerUser: number; tags: number }

export const DEFAULT_DATASET: TimelineDataset = { users: 10_000, posts: 1_000_000, followsPerUser: 150, tags: 200 };

/** Fills an empty, migrated database. Deterministic (no random()), so runs are comparable. */
export async function generateTimelineData(pool: Sql, d: TimelineDataset = DEFAULT_DATASET, log: (s: string) => void = () => {}): Promise<void> {
  await pool.begin(async (sql) => {
    // The rows are consistent by construction: skip per-row foreign-key checks and triggers when we may (superuser).
    await sql.savepoint((sp) => sp`SET LOCAL session_replication_role = replica`).catch(() => log("(foreign-key checks stay on: not a superuser)"));
    await fill(sql as unknown as Sql, d, log);
  });
  await pool`VACUUM ANALYZE`;
}

async function fill(sql: Sql, d: TimelineDataset, log: (s: string) => void): Promise<void> {
  const origin = "https://bench.example";
  await sql`INSERT INTO accounts (username, iri, url, inbox_url, followers_url)
    SELECT 'u' || i, ${origin} || '/users/u' || i, ${origin} || '/@u' || i, ${origin} || '/users/u' || i || '/inbox',
      ${origin} || '/users/u' || i || '/followers'
    FROM generate_series(1, ${d.users}) AS i`;
  const [{ base }] = await sql`SELECT min(id) - 1 AS base FROM accounts`;
  // Written directly, without notifications (notify() is not what is measured).
  // Each account follows followsPerUser others, spread by a stride so the graph has no obvious clusters.
  await sql`INSERT INTO follows (follower_id, following_id, state, iri)
    SELECT ${base} + u, ${base} + 1 + ((u - 1 + k * 67) % ${d.users}), 'accepted', ${origin} || '/f/' || u || '/' || k
    FROM generate_series(1::bigint, ${d.users}) AS u, generate_series(1::bigint, ${d.followsPerUser}) AS k`;
  log("accounts and follows written");
  // Posts: 60 % internal, 25 % public, 8 % followers, 4 % local, 3 % direct; authors spread by a multiplicative hash;
  // spread over 90 days. Ids grow with time, as they do in production.
  await sql`INSERT INTO posts (id, iri, url, account_id, local, origin, visibility, source, content_html, content_text, created_at)
    SELECT i, ${origin} || '/ap/note/' || i, NULL, ${base} + 1 + ((i * 7919) % ${d.users}), true, ${origin},
      CASE WHEN i % 100 < 60 THEN 'internal' WHEN i % 100 < 85 THEN 'public' WHEN i % 100 < 93 THEN 'followers'
           WHEN i % 100 < 97 THEN 'local' ELSE 'direct' END,
      'post ' || i, '<p>post ' || i || ' lorem ipsum dolor</p>', 'post ' || i || ' lorem ipsum dolor ' || (i % 997),
      now() - interval '90 days' + (i * interval '90 days' / ${d.posts})
    FROM generate_series(1::bigint, ${d.posts}) AS i`;
  await sql`SELECT setval('posts_id_seq', ${d.posts})`;
  log("posts written");
  // 2 % boosts of public posts by other accounts.
  await sql`INSERT INTO posts (iri, account_id, local, origin, visibility, reblog_of_id, created_at)
    SELECT ${origin} || '/ap/announce/b' || p.id, ${base} + 1 + ((p.id * 31) % ${d.users}), true, ${origin}, 'public', p.id, p.created_at
    FROM posts p WHERE p.visibility = 'public' AND p.id % 13 = 0 AND ${base} + 1 + ((p.id * 31) % ${d.users}) <> p.account_id`;
  await sql`INSERT INTO mentions (post_id, account_id)
    SELECT id, ${base} + 1 + ((id * 13) % ${d.users}) FROM posts WHERE visibility = 'direct' OR id % 50 = 0 ON CONFLICT DO NOTHING`;
  await sql`INSERT INTO post_tags (post_id, tag) SELECT id, 'tag' || ((id / 10) % ${d.tags}) FROM posts WHERE id % 10 = 0 AND reblog_of_id IS NULL`;
  await sql`INSERT INTO tag_follows (account_id, tag)
    SELECT ${base} + u, 'tag' || ((u * k) % ${d.tags}) FROM generate_series(1::bigint, ${d.users}) AS u, generate_series(1::bigint, 3) AS k
    ON CONFLICT DO NOTHING`;
}

/** Gives `viewers` 10 muted accounts (among those they follow) and 5 muted words. */
async function addMutes(sql: Sql, viewers: string[]): Promise<void> {
  for (const v of viewers) {
    await sql`INSERT INTO account_mutes (account_id, target_id)
      SELECT ${v}, following_id FROM follows WHERE follower_id = ${v} ORDER BY id LIMIT 10 ON CONFLICT DO NOTHING`;
    await sql`INSERT INTO word_mutes (account_id, phrase) SELECT ${v}, w FROM unnest(ARRAY['crypto', 'foot', '42', 'ipsumx', 'réunion']) AS w
      ON CONFLICT DO NOTHING`;
  }
}


async function measure(sql: Sql, viewers: string[]): Promise<{ cold: Float64Array; first: Float64Array; next: Float64Array; empty: number }> {
  const cold: number[] = [], first: number[] = [], next: number[] = [];
  let empty = 0;
  for (const v of viewers) {
    const start = performance.now();
    const page = await homeTimeline(sql, v, { limit: 20 });
    cold.push(performance.now() - start);
    if (page.items.length === 0) empty++;
    first.push(await medianOf(() => homeTimeline(sql, v, { limit: 20 })));
    if (page.nextMaxId) next.push(await medianOf(() => homeTimeline(sql, v, { limit: 20, maxId: page.nextMaxId! })));
  }
  return { cold: sortedCopy(cold), first: sortedCopy(first), next: sortedCopy(next), empty };
}

export const timeline: Benchmark = {
  name: "timeline",
  title: "home timeline at 1M posts / 10k users (fan-out-on-read, keyset pages, mutes)",
  async run(report: Report) {
    const scope = new Scope("timeline");
    try {
      const db = await benchDatabase(scope);
      const sql = connect(db.url, { max: 4 });
      scope.defer("database pool", () => sql.end({ timeout: 5 }));
      await migrate(sql);
      const d = DEFAULT_DATASET;
      const t = performance.now();
      await generateTimelineData(sql, d, (s) => report.note(`${s} (${formatNumber((performance.now() - t) / 1000)} s)`));
      const [{ posts }] = await sql`SELECT count(*)::int AS posts FROM posts`;
      report.note(`${db.kind}; generated ${posts.toLocaleString("en")} posts (incl. boosts), ${d.users.toLocaleString("en")} accounts, ` +
        `${(d.users * d.followsPerUser).toLocaleString("en")} follows in ${formatNumber((performance.now() - t) / 1000)} s`);
      report.note(`load average before measuring: ${loadavg().map((l) => l.toFixed(1)).join(", ")} (${availableParallelism()} cores)`);
      const viewers = (await sql`SELECT id::text FROM accounts ORDER BY (id * 2654435761) % 4294967296 LIMIT 300`).map((r) => r.id as string);
      await measure(sql, viewers.slice(0, 10)); // warm-up: connections, prepared statements
      const plain = await measure(sql, viewers.slice(0, 150));
      report.add("home p50, 20 posts, no mutes", percentile(plain.first, 50), "ms");
      report.add("home p95, 20 posts, no mutes", percentile(plain.first, 95), "ms", { target: atMost(20, "20 ms") });
      report.add("home p95, next page (max_id)", percentile(plain.next, 95), "ms", { target: atMost(20, "20 ms") });
      report.add("home p95, each viewer's first read (cold cache)", percentile(plain.cold, 95), "ms");
      const muted = viewers.slice(150, 300);
      await addMutes(sql, muted);
      const withMutes = await measure(sql, muted);
      report.add("home p95 with 10 muted people + 5 muted words", percentile(withMutes.first, 95), "ms", { target: atMost(10, "10 ms (issue #7)") });
      report.add("home p99 with mutes", percentile(withMutes.first, 99), "ms");
      if (plain.empty + withMutes.empty > 0) report.note(`${plain.empty + withMutes.empty} viewers had an empty first page`);
    } finally {
      await scope.close();
    }
  },
};

if (process.argv[1]?.endsWith("bench/timeline.ts")) await runAlone(timeline);
