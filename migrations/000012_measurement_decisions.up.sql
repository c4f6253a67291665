-- Issue 17, part 1: decision records, written by delivery through the
-- durable log (NATS JetStream, subject mosaic.decisions) in batches.

-- One row per delivered entry decided for a visitor: the decision id the
-- client got (Entry.decisionId; its view events name it), who, in which
-- context, which entry version, and per block what was shown and why.
-- Partitioned by the UTC day of its time, as measurement_events (000011):
-- the writer creates partitions as days come; the key is (id, day).
CREATE TABLE measurement_decisions (
    id            text COLLATE "C" NOT NULL,
    day           date NOT NULL,
    time          timestamptz NOT NULL,
    visitor_id    text NOT NULL,
    user_id       text,
    channel       text,
    device        text,
    locale        text,
    consent       boolean NOT NULL,
    entry_id      text NOT NULL,
    entry_slug    text NOT NULL,
    entry_version integer NOT NULL,
    -- [{blockId, variant, experiment, arm, campaign, reason}], the
    -- entry's own decision first (blockId = entry_id).
    blocks        jsonb NOT NULL,
    -- The experiments the record exposes, for per-experiment reads.
    experiments   text[] NOT NULL DEFAULT '{}',
    stored_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, day)
) PARTITION BY RANGE (day);

CREATE INDEX measurement_decisions_visitor ON measurement_decisions (visitor_id, time);
CREATE INDEX measurement_decisions_experiments ON measurement_decisions USING gin (experiments);
