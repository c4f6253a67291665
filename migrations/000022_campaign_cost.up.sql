-- Issue 18, item 4: what a campaign cost ({"amount", "currency"}; NULL:
-- not given), for the cost per acquisition of its report.
ALTER TABLE campaigns ADD COLUMN cost jsonb;
