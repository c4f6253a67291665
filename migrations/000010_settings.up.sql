-- Facts about this installation that belong to no entity, one row each:
-- today only "demo_seeded" (when `mosaic dev` seeded the demo), so that the
-- demo is written once and the content model is the editors' from then on.
CREATE TABLE settings (
    key        text COLLATE "C" PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 100),
    value      jsonb NOT NULL DEFAULT '{}',
    updated_at timestamptz NOT NULL DEFAULT now()
);
