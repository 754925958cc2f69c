-- Account mutes get an id, the cursor Mastodon's GET /api/v1/mutes pages on (max_id / min_id, Link headers), as
-- blocks and follows have. Existing rows are numbered in the order they were made.
ALTER TABLE account_mutes ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;
CREATE UNIQUE INDEX account_mutes_page_idx ON account_mutes (account_id, id);
