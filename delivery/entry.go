package delivery

import (
	"time"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/experience"
	"github.com/mosaichq/mosaic/personalization"
)

// NotPersonalized is the reason of a decision made for no visitor: every
// block shows its default.
const NotPersonalized = "not personalized"

// Entry is a published (or, for a preview, draft) entry as one visitor
// sees it at one instant: each block decided, the chosen variants'
// fields merged in. It is what every surface delivers — a GraphQL entry,
// a frame of a screen bundle — so that none of them decides on its own.
type Entry struct {
	// Resolved is the entry as read, before deciding. Shared with the
	// content cache: read only.
	Resolved *content.Resolved
	// Locale is the locale the client asked for: linked entries are read
	// in it too ("" for the default).
	Locale string
	// Visitor is the request's visitor the entry was decided for; nil when
	// delivery is not personalized (every block shows its default).
	Visitor *experience.Visitor
	// At is the instant the entry was read and decided at; linked entries
	// are read at it too.
	At time.Time
	// Preview says the entry was read from the latest drafts; linked
	// entries are read from drafts too.
	Preview bool
	// Decision is the entry's own (a global block's variants live there);
	// Fields already carry its overrides and the blocks' chosen fields.
	Decision personalization.Decision
	Fields   map[string]any
	// Blocks has one decided block per Resolved.Blocks, in order.
	Blocks []Block
	// Recommendations explain the entry's own recommended fields
	// (recommend.go; its blocks' are on each Block).
	Recommendations []Recommendation
	// DecisionID names the entry's decision record ("" when none was
	// written: no visitor id, a preview, time travel): clients send it
	// back with their view events.
	DecisionID string
}

// Block is one block of a delivered entry.
type Block struct {
	// Stored is the block as read (type, id, global block id, the default
	// fields): read only.
	Stored   *content.Block
	Fields   map[string]any
	Decision personalization.Decision
	// Recommendations explain the block's recommended fields (one per
	// field with a recommendation source; recommend.go).
	Recommendations []Recommendation
}

// Decide decides r for visitor v (nil: not personalized) at instant at.
// The decision is made once, here, so that concurrently resolved fields
// of one answer never decide twice.
func Decide(r *content.Resolved, locale string, v *experience.Visitor, at time.Time, preview bool) *Entry {
	e := &Entry{Resolved: r, Locale: locale, Visitor: v, At: at, Preview: preview, Fields: r.Fields,
		Decision: personalization.Decision{BlockID: r.ID, Variant: personalization.DefaultVariant, Reason: NotPersonalized},
		Blocks:   make([]Block, len(r.Blocks))}
	if v == nil {
		for i := range r.Blocks {
			b := &r.Blocks[i]
			e.Blocks[i] = Block{Stored: b, Fields: b.Fields,
				Decision: personalization.Decision{BlockID: b.ID, Variant: personalization.DefaultVariant, Reason: NotPersonalized}}
		}
		return e
	}
	d := v.DecideEntry(r)
	e.At, e.Fields, e.Decision = v.Context().At, d.Fields, d.Decision
	for i := range r.Blocks {
		e.Blocks[i] = Block{Stored: &r.Blocks[i], Fields: d.Blocks[i].Fields, Decision: d.Blocks[i].Decision}
	}
	return e
}

// Personalized says whether the entry was decided for a visitor.
func (e *Entry) Personalized() bool { return e.Visitor != nil }

// Device is the device the entry was decided for ("" for none): asset
// fields are delivered as that device should fetch them.
func (e *Entry) Device() string {
	if e == nil || e.Visitor == nil {
		return ""
	}
	return e.Visitor.Context().Device
}
