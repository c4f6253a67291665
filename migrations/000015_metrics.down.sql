ALTER TABLE experiments DROP COLUMN status, DROP COLUMN started_at, DROP COLUMN stopped_at, DROP COLUMN winner;
DROP TABLE measurement_metrics;
