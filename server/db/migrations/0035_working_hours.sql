-- Working hours and quiet time (issue #15 points 2–4): who works when, what is held outside it, messages sent
-- later, and the audited urgent bypass. The decision itself is code (server/domain/quiet/hold.ts); these tables
-- only keep what it reads and what it decided.

-- A schedule: an IANA zone and, per weekday (mon…sun), ranges of minutes since local midnight [[540, 1050]] (a day
-- missing is not worked). `country` names whose public holidays are off (only FR is known so far).
-- A person's own row (account_id set) wins over their department's preset, which wins over the instance's (both
-- NULL). Presets are set by administrators from the company agreement.
CREATE TABLE work_schedules (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id  bigint UNIQUE REFERENCES accounts (id) ON DELETE CASCADE,
  department  text CHECK (char_length(department) BETWEEN 1 AND 200),
  time_zone   text NOT NULL CHECK (char_length(time_zone) BETWEEN 1 AND 64),
  days        jsonb NOT NULL,
  country     text CHECK (country ~ '^[A-Z]{2}$'),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (account_id IS NULL OR department IS NULL)
);
-- One instance preset, one per department (folded as the directory folds departments).
CREATE UNIQUE INDEX work_schedules_instance_idx ON work_schedules ((1)) WHERE account_id IS NULL AND department IS NULL;
CREATE UNIQUE INDEX work_schedules_department_idx ON work_schedules (ruche_fold(department)) WHERE department IS NOT NULL;

-- Leave: whole days in the person's zone, first and last day included.
CREATE TABLE leave_periods (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  first_day   date NOT NULL,
  last_day    date NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (last_day >= first_day AND last_day - first_day < 400)
);
CREATE INDEX leave_periods_account_idx ON leave_periods (account_id, last_day);

-- A held notification: stored and listed (with ruche_held_until), but neither pushed nor streamed until released.
ALTER TABLE notifications ADD COLUMN held_until timestamptz;
CREATE INDEX notifications_held_idx ON notifications (held_until, account_id) WHERE held_until IS NOT NULL;

-- The working schedule of people on sibling instances, as their server publishes it in their actor (rucheProfile
-- workSchedule): their availability is computed here with the same rule as for local people.
ALTER TABLE profiles ADD COLUMN work_schedule jsonb;

-- Delayed sending (Mastodon's ScheduledStatus): the status's parameters as given, sent by the `scheduled-status`
-- job at scheduled_at (pg-boss keeps the job across restarts; job_id lets a reschedule or delete replace it).
CREATE TABLE scheduled_statuses (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id   bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  scheduled_at timestamptz NOT NULL,
  params       jsonb NOT NULL,
  job_id       uuid,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX scheduled_statuses_account_idx ON scheduled_statuses (account_id, id DESC);

-- Who may mark a message urgent (a per-instance role, granted by administrators).
CREATE TABLE urgent_senders (
  account_id  bigint PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  granted_by  bigint REFERENCES accounts (id) ON DELETE SET NULL,
  granted_at  timestamptz NOT NULL DEFAULT now()
);

-- An urgent message: it bypasses holding; the row is the audit record (who, when, to whom, why), kept when the
-- message is deleted (post_id becomes NULL).
CREATE TABLE urgent_posts (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  post_id     bigint UNIQUE REFERENCES posts (id) ON DELETE SET NULL,
  sender_id   bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  reason      text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 500),
  recipients  bigint[] NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX urgent_posts_created_idx ON urgent_posts (created_at DESC);
