package campaign

import (
	"context"
	"time"

	"github.com/mosaichq/mosaic/content"
)

// Store is the persistence the service needs; storage/postgres implements
// it. Every write records a content change with action "campaign" and
// NOTIFYs the change feed in its own transaction, so the content epoch moves
// and every replica rebuilds its engine and drops its caches.
//
// Errors: a missing campaign is NOT_FOUND; a taken key, a stale
// ExpectedVersion or a release draft saved since it was validated is
// CONFLICT.
type Store interface {
	// List returns every campaign, archived ones included, by key.
	List(ctx context.Context) ([]Campaign, error)
	Get(ctx context.Context, id string) (Campaign, error)
	GetByKey(ctx context.Context, key string) (Campaign, error)
	Create(ctx context.Context, c Campaign) (Campaign, error)
	// Save applies w in one transaction (see Write).
	Save(ctx context.Context, w Write) (Campaign, error)
	// Release lists the campaign's release items, by entry and locale.
	Release(ctx context.Context, id string) ([]ReleaseItem, error)
	// VariantSources returns the content rows holding variants of campaign
	// key ("" = of any campaign): live publications, pending release
	// snapshots and, with drafts, drafts.
	VariantSources(ctx context.Context, key string, drafts bool) ([]VariantSource, error)
	// Materialize folds every scheduled publication visible at `at` into the
	// live publications (published_entries), recording a publish change for
	// each, and returns how many it folded. Delivery never depends on it; it
	// keeps editors' publication status and derived indexes (search) in step.
	Materialize(ctx context.Context, at time.Time) (int, error)
}

// Write is one atomic change to a campaign.
type Write struct {
	// Campaign is the new state; Campaign.ID names the row.
	Campaign        Campaign
	ExpectedVersion int
	Actor           string
	At              time.Time
	// AddItems and RemoveItems change the release; removing an item also
	// removes its pending snapshot.
	AddItems    []ReleaseItem
	RemoveItems []ReleaseItem
	// DropPending removes every scheduled publication of the campaign not
	// yet visible at At (rescheduling, stopping before the start).
	DropPending bool
	// Snapshot lists drafts, at the versions that were validated, to snapshot
	// as versions visible from Campaign.StartsAt, replacing the campaign's
	// pending snapshots of the same entries. A draft saved since is CONFLICT.
	Snapshot []content.DraftRef
}

// ReleaseItem is one entry (one locale) of a release.
type ReleaseItem struct {
	EntryID string
	Locale  string
	// Read-only: filled by Store.Release.
	Type    string
	Slug    string
	AddedAt time.Time
	AddedBy string
	// ScheduledVersion is the snapshot version that will be (or was)
	// published at the start; 0 while the campaign is a draft.
	ScheduledVersion int
}

// VariantSource is one stored row that holds campaign variants, for owned
// variants and conflicts.
type VariantSource struct {
	EntryID string
	Type    string
	Slug    string
	Locale  string
	// Source is "published", "release" (a pending snapshot) or "draft".
	Source   string
	Fields   map[string]any
	Variants []any
}
