package content

import (
	"encoding/json"
	"regexp"
	"time"
)

// Status says where a locale of an entry stands in its publishing life.
type Status string

const (
	StatusDraft     Status = "DRAFT"     // never published, or unpublished
	StatusPublished Status = "PUBLISHED" // the draft is what is live
	StatusChanged   Status = "CHANGED"   // live, with unpublished draft edits
)

// Entry is one locale of a document as editors see it: the draft plus where
// its publication stands.
type Entry struct {
	ID       string
	Type     string
	Locale   string
	Slug     string
	Fields   map[string]any
	Variants []any
	// Version counts saves of the draft; writers send it back as
	// expectedVersion.
	Version int
	// PublishedVersion is the live published version, 0 when not live.
	PublishedVersion int
	// LastPublishedVersion is the newest version ever published (history).
	LastPublishedVersion int
	// PublishedDraftVersion is the draft version that PublishedVersion was
	// made from; a later draft version means unpublished changes.
	PublishedDraftVersion int
	CreatedAt             time.Time
	UpdatedAt             time.Time
	UpdatedBy             string
}

// Status derives the publishing status from the versions.
func (e Entry) Status() Status {
	switch {
	case e.PublishedVersion == 0:
		return StatusDraft
	case e.PublishedDraftVersion == e.Version:
		return StatusPublished
	default:
		return StatusChanged
	}
}

// Version is one immutable published version of an entry's locale.
type Version struct {
	EntryID     string
	Locale      string
	Version     int
	Slug        string
	Fields      map[string]any
	Variants    []any
	PublishedAt time.Time
	PublishedBy string
}

// Published is one published locale row as the delivery path reads it.
type Published struct {
	EntryID string
	Type    string
	Locale  string
	Slug    string
	Version int
	// Fields and Variants are as stored (JSON): delivery decodes what it
	// needs of them knowing the type (stored.go).
	Fields      json.RawMessage
	Variants    json.RawMessage
	PublishedAt time.Time
	// SortValue is the value a list was ordered by (ListPublished only),
	// kept so the page's cursor can point past this row.
	SortValue any
}

// NewEntry is what createEntry takes. ID set means "add this locale to an
// existing document".
type NewEntry struct {
	ID     string
	Type   string
	Locale string
	Slug   string
	Fields map[string]any
	// Variants are the entry's own variants (a global block's live here),
	// in the form package experience documents.
	Variants []any
}

// EntryPatch is what updateEntry takes; nil members stay as they are.
// Fields replaces the whole fields object: partial merges of nested blocks
// would be ambiguous.
type EntryPatch struct {
	Slug   *string
	Fields map[string]any
	// Variants, when non-nil, replaces the entry's own variants (empty
	// clears them).
	Variants []any
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(?:[-/][a-z0-9]+)*$`)
