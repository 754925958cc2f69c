import { connect } from "../server/db/pool.ts";
import { homeTimelineIds } from "../server/domain/home-timeline.ts";
import { loadPosts } from "../server/domain/post-views.ts";
const sql = connect("postgres://postgres@127.0.0.1:5432/ruche_tl_tune", { max: 4 });
const viewers = (await sql`SELECT id::text FROM accounts ORDER BY (id * 2654435761) % 4294967296 LIMIT 200`).map((r) => r.id as string);
const times: number[] = [], hyd: number[] = [];
for (const [i, v] of viewers.entries()) {
  const t = performance.now();
  const ids = await homeTimelineIds(sql, v, { limit: 20, maxId: null, minId: null, sinceId: null });
  if (i >= 50) times.push(performance.now() - t);
  const t2 = performance.now();
  await loadPosts(sql, ids, { kind: "local", accountId: v });
  if (i >= 50) hyd.push(performance.now() - t2);
}
const p = (a: number[], q: number) => [...a].sort((x, y) => x - y)[Math.ceil(a.length * q) - 1].toFixed(1);
console.log("ids p50", p(times, 0.5), "p95", p(times, 0.95), "| hydrate p50", p(hyd, 0.5), "p95", p(hyd, 0.95));
await sql.end();
