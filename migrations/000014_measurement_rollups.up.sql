-- Issue 17, item 4: rollups of sufficient statistics, maintained by the
-- event log's consumer in the transaction that writes each batch
-- (storage/postgres/measurement_rollup.go; the arithmetic is
-- measurement/rollup.go), so reports read these tables and never scan
-- measurement_events or measurement_decisions.
--
-- A "unit" is what experiments and reach count: the person (an identity
-- cluster when identities are linked; the visitor id by default).

-- A unit's first recorded exposure to an experiment: the arm it counts in
-- for good, when, on which device, channel and locale, and every arm it
-- was shown (more than one: a multiple exposure, which reports list). A
-- campaign is a subject too, as 'campaign:<key>' (experiment keys hold no
-- colon) with its variants as arms: its conversions roll up the same way.
CREATE TABLE measurement_exposures (
    experiment text NOT NULL,
    unit       text NOT NULL,
    arm        text NOT NULL,
    time       timestamptz NOT NULL,
    device     text NOT NULL DEFAULT '',
    channel    text NOT NULL DEFAULT '',
    locale     text NOT NULL DEFAULT '',
    arms       text[] NOT NULL,
    PRIMARY KEY (experiment, unit)
);
-- An event batch finds the exposures of its units.
CREATE INDEX measurement_exposures_unit ON measurement_exposures (unit);

-- A unit's totals of one event name (a conversion's goal, a track event's
-- name) after its exposure to an experiment, within each conversion
-- window (measurement.Windows: 24 h, 72 h, 7 d, 30 d; a new window is a
-- new pair of columns): the previous value each delta of
-- measurement_metric_daily is computed from. One row per unit and event,
-- not per window: a batch updates a quarter of the rows.
CREATE TABLE measurement_unit_values (
    experiment text NOT NULL,
    unit       text NOT NULL,
    event      text NOT NULL,
    count_24h  bigint NOT NULL DEFAULT 0,
    sum_24h    double precision NOT NULL DEFAULT 0,
    count_72h  bigint NOT NULL DEFAULT 0,
    sum_72h    double precision NOT NULL DEFAULT 0,
    count_168h bigint NOT NULL DEFAULT 0,
    sum_168h   double precision NOT NULL DEFAULT 0,
    count_720h bigint NOT NULL DEFAULT 0,
    sum_720h   double precision NOT NULL DEFAULT 0,
    PRIMARY KEY (experiment, unit, event)
) WITH (fillfactor = 70); -- updated in place often: room for HOT updates

-- Units first exposed per experiment × arm × device × channel × locale ×
-- day of first exposure, how many of them were shown another arm since,
-- and exposures of records without a visitor id (no measurement consent:
-- counted in aggregate only, never as units).
CREATE TABLE measurement_exposure_daily (
    experiment text NOT NULL,
    arm        text NOT NULL,
    device     text NOT NULL,
    channel    text NOT NULL,
    locale     text NOT NULL,
    day        date NOT NULL,
    units      bigint NOT NULL DEFAULT 0,
    multi_arm  bigint NOT NULL DEFAULT 0,
    anonymous  bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (experiment, arm, device, channel, locale, day)
);

-- Sufficient statistics of per-unit totals per experiment × arm × event
-- name × window × device × channel × locale × day of first exposure: units with at
-- least one event (converters), Σ count, Σ count², Σ value, Σ value².
-- With the exposure rollup's units (the denominator, units without events
-- counting 0) they give a rate or mean and its variance per arm.
CREATE TABLE measurement_metric_daily (
    experiment   text NOT NULL,
    arm          text NOT NULL,
    event        text NOT NULL,
    window_hours integer NOT NULL,
    device       text NOT NULL,
    channel      text NOT NULL,
    locale       text NOT NULL,
    day          date NOT NULL,
    converters   bigint NOT NULL DEFAULT 0,
    count        bigint NOT NULL DEFAULT 0,
    count_sq     bigint NOT NULL DEFAULT 0,
    sum          double precision NOT NULL DEFAULT 0,
    sum_sq       double precision NOT NULL DEFAULT 0,
    PRIMARY KEY (experiment, event, window_hours, arm, device, channel, locale, day)
);

-- The units a campaign's variant reached per day: the distinct set reach
-- over a range is counted from (one row per unit per day, far fewer than
-- decision records), on the device and channel first seen that day.
CREATE TABLE measurement_campaign_units (
    campaign text NOT NULL,
    variant  text NOT NULL,
    day      date NOT NULL,
    unit     text NOT NULL,
    device   text NOT NULL DEFAULT '',
    channel  text NOT NULL DEFAULT '',
    PRIMARY KEY (campaign, day, variant, unit)
);
CREATE INDEX measurement_campaign_units_unit ON measurement_campaign_units (unit);

-- Per campaign × variant × device × channel × day: units reached (daily
-- distinct) and exposures (blocks shown).
CREATE TABLE measurement_campaign_daily (
    campaign  text NOT NULL,
    variant   text NOT NULL,
    device    text NOT NULL,
    channel   text NOT NULL,
    day       date NOT NULL,
    units     bigint NOT NULL DEFAULT 0,
    exposures bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign, day, variant, device, channel)
);

-- Views per entry and day from view events that name an entry: what the
-- client showed, including answers served from a cache or CDN, which
-- write no decision record (measurement/doc.go, "Cached answers").
CREATE TABLE measurement_view_daily (
    entry text NOT NULL,
    day   date NOT NULL,
    views bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (entry, day)
);
