-- Issue 18, item 4: the site-wide KPI rollup (kpis). The experiment and
-- campaign rollups (000014) hold exposed people only; KPIs count everyone
-- seen. Kept by the event log's consumers in the transaction that writes
-- each batch, from the rows that batch made new
-- (storage/postgres/kpi_rollup.go). Rows are per visitor id, not per
-- person: the person (identity cluster) is resolved when a report reads
-- them, so a phone and a laptop merged by identify later count as one
-- person in every report, past days included, and an unmerge splits them
-- again.

-- A visitor id (one browser or app install): its delivery context from
-- its latest decision record (events carry none), and when it was first
-- seen (a decision record or an event), which time to conversion starts
-- from.
CREATE TABLE measurement_kpi_visitors (
    visitor_id text COLLATE "C" PRIMARY KEY,
    device     text NOT NULL DEFAULT '',
    channel    text NOT NULL DEFAULT '',
    locale     text NOT NULL DEFAULT '',
    -- the time of the record the context was taken from (null: none yet)
    context_at timestamptz,
    first_seen timestamptz NOT NULL
);

-- The days a visitor id was seen: people over a range are the distinct
-- persons of these rows (not a sum of daily counts). Inserted once per
-- visitor id and day, never updated (no count): most events of a batch
-- find their row there and write nothing.
CREATE TABLE measurement_kpi_days (
    day        date NOT NULL,
    visitor_id text COLLATE "C" NOT NULL,
    PRIMARY KEY (day, visitor_id)
);

-- Conversions per visitor id, goal and day: how many, how many carried a
-- value (orders), their sum, and the first one's time.
CREATE TABLE measurement_kpi_conversions (
    day         date NOT NULL,
    visitor_id  text COLLATE "C" NOT NULL,
    goal        text NOT NULL,
    conversions bigint NOT NULL DEFAULT 0,
    orders      bigint NOT NULL DEFAULT 0,
    revenue     double precision NOT NULL DEFAULT 0,
    first_at    timestamptz NOT NULL,
    PRIMARY KEY (day, visitor_id, goal)
);
-- Erasure finds a visitor id's rows; lifetime value reads a person's.
CREATE INDEX measurement_kpi_conversions_visitor ON measurement_kpi_conversions (visitor_id);
CREATE INDEX measurement_kpi_days_visitor ON measurement_kpi_days (visitor_id);

-- What is already stored counts from the start (the consumers keep the
-- rollup from here on). Activity is view, conversion, track and identify
-- events (a consent event is a banner's answer, not a visit) and decision
-- records with a visitor id.
INSERT INTO measurement_kpi_visitors (visitor_id, device, channel, locale, context_at, first_seen)
SELECT s.visitor_id, coalesce(c.device, ''), coalesce(c.channel, ''), coalesce(c.locale, ''), c.time, s.first_seen
FROM (SELECT visitor_id, min(time) AS first_seen FROM (
        SELECT visitor_id, time FROM measurement_decisions WHERE visitor_id <> ''
        UNION ALL SELECT visitor_id, time FROM measurement_events WHERE type IN ('view', 'conversion', 'track', 'identify')
    ) a GROUP BY visitor_id) s
LEFT JOIN (SELECT DISTINCT ON (visitor_id) visitor_id, device, channel, locale, time FROM measurement_decisions
    WHERE visitor_id <> '' ORDER BY visitor_id, time DESC) c USING (visitor_id);

INSERT INTO measurement_kpi_days (day, visitor_id)
SELECT day, visitor_id FROM measurement_events WHERE type IN ('view', 'conversion', 'track', 'identify')
UNION SELECT day, visitor_id FROM measurement_decisions WHERE visitor_id <> '';

INSERT INTO measurement_kpi_conversions (day, visitor_id, goal, conversions, orders, revenue, first_at)
SELECT day, visitor_id, goal, count(*), count(value), coalesce(sum(value), 0), min(time)
FROM measurement_events WHERE type = 'conversion' GROUP BY day, visitor_id, goal;
