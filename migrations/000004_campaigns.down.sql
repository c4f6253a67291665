DROP TABLE IF EXISTS scheduled_publications;
DROP TABLE IF EXISTS campaign_release_items;
DROP TABLE IF EXISTS campaigns;
