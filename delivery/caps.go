package delivery

import (
	"slices"
	"time"

	"github.com/mosaichq/mosaic/experience"
	"github.com/mosaichq/mosaic/measurement/consent"
	"github.com/mosaichq/mosaic/measurement/profile"
	"github.com/mosaichq/mosaic/personalization"
)

// CapSource counts people's exposures to capped targets from memory
// (measurement/capcount.Counter): never a database round trip.
type CapSource interface {
	// For is visitorID's counter for a request.
	For(visitorID string) personalization.CapCounter
	// Note adds the exposures of a decision record this replica wrote.
	Note(visitorID, id string, at time.Time, channel string, targets []personalization.CapTarget)
	// Suppressed counts the variants a decision skipped for caps.
	Suppressed(channel string, ss []personalization.Suppression)
	// Hold serializes deciding and noting for one visitor id on this
	// replica, so that two concurrent requests cannot both spend the
	// visitor's last exposure; release with the returned func.
	Hold(visitorID string) (release func())
}

func noRelease() {}

// holdCaps holds v's visitor for deciding and recording one entry, when
// v may be counted (caps).
func (s *Service) holdCaps(v *experience.Visitor) func() {
	if v == nil {
		return noRelease
	}
	c := v.Context()
	if c.Caps == nil || s.Caps == nil {
		return noRelease
	}
	if _, simulated := c.Caps.(personalization.SimulatedCaps); simulated {
		return noRelease
	}
	return s.Caps.Hold(c.VisitorID)
}

// caps is the counter for a visitor's context: only a visitor with an id
// and measurement consent is counted (its decision records name it);
// anyone else gets nil, and capped targets are not shown to them.
func (s *Service) caps(c personalization.Context) personalization.CapCounter {
	if s.Caps == nil || c.VisitorID == "" || !c.Purposes.Has(consent.Measurement) {
		return nil
	}
	return s.Caps.For(c.VisitorID)
}

// simulatedCaps counts a simulated person's made-up exposures (the
// preview): their whole history, none of it recorded or noted.
func simulatedCaps(s *profile.Simulation, at time.Time) (personalization.CapCounter, error) {
	times, err := s.ExposureTimes(at, "context.profile")
	if err != nil {
		return nil, err
	}
	out := make(personalization.SimulatedCaps, len(s.Exposures))
	for i, x := range s.Exposures {
		out[i] = personalization.SimulatedExposure{Time: times[i], Channel: x.Channel,
			Targets: personalization.Exposed(x.Block, x.Variant, x.Campaign, x.Experiment)}
	}
	return out, nil
}

// capsDecided notes what deciding e read of caps: the caps it checked
// and what each counter answered (CapChecks: a cache keys the answer on
// them), and its suppressions are counted.
func (q *Request) capsDecided(e *Entry) {
	q.s.countSuppressed(e)
	read := false
	for i := -1; i < len(e.Blocks); i++ {
		d := &e.Decision
		if i >= 0 {
			d = &e.Blocks[i].Decision
		}
		read = read || d.CapsRead
	}
	if !read {
		return
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.capsRead = true
	for i := -1; i < len(e.Blocks); i++ {
		d := &e.Decision
		if i >= 0 {
			d = &e.Blocks[i].Decision
		}
		for _, k := range d.CapChecks {
			q.addCapCheck(k)
		}
	}
}

// countSuppressed counts the variants e's decisions skipped for caps
// (the metric of reach lost to caps); a delivery served again from a
// cache counts its own (Rerecord).
func (s *Service) countSuppressed(e *Entry) {
	if s.Caps == nil || e.Visitor == nil {
		return
	}
	// A simulated person's suppressions are an editor's test: reach lost
	// to caps counts real people only.
	if _, simulated := e.Visitor.Context().Caps.(personalization.SimulatedCaps); simulated {
		return
	}
	channel := e.Visitor.Context().Channel
	if len(e.Decision.Suppressed) > 0 {
		s.Caps.Suppressed(channel, e.Decision.Suppressed)
	}
	for i := range e.Blocks {
		if ss := e.Blocks[i].Decision.Suppressed; len(ss) > 0 {
			s.Caps.Suppressed(channel, ss)
		}
	}
}

// addCapCheck adds a check to the answer's (q.mu held). One cap read
// twice with two states (an entry's exposure noted before another entry
// of the answer read it again) makes the answer no function of one state
// per cap: CapChecks says so.
func (q *Request) addCapCheck(k personalization.CapCheck) {
	for _, x := range q.capChecks {
		if x.Target == k.Target && x.Cap == k.Cap && x.CampaignStart.Equal(k.CampaignStart) {
			if x.State != k.State {
				q.capsMixed = true
			}
			return
		}
	}
	q.capChecks = append(q.capChecks, k)
}

// CapsRead says whether the answer read a person's frequency-cap counts
// (or found that the visitor cannot be counted): it is theirs, private —
// no shared cache may keep it, since the person's next answer may differ —
// and each delivery of it counts (decision records).
func (q *Request) CapsRead() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.capsRead
}

// CapChecks are the caps the answer read, each once with the state its
// counter answered; ok is false when one was read twice with different
// states (then no single state per cap reproduces the answer).
func (q *Request) CapChecks() (checks []personalization.CapCheck, ok bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return slices.Clone(q.capChecks), !q.capsMixed
}

// CapCounterOf is the counter visitorID is counted with when decided as
// a visitor of v's class (nil: not counted, every capped target capped).
func (s *Service) CapCounterOf(v *experience.Visitor, visitorID string) personalization.CapCounter {
	if v == nil {
		return nil
	}
	c := v.Context()
	c.VisitorID = visitorID
	return s.caps(c)
}

// HoldCapsOf holds visitorID, decided as a visitor of v's class, for
// reading its cap states and noting a delivery (a response cache serving
// a kept capped answer), as deciding and recording an entry does.
func (s *Service) HoldCapsOf(v *experience.Visitor, visitorID string) func() {
	if s.CapCounterOf(v, visitorID) == nil {
		return noRelease
	}
	return s.Caps.Hold(visitorID)
}

// noteCaps hands the exposures of record id, made from e, to the cap
// counter.
func (s *Service) noteCaps(e *Entry, visitorID, id string, at time.Time) {
	if s.Caps == nil || e.Visitor == nil {
		return
	}
	s.Caps.Note(visitorID, id, at, e.Visitor.Context().Channel, capTargets(e))
}

// capTargets are the targets e's delivery exposes that a cap may count:
// only blocks whose decision read caps can expose a capped target, so
// nothing else is kept in memory.
func capTargets(e *Entry) []personalization.CapTarget {
	var targets []personalization.CapTarget
	add := func(d *personalization.Decision) {
		if !d.CapsRead {
			return
		}
		for _, t := range d.Exposed() {
			if !containsTarget(targets, t) {
				targets = append(targets, t)
			}
		}
	}
	add(&e.Decision)
	for i := range e.Blocks {
		add(&e.Blocks[i].Decision)
	}
	return targets
}

func containsTarget(ts []personalization.CapTarget, t personalization.CapTarget) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}
