-- Mastodon 4 filters (/api/v2/filters) and lists (/api/v1/lists), issue #9 point 5.
--
-- A filter has a title, the contexts it applies in, an action (warn: the post is shown collapsed with
-- `filtered`; hide: left out) and an optional expiry; it matches by keywords (the same matcher as muted words,
-- timelines/mutes.ts) or by named posts. Muted words (word_mutes) stay what they are: hide, in every context.
CREATE TABLE filters (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  title      text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
  context    text[] NOT NULL CHECK (cardinality(context) >= 1
               AND context <@ ARRAY['home', 'notifications', 'public', 'thread', 'account']::text[]),
  action     text NOT NULL DEFAULT 'warn' CHECK (action IN ('warn', 'hide')),
  expires_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX filters_account_idx ON filters (account_id);

CREATE TABLE filter_keywords (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  filter_id  bigint NOT NULL REFERENCES filters (id) ON DELETE CASCADE,
  keyword    text NOT NULL CHECK (char_length(keyword) BETWEEN 1 AND 200),
  whole_word boolean NOT NULL DEFAULT true
);
CREATE INDEX filter_keywords_filter_idx ON filter_keywords (filter_id);

CREATE TABLE filter_statuses (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  filter_id bigint NOT NULL REFERENCES filters (id) ON DELETE CASCADE,
  post_id   bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  UNIQUE (filter_id, post_id)
);

-- Lists of people one follows. A member row names the follow it stands on (follower = the list's owner), so
-- unfollowing someone takes them out of one's lists by cascade, whichever path removed the follow.
CREATE TABLE lists (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id     bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  title          text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
  replies_policy text NOT NULL DEFAULT 'list' CHECK (replies_policy IN ('followed', 'list', 'none')),
  exclusive      boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (id, account_id)
);
CREATE INDEX lists_account_idx ON lists (account_id);

CREATE TABLE list_accounts (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  list_id    bigint NOT NULL,
  owner_id   bigint NOT NULL,
  account_id bigint NOT NULL,
  UNIQUE (list_id, account_id),
  FOREIGN KEY (list_id, owner_id) REFERENCES lists (id, account_id) ON DELETE CASCADE,
  FOREIGN KEY (owner_id, account_id) REFERENCES follows (follower_id, following_id) ON DELETE CASCADE
);
CREATE INDEX list_accounts_owner_idx ON list_accounts (owner_id, account_id);
