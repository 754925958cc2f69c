-- Opinion polls in posts, compatible with Mastodon (issue #11 points 1 and 2; server/domain/polls/). A poll belongs
-- to its post (same id, so the Mastodon API's poll id is the status id) and takes the post's audience. Local polls
-- are counted from their vote rows (no counter row for concurrent votes to contend on or to get wrong); remote
-- polls keep the tallies their server publishes (Question, Update(Question)) in voters_count and votes_count, and
-- the votes our people cast on them (for `own_votes` and the Create(Note{name}) we send).
CREATE TABLE polls (
  post_id      bigint PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
  multiple     boolean NOT NULL,
  hide_totals  boolean NOT NULL DEFAULT false,
  expires_at   timestamptz NOT NULL,
  -- A remote poll's distinct voters as its server published them (a multiple-choice poll has more votes than voters).
  voters_count integer NOT NULL DEFAULT 0 CHECK (voters_count >= 0),
  -- Set once by the poll-close job (poll-ended notifications are sent once) or by the remote server's `closed`.
  closed_at    timestamptz,
  -- When the last tallies arrived from the poll's server (remote polls).
  refreshed_at timestamptz
);
CREATE INDEX polls_open_idx ON polls (expires_at) WHERE closed_at IS NULL;

CREATE TABLE poll_options (
  post_id     bigint NOT NULL REFERENCES polls (post_id) ON DELETE CASCADE,
  position    smallint NOT NULL CHECK (position BETWEEN 0 AND 19),
  title       text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
  votes_count integer NOT NULL DEFAULT 0 CHECK (votes_count >= 0),   -- remote polls: the published tally
  PRIMARY KEY (post_id, position)
);

-- One row per person who voted: the first vote inserts it (voters_count + 1), a second vote on a single-choice
-- poll hits it and is refused.
CREATE TABLE poll_voters (
  post_id    bigint NOT NULL REFERENCES polls (post_id) ON DELETE CASCADE,
  account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (post_id, account_id)
);
CREATE INDEX poll_voters_account_idx ON poll_voters (account_id);

-- One row per chosen option: one vote per person per option, whatever the number of deliveries.
CREATE TABLE poll_votes (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  post_id    bigint NOT NULL REFERENCES polls (post_id) ON DELETE CASCADE,
  account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  position   smallint NOT NULL,
  iri        text UNIQUE,                 -- a remote voter's Note id (replays hit it); null for our own votes
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (post_id, account_id, position),
  FOREIGN KEY (post_id, position) REFERENCES poll_options (post_id, position) ON DELETE CASCADE,
  FOREIGN KEY (post_id, account_id) REFERENCES poll_voters (post_id, account_id) ON DELETE CASCADE
);
-- A local poll's tally per option (poll-views.ts), index-only.
CREATE INDEX poll_votes_tally_idx ON poll_votes (post_id, position);
