-- Directory search at 100,000 profiles (issue #3 §3: ≤ 50 ms). 0003 found every match through the trigram/GIN
-- indexes, then joined each one to accounts and users (is the person listed?) and sorted them all before the
-- LIMIT: a word shared by 15,000 people cost 130–200 ms. Here the directory reads posting lists kept in result
-- order, so a page comes straight out of an index and the scan stops after one page, however many people match
-- (server/domain/directory.ts runs the ranking tiers one after the other):
--   * profiles.listed    — in the directory: discoverable, and a local employee whose account works or a sibling's
--                          profile;
--   * profiles.sort_name — the name the directory sorts on, folded like the search text (ruche_fold), in the "C"
--                          collation so that a name prefix ("eloise…") is an index range and the order is the same
--                          on every server;
--   * directory_tags     — one row per (expertise tag, listed person), in name order: "who knows kubernetes" reads
--                          the first page of exact matches from the index (tag, sort_name);
--   * directory_words    — the same for each word of the search text (search_words), and directory_vocabulary,
--                          every word with a trigram index: a searched word is looked up in the vocabulary
--                          ("ingenieur" → ingenieur, ingenieure), then the people come from those words' lists.
-- All of them are derived, never written by the application: triggers keep them right whichever path changes a
-- profile, an account (name, discoverability) or a user (disabled).

ALTER TABLE profiles
  ADD COLUMN listed boolean NOT NULL DEFAULT false,
  ADD COLUMN sort_name text COLLATE "C" NOT NULL DEFAULT '',
  ADD COLUMN account_domain text; -- the account's domain (NULL: local): the instance filter without a join

CREATE TABLE directory_tags (
  tag        text COLLATE "C" NOT NULL,
  sort_name  text COLLATE "C" NOT NULL,
  account_id bigint NOT NULL REFERENCES profiles (account_id) ON DELETE CASCADE,
  PRIMARY KEY (tag, sort_name, account_id)
);
-- By person: rewriting someone's entries, and checking one person against a list (a filter on profiles came first).
CREATE INDEX directory_tags_account_idx ON directory_tags (account_id, tag);

CREATE TABLE directory_words (
  word       text COLLATE "C" NOT NULL,
  sort_name  text COLLATE "C" NOT NULL,
  account_id bigint NOT NULL REFERENCES profiles (account_id) ON DELETE CASCADE,
  PRIMARY KEY (word, sort_name, account_id)
);
CREATE INDEX directory_words_account_idx ON directory_words (account_id, word);

-- Words are added, never removed: a word nobody uses any more costs one empty index probe. No unique constraint on
-- purpose: two transactions adding the same new words in different orders would wait on each other (a deadlock when
-- each adds several profiles); without one they never wait, and the rare duplicate a race leaves is harmless.
CREATE TABLE directory_vocabulary (word text COLLATE "C" NOT NULL);
CREATE INDEX directory_vocabulary_word_idx ON directory_vocabulary (word);
CREATE INDEX directory_vocabulary_trgm_idx ON directory_vocabulary USING gin (word gin_trgm_ops);

-- The listed people in name order (a directory page without a search, and searches no list can serve), and in the
-- Mastodon directory's "active" order.
CREATE INDEX profiles_directory_name_idx ON profiles (sort_name, account_id) WHERE listed;
CREATE INDEX profiles_directory_updated_idx ON profiles (updated_at DESC, account_id DESC) WHERE listed;

-- Who is listed, and under which name, computed from the account, its user and the profile row being written.
-- Names are capped (an index entry has a size limit; a remote server chooses its names).
CREATE FUNCTION ruche_profile_directory(p profiles, OUT listed boolean, OUT sort_name text, OUT account_domain text)
LANGUAGE sql STABLE AS $$
  SELECT coalesce(a.discoverable AND CASE WHEN a.domain IS NULL
      THEN NOT EXISTS (SELECT 1 FROM users u WHERE u.account_id = a.id AND u.disabled_at IS NOT NULL)
      ELSE p.from_sibling END, false),
    coalesce(left(ruche_fold(coalesce(nullif(btrim(a.display_name), ''), a.username)), 100), ''),
    a.domain
  FROM accounts a WHERE a.id = p.account_id
$$;

-- 0003's trigger function, plus the three new columns.
CREATE OR REPLACE FUNCTION ruche_profiles_before_write() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE d record;
BEGIN
  NEW.search_text := coalesce(ruche_profile_search_text(NEW), '');
  NEW.search_words := array_remove(regexp_split_to_array(NEW.search_text, '[\s,;/·()-]+'), '');
  d := ruche_profile_directory(NEW);
  NEW.listed := coalesce(d.listed, false);
  NEW.sort_name := coalesce(d.sort_name, '');
  NEW.account_domain := d.account_domain;
  RETURN NEW;
END $$;

-- The posting lists follow the profile: its tags and words while it is listed, nothing otherwise. Tags and words
-- longer than 200 bytes are left out (an index entry has a size limit; a remote server chooses its profiles).
CREATE FUNCTION ruche_profiles_after_write() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE same_entry boolean := TG_OP = 'UPDATE' AND OLD.listed = NEW.listed AND OLD.sort_name = NEW.sort_name;
BEGIN
  IF NOT (same_entry AND OLD.expertise = NEW.expertise) THEN
    IF TG_OP = 'UPDATE' THEN
      DELETE FROM directory_tags WHERE account_id = NEW.account_id;
    END IF;
    IF NEW.listed THEN
      INSERT INTO directory_tags (tag, sort_name, account_id)
        SELECT DISTINCT t, NEW.sort_name, NEW.account_id FROM unnest(NEW.expertise) AS t WHERE octet_length(t) BETWEEN 1 AND 200;
    END IF;
  END IF;
  IF NOT (same_entry AND OLD.search_words = NEW.search_words) THEN
    IF TG_OP = 'UPDATE' THEN
      DELETE FROM directory_words WHERE account_id = NEW.account_id;
    END IF;
    IF NEW.listed THEN
      INSERT INTO directory_vocabulary (word)
        SELECT DISTINCT w FROM unnest(NEW.search_words) AS w
        WHERE octet_length(w) BETWEEN 1 AND 200 AND NOT EXISTS (SELECT 1 FROM directory_vocabulary v WHERE v.word = w);
      INSERT INTO directory_words (word, sort_name, account_id)
        SELECT DISTINCT w, NEW.sort_name, NEW.account_id FROM unnest(NEW.search_words) AS w WHERE octet_length(w) BETWEEN 1 AND 200;
    END IF;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER profiles_after_write AFTER INSERT OR UPDATE ON profiles
  FOR EACH ROW EXECUTE FUNCTION ruche_profiles_after_write();

-- Disabling (or re-enabling) a user takes them out of (or back into) the directory, and moves their profile up the
-- directory feed so that siblings drop (or list) them too. accounts_after_update (0003) already does this for
-- name and discoverability changes.
CREATE FUNCTION ruche_users_after_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE profiles SET updated_at = now() WHERE account_id = NEW.account_id;
  RETURN NULL;
END $$;
CREATE TRIGGER users_after_insert AFTER INSERT ON users FOR EACH ROW WHEN (NEW.disabled_at IS NOT NULL)
  EXECUTE FUNCTION ruche_users_after_write();
CREATE TRIGGER users_after_update AFTER UPDATE ON users FOR EACH ROW
  WHEN ((OLD.disabled_at IS NULL) IS DISTINCT FROM (NEW.disabled_at IS NULL))
  EXECUTE FUNCTION ruche_users_after_write();

-- Existing rows: rewrite each profile once (the triggers fill the new columns and the lists). updated_at is kept:
-- nothing a sibling reads has changed.
UPDATE profiles SET updated_at = updated_at;

-- The department and site filters compare folded values; their indexes (0003) are partial, so the planner has no
-- statistics for the folded values and guesses 0.5 % of the rows each, then picks the wrong end of a join.
CREATE STATISTICS profiles_department_fold_stats ON (ruche_fold(department)) FROM profiles;
CREATE STATISTICS profiles_site_fold_stats ON (ruche_fold(site)) FROM profiles;
