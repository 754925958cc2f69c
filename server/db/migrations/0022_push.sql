-- Web Push as Mastodon does it (issue #9 point 4): one push subscription per access token
-- (/api/v1/push/subscription). The instance's VAPID key pair is an instance setting (`vapid`, made on first need:
-- server/domain/push/vapid.ts). Pushes themselves are jobs (queue `push`), enqueued by notify() in the
-- notification's transaction.
CREATE TABLE push_subscriptions (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id   bigint NOT NULL REFERENCES users (account_id) ON DELETE CASCADE,
  -- One subscription per token, as Mastodon; it goes with its token.
  token_id     bigint NOT NULL UNIQUE REFERENCES api_tokens (id) ON DELETE CASCADE,
  -- The one place a usable token is kept: Mastodon's push payload carries it (`access_token`) and apps use it to
  -- tell which of their accounts a push is for. It is only ever sent inside the payload, encrypted to the
  -- subscriber's key; revoking the token deletes the subscription (dropPushSubscriptions).
  access_token text NOT NULL,
  endpoint     text NOT NULL,
  key_p256dh   text NOT NULL,  -- base64url, the subscriber's P-256 public key (65 bytes)
  key_auth     text NOT NULL,  -- base64url, the subscriber's auth secret (16 bytes)
  alerts       text[] NOT NULL DEFAULT '{}', -- the notification types whose alert is on
  policy       text NOT NULL DEFAULT 'all' CHECK (policy IN ('all', 'followed', 'follower', 'none')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX push_subscriptions_account_idx ON push_subscriptions (account_id);
