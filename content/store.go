package content

import (
	"context"
	"time"
)

// Store is the persistence the content domain needs. storage/postgres
// implements it; its conformance is tested against a real PostgreSQL.
//
// Errors: a missing row is an *errs.Error with code NOT_FOUND, a lost race
// (stale expectedVersion, duplicate slug or unique value) is CONFLICT.
type Store interface {
	ContentTypes(ctx context.Context) ([]ContentType, error)
	CreateContentType(ctx context.Context, ct ContentType) (ContentType, error)
	// UpdateContentType replaces ct's definition if its stored version is
	// still expectedVersion.
	UpdateContentType(ctx context.Context, ct ContentType, expectedVersion int) (ContentType, error)
	// DeleteContentType removes the type key at expectedVersion, refusing
	// with CONFLICT while entries of it exist or blocks of it are held in
	// any entry's draft or published versions (checked in the deleting
	// transaction, the type row locked).
	DeleteContentType(ctx context.Context, key string, expectedVersion int) error
	CountEntries(ctx context.Context, typeKey string) (int, error)
	// FieldValueCounts counts, for each of keys, the entries holding a
	// non-null value for that field of type typeKey in their draft or in
	// any published version — own fields and variant overrides, and for a
	// block type also inside blocks of that type anywhere — and the
	// distinct entries over all keys.
	FieldValueCounts(ctx context.Context, typeKey string, block bool, keys []string) (map[string]int, int, error)

	// CreateEntry inserts a locale row; when newDocument it first creates
	// the document e.ID. links are the entries the row points at.
	CreateEntry(ctx context.Context, e Entry, newDocument bool, links []string, uniques []UniqueValue) (Entry, error)
	// UpdateDraft saves e as the next draft version. e.UpdatedAt is the save
	// instant: scheduled publications of (e.ID, e.Locale) not yet visible
	// then (releases of campaigns that have not started) are replaced, in the
	// same transaction, by a snapshot of the new draft — so a release always
	// publishes the draft as last saved, validated on save.
	UpdateDraft(ctx context.Context, e Entry, expectedVersion int, links []string, uniques []UniqueValue) (Entry, error)
	Draft(ctx context.Context, id, locale string) (Entry, error)
	// Drafts returns every locale row of one document.
	Drafts(ctx context.Context, id string) ([]Entry, error)
	ListDrafts(ctx context.Context, q DraftQuery) ([]Entry, error)
	// Publish makes draft version draftVersion of (id, locale) a new
	// immutable published version and records the change — unless the
	// live publication already shows that draft's content, when it makes
	// no version and changes nothing delivered (publishing is idempotent).
	Publish(ctx context.Context, id, locale string, draftVersion int, actor string, at time.Time) (Entry, error)
	Unpublish(ctx context.Context, id, locale, actor string, at time.Time) (Entry, error)
	// Rollback copies published version `version` into the draft and
	// publishes it as a new version, atomically; links and uniques are
	// those of that version, enforced as UpdateDraft enforces a draft's.
	Rollback(ctx context.Context, id, locale string, version, expectedDraftVersion int, links []string, uniques []UniqueValue, actor string, at time.Time) (Entry, error)
	// DeleteEntry removes a document with all its locales and history,
	// refusing (CONFLICT) while other entries link to it.
	DeleteEntry(ctx context.Context, id, actor string, at time.Time) error
	Versions(ctx context.Context, id, locale string) ([]Version, error)
	Version(ctx context.Context, id, locale string, version int) (Version, error)
	// EntryTypes maps each existing id among ids to its content type.
	EntryTypes(ctx context.Context, ids []string) (map[string]string, error)

	// Delivery reads are made at an instant `at`: the published row of an
	// (entry, locale) is the newest — by publication instant, then version —
	// of its live publication and its scheduled publications (campaign
	// releases) visible at `at` (visible from at or before it). A release
	// thus appears at exactly its start, with no job having to run.

	// PublishedBySlug returns the published rows at `at`, in any of locales,
	// of every document of typeKey ("" = any type) whose slug in one of
	// locales is slug, and of those documents' other locales in locales.
	PublishedBySlug(ctx context.Context, typeKey, slug string, locales []string, at time.Time) ([]Published, error)
	PublishedByIDs(ctx context.Context, ids []string, locales []string, at time.Time) ([]Published, error)
	// ListPublished returns one row per document (the first of q.Locales it
	// is published in at q.At), filtered, sorted and paged as q says; with
	// q.Drafts, over the latest drafts instead.
	ListPublished(ctx context.Context, q ListQuery) ([]Published, error)
	// DraftsBySlug and DraftsByIDs are PublishedBySlug and PublishedByIDs
	// over the latest drafts (preview): Version is the draft version and
	// PublishedAt the draft's last save.
	DraftsBySlug(ctx context.Context, typeKey, slug string, locales []string) ([]Published, error)
	DraftsByIDs(ctx context.Context, ids []string, locales []string) ([]Published, error)
	// NextPublication returns the first instant strictly after `after` at
	// which a scheduled publication becomes visible.
	NextPublication(ctx context.Context, after time.Time) (time.Time, bool, error)
	// Epoch is the content epoch: it grows with every published change.
	Epoch(ctx context.Context) (int64, error)
	// ChangeLog feeds derived indexes (search).
	ChangeLog
}

// DraftQuery pages through drafts for editors.
type DraftQuery struct {
	Type   string
	Locale string
	Limit  int
	// After is the id of the last entry of the previous page: the cursor
	// holds no sort key, the store reads it from that entry, so one cursor
	// shape serves every order.
	After string
	// Search matches slug or title, case-insensitively, as a substring.
	Search string
	// Status keeps drafts in this publishing status; "" keeps all.
	Status Status
	// Sort orders the page; the zero value orders by entry id.
	Sort DraftSort
}

// DraftSortField is what the editors' draft list is ordered by.
type DraftSortField string

const (
	DraftByID        DraftSortField = ""
	DraftByUpdatedAt DraftSortField = "UPDATED_AT"
	DraftBySlug      DraftSortField = "SLUG"
	DraftByTitle     DraftSortField = "TITLE"
)

// DraftSort is a draft list's order; ties are broken by entry id.
type DraftSort struct {
	Field DraftSortField
	Desc  bool
}

// MaxDraftSearch bounds a draft search's length: it is a substring match,
// not a query language.
const MaxDraftSearch = 200

// FilterOp is a comparison in a delivery list filter.
type FilterOp string

const (
	OpEq     FilterOp = "EQ"
	OpNe     FilterOp = "NE"
	OpGt     FilterOp = "GT"
	OpGte    FilterOp = "GTE"
	OpLt     FilterOp = "LT"
	OpLte    FilterOp = "LTE"
	OpIn     FilterOp = "IN"
	OpExists FilterOp = "EXISTS"
)

// Filter compares a field's value (the entry's locale, else the default
// locale) with Value.
type Filter struct {
	Field string
	Op    FilterOp
	Value any
}

// SortKey names what a list is ordered by: a field key or one of the system
// keys "publishedAt" and "slug".
type SortKey struct {
	Field      string
	Descending bool
}

// ListQuery is a validated delivery list request as the store runs it.
type ListQuery struct {
	Type          string
	Locales       []string // fallback chain, most specific first
	DefaultLocale string
	Filters       []Filter
	Sort          SortKey
	Limit         int
	After         *Cursor
	// At is the instant the list is read at (see PublishedBySlug).
	At time.Time
	// Drafts lists the latest drafts instead of published rows (preview).
	Drafts bool
}

// Cursor is a keyset position: the sort value and entry id of the last row.
type Cursor struct {
	SortValue any    `json:"v"`
	EntryID   string `json:"id"`
	Sort      string `json:"s"`
}
