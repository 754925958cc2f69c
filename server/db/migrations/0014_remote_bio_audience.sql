-- Who a remote account's bio was given to (issue #8 point 26). A sibling answers our signed fetches, and sends its
-- Updates, with the internal profile: the bio in it is for employees only, and must not be shown to a signed-out
-- visitor or an API client without a token. 'public' for what anyone may read (a fediverse actor, a sibling's
-- public copy). Local accounts keep their bio's visibility in profiles.visibility.bio, with the other fields.
ALTER TABLE accounts ADD COLUMN bio_audience text NOT NULL DEFAULT 'public'
  CHECK (bio_audience IN ('public', 'internal'));

-- Bios stored before this column came from the same documents as their profiles: an internal profile means the bio
-- was internal too, and so was anything fetched from a sibling (signed answers are internal).
UPDATE accounts a SET bio_audience = 'internal'
WHERE a.domain IS NOT NULL AND (
  EXISTS (SELECT 1 FROM profiles p WHERE p.account_id = a.id AND (p.scope = 'internal' OR p.from_sibling))
  OR EXISTS (SELECT 1 FROM siblings s WHERE s.origin IN ('https://' || a.domain, 'http://' || a.domain)));
