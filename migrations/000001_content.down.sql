DROP TABLE IF EXISTS content_changes;
DROP TABLE IF EXISTS entry_links;
DROP TABLE IF EXISTS published_entries;
DROP TABLE IF EXISTS entry_versions;
DROP FUNCTION IF EXISTS mosaic_forbid_update() CASCADE;
DROP TABLE IF EXISTS entry_drafts;
DROP TABLE IF EXISTS entries;
DROP TABLE IF EXISTS content_types;
