-- Issue 17, part 1: client events, landing from the durable log (NATS
-- JetStream) in batches.

-- API keys may now write events (POST /collect) with scope events.write.
ALTER TABLE api_keys DROP CONSTRAINT api_keys_scope_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_scope_check CHECK (scope IN ('delivery', 'preview', 'events.write'));

-- One row per accepted client event. Partitioned by the UTC day of its
-- (skew-corrected) time, so retention drops whole partitions and reads of a
-- day range touch only those. Partitions are created by the writer as the
-- days come (storage/postgres/measurement.go). The key is (id, day): a
-- partitioned table's unique key must hold the partition column, and a
-- client resending an event resends its time, so (id, day) is how a
-- duplicate is told.
CREATE TABLE measurement_events (
    id          text COLLATE "C" NOT NULL,
    day         date NOT NULL,
    time        timestamptz NOT NULL,
    received_at timestamptz NOT NULL,
    type        text NOT NULL CHECK (type IN ('view', 'conversion', 'track', 'identify', 'consent')),
    visitor_id  text NOT NULL,
    user_id     text,
    -- view
    decision_id text,
    block_id    text,
    entry       text,
    -- conversion
    goal        text,
    value       double precision,
    currency    text,
    -- track
    name        text,
    -- track: properties; identify: traits; consent: {granted, withdrawn}
    data        jsonb,
    -- When the writer's transaction stored it: stored_at − received_at is
    -- the pipeline's lag (log append, queueing, the write).
    stored_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, day)
) PARTITION BY RANGE (day);

-- Per-visitor reads (a profile's recent events) and per-decision joins
-- (views of what a delivery decided).
CREATE INDEX measurement_events_visitor ON measurement_events (visitor_id, time);
CREATE INDEX measurement_events_decision ON measurement_events (decision_id) WHERE decision_id IS NOT NULL;
