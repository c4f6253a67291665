-- Issue 18, item 4: a campaign's holdout, the share (0 to 0.5) of the
-- people a campaign variant would win for who keep seeing the defaults
-- while it is live, so campaignReport can measure its lift against them.
-- The check repeats the service's rule so no writer can store another.
ALTER TABLE campaigns ADD COLUMN holdout double precision NOT NULL DEFAULT 0
	CONSTRAINT campaigns_holdout_share CHECK (holdout >= 0 AND holdout <= 0.5);
