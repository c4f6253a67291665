DROP TABLE report_announcements;
DROP INDEX measurement_metric_daily_range;
DROP INDEX measurement_exposure_daily_range;
ALTER TABLE experiments DROP COLUMN primary_metric, DROP COLUMN guardrail_metrics, DROP COLUMN planned_units, DROP COLUMN rollout;
