DROP TABLE IF EXISTS measurement_events;
DELETE FROM api_keys WHERE scope = 'events.write';
ALTER TABLE api_keys DROP CONSTRAINT api_keys_scope_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_scope_check CHECK (scope IN ('delivery', 'preview'));
