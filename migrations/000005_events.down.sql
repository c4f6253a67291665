DROP TABLE IF EXISTS webhook_attempts;
DROP TABLE IF EXISTS webhook_deliveries;
DROP TABLE IF EXISTS webhook_dispatch;
DROP TABLE IF EXISTS webhook_endpoints;
DROP TRIGGER IF EXISTS content_changes_event ON content_changes;
DROP FUNCTION IF EXISTS mosaic_change_event();
DROP TABLE IF EXISTS scheduler_state;
DROP TABLE IF EXISTS events;
DROP TABLE IF EXISTS event_log_head;
