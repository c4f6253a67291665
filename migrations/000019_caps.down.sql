ALTER TABLE experiments DROP COLUMN cap;
ALTER TABLE campaigns DROP COLUMN cap;
