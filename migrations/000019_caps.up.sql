-- Issue 19, item 2: frequency caps on campaigns and experiments (a
-- variant's cap lives in content, with the variant). {"max", "per",
-- "timeZone", "perChannel"}; NULL: no cap. Counts come from
-- measurement_decisions (measurement/capcount), so no counter table.
ALTER TABLE campaigns ADD COLUMN cap jsonb;
ALTER TABLE experiments ADD COLUMN cap jsonb;
