-- Engagement analytics (issue #16 point 2), aggregate only. What a person does is already in its own tables (posts,
-- answers, article revisions, event answers, poll voters); this adds the one individual-level record analytics
-- needs — the days a person used Ruche at all, which makes them a reader — and the weekly cells computed from them.

-- A person may opt out of individual-level inclusion: their days are not recorded (and are erased when they opt
-- out), and the weekly cells leave them out entirely.
ALTER TABLE users ADD COLUMN analytics_opt_out boolean NOT NULL DEFAULT false;

-- Raw, individual-level: a day (UTC) on which a person opened a page or used an app. Erased after
-- RUCHE_ANALYTICS_RETENTION_DAYS by the analytics job.
CREATE TABLE analytics_visits (
  day        date NOT NULL,
  account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  PRIMARY KEY (day, account_id)
);
CREATE INDEX analytics_visits_account_idx ON analytics_visits (account_id, day);

-- Pre-aggregated: one row per ISO week (its Monday, UTC) × department × site × manager or not, for this instance's
-- people. Small cells are stored (they add up into larger ones) and never shown: every reading suppresses a figure
-- that rests on fewer than 5 people (server/domain/analytics/report.ts).
CREATE TABLE analytics_weekly (
  week         date NOT NULL,
  department   text NOT NULL,
  site         text NOT NULL,
  manager      boolean NOT NULL,
  people       integer NOT NULL,
  active       integer NOT NULL,   -- used Ruche at least once in the week (read or contributed)
  contributors integer NOT NULL,   -- wrote a post, a question or an answer, edited an article, answered an event or voted
  posts        integer NOT NULL,
  questions    integer NOT NULL,
  answers      integer NOT NULL,
  articles     integer NOT NULL,   -- article revisions written
  rsvps        integer NOT NULL,
  votes        integer NOT NULL,   -- polls voted in
  computed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (week, department, site, manager)
);

-- A sibling's weekly figures as it published them (already suppressed under 5 people): its whole-instance row
-- (kind 'total'), its department rows, and its small departments combined (kind 'other'). Replaced at each pull.
CREATE TABLE analytics_sibling_weekly (
  origin          text NOT NULL,
  week            date NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('total', 'department', 'other')),
  department      text NOT NULL DEFAULT '',
  people          integer NOT NULL CHECK (people >= 5),
  active          integer NOT NULL,
  contributors    integer NOT NULL,
  managers        integer,          -- null when the sibling suppressed it (fewer than 5 managers)
  managers_active integer,
  posts           integer NOT NULL,
  questions       integer NOT NULL,
  answers         integer NOT NULL,
  articles        integer NOT NULL,
  rsvps           integer NOT NULL,
  votes           integer NOT NULL,
  fetched_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (origin, week, kind, department)
);

-- The rollup counts a week's local contributions by time.
CREATE INDEX posts_local_created_idx ON posts (created_at) WHERE local;
CREATE INDEX answers_local_created_idx ON answers (created_at) WHERE local;
CREATE INDEX questions_local_created_idx ON questions (created_at) WHERE local;
CREATE INDEX article_revisions_created_idx ON article_revisions (created_at);
CREATE INDEX event_participants_updated_idx ON event_participants (updated_at);
CREATE INDEX poll_voters_created_idx ON poll_voters (created_at);
