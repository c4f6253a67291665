package model

import (
	"time"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/experience"
	"github.com/mosaichq/mosaic/personalization"
)

// Entry is a delivered entry. Blocks and linked entries are resolved from R.
type Entry struct {
	ID          string
	Type        string
	Slug        string
	Locale      string
	Version     int
	PublishedAt time.Time
	Fields      any

	// Decision is the entry-level decision; Fields already carry its
	// overrides.
	Decision *Decision

	R *content.Resolved
	// ReqLocale is the locale the client asked for: linked entries are read
	// in it too.
	ReqLocale string
	// V is the request's visitor: linked entries are decided for it too.
	V *experience.Visitor
	// At is the instant the entry was read and decided at (V's); linked
	// entries are read at it too. Zero: now.
	At time.Time
	// Preview says the entry was read from the latest drafts
	// (context.preview); linked entries are read from drafts too.
	Preview bool
	// D is this entry decided for V, computed once when the entry is
	// wrapped, so concurrently resolved fields never decide twice.
	D *experience.EntryDecision
}

// NewEntry wraps a resolved entry, decided for v (nil: not personalized,
// every block shows its default).
func NewEntry(r *content.Resolved, reqLocale string, v *experience.Visitor) *Entry {
	e := &Entry{ID: r.ID, Type: r.Type, Slug: r.Slug, Locale: r.Locale, Version: r.Version,
		PublishedAt: r.PublishedAt, Fields: r.Fields, R: r, ReqLocale: reqLocale, V: v}
	if v != nil {
		e.At = v.Context().At
		d := v.DecideEntry(r)
		e.D = &d
		e.Fields = d.Fields
		e.Decision = NewDecisionAt(d.Decision, v.Context().At)
	}
	return e
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
}

// Block is a delivered block.
type Block struct {
	ID       string
	Type     string
	Fields   any
	GlobalID *string
	Decision *Decision

	B *content.Block
	// Parent is the entry the block was delivered in: its batch already
	// holds what the block references.
	Parent *Entry
}

// NewBlock wraps resolved block i of parent, with parent's decision for it.
func NewBlock(i int, parent *Entry) *Block {
	b := &parent.R.Blocks[i]
	out := &Block{ID: b.ID, Type: b.Type, Fields: b.Fields, B: b, Parent: parent,
		Decision: &Decision{Variant: personalization.DefaultVariant, Reason: "not personalized"}}
	if parent.D != nil {
		d := parent.D.Blocks[i]
		out.Fields, out.Decision = d.Fields, NewDecisionAt(d.Decision, parent.V.Context().At)
	}
	if b.GlobalID != "" {
		g := b.GlobalID
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
