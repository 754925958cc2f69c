-- Expertise tags keep the way people write them (issue #8 point 22): "cybersécurité" stays "cybersécurité" on the
-- profile, the directory chips and the expertise filter, instead of the folded "cybersecurite". Matching stays
-- accent- and case-insensitive: it runs on ruche_fold() of the tag, the fold the rest of the directory uses.
--   * profiles.expertise      — the tags as shown (lower case, dashes for spaces, accents kept);
--   * profiles.expertise_keys — their folded forms, for the expertise filter (GIN, replaces the index on expertise);
--   * directory_tags.tag      — the folded form (the "who knows" lists are read by it), and .label the shown one.
-- Tags stored before this migration were already folded; they stay as they are until their owner edits them.

ALTER TABLE profiles ADD COLUMN expertise_keys text[] NOT NULL DEFAULT '{}';
DROP INDEX IF EXISTS profiles_expertise_idx;
CREATE INDEX profiles_expertise_keys_idx ON profiles USING gin (expertise_keys);

ALTER TABLE directory_tags ADD COLUMN label text NOT NULL DEFAULT '';

CREATE OR REPLACE FUNCTION ruche_profiles_before_write() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE d record;
BEGIN
  NEW.search_text := coalesce(ruche_profile_search_text(NEW), '');
  NEW.search_words := array_remove(regexp_split_to_array(NEW.search_text, '[\s,;/·()-]+'), '');
  NEW.expertise_keys := ARRAY(SELECT DISTINCT ruche_fold(t) FROM unnest(NEW.expertise) AS t WHERE t <> '');
  d := ruche_profile_directory(NEW);
  NEW.listed := coalesce(d.listed, false);
  NEW.sort_name := coalesce(d.sort_name, '');
  NEW.account_domain := d.account_domain;
  RETURN NEW;
END $$;

-- 0005's function, with the folded tag and its label in directory_tags.
CREATE OR REPLACE FUNCTION ruche_profiles_after_write() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE same_entry boolean := TG_OP = 'UPDATE' AND OLD.listed = NEW.listed AND OLD.sort_name = NEW.sort_name;
BEGIN
  IF NOT (same_entry AND OLD.expertise = NEW.expertise) THEN
    IF TG_OP = 'UPDATE' THEN
      DELETE FROM directory_tags WHERE account_id = NEW.account_id;
    END IF;
    IF NEW.listed THEN
      INSERT INTO directory_tags (tag, sort_name, account_id, label)
        SELECT DISTINCT ON (ruche_fold(t)) ruche_fold(t), NEW.sort_name, NEW.account_id, t
        FROM unnest(NEW.expertise) AS t WHERE octet_length(t) BETWEEN 1 AND 200;
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

-- Existing rows: the keys, and the labels of the lists (the tags were folded already, so each is its own label).
UPDATE profiles SET expertise_keys = ARRAY(SELECT DISTINCT ruche_fold(t) FROM unnest(expertise) AS t WHERE t <> '')
  WHERE expertise <> '{}';
UPDATE directory_tags SET label = tag;
