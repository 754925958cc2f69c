-- OAuth 2 as Mastodon does it (issue #9 point 1): registered applications, authorization codes and the tokens they
-- give. Client secrets, codes, access and refresh tokens are stored as SHA-256 digests only, like sessions and CLI
-- tokens: a leaked database holds nothing a client could present.
CREATE TABLE oauth_apps (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  client_id          text NOT NULL UNIQUE,           -- public identifier, shown to the client
  client_secret_hash text NOT NULL,
  name               text NOT NULL,
  website            text,
  redirect_uris      text[] NOT NULL,
  scopes             text[] NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now()
);

-- A code lives 10 minutes and is deleted when exchanged (or when the exchange fails), so it works once.
CREATE TABLE oauth_codes (
  code_hash             text PRIMARY KEY,
  app_id                bigint NOT NULL REFERENCES oauth_apps (id) ON DELETE CASCADE,
  account_id            bigint NOT NULL REFERENCES users (account_id) ON DELETE CASCADE,
  redirect_uri          text NOT NULL,
  scopes                text[] NOT NULL,
  code_challenge        text,
  code_challenge_method text CHECK (code_challenge_method = 'S256'),
  expires_at            timestamptz NOT NULL,
  created_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX oauth_codes_expiry_idx ON oauth_codes (expires_at);

-- One token table for every way a token is made (CLI, authorization code, client credentials, refresh): the one
-- bearer check reads it. An app's own token (client credentials) belongs to no account.
ALTER TABLE api_tokens
  ALTER COLUMN account_id DROP NOT NULL,
  ADD COLUMN app_id bigint REFERENCES oauth_apps (id) ON DELETE CASCADE,
  ADD COLUMN refresh_token_hash text UNIQUE,
  ADD COLUMN refresh_expires_at timestamptz,
  ADD CONSTRAINT api_tokens_owner CHECK (account_id IS NOT NULL OR app_id IS NOT NULL);
CREATE INDEX api_tokens_account_app_idx ON api_tokens (account_id, app_id) WHERE revoked_at IS NULL;
