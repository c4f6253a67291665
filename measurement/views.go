package measurement

import (
	"context"
	"log/slog"
	"time"

	"github.com/google/uuid"
)

// Copies of an answer: a decision record is written when delivery decides
// an answer (a computation), and the answer's bytes — its decisionId with
// them — may then be served again from a cache (the response cache, a
// CDN) to other visitors of the same class, who get the same decisions.
// Those serves write no record: they are counted when the client shows
// the answer and says so, with a view naming the decisionId it rendered.
// A view by a visitor other than the one the record names stands for a
// delivery of its own, and becomes a record of its own (derived): the
// record's decisions, the viewer's visitor id, the view's time. One per
// viewer and decision, whatever the number of views, as one serve is one
// record. A view arriving before its record (two consumers, two replicas)
// waits (PendingView) and is settled when the record lands, or after
// ViewWait as unmatched.

// PendingView is a view event naming a decision, waiting for its record.
type PendingView struct {
	DecisionID string
	VisitorID  string
	ViewID     string
	Time       time.Time
	// Expired: it has waited its time (ViewWait from when the store took
	// it, in the store's clock) for its record.
	Expired bool
}

// ViewWait is how long a view waits for the record it names: records and
// events travel one log and land within seconds, or together when the
// database returns after an outage (both wait in the log meanwhile).
const ViewWait = 15 * time.Minute

// ViewOutcome is what a pending view came to.
type ViewOutcome string

const (
	// ViewDerived: a viewer other than the record's; a record of its own
	// was written.
	ViewDerived ViewOutcome = "derived"
	// ViewOwn: the record's own visitor viewed it: already counted.
	ViewOwn ViewOutcome = "own"
	// ViewRepeat: the viewer's record of this decision already exists (an
	// earlier view): one record per viewer and decision.
	ViewRepeat ViewOutcome = "repeat"
	// ViewAnonymous: the record names no visitor (decided without
	// measurement consent, counted in aggregate): whether the viewer is
	// the one it was decided for cannot be known, so nothing is derived.
	ViewAnonymous ViewOutcome = "anonymous"
	// ViewUnmatched: no record landed within ViewWait (an id no delivery
	// wrote, or a record dropped by a full buffer).
	ViewUnmatched ViewOutcome = "unmatched"
	// ViewWithdrawn: derived, but the viewer had withdrawn measurement
	// consent by the view's time: not written.
	ViewWithdrawn ViewOutcome = "withdrawn"
	// ViewWaiting: the record has not landed yet; the view stays pending.
	ViewWaiting ViewOutcome = "waiting"
)

// ViewOutcomes are the outcomes a settled view may have (metrics' labels).
func ViewOutcomes() []ViewOutcome {
	return []ViewOutcome{ViewDerived, ViewOwn, ViewRepeat, ViewAnonymous, ViewUnmatched, ViewWithdrawn}
}

// derivedNamespace scopes derived record ids (UUIDv5 of the decision and
// viewer), so the same view always derives the same id: a redelivered or
// repeated view finds its record there.
var derivedNamespace = uuid.MustParse("6f1d8c52-3a7e-5b0e-9d41-2c8f0e6a7b13")

// DerivedID is the id of the record viewer's view of decision derives.
func DerivedID(decision, viewer string) string {
	return uuid.NewSHA1(derivedNamespace, []byte(decision+"\x00"+viewer)).String()
}

// DecisionDays are the partition days a decision id's record may be in:
// a UUIDv7 names the instant it was made, a moment after the record's time
// (the request's instant), so the day it names or the one before. ok is
// false for an id that is not a UUIDv7 (no record has it).
func DecisionDays(id string) (days [2]time.Time, ok bool) {
	u, err := uuid.Parse(id)
	if err != nil || u.Version() != 7 {
		return days, false
	}
	d := Event{Time: madeAt(u)}.Day()
	return [2]time.Time{d, d.AddDate(0, 0, -1)}, true
}

// SettleView says what v comes to given rec, the record it names (nil: not
// landed); for ViewDerived, the record to write (whether the viewer
// already has it is the store's to check: ViewRepeat).
func SettleView(v PendingView, rec *Decision) (Decision, ViewOutcome) {
	switch {
	case rec == nil && v.Expired:
		return Decision{}, ViewUnmatched
	case rec == nil:
		return Decision{}, ViewWaiting
	case rec.VisitorID == "":
		return Decision{}, ViewAnonymous
	case rec.VisitorID == v.VisitorID:
		return Decision{}, ViewOwn
	}
	d := *rec // Blocks and Purposes shared: records are never modified
	d.ID, d.Time, d.VisitorID, d.UserID = DerivedID(rec.ID, v.VisitorID), v.Time, v.VisitorID, ""
	// The record's segments were its own visitor's (and the store keeps
	// none); the viewer's are not known here.
	d.Segments = nil
	return d, ViewDerived
}

// ViewStore settles pending views (storage/postgres).
type ViewStore interface {
	// SweepViews settles up to limit pending views, those whose record
	// did not land within wait as unmatched, and counts their outcomes
	// (views still waiting are not counted).
	SweepViews(ctx context.Context, limit int, wait time.Duration) (map[ViewOutcome]int, error)
}

// ViewSweepInterval is how often each replica sweeps: a view's record is
// written within about this much after both are in PostgreSQL. An empty
// sweep is one indexed read of an empty table.
const ViewSweepInterval = 250 * time.Millisecond

// viewSweepBatch is how many views one sweep transaction settles.
const viewSweepBatch = 1000

// ViewSweeper settles pending views, on every replica (the store's claims
// keep replicas off each other's rows).
type ViewSweeper struct {
	Store   ViewStore
	Metrics *Metrics
	Logger  *slog.Logger
	// Wait is how long a view waits for its record (zero: ViewWait).
	Wait time.Duration
}

// Run settles what is pending now: batch after batch while they come back
// full (a backlog after an outage), then returns.
func (s *ViewSweeper) Run(ctx context.Context) {
	wait := s.Wait
	if wait == 0 {
		wait = ViewWait
	}
	for ctx.Err() == nil {
		out, err := s.Store.SweepViews(ctx, viewSweepBatch, wait)
		if err != nil {
			if ctx.Err() == nil && s.Logger != nil {
				s.Logger.Warn("views of cached copies wait: the sweep failed", "err", err)
			}
			return
		}
		n := 0
		for o, k := range out {
			n += k
			if s.Metrics != nil {
				s.Metrics.Views.WithLabelValues(string(o)).Add(float64(k))
			}
		}
		if n < viewSweepBatch {
			return
		}
	}
}
