// The one suppression rule of engagement analytics (issue #16 point 2): no figure shown, exported or sent to a sibling
// rests on fewer than MIN_COHORT people. Pure functions over weekly figures; report.ts and exchange.ts use them.
//
// - A row (a department, a site…) under 5 people is not shown: it joins "other" with the other small rows.
// - If "other" would then hold 1 to 4 people, the smallest shown rows join it too until it holds 5 or more, so the
//   total minus the shown rows never gives away a small group (complementary suppression).
// - Inside a shown row, the managers' figures are shown only when the row has 5 managers or more.

export const MIN_COHORT = 5;

export interface Figures {
  people: number; active: number; contributors: number; managers: number; managersActive: number;
  posts: number; questions: number; answers: number; articles: number; rsvps: number; votes: number;
}

export const FIGURE_KEYS = ["people", "active", "contributors", "managers", "managersActive", "posts", "questions", "answers",
  "articles", "rsvps", "votes"] as const satisfies readonly (keyof Figures)[];

export function zero(): Figures {
  return { people: 0, active: 0, contributors: 0, managers: 0, managersActive: 0, posts: 0, questions: 0, answers: 0, articles: 0, rsvps: 0, votes: 0 };
}

export function add(a: Figures, b: Figures): Figures {
  const out = zero();
  for (const k of FIGURE_KEYS) out[k] = a[k] + b[k];
  return out;
}

export function sum(list: Figures[]): Figures {
  return list.reduce(add, zero());
}

/** Figures as shown: readers derived, managers' figures null below the threshold. */
export interface Shown {
  people: number; active: number; contributors: number; readers: number;
  managers: number | null; managersActive: number | null;
  posts: number; questions: number; answers: number; articles: number; rsvps: number; votes: number;
}

export function show(f: Figures): Shown {
  const managersShown = f.managers >= MIN_COHORT;
  return {
    people: f.people, active: f.active, contributors: f.contributors, readers: Math.max(0, f.active - f.contributors),
    managers: managersShown ? f.managers : null, managersActive: managersShown ? f.managersActive : null,
    posts: f.posts, questions: f.questions, answers: f.answers, articles: f.articles, rsvps: f.rsvps, votes: f.votes,
  };
}

export interface KeyedFigures { key: string; figures: Figures }

/** Rows that may be shown (each ≥ 5 people, largest first) and the rest combined (≥ 5 people, or null when empty). */
export function suppress(rows: KeyedFigures[]): { rows: KeyedFigures[]; other: Figures | null } {
  const shown = rows.filter((r) => r.figures.people >= MIN_COHORT)
    .sort((a, b) => b.figures.people - a.figures.people || a.key.localeCompare(b.key));
  let other = sum(rows.filter((r) => r.figures.people < MIN_COHORT).map((r) => r.figures));
  while (other.people > 0 && other.people < MIN_COHORT && shown.length > 0) other = add(other, shown.pop()!.figures);
  // Nothing left to combine with: what remains is too small to show on its own.
  if (other.people < MIN_COHORT) return { rows: shown, other: null };
  return { rows: shown, other };
}

/**
 * Managers' figures are summed across instances only where each was shown (≥ 5 managers); a row whose managers were
 * suppressed adds 0 to both, so the share stays the share of the managers counted.
 */
export function fromShown(s: Shown): Figures {
  return {
    people: s.people, active: s.active, contributors: s.contributors, managers: s.managers ?? 0, managersActive: s.managersActive ?? 0,
    posts: s.posts, questions: s.questions, answers: s.answers, articles: s.articles, rsvps: s.rsvps, votes: s.votes,
  };
}
