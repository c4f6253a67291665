package report

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/stats"
)

// Kind is what a metric measures per unit.
type Kind string

// Metric kinds.
const (
	// Conversion: did the unit send the event at least once (a rate).
	Conversion Kind = "CONVERSION"
	// Revenue: the sum of the events' values per unit (a mean).
	Revenue Kind = "REVENUE"
	// Count: how many such events per unit (a mean).
	Count Kind = "COUNT"
)

// Goal is which direction is better.
type Goal string

// Goals.
const (
	Increase Goal = "INCREASE"
	Decrease Goal = "DECREASE"
)

// Metric is how an experiment is judged: an event name counted per unit
// within a window from its first exposure.
type Metric struct {
	Key, Name string
	Kind      Kind
	// Event is a conversion's goal or a track event's name.
	Event  string
	Window time.Duration
	Goal   Goal
	// Guardrail marks a metric that must not get worse, whatever wins.
	Guardrail bool
	Archived  bool
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
	UpdatedBy string
}

// MetricInput is what createMetric and updateMetric take. Window is a
// duration text ("72h", "7d"); empty means measurement.DefaultWindow.
// Filter is a property filter, refused (see the package comment).
type MetricInput struct {
	Key, Name, Kind, Event, Window, Goal string
	Filter                               any
	Guardrail                            bool
}

var keyPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// WindowNames are the allowed conversion windows, as written.
func WindowNames() []string {
	out := make([]string, len(measurement.Windows))
	for i, w := range measurement.Windows {
		out[i] = windowName(w)
	}
	return out
}

func windowName(w time.Duration) string {
	if w%(24*time.Hour) == 0 && w > 72*time.Hour {
		return fmt.Sprintf("%dd", w/(24*time.Hour))
	}
	return fmt.Sprintf("%dh", w/time.Hour)
}

// WindowName is w as the API writes it ("72h", "7d").
func WindowName(w time.Duration) string { return windowName(w) }

// parseWindow accepts "24h" … "30d" (also "168h", "720h").
func parseWindow(s string) (time.Duration, bool) {
	if s == "" {
		return measurement.DefaultWindow, true
	}
	var d time.Duration
	if n, ok := strings.CutSuffix(s, "d"); ok {
		var days int
		if _, err := fmt.Sscanf(n, "%d", &days); err != nil || fmt.Sprint(days) != n {
			return 0, false
		}
		d = time.Duration(days) * 24 * time.Hour
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, false
		}
	}
	return d, slices.Contains(measurement.Windows, d)
}

// parse checks an input and returns the metric it defines.
func (in MetricInput) parse() (Metric, error) {
	var fields []errs.FieldError
	bad := func(f, msg string, a ...any) {
		fields = append(fields, errs.FieldError{Path: f, Message: fmt.Sprintf(msg, a...)})
	}
	m := Metric{Key: in.Key, Name: strings.TrimSpace(in.Name), Kind: Kind(in.Kind), Event: in.Event,
		Goal: Goal(in.Goal), Guardrail: in.Guardrail}
	if !keyPattern.MatchString(in.Key) {
		bad("key", "must be 1-64 lower-case letters, digits, - or _, starting with a letter or digit; got %q", in.Key)
	}
	if m.Name == "" || len(m.Name) > 200 {
		bad("name", "must be 1-200 characters")
	}
	switch m.Kind {
	case Conversion, Revenue, Count:
	default:
		bad("kind", "must be CONVERSION, REVENUE or COUNT; got %q", in.Kind)
	}
	if ev := strings.TrimSpace(in.Event); ev == "" || ev != in.Event || len(ev) > 200 {
		bad("event", "must be the event name (a conversion's goal or a track event's name), 1-200 characters without surrounding spaces; got %q", in.Event)
	}
	if m.Goal == "" {
		m.Goal = Increase
	}
	if m.Goal != Increase && m.Goal != Decrease {
		bad("goal", "must be INCREASE or DECREASE; got %q", in.Goal)
	}
	w, ok := parseWindow(in.Window)
	if !ok {
		bad("conversionWindow", "must be one of %s (the windows the rollups keep); got %q", strings.Join(WindowNames(), ", "), in.Window)
	}
	m.Window = w
	if in.Filter != nil {
		if mp, isMap := in.Filter.(map[string]any); !isMap || len(mp) > 0 {
			bad("filter", "property filters are not supported: the rollups keep totals per event name only and reports never scan raw events; define a distinct event name instead (e.g. track \"purchase_pro\")")
		}
	}
	if len(fields) > 0 {
		return Metric{}, errs.Invalid("invalid metric", fields...)
	}
	return m, nil
}

// statsKind is how stats reads the metric's sums.
func (m Metric) statsKind() stats.Kind {
	if m.Kind == Conversion {
		return stats.Proportion
	}
	return stats.Mean
}

// MetricStore keeps metrics. A missing key is NOT_FOUND; an existing key
// on create or a stale version on update is CONFLICT.
type MetricStore interface {
	CreateMetric(ctx context.Context, m Metric) (Metric, error)
	UpdateMetric(ctx context.Context, m Metric, expectedVersion int) (Metric, error)
	ArchiveMetric(ctx context.Context, key, by string) (Metric, error)
	Metric(ctx context.Context, key string) (Metric, error)
	// Metrics lists metrics by key; archived ones only when asked.
	Metrics(ctx context.Context, archived bool) ([]Metric, error)
}
