-- Issue 18, experiment details.

-- Item 2: the metrics an experiment is judged on (metric keys; checked
-- against measurement_metrics when written, as a metric may be archived
-- but never deleted), its planned sample size (units over all arms; NULL:
-- not planned) and, when its winner was rolled out, the entry versions
-- that rollout published.
ALTER TABLE experiments
    ADD COLUMN primary_metric    text NOT NULL DEFAULT '',
    ADD COLUMN guardrail_metrics text[] NOT NULL DEFAULT '{}',
    ADD COLUMN planned_units     bigint CHECK (planned_units > 0),
    ADD COLUMN rollout           jsonb NOT NULL DEFAULT '[]';

-- Item 4: short report ranges. The rollups' primary keys end in day, so a
-- range of days could only filter rows after reading every arm × device ×
-- channel × locale of the experiment: a month cost as much as a year.
-- These put day right after the equality columns, and carry the summed
-- columns so a report is an index-only scan of the range it asks for.
CREATE INDEX measurement_exposure_daily_range ON measurement_exposure_daily (experiment, day)
    INCLUDE (arm, device, channel, locale, units, multi_arm);
CREATE INDEX measurement_metric_daily_range ON measurement_metric_daily (experiment, event, window_hours, day)
    INCLUDE (arm, device, channel, locale, converters, count, count_sq, sum, sum_sq);

-- Item 6: scheduled reports announce once. A row here is claimed in the
-- transaction that writes the event to the log (report.daily per UTC day,
-- experiment.sample_reached per experiment run), so however many replicas
-- try, and after restarts, exactly one event is written. Unlike the event
-- log these rows are never pruned: a run that reached its sample size
-- months ago is not announced again when its event has aged out.
CREATE TABLE report_announcements (
    kind     text NOT NULL,
    subject  text NOT NULL,
    event_id bigint NOT NULL,
    at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, subject)
);
