-- Accounts: local and remote actors in one table (like Mastodon), so follows, mentions and timelines join one way.
CREATE TABLE accounts (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username         text NOT NULL,
  domain           text,                       -- NULL for local accounts; host[:port] for remote ones
  iri              text NOT NULL UNIQUE,        -- the actor IRI
  actor_type       text NOT NULL DEFAULT 'Person',
  inbox_url        text,
  shared_inbox_url text,
  followers_url    text,
  following_url    text,
  url              text,                        -- HTML profile
  display_name     text NOT NULL DEFAULT '',
  bio              text NOT NULL DEFAULT '',    -- local: the source text the user typed
  bio_html         text NOT NULL DEFAULT '',    -- rendered (local) or sanitised (remote) HTML
  avatar_url       text,
  header_url       text,
  locked           boolean NOT NULL DEFAULT false,
  discoverable     boolean NOT NULL DEFAULT true,
  remote_followers_count integer,
  remote_following_count integer,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  fetched_at       timestamptz,
  CONSTRAINT accounts_username_len CHECK (char_length(username) BETWEEN 1 AND 64)
);
CREATE UNIQUE INDEX accounts_handle_idx ON accounts (lower(username), lower(coalesce(domain, '')));
CREATE INDEX accounts_domain_idx ON accounts (domain) WHERE domain IS NOT NULL;

CREATE TABLE users (
  account_id    bigint PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  email         text,
  password_hash text,
  role          text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
  locale        text CHECK (locale IN ('fr', 'en')),
  disabled_at   timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- Key pairs of local actors ('account:<id>') and of the instance actor ('instance').
CREATE TABLE key_pairs (
  owner       text NOT NULL,
  algorithm   text NOT NULL CHECK (algorithm IN ('RSASSA-PKCS1-v1_5', 'Ed25519')),
  private_jwk jsonb NOT NULL,
  public_jwk  jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (owner, algorithm)
);

CREATE TABLE follows (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  follower_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  following_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  state        text NOT NULL CHECK (state IN ('pending', 'accepted')),
  iri          text NOT NULL UNIQUE,            -- the Follow activity's id
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (follower_id, following_id),
  CHECK (follower_id <> following_id)
);
CREATE INDEX follows_following_idx ON follows (following_id, state, id);
CREATE INDEX follows_follower_idx ON follows (follower_id, state, id);

CREATE TABLE siblings (
  origin   text PRIMARY KEY,
  added_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
  id_hash    text PRIMARY KEY,                 -- SHA-256 of the cookie value; the cookie itself is never stored
  account_id bigint NOT NULL REFERENCES users (account_id) ON DELETE CASCADE,
  csrf       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_account_idx ON sessions (account_id);

CREATE TABLE api_tokens (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  token_hash   text NOT NULL UNIQUE,           -- SHA-256 of the bearer token
  account_id   bigint NOT NULL REFERENCES users (account_id) ON DELETE CASCADE,
  scopes       text[] NOT NULL,
  name         text NOT NULL DEFAULT 'cli',
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);

-- Uploaded files (avatars for now), stored under <data>/media with server-generated names.
CREATE TABLE media (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id   bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  kind         text NOT NULL,
  path         text NOT NULL UNIQUE,
  content_type text NOT NULL,
  size         integer NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- Transactional outbox: a domain change and the activity it causes commit together; the worker delivers.
CREATE TABLE outbox (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind         text NOT NULL,
  payload      jsonb NOT NULL,
  available_at timestamptz NOT NULL DEFAULT now(),
  attempts     integer NOT NULL DEFAULT 0,
  last_error   text,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_available_idx ON outbox (available_at, id);

CREATE TABLE instance_settings (
  key   text PRIMARY KEY,
  value jsonb NOT NULL
);
