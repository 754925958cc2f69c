// Deciding deliver-now-or-hold for one notification (issue #15): hold.ts's `decide`, the rule notify() applies to
// every notification, timed on CPU over instants spread across a week (working hours, evenings, weekends, leave,
// a public holiday) for schedules in three zones. Target ≤ 0.1 ms of CPU per decision. The schedule's one query
// (schedules.ts scheduleInForce) is not included: it is a primary-key read next to the notification's own INSERT.
import type { Benchmark } from "./lib/bench.ts";
import { atMost, formatNumber, type Report } from "./lib/report.ts";
import { dayNumber, decide, type WorkSchedule } from "../server/domain/quiet/hold.ts";

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
  },
};
