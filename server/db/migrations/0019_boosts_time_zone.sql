-- A boost keeps its original's scope (issue #8 point 17): internal and local posts may be boosted too, their boost
-- rows carrying that scope; followers-only and direct posts still cannot (audience.ts isBoostable).
ALTER TABLE posts DROP CONSTRAINT posts_check;
ALTER TABLE posts ADD CONSTRAINT posts_boost_scope CHECK (reblog_of_id IS NULL OR visibility IN ('public', 'unlisted', 'internal', 'local'));

-- The reader's time zone (issue #8 point 16), an IANA name such as 'Europe/Paris': pages show times in it. Null until
-- the browser tells it (at sign-in) or the person picks one; the pages then show UTC. Checked with Intl by the app.
ALTER TABLE users ADD COLUMN time_zone text CHECK (char_length(time_zone) BETWEEN 1 AND 64);
