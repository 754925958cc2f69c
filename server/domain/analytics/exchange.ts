// Siblings exchange aggregate figures only (issue #16 point 2): each instance publishes, to signed requests from its
// siblings (federation/analytics-exchange.ts), its view of recent weeks — already suppressed under 5 people
// (report.ts instanceView) — and stores what its siblings publish, refusing a document that claims to be another
// origin's or carries a figure under the threshold.
//
//   publishedAggregates(db, { origin, now, weeks }) → the JSON document
//   storeSiblingAggregates(db, origin, document) → weeks stored
import { z } from "zod";
import { atomically, type Db } from "../../db/pool.ts";
import { MIN_COHORT, type Shown } from "./figures.ts";
import { instanceViews } from "./report.ts";
import { addWeeks, isWeek, weekOf } from "./rollup.ts";

export const PUBLISHED_WEEKS = 26;

const count = z.number().int().min(0).max(100_000_000);
const shownSchema = z.object({
  people: count.min(MIN_COHORT), active: count, contributors: count, readers: count.optional(),
  managers: count.min(MIN_COHORT).nullable(), managersActive: count.nullable(),
  posts: count, questions: count, answers: count, articles: count, rsvps: count, votes: count,
}).strict();
const documentSchema = z.object({
  "@context": z.unknown().optional(),
  type: z.literal("RucheAnalyticsAggregates"),
  origin: z.string().url(),
  minCohort: z.literal(MIN_COHORT),
  weeks: z.array(z.object({
    week: z.string().refine(isWeek, "not a week's Monday"),
    total: shownSchema,
    departments: z.array(z.object({ department: z.string().min(1).max(200), figures: shownSchema }).strict()).max(500),
    other: shownSchema.nullable(),
  }).strict()).max(60),
}).strict();

export type AggregatesDocument = z.infer<typeof documentSchema>;

export async function publishedAggregates(db: Db, opts: { origin: string; now: number; weeks?: number }): Promise<AggregatesDocument> {
  const last = weekOf(opts.now), first = addWeeks(last, -((opts.weeks ?? PUBLISHED_WEEKS) - 1));
  const views = await instanceViews(db, first, last);
  return {
    "@context": "https://www.w3.org/ns/activitystreams",
    type: "RucheAnalyticsAggregates",
    origin: opts.origin,
    minCohort: MIN_COHORT,
    weeks: [...views].map(([week, v]) => ({
      week, total: v.total, departments: v.departments.map((d) => ({ department: d.key, figures: d.figures })), other: v.other,
    })),
  };
}

/** Stores a sibling's document in place of what it published before. Throws (nothing stored) when it is not valid. */
export async function storeSiblingAggregates(db: Db, origin: string, document: unknown): Promise<number> {
  const doc = documentSchema.parse(document);
  if (new URL(doc.origin).origin !== origin) throw new Error(`aggregates fetched from ${origin} claim to be ${doc.origin}'s`);
  await atomically(db, async (tx) => {
    await tx`DELETE FROM analytics_sibling_weekly WHERE origin = ${origin}`;
    const rows: Record<string, unknown>[] = [];
    const row = (week: string, kind: string, department: string, f: Omit<Shown, "readers"> & { readers?: number }) => rows.push({
      origin, week, kind, department, people: f.people, active: f.active, contributors: f.contributors,
      managers: f.managers, managers_active: f.managers === null ? null : f.managersActive, posts: f.posts,
      questions: f.questions, answers: f.answers, articles: f.articles, rsvps: f.rsvps, votes: f.votes,
    });
    for (const w of doc.weeks) {
      row(w.week, "total", "", w.total);
      for (const d of w.departments) row(w.week, "department", d.department, d.figures);
      if (w.other) row(w.week, "other", "", w.other);
    }
    for (let i = 0; i < rows.length; i += 500) {
      await tx`INSERT INTO analytics_sibling_weekly ${tx(rows.slice(i, i + 500))} ON CONFLICT DO NOTHING`;
    }
  });
  return doc.weeks.length;
}
