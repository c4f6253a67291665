-- A campaign write's change row names the campaign, so that its "changed"
-- event (the live stream, webhooks) says which campaign was edited instead
-- of only "action": "campaign".
ALTER TABLE content_changes ADD COLUMN campaign_id text, ADD COLUMN campaign_key text;

CREATE OR REPLACE FUNCTION mosaic_change_event() RETURNS trigger LANGUAGE plpgsql AS $$
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
        'type', NEW.type_key, 'slug', entry_slug,
        'campaign', CASE WHEN NEW.campaign_id IS NOT NULL
            THEN jsonb_build_object('id', NEW.campaign_id, 'key', NEW.campaign_key) END)));
    PERFORM pg_notify('mosaic_events', next_id::text);
    RETURN NULL;
END;
$$;
