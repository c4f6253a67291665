package model

import (
	"time"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/delivery"
	"github.com/mosaichq/mosaic/personalization"
)

// Entry is a delivered entry: delivery decided it, this maps it. Blocks
// and linked entries are resolved from Delivered.
type Entry struct {
	ID          string
	Type        string
	Slug        string
	Locale      string
	Version     int
	PublishedAt time.Time
	Fields      any

	// Decision is the entry-level decision (nil when not personalized);
	// Fields already carry its overrides.
	Decision *Decision

	Delivered *delivery.Entry
}

// NewEntry maps a delivered entry.
func NewEntry(e *delivery.Entry) *Entry {
	r := e.Resolved
	out := &Entry{ID: r.ID, Type: r.Type, Slug: r.Slug, Locale: r.Locale, Version: r.Version,
		PublishedAt: r.PublishedAt, Fields: e.Fields, Delivered: e}
	if e.Personalized() {
		out.Decision = NewDecisionAt(e.Decision, e.At)
		out.Decision.Recs = recommendations(e.Recommendations)
	}
	return out
}

// NewDecision maps an engine decision to GraphQL.
func NewDecision(d personalization.Decision) *Decision {
	out := &Decision{Variant: d.Variant, Reason: d.Reason, CampaignKey: d.Campaign}
	if d.Experiment != "" {
		out.Experiment, out.Arm = &d.Experiment, &d.Arm
	}
	return out
}

// NewDecisionAt is NewDecision for a decision made at instant at: its
// campaign's status is shown as of then.
func NewDecisionAt(d personalization.Decision, at time.Time) *Decision {
	out := NewDecision(d)
	out.At = at
	return out
}

// Decision is which variant was chosen and why. Hand-written (not
// generated) so that its campaign is resolved from CampaignKey.
type Decision struct {
	// "default" or the chosen variant's key.
	Variant string
	// Why, in words.
	Reason string
	// The experiment the visitor was exposed to in this block, and the arm.
	Experiment *string
	Arm        *string
	// CampaignKey is the chosen variant's campaign, "" for none; At is the
	// instant the decision was made at (zero: now).
	CampaignKey string
	At          time.Time
	// Recs explain a block's recommended fields (Recommendations).
	Recs []*Recommendation
}

// Recommendations are Recs, never null.
func (d *Decision) Recommendations() []*Recommendation {
	if d.Recs == nil {
		return []*Recommendation{}
	}
	return d.Recs
}

// Block is a delivered block.
type Block struct {
	ID       string
	Type     string
	Fields   any
	GlobalID *string
	Decision *Decision

	Stored *content.Block
	// Parent is the entry the block was delivered in: its batch already
	// holds what the block references.
	Parent *Entry
}

// NewBlock maps block i of a delivered entry.
func NewBlock(i int, parent *Entry) *Block {
	d := &parent.Delivered.Blocks[i]
	out := &Block{ID: d.Stored.ID, Type: d.Stored.Type, Fields: d.Fields, Stored: d.Stored, Parent: parent,
		Decision: NewDecisionAt(d.Decision, parent.Delivered.At)}
	out.Decision.Recs = recommendations(d.Recommendations)
	if !parent.Delivered.Personalized() {
		out.Decision.At = time.Time{}
	}
	if g := d.Stored.GlobalID; g != "" {
		out.GlobalID = &g
	}
	return out
}

// EntryDraft is one locale of an entry as editors see it.
type EntryDraft struct {
	ID               string
	Type             string
	Locale           string
	Slug             string
	Fields           any
	Version          int
	PublishedVersion *int
	Status           EntryStatus
	CreatedAt        time.Time
	UpdatedAt        time.Time
	UpdatedBy        string
	Variants         any
}

// NewEntryDraft wraps a domain entry.
func NewEntryDraft(e content.Entry) *EntryDraft {
	variants := e.Variants
	if variants == nil {
		variants = []any{}
	}
	d := &EntryDraft{ID: e.ID, Type: e.Type, Locale: e.Locale, Slug: e.Slug, Fields: e.Fields, Version: e.Version, Variants: variants,
		Status: EntryStatus(e.Status()), CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt, UpdatedBy: e.UpdatedBy}
	if e.PublishedVersion > 0 {
		v := e.PublishedVersion
		d.PublishedVersion = &v
	}
	return d
}

// EntryVersion is one published version.
type EntryVersion struct {
	Version     int
	Slug        string
	Fields      any
	PublishedAt time.Time
	PublishedBy string
}

// ContentType wraps a domain content type; jsonSchema is resolved.
type ContentType struct {
	Key         string
	Name        string
	Description string
	Kind        TypeKind
	Fields      []*FieldDef
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time

	CT content.ContentType
}

func recommendations(rs []delivery.Recommendation) []*Recommendation {
	var out []*Recommendation
	for _, r := range rs {
		out = append(out, &Recommendation{Field: r.Field, Source: r.Source, Entries: r.Entries, Fallback: r.Fallback, Reason: r.Reason})
	}
	return out
}
