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
// preview (drafts), an editor's time travel (context.at) or simulated
// profile (context.profile), an anonymous
// visitor (no visitorId), or without a recorder. Without measurement
// consent the record names no visitor: its exposures count in aggregate
// only (measurement/consent). Entries a client asked for (Entry, List,
// EntriesByIDs) are recorded; a linked entry (Linked) only when its
// decision read caps or exposed an arm (linked.go), else it is part of
// its parent's delivery and has none.
func (q *Request) record(e *Entry) {
	if q.s.Decisions == nil || e.Visitor == nil || e.Preview {
		return
	}
	q.mu.Lock()
	simulated := q.simulated
	q.mu.Unlock()
	if simulated { // an editor's test of a simulated profile is no one's exposure
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
	q.s.noteCaps(e, d.VisitorID, d.ID, d.Time)
	q.s.Decisions.Record(d)
	q.mark(func() { q.recorded = append(q.recorded, e) })
}

// Recorded are the entries the answer wrote a decision record of, each
// with its DecisionID: a response cache keeps them (Entry.Keep) to write
// a fresh record for each visitor it serves the answer to (Rerecord).
func (q *Request) Recorded() []*Entry {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.recorded
}

// Kept is what a cache keeps of a recorded entry to write the records of
// its next deliveries (Service.Rerecord): the record as built for the
// entry, less its id, time, visitor and segments; the capped targets a
// delivery of it exposes; the suppressions it counts. Not the entry, its
// visitor or its content: a kept answer must not hold a request's objects
// (and a person's profile) alive, nor make the collector scan them.
type Kept struct {
	d          measurement.Decision
	ok         bool
	measured   bool // the record names the visitor (measurement consent)
	channel    string
	targets    []personalization.CapTarget
	suppressed []personalization.Suppression
}

// Blocks is how many block decisions k's records carry (a cache weighs
// what it keeps).
func (k *Kept) Blocks() int { return len(k.d.Blocks) }

// Keep is what a cache keeps of e to record its next deliveries.
func (e *Entry) Keep() *Kept {
	k := &Kept{}
	if e.Visitor == nil {
		return k
	}
	c := e.Visitor.Context()
	k.d, k.ok = newDecision(e, c, "", time.Time{})
	k.measured, k.channel = c.Purposes.Has(consent.Measurement), c.Channel
	k.targets = capTargets(e)
	for i := -1; i < len(e.Blocks); i++ {
		d := &e.Decision
		if i >= 0 {
			d = &e.Blocks[i].Decision
		}
		k.suppressed = append(k.suppressed, d.Suppressed...)
	}
	return k
}

// Rerecord writes a decision record of k — an answer decided for another
// visitor of the same class, now served from a cache — for the visitor
// visitorID at instant at, notes its capped exposures and counts its
// suppressions, and returns its id ("" when none is written: no recorder,
// no visitor id). Visitors of one class get the same decisions
// (experience.Visitor.ContextKey with the membership in the segments, the
// arms in the experiments and the states of the caps the answer names),
// so the record differs from a fresh computation's in its id, time and
// the visitor's segments: segments (the visitor's own; nil: those of the
// visitor k was decided for) may hold some no variant of the answer
// targets.
func (s *Service) Rerecord(k *Kept, visitorID string, segments []string, at time.Time) string {
	if s.Decisions == nil || !k.ok || visitorID == "" {
		return ""
	}
	id, err := uuid.NewV7()
	if err != nil {
		return ""
	}
	d := k.d // Blocks and the other slices shared: records are never modified
	d.ID, d.Time = id.String(), at
	if k.measured {
		d.VisitorID = visitorID
	}
	if segments != nil {
		d.Segments = segments
	}
	if s.Caps != nil {
		s.Caps.Note(d.VisitorID, d.ID, d.Time, k.channel, k.targets)
		if len(k.suppressed) > 0 {
			s.Caps.Suppressed(k.channel, k.suppressed)
		}
	}
	s.Decisions.Record(d)
	return d.ID
}

// NewDecision is the decision record of e, decided for its visitor at at,
// with a new UUIDv7 id (screen bundles make one per frame). ok is false
// when the system's randomness failed: no record then. Without measurement
// consent the record names no visitor (aggregate only) and carries the
// purposes granted, for screens as for delivery.
func NewDecision(e *Entry, at time.Time) (d measurement.Decision, ok bool) {
	c := e.Visitor.Context()
	return newDecision(e, c, c.VisitorID, at)
}

func newDecision(e *Entry, c personalization.Context, visitor string, at time.Time) (d measurement.Decision, ok bool) {
	id, err := uuid.NewV7()
	if err != nil {
		return d, false
	}
	r := e.Resolved
	if !c.Purposes.Has(consent.Measurement) { // counted in aggregate only
		visitor = ""
	}
	d = measurement.Decision{ID: id.String(), Time: at, VisitorID: visitor, Channel: c.Channel,
		Device: c.Device, Segments: e.Visitor.Segments(), Locale: c.Locale, Consent: c.Purposes.All(), Purposes: c.Purposes.List(), EntryID: r.ID, EntrySlug: r.Slug,
		EntryVersion: r.Version, Blocks: make([]measurement.BlockDecision, 0, len(e.Blocks)+1)}
	d.Blocks = append(d.Blocks, blockDecision(r.ID, "", e.Decision))
	for _, b := range e.Blocks {
		d.Blocks = append(d.Blocks, blockDecision(b.Stored.ID, b.Stored.GlobalID, b.Decision))
	}
	return d, true
}

func blockDecision(id, global string, d personalization.Decision) measurement.BlockDecision {
	b := measurement.BlockDecision{BlockID: id, GlobalID: global, Variant: d.Variant, Experiment: d.Experiment, Arm: d.Arm,
		Campaign: d.Campaign, Reason: measurement.ReasonClass(d.Variant, d.Reason, d.Campaign, d.Experiment)}
	switch {
	case d.HeldOut: // the control group: counted under the campaign, shown nothing of it
		b.Campaign, b.Arm, b.Cohort, b.Reason = d.HoldoutCampaign, personalization.HoldoutArm, measurement.CohortHoldout, measurement.ReasonHoldout
	case d.HoldoutCampaign != "":
		b.Cohort = measurement.CohortExposed
	}
	for _, s := range d.Suppressed {
		b.Suppressed = append(b.Suppressed, measurement.Suppressed{Variant: s.Variant, Campaign: s.Campaign,
			Experiment: s.Experiment, Scope: s.Scope.String(), Pending: s.Pending})
	}
	return b
}

// ShowDecision marks the answer as showing a decision id that is the
// visitor's alone (a screen bundle's frames): never shared by caches.
func (q *Request) ShowDecision() { q.mark(func() { q.shown = true }) }

// ShowEntryDecision marks the answer as showing an entry's decision id
// (Entry.decisionId). The id names the record written when the answer was
// decided, and the answer is shared like any other: a cached copy served
// to another visitor of the same class shows the same id, and the
// client's view naming it becomes that visitor's record
// (measurement/views.go), so a serve costs no record. With
// RecordEveryServe it is the visitor's alone instead (ShowDecision): a
// cache serving it writes a record per serve, its id spliced in.
func (q *Request) ShowEntryDecision() {
	if q.s.RecordEveryServe {
		q.ShowDecision()
	}
}

// ShowsDecision says whether the answer shows a decision id.
func (q *Request) ShowsDecision() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.shown
}
