-- Posts, their interactions, timelines' supporting tables and notifications (issue #4).
-- Visibility scopes (ARCHITECTURE.md §4): public, unlisted (Mastodon's, for remote posts and API clients),
-- internal (this instance and its siblings), local (never leaves), followers, direct.

-- Ids come from a sequence read before the insert, so a local post's IRI (/ap/note/<id>) is written with the row.
CREATE SEQUENCE posts_id_seq;
CREATE TABLE posts (
  id              bigint PRIMARY KEY DEFAULT nextval('posts_id_seq'),
  iri             text NOT NULL UNIQUE,              -- replays of a remote Create hit this constraint
  url             text,
  account_id      bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  local           boolean NOT NULL,                  -- authored on this instance
  origin          text NOT NULL,                     -- scheme://host[:port] of the IRI (group timeline: siblings)
  visibility      text NOT NULL CHECK (visibility IN ('public', 'unlisted', 'internal', 'local', 'followers', 'direct')),
  in_reply_to_id  bigint REFERENCES posts (id) ON DELETE SET NULL,
  in_reply_to_iri text,
  in_reply_to_account_id bigint REFERENCES accounts (id) ON DELETE SET NULL,
  reblog_of_id    bigint REFERENCES posts (id) ON DELETE CASCADE,   -- a boost is a row of its own, like Mastodon
  source          text NOT NULL DEFAULT '',          -- what the author typed (local posts)
  source_type     text NOT NULL DEFAULT 'text/plain' CHECK (source_type IN ('text/plain', 'text/markdown')),
  content_html    text NOT NULL DEFAULT '',          -- rendered (local) or sanitised (remote)
  content_text    text NOT NULL DEFAULT '',          -- plain text: word mutes and search
  summary         text NOT NULL DEFAULT '',          -- content warning
  sensitive       boolean NOT NULL DEFAULT false,
  language        text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  edited_at       timestamptz,
  CHECK (reblog_of_id IS NULL OR visibility IN ('public', 'unlisted'))
);
-- A person's posts newest first (profiles, and the home timeline's per-followee probes).
CREATE INDEX posts_account_idx ON posts (account_id, id DESC) INCLUDE (visibility, reblog_of_id);
-- The home timeline's window scan (home-timeline.ts): newest posts in id order with what its filters read, so the
-- scan never touches the heap.
CREATE INDEX posts_scan_idx ON posts (id) INCLUDE (account_id, visibility, reblog_of_id);
-- Instance and group-wide timelines only ever read these scopes, without boosts.
CREATE INDEX posts_local_tl_idx ON posts (id DESC) WHERE local AND reblog_of_id IS NULL AND visibility IN ('public', 'internal', 'local');
CREATE INDEX posts_group_tl_idx ON posts (id DESC) INCLUDE (origin) WHERE reblog_of_id IS NULL AND visibility IN ('public', 'internal');
CREATE INDEX posts_reply_idx ON posts (in_reply_to_id, id) WHERE in_reply_to_id IS NOT NULL;
CREATE INDEX posts_reply_iri_idx ON posts (in_reply_to_iri) WHERE in_reply_to_iri IS NOT NULL AND in_reply_to_id IS NULL;
CREATE UNIQUE INDEX posts_one_boost_idx ON posts (account_id, reblog_of_id) WHERE reblog_of_id IS NOT NULL;
CREATE INDEX posts_reblog_idx ON posts (reblog_of_id) WHERE reblog_of_id IS NOT NULL;

-- Earlier versions of edited posts (the current one lives in posts).
CREATE TABLE post_edits (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  post_id      bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  content_html text NOT NULL,
  summary      text NOT NULL,
  sensitive    boolean NOT NULL,
  media        jsonb NOT NULL DEFAULT '[]',
  created_at   timestamptz NOT NULL            -- when this version was written
);
CREATE INDEX post_edits_post_idx ON post_edits (post_id, id);

CREATE TABLE mentions (
  post_id    bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  PRIMARY KEY (post_id, account_id)
);
CREATE INDEX mentions_account_idx ON mentions (account_id, post_id DESC);

-- Hashtags, lower-cased. (tag, post_id DESC) serves hashtag timelines and followed hashtags in home.
CREATE TABLE post_tags (
  post_id bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  tag     text NOT NULL CHECK (char_length(tag) BETWEEN 1 AND 100),
  PRIMARY KEY (post_id, tag)
);
CREATE INDEX post_tags_tag_idx ON post_tags (tag, post_id DESC);

-- Whom a viewer follows, index-only (the first step of every home timeline read).
CREATE INDEX follows_accepted_idx ON follows (follower_id) INCLUDE (following_id) WHERE state = 'accepted';

CREATE TABLE tag_follows (
  account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  tag        text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, tag)
);

-- Image attachments. Local uploads first exist without a post (v2 media upload), then get attached.
CREATE TABLE attachments (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id   bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  post_id      bigint REFERENCES posts (id) ON DELETE CASCADE,
  position     smallint NOT NULL DEFAULT 0,
  url          text NOT NULL,                  -- /media/… for local files, an http(s) URL for remote ones
  remote       boolean NOT NULL DEFAULT false,
  content_type text NOT NULL,
  description  text NOT NULL DEFAULT '',
  width        integer,
  height       integer,
  size         integer,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachments_post_idx ON attachments (post_id, position) WHERE post_id IS NOT NULL;

CREATE TABLE likes (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  post_id    bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  iri        text NOT NULL UNIQUE,             -- the Like activity's id (ours minted, or the remote one)
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, post_id)
);
CREATE INDEX likes_post_idx ON likes (post_id);

CREATE TABLE bookmarks (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  post_id    bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  UNIQUE (account_id, post_id)
);

CREATE TABLE pins (
  account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  post_id    bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, post_id)
);

-- Delete before Create (out-of-order delivery) and deleted local posts (fetches answer 410): a Create of a
-- tombstoned IRI is dropped (security corpus case 9, anchor-figures §2.3).
CREATE TABLE tombstones (
  iri        text PRIMARY KEY,
  account_id bigint REFERENCES accounts (id) ON DELETE CASCADE,
  deleted_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE account_mutes (
  account_id    bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  target_id     bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  notifications boolean NOT NULL DEFAULT true,
  expires_at    timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, target_id),
  CHECK (account_id <> target_id)
);

CREATE TABLE word_mutes (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  phrase     text NOT NULL CHECK (char_length(phrase) BETWEEN 1 AND 200),
  whole_word boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, phrase)
);

CREATE TABLE notifications (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id      bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,   -- recipient (local)
  type            text NOT NULL CHECK (type IN ('mention', 'reply', 'follow', 'follow_request', 'favourite', 'reblog', 'poll', 'update')),
  from_account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  post_id         bigint REFERENCES posts (id) ON DELETE CASCADE,
  created_at      timestamptz NOT NULL DEFAULT now()
);
-- One notification per event, whatever the number of deliveries (replays are idempotent).
CREATE UNIQUE INDEX notifications_once_idx ON notifications (account_id, type, from_account_id, coalesce(post_id, 0));
CREATE INDEX notifications_account_idx ON notifications (account_id, id DESC);

-- Read positions (Mastodon markers): unread notifications are those above the 'notifications' marker.
CREATE TABLE markers (
  account_id   bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  timeline     text NOT NULL CHECK (timeline IN ('home', 'notifications')),
  last_read_id bigint NOT NULL,
  version      integer NOT NULL DEFAULT 1,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, timeline)
);

-- POST /api/v1/statuses with an Idempotency-Key: a retried request returns the first post (Mastodon keeps 1 h).
CREATE TABLE post_idempotency (
  account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  key        text NOT NULL,
  post_id    bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, key)
);

-- Follow notifications come from the follows table itself, whichever code path writes it (local API, remote
-- Follow): a follow of a local account notifies it, 'follow_request' while pending, 'follow' once accepted.
CREATE FUNCTION notify_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM accounts WHERE id = NEW.following_id AND domain IS NULL) THEN
    INSERT INTO notifications (account_id, type, from_account_id)
    VALUES (NEW.following_id, CASE WHEN NEW.state = 'accepted' THEN 'follow' ELSE 'follow_request' END, NEW.follower_id)
    ON CONFLICT DO NOTHING;
    IF NEW.state = 'accepted' THEN
      DELETE FROM notifications WHERE account_id = NEW.following_id AND from_account_id = NEW.follower_id AND type = 'follow_request';
    END IF;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER follows_notify AFTER INSERT OR UPDATE OF state ON follows FOR EACH ROW EXECUTE FUNCTION notify_follow();
