-- Campaigns: named windows [starts_at, ends_at) whose variants are live only
-- inside the window, and releases: drafts published together at starts_at.
-- Whether a campaign is live, and whether a release is visible, is a pure
-- function of these rows and the instant of the read: no job has to run.

CREATE TABLE campaigns (
    id          uuid PRIMARY KEY,
    key         text NOT NULL CONSTRAINT campaigns_key_key UNIQUE,
    name        text NOT NULL,
    description text NOT NULL DEFAULT '',
    -- IANA zone for display and for local-time input; instants are UTC.
    time_zone   text NOT NULL DEFAULT 'UTC',
    priority    integer NOT NULL DEFAULT 0,
    -- Empty means every channel.
    channels    text[] NOT NULL DEFAULT '{}',
    -- NULL window: a DRAFT.
    starts_at   timestamptz,
    ends_at     timestamptz,
    -- The kill switch: not live from this instant on.
    stopped_at  timestamptz,
    stopped_by  text,
    archived_at timestamptz,
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL,
    created_by  text NOT NULL,
    updated_at  timestamptz NOT NULL,
    updated_by  text NOT NULL,
    CONSTRAINT campaigns_window_check CHECK ((starts_at IS NULL) = (ends_at IS NULL)
        AND (ends_at IS NULL OR ends_at > starts_at))
);
CREATE INDEX campaigns_starts_at_idx ON campaigns (starts_at);
CREATE INDEX campaigns_ends_at_idx ON campaigns (ends_at);

-- The entries (one locale each) a campaign's release publishes at starts_at.
CREATE TABLE campaign_release_items (
    campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    entry_id    uuid NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    locale      text NOT NULL,
    added_at    timestamptz NOT NULL,
    added_by    text NOT NULL,
    PRIMARY KEY (campaign_id, entry_id, locale)
);
CREATE INDEX campaign_release_items_entry_idx ON campaign_release_items (entry_id, locale);

-- A scheduled publication: an immutable version (snapshotted from the draft
-- when the release was scheduled, and again on every edit of that draft
-- before the start) that delivery shows from visible_from on. A delivery read
-- at instant t takes, per (entry, locale), the newest of the live publication
-- (published_entries, newest by published_at) and the scheduled publications
-- with visible_from <= t. Like published_entries it is a denormalised copy of
-- its version row, so delivery needs no join. Folding a visible row into
-- published_entries ("materialising") may happen later; reads never depend
-- on it.
CREATE TABLE scheduled_publications (
    campaign_id   uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    entry_id      uuid NOT NULL,
    locale        text NOT NULL,
    version       integer NOT NULL,
    type_key      text NOT NULL,
    slug          text NOT NULL,
    draft_version integer NOT NULL,
    fields        jsonb NOT NULL,
    variants      jsonb NOT NULL DEFAULT '[]',
    visible_from  timestamptz NOT NULL,
    scheduled_by  text NOT NULL,
    PRIMARY KEY (campaign_id, entry_id, locale),
    FOREIGN KEY (entry_id, locale, version) REFERENCES entry_versions ON DELETE CASCADE
);
CREATE INDEX scheduled_publications_entry_idx ON scheduled_publications (entry_id, locale, visible_from);
CREATE INDEX scheduled_publications_slug_idx ON scheduled_publications (slug, locale);
CREATE INDEX scheduled_publications_type_idx ON scheduled_publications (type_key, locale);
CREATE INDEX scheduled_publications_visible_idx ON scheduled_publications (visible_from);
