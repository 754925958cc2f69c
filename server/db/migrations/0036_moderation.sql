-- Moderation (issue #15 point 5): reports of people and their posts, made here or received from a sibling as a
-- Flag; what moderators decided (the moderation log); the decisions a person sees; accounts silenced or suspended
-- on this instance (a remote account suspended here is this instance's block of it).

-- Moderators act on reports and accounts; administrators do that and the rest (charter, siblings).
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('user', 'moderator', 'admin'));

ALTER TABLE accounts ADD COLUMN silenced_at timestamptz, ADD COLUMN suspended_at timestamptz;
-- The audience rule keeps everyone apart from suspended accounts (blocks/blocks.ts blocksBetween): a tiny set.
CREATE INDEX accounts_suspended_idx ON accounts (id) WHERE suspended_at IS NOT NULL;
CREATE INDEX accounts_silenced_idx ON accounts (id) WHERE silenced_at IS NOT NULL;

CREATE TABLE reports (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- Ours (/reports/{uuid}) or the Flag's id when a sibling sent it.
  iri                text NOT NULL UNIQUE,
  -- The person who reported, when they are ours; a sibling's Flag is signed by its server and names nobody.
  reporter_id        bigint REFERENCES accounts (id) ON DELETE SET NULL,
  -- The server a received Flag came from (null for our own reports).
  origin_domain      text,
  target_account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  category           text NOT NULL DEFAULT 'other' CHECK (category IN ('spam', 'legal', 'violation', 'other')),
  comment            text NOT NULL DEFAULT '' CHECK (char_length(comment) <= 1000),
  -- IRIs of the reported posts (they may be deleted later; the IRI stays as evidence of what was named).
  post_iris          text[] NOT NULL DEFAULT '{}' CHECK (cardinality(post_iris) <= 20),
  forwarded          boolean NOT NULL DEFAULT false,
  state              text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'resolved')),
  action_taken       text CHECK (action_taken IN ('dismiss', 'delete', 'silence', 'suspend')),
  resolved_by        bigint REFERENCES accounts (id) ON DELETE SET NULL,
  resolved_at        timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reports_queue_idx ON reports (state, id DESC);
CREATE INDEX reports_target_idx ON reports (target_account_id, id DESC);

-- Every moderator decision, kept as the moderation log (who, what, on whom, why, when).
CREATE TABLE moderation_actions (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  moderator_id      bigint REFERENCES accounts (id) ON DELETE SET NULL,
  report_id         bigint REFERENCES reports (id) ON DELETE SET NULL,
  target_account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  action            text NOT NULL CHECK (action IN ('dismiss', 'delete', 'silence', 'suspend', 'unsilence', 'unsuspend')),
  reason            text NOT NULL DEFAULT '' CHECK (char_length(reason) <= 2000),
  post_iris         text[] NOT NULL DEFAULT '{}',
  -- A local person is told the decision and its reason (Mastodon's account warnings), until they have read it.
  notice_read_at    timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX moderation_actions_log_idx ON moderation_actions (id DESC);
CREATE INDEX moderation_actions_target_idx ON moderation_actions (target_account_id, id DESC);

-- Servers this instance refuses (open federation mode): deliveries and signed fetches from them get 403, as an
-- outsider's do in siblings mode. A sibling cannot be blocked (remove it first).
CREATE TABLE domain_blocks (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  domain      text NOT NULL UNIQUE CHECK (domain = lower(domain) AND char_length(domain) BETWEEN 1 AND 253),
  reason      text NOT NULL DEFAULT '' CHECK (char_length(reason) <= 2000),
  created_by  bigint REFERENCES accounts (id) ON DELETE SET NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
