-- Issue 18, item 4: a narrow copy of the events funnels read, so a funnel
-- over a month reads ~24-byte rows from an index instead of the wide
-- measurement_events rows (a parallel sequential scan of every column)
-- joined to identity_members by text. Kept by the event log's consumers
-- in the transaction that stores each batch (storage/postgres/
-- funnel_rollup.go), from the events that batch made new; deleted with
-- the events on consent withdrawal and erasure, and dropped by day with
-- them by retention.
--
-- Rows are per visitor id, not per person: the visitor id is kept as its
-- 64-bit hash (hashtextextended(visitor_id, 0)) and a funnel resolves it
-- to its person (identity_members, by the same hash) when it reads,
-- so a merge after the events joins them, and an unmerge splits them, in
-- every funnel computed afterwards.

-- The names a funnel step can match: a conversion's goal, a track
-- event's name, a view's entry ('' for a view without one). A step names
-- a handful of these; rows refer to them by id.
CREATE TABLE measurement_funnel_names (
    id   integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type text NOT NULL CHECK (type IN ('view', 'conversion', 'track')),
    name text NOT NULL,
    UNIQUE (type, name)
);

-- One row per view, conversion and track event, partitioned by its UTC
-- day like measurement_events (the writer creates both partitions of a
-- day together; retention drops both).
CREATE TABLE measurement_funnel_events (
    day     date NOT NULL,
    name    integer NOT NULL,
    time    timestamptz NOT NULL,
    -- hashtextextended(visitor_id, 0)
    visitor bigint NOT NULL
) PARTITION BY RANGE (day);
-- A funnel reads its steps' names over a time range: an index-only scan
-- when they are a small share of the events (a shop's funnel steps are
-- most of them, and the narrow partitions are scanned instead).
CREATE INDEX measurement_funnel_events_read ON measurement_funnel_events (name, time) INCLUDE (visitor);
-- Withdrawal and erasure delete a visitor id's rows.
CREATE INDEX measurement_funnel_events_visitor ON measurement_funnel_events (visitor);

-- What is already stored counts from the start: a partition per day
-- measurement_events has, then every view, conversion and track event.
DO $$
DECLARE
    d date;
BEGIN
    FOR d IN SELECT DISTINCT day FROM measurement_events LOOP
        EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF measurement_funnel_events FOR VALUES FROM (%L) TO (%L)',
            'measurement_funnel_events_' || to_char(d, 'YYYYMMDD'), d, d + 1);
    END LOOP;
END $$;

INSERT INTO measurement_funnel_names (type, name)
SELECT DISTINCT type, CASE type WHEN 'conversion' THEN goal WHEN 'track' THEN name ELSE coalesce(entry, '') END
FROM measurement_events WHERE type IN ('view', 'conversion', 'track')
    AND CASE type WHEN 'conversion' THEN goal WHEN 'track' THEN name ELSE '' END IS NOT NULL;

INSERT INTO measurement_funnel_events (day, name, time, visitor)
SELECT e.day, n.id, e.time, hashtextextended(e.visitor_id, 0)
FROM measurement_events e JOIN measurement_funnel_names n ON n.type = e.type
    AND n.name = CASE e.type WHEN 'conversion' THEN e.goal WHEN 'track' THEN e.name ELSE coalesce(e.entry, '') END
WHERE e.type IN ('view', 'conversion', 'track');

-- Campaign reach is resolved to people when read too: from now on the
-- consumers write measurement_campaign_units.unit as the visitor id
-- reached (and measurement_campaign_daily.units counts visitor ids), and
-- campaignReport counts distinct coalesce(identity cluster, unit). Rows
-- written before hold the person's cluster id, which resolves to itself:
-- they keep counting once per person, and cannot be split by an unmerge
-- (which device was reached is not in them).
COMMENT ON COLUMN measurement_campaign_units.unit IS
    'the visitor id reached (before migration 000023: the person''s unit, a cluster id or visitor id)';
