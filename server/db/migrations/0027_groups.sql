-- Groups and projects across subsidiaries (issue #10). A group is an actor like a person: its row in `accounts`
-- (actor_type 'Group', the name as username, so a group and a person never share a handle) makes it followable,
-- listable and findable like any account, and its members are its accepted followers (FEP-1b12: followers =
-- members; a pending follow is a join request). This table holds what only the group's home instance knows.
CREATE TABLE groups (
  account_id  bigint PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  kind        text NOT NULL CHECK (kind IN ('community', 'project', 'department')),
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Owner and moderators (everyone else who is an accepted follower is a member).
CREATE TABLE group_roles (
  group_id    bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  role        text NOT NULL CHECK (role IN ('owner', 'moderator')),
  PRIMARY KEY (group_id, account_id)
);

-- Invitations: on the group's instance (the group is local) and on the invitee's (the group is remote, the row was
-- made from the group's Invite activity); when both are here, one row serves both.
CREATE TABLE group_invitations (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  group_id    bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  inviter_id  bigint REFERENCES accounts (id) ON DELETE SET NULL,
  iri         text NOT NULL UNIQUE,
  state       text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'accepted', 'declined')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (group_id, account_id)
);
CREATE INDEX group_invitations_account_idx ON group_invitations (account_id, id DESC) WHERE state = 'pending';

-- The group audience (server/domain/audience/audience.ts, scope `group`): a post readable by its group's members.
-- group_id is also set on a community's posts (internal or public: the group is their place, not their audience).
ALTER TABLE posts ADD COLUMN group_id bigint REFERENCES accounts (id) ON DELETE CASCADE;
ALTER TABLE posts DROP CONSTRAINT posts_visibility_check;
ALTER TABLE posts ADD CONSTRAINT posts_visibility_check
  CHECK (visibility IN ('public', 'unlisted', 'internal', 'local', 'followers', 'direct', 'group'));
ALTER TABLE posts ADD CONSTRAINT posts_group_audience_check CHECK (visibility <> 'group' OR group_id IS NOT NULL);
-- A group's timeline, newest first.
CREATE INDEX posts_group_id_idx ON posts (group_id, id DESC) WHERE group_id IS NOT NULL;
