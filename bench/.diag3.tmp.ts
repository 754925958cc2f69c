import { connect } from "../server/db/pool.ts";
import { homeTimelineIds } from "../server/domain/home-timeline.ts";
const sql = connect("postgres://postgres@127.0.0.1:5432/ruche_tl_tune", { max: 4 });
const viewers = (await sql`SELECT id::text FROM accounts ORDER BY (id * 2654435761) % 4294967296 LIMIT 300`).map((r) => r.id as string).slice(200, 230);
for (const v of viewers) {
  (globalThis as any).__ph = [];
  await homeTimelineIds(sql, v, { limit: 20, maxId: null, minId: null, sinceId: null });
  console.log(JSON.stringify((globalThis as any).__ph.map((x: any[]) => [x[0], Number(x[1].toFixed(1)), x[2]])));
}
await sql.end();
