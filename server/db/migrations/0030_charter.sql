-- The usage charter (issue #15 point 1): versions published by administrators, in French and English Markdown,
-- each taking effect at its date and replacing the one before; who accepted which version, and when (HR export).

CREATE TABLE charter_versions (
  id           bigserial PRIMARY KEY,
  version      int NOT NULL UNIQUE CHECK (version > 0),
  text_fr      text NOT NULL CHECK (char_length(text_fr) BETWEEN 1 AND 100000),
  text_en      text NOT NULL CHECK (char_length(text_en) BETWEEN 1 AND 100000),
  effective_at timestamptz NOT NULL,
  replaces     bigint REFERENCES charter_versions (id),
  published_by bigint REFERENCES accounts (id) ON DELETE SET NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
-- The version in force: the latest whose date has come.
CREATE INDEX charter_versions_effective_idx ON charter_versions (effective_at DESC, version DESC);

CREATE TABLE charter_acceptances (
  account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  version_id  bigint NOT NULL REFERENCES charter_versions (id),
  accepted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, version_id)
);
CREATE INDEX charter_acceptances_version_idx ON charter_acceptances (version_id, accepted_at);
