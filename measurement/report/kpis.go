package report

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/mosaichq/mosaic/errs"
)

// Dimension is what KPIs, funnels and experiment results break down by: a
// part of the visitor id's delivery context (series.go adds Segment, which
// experiment results refuse).
type Dimension string

// The dimensions.
const (
	Device  Dimension = "DEVICE"
	Channel Dimension = "CHANNEL"
	Locale  Dimension = "LOCALE"
)

// Breakdown says which dimensions a report groups by.
type Breakdown struct{ Device, Channel, Locale bool }

// ParseBreakdown reads dimensions (repeats are harmless); an unknown one
// is BAD_USER_INPUT naming the known ones.
func ParseBreakdown(dims []string) (Breakdown, error) {
	var b Breakdown
	for _, d := range dims {
		switch Dimension(d) {
		case Device:
			b.Device = true
		case Channel:
			b.Channel = true
		case Locale:
			b.Locale = true
		default:
			return b, errs.Invalid("invalid breakdown", errs.FieldError{Path: "breakdown",
				Message: fmt.Sprintf("unknown dimension %q: use DEVICE, CHANNEL or LOCALE", d)})
		}
	}
	return b, nil
}

// Dimensions are b's dimensions in their fixed order.
func (b Breakdown) Dimensions() []Dimension {
	out := []Dimension{}
	for _, d := range []struct {
		on  bool
		dim Dimension
	}{{b.Device, Device}, {b.Channel, Channel}, {b.Locale, Locale}} {
		if d.on {
			out = append(out, d.dim)
		}
	}
	return out
}

// Context is a cell's values of the dimensions broken down by ("" for the
// others and for a visitor id delivery never decided for).
type Context struct{ Device, Channel, Locale string }

func compareContexts(a, b Context) int {
	return cmp.Or(cmp.Compare(a.Device, b.Device), cmp.Compare(a.Channel, b.Channel), cmp.Compare(a.Locale, b.Locale))
}

// KpiTotals are one cell's sums from the KPI rollup.
type KpiTotals struct {
	Context Context
	// Visitors is people seen in the range; Converters those with a
	// conversion; Conversions the events, Orders those with a value.
	Visitors, Converters, Conversions, Orders int64
	Revenue                                   float64
	// LifetimeRevenue is Σ over the cell's people of all they spent up to
	// the range's end (every device).
	LifetimeRevenue float64
	// Converted is people whose first conversion ever fell in the range;
	// MedianSeconds and P90Seconds their time from first visit to it
	// (meaningless when Converted is 0).
	Converted                 int64
	MedianSeconds, P90Seconds float64
}

// KpiStore reads the KPI rollup (migration 000016).
type KpiStore interface {
	// KpiTotals sums days from..to (UTC days, both included), in total
	// and per combination of by's dimensions (no cells when by is empty);
	// goal "" is every conversion.
	KpiTotals(ctx context.Context, from, to time.Time, by Breakdown, goal string) (total KpiTotals, cells []KpiTotals, err error)
}

// MaxKpiRange bounds a KPI report: it counts distinct people over
// per-visitor-day rows.
const MaxKpiRange = 366 * 24 * time.Hour

// DefaultKpiDays is the range KPIs take without from: 30 days up to to.
const DefaultKpiDays = 30

// KpiQuery is what kpis asks.
type KpiQuery struct {
	// From and To select UTC days, both included; zero: the defaults.
	From, To  time.Time
	Breakdown Breakdown
	Goal      string
}

// KpiReport is site-wide KPIs, overall and per cell.
type KpiReport struct {
	From, To   time.Time
	Goal       string
	Breakdown  Breakdown
	Total      KpiTotals
	Cells      []KpiTotals
	ComputedAt time.Time
}

// Kpis reads the KPI rollup over q's days.
func (s *Service) Kpis(ctx context.Context, q KpiQuery) (KpiReport, error) {
	now := s.now()
	to, from := q.To, q.From
	if to.IsZero() {
		to = now
	}
	to = day(to)
	if from.IsZero() {
		from = to.AddDate(0, 0, -(DefaultKpiDays - 1))
	}
	from = day(from)
	switch {
	case to.Before(from):
		return KpiReport{}, errs.Invalid("invalid range", errs.FieldError{Path: "to", Message: "must not be before from"})
	case to.Sub(from) >= MaxKpiRange:
		return KpiReport{}, errs.Invalid("invalid range", errs.FieldError{Path: "to", Message: "the range is at most 366 days"})
	case len(q.Goal) > 200:
		return KpiReport{}, errs.Invalid("invalid goal", errs.FieldError{Path: "goal", Message: "at most 200 characters"})
	}
	st, ok := s.Store.(KpiStore)
	if !ok {
		return KpiReport{}, errs.E(errs.ServiceUnavailable, "this store keeps no KPI rollup")
	}
	total, cells, err := st.KpiTotals(ctx, from, to, q.Breakdown, q.Goal)
	if err != nil {
		return KpiReport{}, err
	}
	if cells == nil {
		cells = []KpiTotals{}
	}
	slices.SortFunc(cells, func(a, b KpiTotals) int { return compareContexts(a.Context, b.Context) })
	out := KpiReport{From: from, To: to, Goal: q.Goal, Breakdown: q.Breakdown, Total: total, Cells: cells}
	out.ComputedAt = s.now()
	return out, nil
}

// day is t's UTC day.
func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Ratio is a/b, 0 when b is 0: a report shows no NaN.
func Ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}
