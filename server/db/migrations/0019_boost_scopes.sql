-- A boost keeps its original's scope (issue #8 point 17): internal and local posts may be boosted too, their boost
-- rows carrying that scope; followers-only and direct posts still cannot (audience.ts isBoostable).
ALTER TABLE posts DROP CONSTRAINT posts_check;
ALTER TABLE posts ADD CONSTRAINT posts_boost_scope CHECK (reblog_of_id IS NULL OR visibility IN ('public', 'unlisted', 'internal', 'local'));
