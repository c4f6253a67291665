package report

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/stats"
)

// Experiment results break down by the Dimensions of kpis.go (a value the
// rollups keep per unit's first exposure), and one more they refuse.
const (
	// Segment is refused: the rollups keep no segment. A visitor's segments
	// are evaluated on every request and change between requests, so no one
	// segment belongs to a unit's first exposure the way its device does,
	// and answering would mean joining raw decision records to raw events
	// per unit, which reports never do (see the package comment).
	Segment Dimension = "SEGMENT"
)

// DayTotals are one arm's sums for the cohort first exposed on Day.
type DayTotals struct {
	Day time.Time
	ArmTotals
}

// CellTotals are one arm's sums for the units whose first exposure had
// Value in the dimension asked.
type CellTotals struct {
	Value string
	ArmTotals
}

// SeriesStore reads the rollups per day and per dimension value; the
// report Store implements it.
type SeriesStore interface {
	// ArmDaily is ArmTotals per UTC day of first exposure (rows with units
	// or events only; order unspecified).
	ArmDaily(ctx context.Context, experiment, event string, windowHours int, r Range) ([]DayTotals, error)
	// ArmTotalsBy is ArmTotals per value of dim (DEVICE, CHANNEL or LOCALE).
	ArmTotalsBy(ctx context.Context, experiment, event string, windowHours int, r Range, dim Dimension) ([]CellTotals, error)
}

// Day is one day of the series: per arm (in the results' arm order) the
// day's cohort and the running totals of the range up to that day.
type Day struct {
	Day        time.Time
	Arms       []ArmTotals
	Cumulative []ArmTotals
}

// ResultsBreakdown is the analysis per value of one dimension.
type ResultsBreakdown struct {
	Dimension Dimension
	Cells     []Cell
}

// Cell is the analysis of the units whose first exposure had Value.
type Cell struct {
	Value    string
	Visitors int64
	Analysis stats.Result
	Totals   []ArmTotals
}

// checkBreakdown refuses unknown or unanswerable dimensions and repeats.
func checkBreakdown(dims []Dimension) error {
	seen := map[Dimension]bool{}
	for i, d := range dims {
		path := fmt.Sprintf("breakdown[%d]", i)
		switch d {
		case Device, Channel, Locale:
		case Segment:
			return errs.Invalid("SEGMENT cannot be broken down", errs.FieldError{Path: path,
				Message: "the rollups keep no segment: a visitor's segments are evaluated per request, so none belongs to a unit's first exposure; use DEVICE, CHANNEL or LOCALE"})
		default:
			return errs.Invalid("unknown breakdown", errs.FieldError{Path: path, Message: fmt.Sprintf("%q is not DEVICE, CHANNEL or LOCALE", d)})
		}
		if seen[d] {
			return errs.Invalid("repeated breakdown", errs.FieldError{Path: path, Message: fmt.Sprintf("%s is asked twice", d)})
		}
		seen[d] = true
	}
	return nil
}

// armOrder is the results' arm keys in order.
func armOrder(ordered []ArmTotals) []string {
	keys := make([]string, len(ordered))
	for i, t := range ordered {
		keys[i] = t.Arm
	}
	return keys
}

// daily orders rows by day and, within a day, by keys (the results' arm
// order; an arm not in keys is left out, which cannot happen for rows of
// the same range), with running totals.
func daily(rows []DayTotals, keys []string) []Day {
	byDay := map[time.Time]map[string]ArmTotals{}
	var days []time.Time
	for _, r := range rows {
		d := r.Day.UTC()
		if byDay[d] == nil {
			byDay[d] = map[string]ArmTotals{}
			days = append(days, d)
		}
		byDay[d][r.Arm] = r.ArmTotals
	}
	slices.SortFunc(days, time.Time.Compare)
	run := make([]ArmTotals, len(keys))
	out := make([]Day, 0, len(days))
	for _, d := range days {
		day := Day{Day: d, Arms: make([]ArmTotals, len(keys)), Cumulative: make([]ArmTotals, len(keys))}
		for i, k := range keys {
			t := byDay[d][k]
			t.Arm = k
			day.Arms[i] = t
			run[i] = add(run[i], t)
			day.Cumulative[i] = run[i]
		}
		out = append(out, day)
	}
	return out
}

func add(a, b ArmTotals) ArmTotals {
	return ArmTotals{Arm: b.Arm, Units: a.Units + b.Units, MultiArm: a.MultiArm + b.MultiArm, Converters: a.Converters + b.Converters,
		Count: a.Count + b.Count, CountSq: a.CountSq + b.CountSq, Sum: a.Sum + b.Sum, SumSq: a.SumSq + b.SumSq}
}

// breakdown analyses each value of dim with the experiment's arms (the
// same order and weights as the whole results), most visitors first.
func (s *Service) breakdown(ctx context.Context, q ResultsQuery, m Metric, arms []Arm, dim Dimension) (ResultsBreakdown, error) {
	rows, err := s.Store.ArmTotalsBy(ctx, q.Experiment, m.Event, int(m.Window/time.Hour), q.Range, dim)
	if err != nil {
		return ResultsBreakdown{}, err
	}
	byValue := map[string][]ArmTotals{}
	var values []string
	for _, r := range rows {
		if _, ok := byValue[r.Value]; !ok {
			values = append(values, r.Value)
		}
		byValue[r.Value] = append(byValue[r.Value], r.ArmTotals)
	}
	out := ResultsBreakdown{Dimension: dim, Cells: make([]Cell, 0, len(values))}
	for _, v := range values {
		in, ordered := input(m, arms, byValue[v])
		in.Config.Alpha, in.Config.Sequential = q.Alpha, q.Sequential
		res, err := stats.Analyze(in)
		if err != nil {
			if errors.Is(err, stats.ErrInvalidInput) {
				return ResultsBreakdown{}, errs.Wrap(errs.BadUserInput, err, "experiment %q cannot be analysed: %v", q.Experiment, err)
			}
			return ResultsBreakdown{}, err
		}
		c := Cell{Value: v, Analysis: res, Totals: ordered}
		for _, t := range ordered {
			c.Visitors += t.Units
		}
		out.Cells = append(out.Cells, c)
	}
	// Most visitors first; ties by value, so the order is stable.
	slices.SortFunc(out.Cells, func(a, b Cell) int {
		if c := cmp.Compare(b.Visitors, a.Visitors); c != 0 {
			return c
		}
		return strings.Compare(a.Value, b.Value)
	})
	return out, nil
}
