ALTER TABLE campaigns DROP COLUMN cost;
