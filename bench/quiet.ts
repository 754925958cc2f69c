// Deciding deliver-now-or-hold for one notification (issue #15): hold.ts's `decide`, the rule notify() applies to
// every notification, timed on CPU over instants spread across a week (working hours, evenings, weekends, leave,
// a public holiday) for schedules in three zones. Target ≤ 0.1 ms of CPU per decision. The schedule's one query
// (schedules.ts scheduleInForce) is not included: it is a primary-key read next to the notification's own INSERT.
// Then the morning digest: 10,000 people on the company's hours, two held notifications and one push subscription
// each, released at 9:00 by releaseDue (what the clock's 9:00 triggers): rows released, events published, one
// digest push job queued per person. Target ≤ 60 s.
import type { Benchmark } from "./lib/bench.ts";
import { Scope } from "./lib/cleanup.ts";
import { benchDatabase } from "./lib/instance.ts";
import { atMost, formatNumber, type Report } from "./lib/report.ts";
import { connect } from "../server/db/pool.ts";
import { migrate } from "../server/db/migrate.ts";
import { dayNumber, decide, type WorkSchedule } from "../server/domain/quiet/hold.ts";
import { releaseDue } from "../server/domain/quiet/held.ts";

const DECISIONS = 200_000;
const week = (r: [number, number][]) => ({ mon: r, tue: r, wed: r, thu: r, fri: r });

const schedules: WorkSchedule[] = [
  { timeZone: "Europe/Paris", days: week([[540, 1050]]), country: "FR", leaves: [] },
  { timeZone: "America/Montreal", days: week([[480, 720], [780, 1020]]), country: null, leaves: [{ first: dayNumber("2026-12-21"), last: dayNumber("2027-01-03") }] },
  { timeZone: "Asia/Kolkata", days: { ...week([[570, 1110]]), sat: [[600, 780]] }, country: null, leaves: [] },
];

export const quiet: Benchmark = {
  name: "quiet",
  title: "CPU to decide deliver-now-or-hold for one notification (quiet hours)",
  async run(report: Report) {
    const start = Date.UTC(2026, 11, 14, 0, 0);
    // Warm-up: formatters built, code optimised.
    for (let i = 0; i < 20_000; i++) decide(schedules[i % 3], start + i * 997_000);
    let held = 0;
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < DECISIONS; i++) {
      // A prime step in ms walks every minute of three weeks in a scattered order.
      const d = decide(schedules[i % 3], start + ((i * 7_919_993) % (21 * 86_400_000)));
      if (!d.deliver) held++;
    }
    const wall = performance.now() - t0;
    const used = process.cpuUsage(cpu);
    const perDecision = (used.user + used.system) / DECISIONS; // µs
    report.note(`${DECISIONS.toLocaleString("en")} decisions over 3 schedules (Paris with French holidays, Montreal with leave, Kolkata), ` +
      `instants spread over 3 weeks: ${formatNumber((100 * held) / DECISIONS)} % held; wall ${formatNumber(wall)} ms`);
    report.add("quiet: CPU per deliver-or-hold decision", perDecision, "µs", { target: atMost(100, "100 µs (0.1 ms)") });
    await morningDigest(report);
  },
};

const PEOPLE = 10_000;

async function morningDigest(report: Report): Promise<void> {
  const scope = new Scope("quiet digest");
  try {
    const db = await benchDatabase(scope);
    const sql = connect(db.url, { max: 4 });
    scope.defer("pool", () => sql.end({ timeout: 5 }));
    await migrate(sql);
    const nineAm = Date.UTC(2026, 11, 4, 8, 0); // Friday 9:00 in Paris
    await sql`INSERT INTO accounts (username, iri) SELECT 'p' || i, 'https://bench.example/users/p' || i FROM generate_series(0, ${PEOPLE}) i`;
    await sql`INSERT INTO users (account_id) SELECT id FROM accounts`;
    await sql`INSERT INTO api_tokens (token_hash, account_id, scopes) SELECT 'h' || account_id, account_id, '{read,push}' FROM users`;
    await sql`INSERT INTO push_subscriptions (account_id, token_id, access_token, endpoint, key_p256dh, key_auth, alerts)
      SELECT account_id, id, 't' || id, 'https://push.example/' || id, 'k', 'a', '{mention}' FROM api_tokens`;
    await sql`INSERT INTO work_schedules (time_zone, days) VALUES ('Europe/Paris', ${sql.json({ mon: [[540, 1050]], tue: [[540, 1050]], wed: [[540, 1050]], thu: [[540, 1050]], fri: [[540, 1050]] })})`;
    const [sender] = await sql`SELECT id FROM accounts WHERE username = 'p0'`;
    await sql`INSERT INTO notifications (account_id, type, from_account_id, held_until)
      SELECT a.id, t, ${sender.id}, ${new Date(nineAm)} FROM accounts a, unnest('{mention,favourite}'::text[]) t WHERE a.username <> 'p0'`;
    await sql`ANALYZE`;
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    const released = await releaseDue(sql, nineAm);
    const seconds = (performance.now() - t0) / 1000;
    const used = process.cpuUsage(cpu);
    const [{ jobs }] = await sql.unsafe(`SELECT count(*)::int AS jobs FROM pgboss.job_common WHERE name = 'push'`);
    const [{ held }] = await sql`SELECT count(*)::int AS held FROM notifications WHERE held_until IS NOT NULL`;
    report.note(`${db.kind}: ${PEOPLE.toLocaleString("en")} people on the instance's hours, 2 held notifications and 1 push subscription each; ` +
      `${released.toLocaleString("en")} people released, ${jobs.toLocaleString("en")} digest push jobs queued, ${held} still held; ` +
      `Node CPU ${formatNumber((used.user + used.system) / 1e6)} s (the rest is PostgreSQL)`);
    report.add("quiet: morning digest for 10,000 people built and queued", seconds, "s", { target: atMost(60, "60 s") });
  } finally {
    await scope.close();
  }
}
