-- The fleet view (issue 9): one row per physical kiosk or IoT display,
-- holding its last heartbeat. Rows are replaced in place, so the table is
-- bounded by the number of units (MOSAIC_SCREEN_FLEET_MAX), not by time.
CREATE TABLE screen_heartbeats (
    -- Chosen by the unit: 1-64 of [A-Za-z0-9._:-].
    -- Byte order ("C"), so the listing order is the same on every server
    -- whatever its default collation.
    screen_id       text COLLATE "C" PRIMARY KEY CHECK (screen_id ~ '^[A-Za-z0-9._:-]{1,64}$'),
    -- The screen entry's slug; the entry need not exist (yet).
    slug            text COLLATE "C" NOT NULL CHECK (length(slug) BETWEEN 1 AND 200),
    channel         text,
    device          text,
    locale          text,
    bundle_version  text CHECK (length(bundle_version) <= 128),
    -- The key of the bundle frame on display (bundle.Frame.Key).
    frame           text CHECK (length(frame) <= 128),
    -- Device clock minus server clock, as the unit measured it.
    clock_offset_ms double precision,
    client          text CHECK (length(client) <= 128),
    address         text,
    first_seen_at   timestamptz NOT NULL,
    last_seen_at    timestamptz NOT NULL
);

-- The listing order (and the filter by screen).
CREATE INDEX screen_heartbeats_slug_idx ON screen_heartbeats (slug, screen_id);
