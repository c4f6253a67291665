-- Content model, entries and their immutable published versions.

CREATE TABLE content_types (
    key         text PRIMARY KEY,
    name        text NOT NULL,
    description text NOT NULL DEFAULT '',
    kind        text NOT NULL CHECK (kind IN ('entry', 'block')),
    fields      jsonb NOT NULL,
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per document; its localized content lives in entry_drafts.
CREATE TABLE entries (
    id         uuid PRIMARY KEY,
    type_key   text NOT NULL REFERENCES content_types (key),
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text NOT NULL
);
CREATE INDEX entries_type_idx ON entries (type_key);

CREATE TABLE entry_drafts (
    entry_id   uuid NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    locale     text NOT NULL,
    type_key   text NOT NULL,
    slug       text NOT NULL,
    fields     jsonb NOT NULL,
    variants   jsonb NOT NULL DEFAULT '[]',
    version    integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text NOT NULL,
    PRIMARY KEY (entry_id, locale),
    CONSTRAINT entry_drafts_slug_key UNIQUE (type_key, locale, slug)
);

CREATE TABLE entry_versions (
    entry_id     uuid NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    locale       text NOT NULL,
    version      integer NOT NULL CHECK (version > 0),
    slug         text NOT NULL,
    fields       jsonb NOT NULL,
    variants     jsonb NOT NULL DEFAULT '[]',
    published_at timestamptz NOT NULL,
    published_by text NOT NULL,
    PRIMARY KEY (entry_id, locale, version)
);

-- Published versions are history: nobody edits them, not even by accident.
CREATE FUNCTION mosaic_forbid_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'rows of % are immutable', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER entry_versions_immutable BEFORE UPDATE ON entry_versions
    FOR EACH ROW EXECUTE FUNCTION mosaic_forbid_update();

-- The live publication of each (entry, locale): a denormalised copy of one
-- version row so delivery reads need no join.
CREATE TABLE published_entries (
    entry_id     uuid NOT NULL,
    locale       text NOT NULL,
    type_key     text NOT NULL,
    slug         text NOT NULL,
    version      integer NOT NULL,
    -- the draft version this publication was made from: a newer draft
    -- means unpublished changes
    draft_version integer NOT NULL,
    fields       jsonb NOT NULL,
    variants     jsonb NOT NULL DEFAULT '[]',
    published_at timestamptz NOT NULL,
    PRIMARY KEY (entry_id, locale),
    FOREIGN KEY (entry_id, locale, version) REFERENCES entry_versions ON DELETE CASCADE,
    CONSTRAINT published_entries_slug_key UNIQUE (type_key, locale, slug)
);
CREATE INDEX published_entries_list_idx ON published_entries (type_key, locale, published_at DESC, entry_id);

-- Which entries a draft or publication points at (references, global blocks):
-- stops deletes that would leave dangling links.
CREATE TABLE entry_links (
    source_id uuid NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    locale    text NOT NULL,
    target_id uuid NOT NULL,
    PRIMARY KEY (source_id, locale, target_id)
);
CREATE INDEX entry_links_target_idx ON entry_links (target_id);

-- The change feed: every publish/unpublish/delete bumps the content epoch.
CREATE TABLE content_changes (
    epoch     bigserial PRIMARY KEY,
    entry_id  uuid,
    locale    text,
    type_key  text,
    action    text NOT NULL,
    at        timestamptz NOT NULL DEFAULT now()
);
