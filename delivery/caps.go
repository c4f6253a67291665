package delivery

import (
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

// capsDecided notes what deciding e read of caps: an answer that read a
// person's counts is that person's (never shared by caches), and its
// suppressions are counted.
func (q *Request) capsDecided(e *Entry) {
	personal := e.Decision.CapsRead
	var channel string
	counted := q.s.Caps != nil
	if e.Visitor != nil {
		channel = e.Visitor.Context().Channel
		// A simulated person's suppressions are an editor's test: reach
		// lost to caps counts real people only.
		_, simulated := e.Visitor.Context().Caps.(personalization.SimulatedCaps)
		counted = counted && !simulated
	}
	if counted && len(e.Decision.Suppressed) > 0 {
		q.s.Caps.Suppressed(channel, e.Decision.Suppressed)
	}
	for i := range e.Blocks {
		d := &e.Blocks[i].Decision
		personal = personal || d.CapsRead
		if counted && len(d.Suppressed) > 0 {
			q.s.Caps.Suppressed(channel, d.Suppressed)
		}
	}
	if personal {
		q.mark(func() { q.personal = true })
	}
}

// noteCaps hands the exposures of record id, made from e, to the cap
// counter: only blocks whose decision read caps can expose a capped
// target, so nothing else is kept in memory.
func (s *Service) noteCaps(e *Entry, visitorID, id string, at time.Time) {
	if s.Caps == nil || e.Visitor == nil {
		return
	}
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
	s.Caps.Note(visitorID, id, at, e.Visitor.Context().Channel, targets)
}

func containsTarget(ts []personalization.CapTarget, t personalization.CapTarget) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}
