DROP INDEX IF EXISTS identity_members_hash;
DROP TABLE IF EXISTS measurement_funnel_events;
DROP TABLE IF EXISTS measurement_funnel_names;
