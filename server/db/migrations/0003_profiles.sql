-- Employee profiles (issue #3): structured fields with a per-field visibility, the group-wide directory and its
-- search indexes, and sibling directory synchronisation. See docs/profiles.md.

-- Accent- and case-insensitive search: unaccent + pg_trgm ship with PostgreSQL (contrib) and are "trusted"
-- extensions since PostgreSQL 13, so a database owner without superuser may create them. Both exist in the
-- embedded PostgreSQL 18 and in Debian's PostgreSQL 15.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- unaccent() is only STABLE (it reads a dictionary that could change), so it cannot appear in an index. Naming the
-- dictionary explicitly makes the result depend on its arguments alone, which is what IMMUTABLE promises; the
-- dictionary ships with PostgreSQL and does not change under a running database. Both names are schema-qualified
-- (wherever the extension was installed): since PostgreSQL 17, CREATE INDEX runs with search_path = pg_catalog.
DO $do$
DECLARE s text;
BEGIN
  SELECT n.nspname INTO s FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'unaccent';
  EXECUTE format('CREATE FUNCTION ruche_fold(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $f$ SELECT pg_catalog.lower(%I.unaccent(%L::regdictionary, $1)) $f$', s, s || '.unaccent');
END
$do$;

CREATE TABLE profiles (
  account_id    bigint PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  pronouns      text NOT NULL DEFAULT '',
  job_title     text NOT NULL DEFAULT '',
  department    text NOT NULL DEFAULT '',
  site          text NOT NULL DEFAULT '',
  work_phone    text NOT NULL DEFAULT '',
  work_email    text NOT NULL DEFAULT '',
  manager_iri   text,                          -- the manager's actor IRI (local or remote account)
  expertise     text[] NOT NULL DEFAULT '{}',  -- normalised tags without '#': kubernetes, droit-social
  languages     text[] NOT NULL DEFAULT '{}',  -- BCP 47 primary tags: fr, en, de
  career        jsonb NOT NULL DEFAULT '[]',   -- [{role, organisation, from: "YYYY-MM", to: "YYYY-MM" | null}]
  custom_fields jsonb NOT NULL DEFAULT '[]',   -- Mastodon fields_attributes: [{name, value}] (≤ 4)
  visibility    jsonb NOT NULL DEFAULT '{}',   -- field → 'public'; a field not listed is 'internal'
  -- Remote profiles: what their server sent (PropertyValue fields, sanitised) and in which scope.
  remote_fields jsonb NOT NULL DEFAULT '[]',
  instance_name text NOT NULL DEFAULT '',      -- the subsidiary a remote profile belongs to, as its server names it
  scope         text NOT NULL DEFAULT 'internal' CHECK (scope IN ('internal', 'public')),
  from_sibling  boolean NOT NULL DEFAULT false, -- a remote profile received from a sibling: part of the directory
  search_text   text NOT NULL DEFAULT '',      -- ruche_fold() of names, job, department, site and expertise
  search_words  text[] NOT NULL DEFAULT '{}',  -- the same, split into words: short words ("rh") match whole words
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Search: trigram index for substring matches on the folded text, GIN on the tag array for exact expertise,
-- folded department/site for the filters, the manager IRI for reports, and the directory feed's keyset order.
CREATE INDEX profiles_search_trgm_idx ON profiles USING gin (search_text gin_trgm_ops);
CREATE INDEX profiles_expertise_idx ON profiles USING gin (expertise);
-- Trigrams need three characters: a one- or two-letter word is looked up as a whole word instead.
CREATE INDEX profiles_search_words_idx ON profiles USING gin (search_words);
CREATE INDEX profiles_department_idx ON profiles (ruche_fold(department)) WHERE department <> '';
CREATE INDEX profiles_site_idx ON profiles (ruche_fold(site)) WHERE site <> '';
CREATE INDEX profiles_manager_idx ON profiles (manager_iri) WHERE manager_iri IS NOT NULL;
CREATE INDEX profiles_feed_idx ON profiles (updated_at, account_id);

-- search_text is derived, never written by the application: a trigger keeps it right whichever path changes a
-- profile (web form, API, CSV import, federation).
CREATE FUNCTION ruche_profile_search_text(p profiles) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT ruche_fold(concat_ws(' ', a.display_name, a.username, p.job_title, p.department, p.site,
    array_to_string(p.expertise, ' '), p.instance_name))
  FROM accounts a WHERE a.id = p.account_id
$$;

CREATE FUNCTION ruche_profiles_before_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_text := coalesce(ruche_profile_search_text(NEW), '');
  NEW.search_words := array_remove(regexp_split_to_array(NEW.search_text, '[\s,;/·()-]+'), '');
  RETURN NEW;
END $$;
CREATE TRIGGER profiles_before_write BEFORE INSERT OR UPDATE ON profiles
  FOR EACH ROW EXECUTE FUNCTION ruche_profiles_before_write();

-- Every local account has a profile row (the directory joins profiles to accounts).
CREATE FUNCTION ruche_accounts_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO profiles (account_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER accounts_after_insert AFTER INSERT ON accounts
  FOR EACH ROW WHEN (NEW.domain IS NULL) EXECUTE FUNCTION ruche_accounts_after_insert();
INSERT INTO profiles (account_id) SELECT id FROM accounts WHERE domain IS NULL ON CONFLICT DO NOTHING;

-- A change of name, picture, bio or discoverability changes the profile document: refresh the search text and
-- move the profile up the directory feed that siblings poll.
CREATE FUNCTION ruche_accounts_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE profiles SET updated_at = now() WHERE account_id = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER accounts_after_update AFTER UPDATE ON accounts FOR EACH ROW
  WHEN (OLD.display_name IS DISTINCT FROM NEW.display_name OR OLD.username IS DISTINCT FROM NEW.username
    OR OLD.bio_html IS DISTINCT FROM NEW.bio_html OR OLD.avatar_url IS DISTINCT FROM NEW.avatar_url
    OR OLD.header_url IS DISTINCT FROM NEW.header_url OR OLD.discoverable IS DISTINCT FROM NEW.discoverable)
  EXECUTE FUNCTION ruche_accounts_after_update();

-- Where the directory synchronisation with each sibling stands: the feed cursor of the last page read.
CREATE TABLE sibling_sync (
  origin       text PRIMARY KEY,
  cursor       text,
  last_full_at timestamptz,
  last_pull_at timestamptz
);

-- Sibling discovery is an invariant of the siblings table, so it holds whichever path adds or removes one (CLI,
-- tests, a future admin page): adding a sibling queues a full pull of its directory in the same transaction
-- (transactional outbox); removing one drops its internal profile data and any pending pull.
CREATE FUNCTION ruche_siblings_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM outbox WHERE kind = 'pull-directory' AND payload->>'origin' = NEW.origin;
  INSERT INTO outbox (kind, payload)
    VALUES ('pull-directory', jsonb_build_object('kind', 'pull-directory', 'origin', NEW.origin, 'full', true));
  PERFORM pg_notify('ruche_outbox', '');
  RETURN NULL;
END $$;
CREATE TRIGGER siblings_after_insert AFTER INSERT ON siblings FOR EACH ROW EXECUTE FUNCTION ruche_siblings_after_insert();

CREATE FUNCTION ruche_siblings_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM outbox WHERE kind IN ('pull-directory', 'refresh-profile') AND payload->>'origin' = OLD.origin;
  DELETE FROM sibling_sync WHERE origin = OLD.origin;
  DELETE FROM profiles p USING accounts a
    WHERE a.id = p.account_id AND a.domain = regexp_replace(OLD.origin, '^[a-z]+://', '') AND p.scope = 'internal';
  RETURN NULL;
END $$;
CREATE TRIGGER siblings_after_delete AFTER DELETE ON siblings FOR EACH ROW EXECUTE FUNCTION ruche_siblings_after_delete();
