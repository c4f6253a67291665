-- Issue 17, part 3: identity clusters, first-touch experiment assignments
-- and consent by purpose. Written by the event log's consumer
-- (storage/postgres/identity.go), never on a request's path; the rules
-- are measurement/identity's.

-- A person: one user id, many visitor ids. A visitor id no identify named
-- is a cluster of its own and has no row here.
CREATE TABLE identity_clusters (
    id         text COLLATE "C" PRIMARY KEY,
    user_id    text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL
);

-- Which cluster a visitor id belongs to now, and since when (the
-- identify's event time: a kiosk session's earlier exposures are not the
-- person's). Unlinking deletes the row; the history keeps it.
CREATE TABLE identity_members (
    visitor_id text COLLATE "C" PRIMARY KEY,
    cluster_id text NOT NULL REFERENCES identity_clusters (id) ON DELETE CASCADE,
    linked_at  timestamptz NOT NULL,
    event_id   text
);
CREATE INDEX identity_members_cluster ON identity_members (cluster_id, linked_at);

-- The link history, append-only: every link, unlink (unmergeIdentity) and
-- refused identify, with who did it and why. A bad merge is undone by
-- reading it; rows are never updated (the trigger refuses), and deleted
-- only by erasure (deleteVisitorData), which removes the person.
CREATE TABLE identity_links (
    seq        bigserial PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    -- the identify's corrected time; null for an editor's unlink
    event_time timestamptz,
    action     text NOT NULL CHECK (action IN ('create', 'link', 'unlink', 'refuse')),
    visitor_id text NOT NULL,
    user_id    text,
    cluster_id text,
    code       text,
    reason     text NOT NULL,
    event_id   text,
    -- the editor who unlinked; null for the consumer
    actor      text
);
CREATE INDEX identity_links_cluster ON identity_links (cluster_id, event_time);
CREATE INDEX identity_links_visitor ON identity_links (visitor_id, seq);

CREATE FUNCTION identity_links_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'identity_links is append-only';
END $$;
CREATE TRIGGER identity_links_no_update BEFORE UPDATE ON identity_links
    FOR EACH ROW EXECUTE FUNCTION identity_links_append_only();

-- Every visitor id's first exposure to each experiment (from decision
-- records); a person's arm is the earliest among its cluster's visitor ids
-- (measurement/identity.Assign). conflict marks an exposure to another arm
-- than the person's: a device exposed before it was joined.
CREATE TABLE identity_exposures (
    visitor_id  text COLLATE "C" NOT NULL,
    experiment  text NOT NULL,
    arm         text NOT NULL,
    first_at    timestamptz NOT NULL,
    decision_id text NOT NULL,
    conflict    boolean NOT NULL DEFAULT false,
    PRIMARY KEY (visitor_id, experiment)
);
CREATE INDEX identity_exposures_experiment ON identity_exposures (experiment, arm);

-- Erasure by user id (deleteVisitorData) finds events and records that
-- name it without scanning every day.
CREATE INDEX measurement_events_user ON measurement_events (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX measurement_decisions_user ON measurement_decisions (user_id) WHERE user_id IS NOT NULL;

-- Decision records say which purposes the visitor granted (consent stays:
-- true when all were).
ALTER TABLE measurement_decisions ADD COLUMN purposes text[];
