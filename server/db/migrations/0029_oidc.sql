-- Company sign-in (issue #16 point 1): OpenID Connect identities linked to local accounts, and the one-time states
-- of sign-ins under way (kept in the database, so that any web process can finish a sign-in another one started).

CREATE TABLE oidc_identities (
  issuer        text NOT NULL,
  subject       text NOT NULL,
  account_id    bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_login_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (issuer, subject),
  CONSTRAINT oidc_identities_subject_len CHECK (char_length(subject) BETWEEN 1 AND 255)
);
-- One identity per account and issuer.
CREATE UNIQUE INDEX oidc_identities_account_idx ON oidc_identities (account_id, issuer);

-- A sign-in under way: the state is the key (only its SHA-256 is stored), used once; nonce and PKCE verifier
-- stay on the server; rows older than 10 minutes are refused and swept.
CREATE TABLE oidc_login_states (
  state_hash    bytea PRIMARY KEY,
  nonce         text NOT NULL,
  code_verifier text NOT NULL,
  next_path     text NOT NULL DEFAULT '/',
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX oidc_login_states_created_idx ON oidc_login_states (created_at);
