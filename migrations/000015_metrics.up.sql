-- Issue 18, item 1: metrics as data. An experiment is judged on metrics
-- (measurement/report): an event name counted per unit within one of the
-- rollup windows (measurement.Windows) from its first exposure. Archived
-- metrics stay readable so old reports keep their definition.
CREATE TABLE measurement_metrics (
    key          text PRIMARY KEY,
    name         text NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('CONVERSION', 'REVENUE', 'COUNT')),
    event        text NOT NULL,
    window_hours integer NOT NULL CHECK (window_hours IN (24, 72, 168, 720)),
    goal         text NOT NULL CHECK (goal IN ('INCREASE', 'DECREASE')),
    guardrail    boolean NOT NULL DEFAULT false,
    archived     boolean NOT NULL DEFAULT false,
    version      integer NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    updated_by   text NOT NULL DEFAULT ''
);

-- Issue 18, item 2: the experiment lifecycle DRAFT → RUNNING → STOPPED.
-- Only a running experiment buckets visitors (personalization's
-- Experiment.Stopped). Experiments that existed before ran from their
-- creation: they are RUNNING since then.
ALTER TABLE experiments
    ADD COLUMN status     text NOT NULL DEFAULT 'RUNNING' CHECK (status IN ('DRAFT', 'RUNNING', 'STOPPED')),
    ADD COLUMN started_at timestamptz,
    ADD COLUMN stopped_at timestamptz,
    ADD COLUMN winner     text NOT NULL DEFAULT '';
UPDATE experiments SET started_at = created_at;
