ALTER TABLE campaigns DROP COLUMN holdout;
