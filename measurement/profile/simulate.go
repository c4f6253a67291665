package profile

import (
	"fmt"
	"strings"
	"time"

	"github.com/mosaichq/mosaic/errs"
)

// Simulation is a made-up history an editor tests behavioural segments
// with (explainDecision, the studio preview): segment rules read it
// instead of the visitor's profile.
type Simulation struct {
	Events []SimulatedEvent
	// Devices and Channels the person was seen on (the request's own are
	// added as for a real profile).
	Devices  []string
	Channels []string
	// Visitors is how many visitor ids the person has (default 1).
	Visitors int
	// FirstSeen, when set, is earlier than every event.
	FirstSeen *time.Time
	Traits    map[string]any
	// Exposures are what the person was shown before, for frequency
	// caps (delivery turns them into personalization.SimulatedCaps).
	Exposures []SimulatedExposure
}

// SimulatedExposure is one made-up past exposure: a block decision that
// showed Variant of Block (or the campaign or experiment alone), on
// Channel, At or Ago before the decision's instant.
type SimulatedExposure struct {
	Block, Variant, Campaign, Experiment, Channel string
	At                                            *time.Time
	Ago                                           string
}

// ExposureTimes resolves each exposure's instant seen from at, in order.
// Mistakes are BAD_USER_INPUT under path (e.g.
// "context.profile.exposures.0.ago").
func (s Simulation) ExposureTimes(at time.Time, path string) ([]time.Time, error) {
	var fields []errs.FieldError
	out := make([]time.Time, len(s.Exposures))
	for i, x := range s.Exposures {
		p := fmt.Sprintf("%s.exposures.%d", path, i)
		if x.Variant == "" && x.Campaign == "" && x.Experiment == "" {
			fields = append(fields, errs.FieldError{Path: p, Message: "name a variant (with its block), a campaign or an experiment"})
		}
		if x.Variant != "" && x.Block == "" {
			fields = append(fields, errs.FieldError{Path: p + ".block", Message: "a variant is capped per block: name the block"})
		}
		switch {
		case (x.At == nil) == (x.Ago == ""):
			fields = append(fields, errs.FieldError{Path: p, Message: "give exactly one of at and ago"})
		case x.At != nil:
			out[i] = x.At.UTC()
		default:
			d, err := time.ParseDuration(x.Ago)
			if err != nil || d < 0 {
				fields = append(fields, errs.FieldError{Path: p + ".ago", Message: fmt.Sprintf("ago is a non-negative duration such as \"90m\" or \"48h\", not %q", x.Ago)})
			}
			out[i] = at.Add(-d)
		}
	}
	if len(s.Exposures) > MaxEvents {
		fields = append(fields, errs.FieldError{Path: path + ".exposures", Message: fmt.Sprintf("at most %d exposures, not %d", MaxEvents, len(s.Exposures))})
	}
	if len(fields) > 0 {
		return nil, errs.Invalid(fields[0].Path+": "+fields[0].Message, fields...)
	}
	return out, nil
}

// SimulatedEvent is one made-up event: when it happened is At, or Ago
// (a Go duration such as "90m" or "48h") before the decision's instant.
type SimulatedEvent struct {
	Name       string
	At         *time.Time
	Ago        string
	Value      *float64
	Properties map[string]any
}

// Profile is the simulation as a known profile seen from at. Mistakes
// are BAD_USER_INPUT with the path of each under path (e.g.
// "context.profile.events.2.ago").
func (s Simulation) Profile(at time.Time, path string) (*Profile, error) {
	var fields []errs.FieldError
	bad := func(p, format string, args ...any) {
		fields = append(fields, errs.FieldError{Path: path + "." + p, Message: fmt.Sprintf(format, args...)})
	}
	if len(s.Events) > MaxEvents {
		bad("events", "at most %d events, not %d", MaxEvents, len(s.Events))
	}
	if s.Visitors < 0 {
		bad("visitors", "visitors must not be negative")
	}
	events := make([]Event, 0, len(s.Events))
	for i, se := range s.Events {
		e := Event{ID: fmt.Sprintf("simulated-%d", i), Name: se.Name, Properties: se.Properties}
		if strings.TrimSpace(se.Name) == "" {
			bad(fmt.Sprintf("events.%d.name", i), "name is required")
		}
		switch {
		case (se.At == nil) == (se.Ago == ""):
			bad(fmt.Sprintf("events.%d", i), "give exactly one of at and ago")
		case se.At != nil:
			e.Time = se.At.UTC()
		default:
			d, err := time.ParseDuration(se.Ago)
			if err != nil || d < 0 {
				bad(fmt.Sprintf("events.%d.ago", i), "ago is a non-negative duration such as \"90m\" or \"48h\", not %q", se.Ago)
			}
			e.Time = at.Add(-d)
		}
		if se.Value != nil {
			e.Value = *se.Value
			if e.Properties == nil {
				e.Properties = map[string]any{}
			}
			if _, ok := e.Properties["value"]; !ok {
				e.Properties["value"] = *se.Value
			}
		}
		if e.Properties == nil {
			e.Properties = map[string]any{}
		}
		events = append(events, e)
	}
	if len(fields) > 0 {
		return nil, errs.Invalid(fields[0].Path+": "+fields[0].Message, fields...)
	}
	f := Facts{Visitors: max(s.Visitors, 1), Devices: s.Devices, Channels: s.Channels, Traits: s.Traits}
	if s.FirstSeen != nil {
		f.FirstSeen = s.FirstSeen.UTC()
	}
	return New(f, events), nil
}
