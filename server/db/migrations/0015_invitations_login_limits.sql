-- Invitations (issue #8 point 5): a one-time, expiring link for a person to choose their password — people created by
-- the CSV import have none. Only the SHA-256 of the token is stored; a link works once, until it expires, and a new
-- link for the same person replaces the old one.
CREATE TABLE invitations (
  token_hash text PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES users (account_id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);
CREATE INDEX invitations_account_idx ON invitations (account_id);

-- Failed sign-ins, per account (the lower-cased username typed, known or not) and per client address, counted over a
-- sliding window by every web process alike: the limit holds however many processes share the database.
CREATE TABLE login_failures (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  scope     text NOT NULL CHECK (scope IN ('account', 'address')),
  key       text NOT NULL,
  failed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_key_idx ON login_failures (scope, key, failed_at);
CREATE INDEX login_failures_age_idx ON login_failures (failed_at);
