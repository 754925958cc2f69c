-- Blocks (issue #8 point 14): `account_id` blocks `target_id`. Either may be remote: a local person's block is sent
-- as Block to the target's server; a remote person's Block of one of ours is recorded here from our inbox. Read by
-- the audience rule (visibility.ts), in both directions, on every read and delivery path (server/domain/blocks/).
CREATE TABLE blocks (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  target_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  iri        text NOT NULL UNIQUE,            -- the Block activity's id
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, target_id),
  CHECK (account_id <> target_id)
);
-- "blocked by" lookups (the UNIQUE constraint serves the other direction and the blocker's list).
CREATE INDEX blocks_target_idx ON blocks (target_id, account_id);
