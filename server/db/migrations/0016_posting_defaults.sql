-- Each person's posting defaults (issue #8 point 13): the scope a new post takes when none is chosen — in the web
-- composer and in the Mastodon API when `visibility` is absent — and its language. Set from the Mastodon API's
-- update_credentials (`source[privacy]`, `source[language]`) and returned in verify_credentials' `source`.
-- `direct` is no default (Mastodon refuses it too); NULL language: the person's interface language.
ALTER TABLE users
  ADD COLUMN default_visibility text NOT NULL DEFAULT 'internal'
    CHECK (default_visibility IN ('public', 'unlisted', 'internal', 'local', 'followers')),
  ADD COLUMN default_language text CHECK (default_language ~ '^[a-z]{2,3}$');
