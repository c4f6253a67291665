package personalization

import "time"

// SimulatedExposure is one made-up past exposure of a person (an editor
// testing caps in the preview): when, on which channel, and what one
// block decision showed them (Exposed).
type SimulatedExposure struct {
	Time    time.Time
	Channel string
	Targets []CapTarget
}

// SimulatedCaps counts made-up exposures as measurement/capcount counts
// decision records: one per exposure of a target since the window's
// start, on channel when given. Nothing is pending or unloaded: the
// person's whole history is the simulation.
type SimulatedCaps []SimulatedExposure

// CapCount implements CapCounter.
func (s SimulatedCaps) CapCount(t CapTarget, since time.Time, channel string) CapCount {
	var out CapCount
	for _, e := range s {
		if e.Time.Before(since) || channel != "" && e.Channel != channel {
			continue
		}
		for _, et := range e.Targets {
			if et == t {
				out.Seen++
				break
			}
		}
	}
	return out
}
