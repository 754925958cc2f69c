-- Knowledge base, questions & answers, and group-wide search (issue #14).
--
-- Search: PostgreSQL full-text search, French and English at once. A document's vector is its text read with both
-- configurations (title weight A, body B) and a query is read with both and OR-ed, so neither the writer nor the
-- reader has to say which language they use; a French word matches its French stem, an English one its English
-- stem. Accents are ignored: both configurations pass every word through the `unaccent` dictionary before the
-- stemmer ("deploiements" and "déployer" both stem to "deploi"). `unaccent` is a trusted contrib extension (0003
-- created it; present in the machine's PostgreSQL 15 and in embedded-postgres 18). The vectors are generated,
-- stored columns with GIN indexes, so no code path can forget to keep them right.
CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE TEXT SEARCH CONFIGURATION ruche_fr (COPY = pg_catalog.french);
ALTER TEXT SEARCH CONFIGURATION ruche_fr ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
CREATE TEXT SEARCH CONFIGURATION ruche_en (COPY = pg_catalog.english);
ALTER TEXT SEARCH CONFIGURATION ruche_en ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;

-- A document's vector. IMMUTABLE is true of the configurations as shipped (a dictionary edited later would need
-- the columns rebuilt, as with any stemmer change).
CREATE FUNCTION ruche_tsv(title text, body text) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector('public.ruche_fr'::regconfig, coalesce(title, '')), 'A')
      || setweight(to_tsvector('public.ruche_en'::regconfig, coalesce(title, '')), 'A')
      || setweight(to_tsvector('public.ruche_fr'::regconfig, left(coalesce(body, ''), 1000000)), 'B')
      || setweight(to_tsvector('public.ruche_en'::regconfig, left(coalesce(body, ''), 1000000)), 'B')
$$;

-- A query in both languages (websearch syntax: words, "phrases", OR, -word; never a syntax error).
CREATE FUNCTION ruche_tsquery(q text) RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT websearch_to_tsquery('public.ruche_fr'::regconfig, q) || websearch_to_tsquery('public.ruche_en'::regconfig, q)
$$;

-- Posts: the text search replaces the ILIKE scan (post-search.ts). Boosts carry no text of their own.
ALTER TABLE posts ADD COLUMN search tsvector GENERATED ALWAYS AS (ruche_tsv(summary, content_text)) STORED;
CREATE INDEX posts_search_idx ON posts USING gin (search) WHERE reblog_of_id IS NULL;

-- (Profiles are searched by the directory itself, server/domain/profiles/directory.ts: one rule for who is listed
-- and which fields a reader may match on.)

-- Articles (wiki pages). A space is the instance (group_id NULL) or a group; a project's articles have the group
-- scope (read by its members only), as its posts. Visibility is the posts' audience rule (audience.ts), applied by
-- the same SQL predicate (visibility.ts visibleTo, with no mentions: an article names nobody into its audience).
CREATE TABLE articles (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  iri           text NOT NULL UNIQUE,
  url           text,
  account_id    bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,  -- the author of its first revision
  local         boolean NOT NULL,
  origin        text NOT NULL,
  group_id      bigint REFERENCES accounts (id) ON DELETE CASCADE,
  visibility    text NOT NULL CHECK (visibility IN ('public', 'unlisted', 'internal', 'local', 'group')),
  title         text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 300),
  title_key     text NOT NULL,                     -- ruche_fold(title): [[Page]] links and backlinks
  summary       text NOT NULL DEFAULT '',
  source        text NOT NULL,                     -- Markdown
  content_html  text NOT NULL,
  content_text  text NOT NULL,
  revision_id   bigint,                            -- the latest revision (local articles)
  views         integer NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  search        tsvector GENERATED ALWAYS AS (ruche_tsv(title, content_text)) STORED,
  CHECK (visibility <> 'group' OR group_id IS NOT NULL)
);
CREATE INDEX articles_search_idx ON articles USING gin (search);
CREATE INDEX articles_recent_idx ON articles (updated_at DESC, id DESC);
CREATE INDEX articles_group_idx ON articles (group_id, updated_at DESC) WHERE group_id IS NOT NULL;
CREATE INDEX articles_title_key_idx ON articles (title_key);

-- Every save is a revision: the full Markdown (diffs are computed between any two, `diff` library).
CREATE TABLE article_revisions (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  article_id  bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  author_id   bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  title       text NOT NULL,
  source      text NOT NULL,
  summary     text NOT NULL DEFAULT '',          -- the edit summary
  restored_from bigint REFERENCES article_revisions (id) ON DELETE SET NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX article_revisions_article_idx ON article_revisions (article_id, id DESC);
ALTER TABLE articles ADD CONSTRAINT articles_revision_fk FOREIGN KEY (revision_id) REFERENCES article_revisions (id) DEFERRABLE INITIALLY DEFERRED;

CREATE TABLE article_tags (
  article_id bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  tag        text NOT NULL CHECK (char_length(tag) BETWEEN 1 AND 100),
  PRIMARY KEY (article_id, tag)
);
CREATE INDEX article_tags_tag_idx ON article_tags (tag, article_id DESC);

-- [[Page]] links: from an article to a title (resolved at read time, so a link written before its page exists
-- starts working when the page is created).
CREATE TABLE article_links (
  from_id    bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  title_key  text NOT NULL,
  PRIMARY KEY (from_id, title_key)
);
CREATE INDEX article_links_title_idx ON article_links (title_key);

-- Questions and answers. A question has the audience rule's scopes like an article (no mentions either).
CREATE TABLE questions (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  iri           text NOT NULL UNIQUE,
  url           text,
  account_id    bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  local         boolean NOT NULL,
  origin        text NOT NULL,
  group_id      bigint REFERENCES accounts (id) ON DELETE CASCADE,
  visibility    text NOT NULL CHECK (visibility IN ('public', 'unlisted', 'internal', 'local', 'group')),
  title         text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 300),
  source        text NOT NULL DEFAULT '',
  content_html  text NOT NULL DEFAULT '',
  content_text  text NOT NULL DEFAULT '',
  accepted_answer_id bigint,
  created_at    timestamptz NOT NULL DEFAULT now(),
  search        tsvector GENERATED ALWAYS AS (ruche_tsv(title, content_text)) STORED,
  CHECK (visibility <> 'group' OR group_id IS NOT NULL)
);
CREATE INDEX questions_search_idx ON questions USING gin (search);
CREATE INDEX questions_recent_idx ON questions (id DESC);

CREATE TABLE question_tags (
  question_id bigint NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
  tag         text NOT NULL CHECK (char_length(tag) BETWEEN 1 AND 100),
  PRIMARY KEY (question_id, tag)
);
CREATE INDEX question_tags_tag_idx ON question_tags (tag, question_id DESC);

CREATE TABLE answers (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  iri           text NOT NULL UNIQUE,
  question_id   bigint NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
  account_id    bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  local         boolean NOT NULL,
  source        text NOT NULL DEFAULT '',
  content_html  text NOT NULL,
  content_text  text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX answers_question_idx ON answers (question_id, id);
ALTER TABLE questions ADD CONSTRAINT questions_accepted_fk FOREIGN KEY (accepted_answer_id) REFERENCES answers (id) ON DELETE SET NULL;

CREATE TABLE answer_votes (
  answer_id  bigint NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
  account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  value      smallint NOT NULL CHECK (value IN (-1, 1)),
  PRIMARY KEY (answer_id, account_id)
);

-- "Asked to answer": who asked whom (one notification each, kept here since a notification row names a post).
CREATE TABLE question_requests (
  question_id bigint NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
  account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  asked_by    bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (question_id, account_id)
);

-- The notification "you are asked to answer": its question rides on the row. The type list is extended from the
-- constraint in force (other features add their own types in their migrations, in any order), never replaced.
ALTER TABLE notifications ADD COLUMN question_id bigint REFERENCES questions (id) ON DELETE CASCADE;
DO $$
DECLARE def text; types text[];
BEGIN
  SELECT pg_get_constraintdef(c.oid) INTO def FROM pg_constraint c
    WHERE c.conrelid = 'notifications'::regclass AND c.contype = 'c' AND pg_get_constraintdef(c.oid) LIKE '%type%';
  SELECT array_agg(m[1]) INTO types FROM regexp_matches(coalesce(def, ''), '''([a-z_.]+)''', 'g') AS m;
  EXECUTE (SELECT format('ALTER TABLE notifications DROP CONSTRAINT %I', conname) FROM pg_constraint
    WHERE conrelid = 'notifications'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%type%');
  types := array_append(types, 'ruche.question');
  -- Written back as an IN list, the shape PostgreSQL shows for the original (each type quoted on its own).
  EXECUTE format('ALTER TABLE notifications ADD CONSTRAINT notifications_type_check CHECK (type IN (%s))',
    (SELECT string_agg(quote_literal(t), ', ') FROM unnest(types) AS t));
END $$;
-- One notification per asked question (the general once-index keys on the post, which a question has not).
DROP INDEX notifications_once_idx;
CREATE UNIQUE INDEX notifications_once_idx ON notifications (account_id, type, from_account_id, coalesce(post_id, 0), coalesce(question_id, 0));
