-- Events with RSVP across subsidiaries (issue #12; server/domain/events/). An event belongs to its post (same id,
-- as a poll does): it takes the post's audience through the one audience rule (visibleTo), appears in timelines
-- and to Mastodon apps as that post, and federates as the post's object, typed `Event` (Mobilizon, FEP-8a8e).
CREATE TABLE events (
  post_id       bigint PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
  title         text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
  -- Markdown as written (local events); the post's content_html is its rendering.
  description   text NOT NULL DEFAULT '',
  starts_at     timestamptz NOT NULL,
  ends_at       timestamptz NOT NULL,
  -- The IANA zone the event is held in: its wall-clock times (and a recurrence's) are read in it.
  timezone      text NOT NULL,
  all_day       boolean NOT NULL DEFAULT false,
  place_name    text,
  place_address text,
  latitude      double precision CHECK (latitude BETWEEN -90 AND 90),
  longitude     double precision CHECK (longitude BETWEEN -180 AND 180),
  online_url    text,
  capacity      integer CHECK (capacity IS NULL OR capacity > 0),
  join_mode     text NOT NULL DEFAULT 'free' CHECK (join_mode IN ('free', 'restricted', 'invite', 'external')),
  external_url  text,
  status        text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled', 'postponed')),
  -- An RFC 5545 RRULE (without DTSTART: starts_at is its start), expanded for display (recurrence.ts).
  rrule         text,
  -- A remote event's counts as its home instance publishes them (Update(Event)); local events count their rows.
  participants_count integer NOT NULL DEFAULT 0 CHECK (participants_count >= 0),
  waitlist_count     integer NOT NULL DEFAULT 0 CHECK (waitlist_count >= 0),
  CHECK (ends_at >= starts_at)
);
-- A calendar window finds the single events that overlap it by their time range (a btree on either end would scan
-- every event before or after the window: bench/events.ts), and the recurring ones by their start.
CREATE INDEX events_span_idx ON events USING gist (tstzrange(starts_at, ends_at, '[]')) WHERE rrule IS NULL;
CREATE INDEX events_recurring_idx ON events (starts_at) WHERE rrule IS NOT NULL;

-- One occurrence of a recurring event moved (new start and end) or cancelled, keyed by its original start.
CREATE TABLE event_occurrence_changes (
  post_id        bigint NOT NULL REFERENCES events (post_id) ON DELETE CASCADE,
  original_start timestamptz NOT NULL,
  starts_at      timestamptz,
  ends_at        timestamptz,
  cancelled      boolean NOT NULL DEFAULT false,
  PRIMARY KEY (post_id, original_start),
  CHECK (cancelled OR (starts_at IS NOT NULL AND ends_at IS NOT NULL AND ends_at >= starts_at))
);

-- Organisers besides the author (who always is one); a group's moderators organise its events too.
CREATE TABLE event_organisers (
  post_id    bigint NOT NULL REFERENCES events (post_id) ON DELETE CASCADE,
  account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  PRIMARY KEY (post_id, account_id)
);

-- Who may answer an invite-only event (on its home instance).
CREATE TABLE event_invitations (
  post_id    bigint NOT NULL REFERENCES events (post_id) ON DELETE CASCADE,
  account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (post_id, account_id)
);

-- Answers. On the event's home instance these rows are the truth, for local and remote people alike (capacity is
-- checked against them under the event row's lock). For a remote event, a row is one of our people's answer as
-- its home last told us (`pending` until its Accept).
CREATE TABLE event_participants (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  post_id       bigint NOT NULL REFERENCES events (post_id) ON DELETE CASCADE,
  account_id    bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  status        text NOT NULL CHECK (status IN ('going', 'maybe', 'not_going', 'pending', 'waitlisted', 'rejected')),
  -- What the person asked for (going or maybe): what an approval or a free place gives them.
  asked         text NOT NULL DEFAULT 'going' CHECK (asked IN ('going', 'maybe', 'not_going')),
  -- The Join that asked (a remote participant's, or ours to a remote event): replays and Accepts find it.
  join_iri      text UNIQUE,
  -- The waiting list's order: promoted first-come, first-served.
  waitlisted_at timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (post_id, account_id)
);
CREATE INDEX event_participants_waitlist_idx ON event_participants (post_id, waitlisted_at, id) WHERE status = 'waitlisted';
CREATE INDEX event_participants_account_idx ON event_participants (account_id, post_id);

-- A person's private calendar feed (ICS subscription): only the token's hash is kept; a new token revokes the old.
CREATE TABLE calendar_feeds (
  account_id bigint PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
