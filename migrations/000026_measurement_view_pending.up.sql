-- Issue 17: views of cached copies. A view naming a decision whose record
-- another visitor's delivery wrote stands for a delivery of its own
-- (measurement/views.go); it waits here until the record is there, then
-- becomes a record of the viewer's (or is settled as own, repeat,
-- anonymous, or unmatched after the wait). One row per decision and
-- viewer: more views of the same copy are the same delivery.
CREATE TABLE measurement_view_pending (
    decision_id text COLLATE "C" NOT NULL,
    -- The day the decision's UUIDv7 names (NULL: not a UUIDv7, no
    -- record has it); its record is on that day or the one before.
    decision_day date,
    visitor_id  text NOT NULL,
    view_id     text NOT NULL,
    time        timestamptz NOT NULL,
    noted_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (decision_id, visitor_id)
);

-- The sweep takes the oldest first; withdrawal and erasure find a
-- visitor's.
CREATE INDEX measurement_view_pending_noted ON measurement_view_pending (noted_at);
CREATE INDEX measurement_view_pending_visitor ON measurement_view_pending (visitor_id);
