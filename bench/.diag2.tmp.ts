import { connect } from "../server/db/pool.ts";
import { homeTimelineIds } from "../server/domain/home-timeline.ts";
import { loadPosts } from "../server/domain/post-views.ts";
const sql = connect("postgres://postgres@127.0.0.1:5432/ruche_tl_tune", { max: 4 });
const viewers = (await sql`SELECT id::text FROM accounts ORDER BY (id * 2654435761) % 4294967296 LIMIT 300`).map((r) => r.id as string).slice(200);
for (const v of viewers) {
  await sql`INSERT INTO account_mutes (account_id, target_id) SELECT ${v}, following_id FROM follows WHERE follower_id = ${v} ORDER BY id LIMIT 10 ON CONFLICT DO NOTHING`;
  await sql`INSERT INTO word_mutes (account_id, phrase) SELECT ${v}, w FROM unnest(ARRAY['crypto', 'foot', '42', 'ipsumx', 'réunion']) AS w ON CONFLICT DO NOTHING`;
}
const times: number[] = [], hyd: number[] = [], phases: number[][] = [];
for (const [i, v] of viewers.entries()) {
  const t = performance.now();
  const ids = await homeTimelineIds(sql, v, { limit: 20, maxId: null, minId: null, sinceId: null });
  if (i >= 20) times.push(performance.now() - t);
  const t2 = performance.now();
  await loadPosts(sql, ids, { kind: "local", accountId: v });
  if (i >= 20) hyd.push(performance.now() - t2);
}
const p = (a: number[], q: number) => [...a].sort((x, y) => x - y)[Math.ceil(a.length * q) - 1].toFixed(1);
console.log("MUTED ids p50", p(times, 0.5), "p95", p(times, 0.95), "| hydrate p50", p(hyd, 0.5), "p95", p(hyd, 0.95));
console.log(viewers[5]);
await sql.end();
