// Package scheduler announces campaign transitions — campaign.started,
// campaign.ended, campaign.stopped — exactly once each, across any number
// of replicas and through crashes.
//
// Whether a campaign is live never depends on this package: reads decide
// that from the campaign's window and the clock. The scheduler only tells
// the world (the event log, hence /events and webhooks) that it happened.
//
// One replica leads at a time (an [Elector]: in production a PostgreSQL
// advisory lock held on a dedicated connection, released by the database
// the moment the leader's process dies). The leader sleeps until the next
// transition from its [Source], wakes when campaigns change, and records
// every transition that is due. Exactly-once does not rest on leadership:
// [Store.Announce] inserts the event under a unique (campaign, kind,
// instant) key in the transaction that publishes it, so a second leader
// (a split brain, or a restarted one re-reading the past) finds it done.
// After a crash or takeover the new leader resumes from the persisted
// watermark minus a slack, so transitions that fell due while nobody led
// are announced late rather than never, with their true instant.
package scheduler
