-- Assets: files in blob storage (content addressed by SHA-256) and what
-- editors say about them. Several assets may share one blob.

CREATE TABLE assets (
    id           uuid PRIMARY KEY,
    sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    filename     text NOT NULL CHECK (filename <> ''),
    content_type text NOT NULL,
    size         bigint NOT NULL CHECK (size > 0),
    width        integer NOT NULL DEFAULT 0 CHECK (width >= 0),
    height       integer NOT NULL DEFAULT 0 CHECK (height >= 0),
    -- {"en": "A red scarf", "ro": "Un fular roșu"}
    alt          jsonb NOT NULL DEFAULT '{}',
    focal_x      double precision CHECK (focal_x BETWEEN 0 AND 1),
    focal_y      double precision CHECK (focal_y BETWEEN 0 AND 1),
    tags         text[] NOT NULL DEFAULT '{}',
    version      integer NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    created_by   text NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    updated_by   text NOT NULL,
    CHECK ((focal_x IS NULL) = (focal_y IS NULL))
);
-- The sweeper asks whether a blob is still used.
CREATE INDEX assets_sha256_idx ON assets (sha256);
CREATE INDEX assets_tags_idx ON assets USING gin (tags);
CREATE INDEX assets_created_idx ON assets (created_at DESC, id DESC);

-- Direct uploads between createUpload and finalizeUpload. The staged
-- object is uploads/<id> in blob storage.
CREATE TABLE asset_uploads (
    id           uuid PRIMARY KEY,
    filename     text NOT NULL,
    content_type text NOT NULL,
    size         bigint NOT NULL CHECK (size > 0),
    sha256       text NOT NULL DEFAULT '',
    created_by   text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);
CREATE INDEX asset_uploads_expires_idx ON asset_uploads (expires_at);
