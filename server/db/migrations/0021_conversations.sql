-- Conversations (issue #9 point 2): direct posts grouped as Mastodon groups them. A conversation is a thread of
-- direct posts (a reply joins its parent's); each local participant has a row per participant set in it
-- (Mastodon's AccountConversation), with their read marker, mute and leave. Who may read a message stays the
-- audience rule's (the `direct` scope: the people it mentions); these tables only group what the rule lets through.
CREATE TABLE conversations (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One row per direct post: its thread and its participants (author and mentioned, sorted ids). Deleting the post
-- removes it from every conversation.
CREATE TABLE conversation_posts (
  post_id         bigint PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
  conversation_id bigint NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  participants    bigint[] NOT NULL
);
-- A conversation's newest message for one participant set (the list's last_status, the chat view's pages).
CREATE INDEX conversation_posts_set_idx ON conversation_posts (conversation_id, participants, post_id DESC);

CREATE TABLE account_conversations (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id        bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  conversation_id   bigint NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  participants      bigint[] NOT NULL,         -- the whole set, this account included (sorted)
  last_read_post_id bigint,                    -- the read marker: messages above it by others are unread
  muted             boolean NOT NULL DEFAULT false,  -- no notifications
  left_at           timestamptz,               -- left: hidden, no notifications, new messages do not bring it back
  updated_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, conversation_id, participants)
);
CREATE INDEX account_conversations_conversation_idx ON account_conversations (conversation_id, account_id);
