-- Personalization definitions: audience segments (CEL rules) and experiments.
-- Variants themselves live in content (blocks' and entries' "variants").

CREATE TABLE segments (
    key        text PRIMARY KEY,
    name       text NOT NULL,
    -- A CEL expression over context and traits; '' for an explicit-only
    -- segment (sent by clients or a CDP).
    rule       text NOT NULL DEFAULT '',
    version    integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text NOT NULL
);

CREATE TABLE experiments (
    key        text PRIMARY KEY,
    name       text NOT NULL,
    -- [{"key": "a", "weight": 1}, ...]: relative weights, in editor order.
    arms       jsonb NOT NULL,
    holdout    double precision NOT NULL DEFAULT 0 CHECK (holdout >= 0 AND holdout <= 1),
    version    integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text NOT NULL
);
