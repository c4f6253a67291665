-- The event log (live events on /events, webhooks), campaign announcements
-- made exactly once, and webhook endpoints with their delivery log.

-- Event ids come from this one-row counter, not a sequence: taking the next
-- id locks the row until the writing transaction ends, so ids become visible
-- in the order they were handed out. Readers can then page with
-- "id > last seen" and never skip an event that commits late (a sequence
-- hands ids out in one order and commits them in another).
CREATE TABLE event_log_head (
    singleton      boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    last_id        bigint NOT NULL,
    -- Events up to here may have been deleted by retention: a client that
    -- resumes from before it has missed history and must refetch.
    pruned_through bigint NOT NULL DEFAULT 0
);
INSERT INTO event_log_head (singleton, last_id) VALUES (true, 0);

CREATE TABLE events (
    id          bigint PRIMARY KEY,
    -- campaign.started, campaign.ended, campaign.stopped, changed
    type        text NOT NULL,
    -- The instant the event is about: the transition, or the change.
    at          timestamptz NOT NULL,
    -- When it was recorded; at..created_at is the announcement's delay.
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    campaign_id text,
    -- Scope for stream filters; empty means every channel / device.
    channels    text[] NOT NULL DEFAULT '{}',
    devices     text[] NOT NULL DEFAULT '{}',
    data        jsonb NOT NULL DEFAULT '{}'
);
-- Exactly once: a campaign's start, end or stop at one instant is recorded
-- by one transaction, whichever scheduler (leader, old leader, restarted
-- leader) gets there first.
CREATE UNIQUE INDEX events_announcement_key ON events (campaign_id, type, at) WHERE campaign_id IS NOT NULL;
CREATE INDEX events_created_at_idx ON events (created_at);

-- How far the scheduler has announced: after a crash or a takeover it
-- resumes from here (minus a slack for late-committing stops), so
-- transitions that fell due while no leader ran are still announced.
CREATE TABLE scheduler_state (
    singleton         boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    announced_through timestamptz NOT NULL
);

-- Every content change (publish, unpublish, delete, model, personalization,
-- campaign writes) also becomes a "changed" event so kiosks refetch. The
-- trigger is deferred to commit time: the id counter's row lock is then held
-- only while committing, and a transaction that rolls back (as every
-- testdb.Tx test does) never takes it.
CREATE FUNCTION mosaic_change_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    entry_slug text;
    next_id    bigint;
BEGIN
    IF NEW.entry_id IS NOT NULL THEN
        SELECT slug INTO entry_slug FROM published_entries WHERE entry_id = NEW.entry_id AND locale = NEW.locale;
        IF entry_slug IS NULL THEN
            SELECT slug INTO entry_slug FROM entry_drafts WHERE entry_id = NEW.entry_id AND locale = NEW.locale;
        END IF;
    END IF;
    UPDATE event_log_head SET last_id = last_id + 1 RETURNING last_id INTO next_id;
    INSERT INTO events (id, type, at, data)
    VALUES (next_id, 'changed', NEW.at, jsonb_strip_nulls(jsonb_build_object(
        'epoch', NEW.epoch, 'action', NEW.action, 'entry', NEW.entry_id::text, 'locale', NEW.locale,
        'type', NEW.type_key, 'slug', entry_slug)));
    PERFORM pg_notify('mosaic_events', next_id::text);
    RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER content_changes_event AFTER INSERT ON content_changes
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION mosaic_change_event();

CREATE TABLE webhook_endpoints (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    url         text NOT NULL,
    description text NOT NULL DEFAULT '',
    -- Event types delivered; empty means all.
    event_types text[] NOT NULL DEFAULT '{}',
    -- whsec_<base64>: HMAC keys must be kept in the clear to sign.
    secret      text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    created_by  text NOT NULL
);

-- The fan-out cursor: the last event turned into deliveries. Replicas take
-- turns on this row, so each event fans out exactly once.
CREATE TABLE webhook_dispatch (
    singleton     boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    last_event_id bigint NOT NULL
);
INSERT INTO webhook_dispatch (singleton, last_event_id) VALUES (true, 0);

CREATE TABLE webhook_deliveries (
    id              bigserial PRIMARY KEY,
    endpoint_id     uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id        bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    event_type      text NOT NULL,
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    -- Due time while pending; a claimed delivery is pushed out by a lease,
    -- so a worker that dies mid-request leaves it due again, not stuck.
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_attempt_at timestamptz,
    last_status     integer,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT webhook_deliveries_once UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_event_idx ON webhook_deliveries (event_id);

-- One row per HTTP attempt: the queryable delivery log.
CREATE TABLE webhook_attempts (
    delivery_id bigint NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt     integer NOT NULL,
    at          timestamptz NOT NULL,
    duration_ms integer NOT NULL,
    status_code integer,
    error       text,
    response    text,
    PRIMARY KEY (delivery_id, attempt)
);
