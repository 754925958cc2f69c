-- Word mutes can expire, like account mutes (Mastodon filters' expires_in); an expired one matches nothing.
ALTER TABLE word_mutes ADD COLUMN expires_at timestamptz;
