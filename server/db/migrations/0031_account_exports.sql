-- A person's archive of everything about them (issue #16 point 3, GDPR art. 15 and 20): built by the worker as a
-- zip, downloadable by its owner for 48 hours, then removed.
CREATE TABLE account_exports (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id   bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  state        text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'ready', 'failed', 'expired')),
  progress     smallint NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  file_key     text,
  size_bytes   bigint,
  error        text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  ready_at     timestamptz,
  expires_at   timestamptz
);
CREATE INDEX account_exports_account_idx ON account_exports (account_id, created_at DESC);
-- At most one archive being built per person.
CREATE UNIQUE INDEX account_exports_one_running_idx ON account_exports (account_id) WHERE state IN ('pending', 'running');
