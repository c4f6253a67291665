package delivery

import (
	"time"

	"github.com/google/uuid"

	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/consent"
	"github.com/mosaichq/mosaic/personalization"
)

// Recorder takes decision records (measurement.Recorder): it must never
// block, and may drop a record (it counts those).
type Recorder interface {
	Record(d measurement.Decision) bool
}

// record writes e's decision record and sets e.DecisionID when e was
// decided for an identified visitor at the request's instant: never for a
// preview (drafts), an editor's time travel (context.at), an anonymous
// visitor (no visitorId), or without a recorder. Without measurement
// consent the record names no visitor: its exposures count in aggregate
// only (measurement/consent). Only entries a client
// asked for (Entry, List, EntriesByIDs) are recorded; a linked entry
// (Request.Decide alone) is part of its parent's delivery and has none.
func (q *Request) record(e *Entry) {
	if q.s.Decisions == nil || e.Visitor == nil || e.Preview {
		return
	}
	c := e.Visitor.Context()
	if c.VisitorID == "" || !c.At.Equal(q.now) {
		return
	}
	d, ok := NewDecision(e, q.now)
	if !ok {
		return
	}
	e.DecisionID = d.ID
	q.s.Decisions.Record(d)
}

// NewDecision is the decision record of e, decided for its visitor at at,
// with a new UUIDv7 id (screen bundles make one per frame). ok is false
// when the system's randomness failed: no record then. Without measurement
// consent the record names no visitor (aggregate only) and carries the
// purposes granted, for screens as for delivery.
func NewDecision(e *Entry, at time.Time) (d measurement.Decision, ok bool) {
	id, err := uuid.NewV7()
	if err != nil {
		return d, false
	}
	c := e.Visitor.Context()
	r := e.Resolved
	visitor := c.VisitorID
	if !c.Purposes.Has(consent.Measurement) { // counted in aggregate only
		visitor = ""
	}
	d = measurement.Decision{ID: id.String(), Time: at, VisitorID: visitor, Channel: c.Channel,
		Device: c.Device, Locale: c.Locale, Consent: c.Purposes.All(), Purposes: c.Purposes.List(), EntryID: r.ID, EntrySlug: r.Slug,
		EntryVersion: r.Version, Blocks: make([]measurement.BlockDecision, 0, len(e.Blocks)+1)}
	d.Blocks = append(d.Blocks, blockDecision(r.ID, e.Decision))
	for _, b := range e.Blocks {
		d.Blocks = append(d.Blocks, blockDecision(b.Stored.ID, b.Decision))
	}
	return d, true
}

func blockDecision(id string, d personalization.Decision) measurement.BlockDecision {
	return measurement.BlockDecision{BlockID: id, Variant: d.Variant, Experiment: d.Experiment, Arm: d.Arm,
		Campaign: d.Campaign, Reason: measurement.ReasonClass(d.Variant, d.Reason, d.Campaign, d.Experiment)}
}

// ShowDecision marks the answer as showing a decision id: it is the
// visitor's alone, never shared by caches.
func (q *Request) ShowDecision() { q.mark(func() { q.shown = true }) }

// ShowsDecision says whether the answer shows a decision id.
func (q *Request) ShowsDecision() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.shown
}
