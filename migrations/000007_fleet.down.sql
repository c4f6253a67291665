DROP TABLE IF EXISTS screen_heartbeats;
