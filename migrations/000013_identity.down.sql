DROP INDEX IF EXISTS measurement_events_user;
DROP INDEX IF EXISTS measurement_decisions_user;
ALTER TABLE measurement_decisions DROP COLUMN IF EXISTS purposes;
DROP TABLE IF EXISTS identity_exposures;
DROP TABLE IF EXISTS identity_links;
DROP FUNCTION IF EXISTS identity_links_append_only();
DROP TABLE IF EXISTS identity_members;
DROP TABLE IF EXISTS identity_clusters;
