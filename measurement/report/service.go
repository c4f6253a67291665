package report

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/stats"
)

// Arm is an experiment's configured arm: the first is the control.
type Arm struct {
	Key    string
	Weight float64
}

// ArmTotals are one arm's rollup sums over a range of exposure days:
// units first exposed (Units, MultiArm of them shown another arm) and,
// for one event and window, units with an event (Converters), Σcount,
// Σcount², Σvalue, Σvalue² of per-unit totals.
type ArmTotals struct {
	Arm                        string
	Units, MultiArm            int64
	Converters, Count, CountSq int64
	Sum, SumSq                 float64
}

// Range selects cohorts by the UTC day of first exposure, both ends
// included; a zero end is open.
type Range struct{ From, To time.Time }

// Store is what reports read: the metric definitions and the rollups.
type Store interface {
	MetricStore
	SeriesStore
	// ArmTotals sums the exposure and metric rollups of experiment per
	// arm over r (every arm with units or events; order unspecified).
	ArmTotals(ctx context.Context, experiment, event string, windowHours int, r Range) ([]ArmTotals, error)
}

// Experiments returns an experiment's configured arms, control first, or
// a NOT_FOUND error.
type Experiments func(ctx context.Context, key string) ([]Arm, error)

// Service is metrics and experiment reports.
type Service struct {
	Store       Store
	Experiments Experiments
	// Now is the clock of computedAt (time.Now when nil).
	Now func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// CreateMetric validates and stores a metric.
func (s *Service) CreateMetric(ctx context.Context, in MetricInput, by string) (Metric, error) {
	m, err := in.parse()
	if err != nil {
		return Metric{}, err
	}
	m.UpdatedBy = by
	return s.Store.CreateMetric(ctx, m)
}

// UpdateMetric replaces a metric's definition if expectedVersion is current.
func (s *Service) UpdateMetric(ctx context.Context, in MetricInput, expectedVersion int, by string) (Metric, error) {
	m, err := in.parse()
	if err != nil {
		return Metric{}, err
	}
	if expectedVersion < 1 {
		return Metric{}, errs.Invalid("invalid version", errs.FieldError{Path: "expectedVersion", Message: "must be 1 or more"})
	}
	m.UpdatedBy = by
	return s.Store.UpdateMetric(ctx, m, expectedVersion)
}

// ArchiveMetric hides a metric from lists; reports on it still work.
func (s *Service) ArchiveMetric(ctx context.Context, key, by string) (Metric, error) {
	return s.Store.ArchiveMetric(ctx, key, by)
}

// Metrics lists metrics, archived ones only when asked.
func (s *Service) Metrics(ctx context.Context, archived bool) ([]Metric, error) {
	return s.Store.Metrics(ctx, archived)
}

// Metric returns one metric (archived too) or NOT_FOUND.
func (s *Service) Metric(ctx context.Context, key string) (Metric, error) {
	return s.Store.Metric(ctx, key)
}

// ResultsQuery is what experimentResults asks.
type ResultsQuery struct {
	Experiment, Metric string
	Range              Range
	// Alpha is the significance level (0: stats.DefaultAlpha).
	Alpha float64
	// Sequential asks for anytime-valid intervals (safe to peek).
	Sequential bool
	// Daily asks for the per-day series (one more rollup read).
	Daily bool
	// Breakdown asks for the analysis per value of each dimension.
	Breakdown []Dimension
}

// Results is one metric of one experiment.
type Results struct {
	Experiment string
	Metric     Metric
	Range      Range
	// Visitors is the sample size: units in every arm.
	Visitors   int64
	ComputedAt time.Time
	// Analysis is stats.Analyze's answer; Totals its input sums, in the
	// same arm order.
	Analysis stats.Result
	Totals   []ArmTotals
	// Daily is the per-day series when asked; Breakdowns one per
	// dimension asked, in that order.
	Daily      []Day
	Breakdowns []ResultsBreakdown
}

// ExperimentResults reads the rollups of q and analyses them.
func (s *Service) ExperimentResults(ctx context.Context, q ResultsQuery) (Results, error) {
	if !q.Range.From.IsZero() && !q.Range.To.IsZero() && q.Range.To.Before(q.Range.From) {
		return Results{}, errs.Invalid("invalid range", errs.FieldError{Path: "to", Message: "must not be before from"})
	}
	if q.Alpha != 0 && !(q.Alpha > 0 && q.Alpha < 1) {
		return Results{}, errs.Invalid("invalid alpha", errs.FieldError{Path: "alpha",
			Message: fmt.Sprintf("must be between 0 and 1 (exclusive), e.g. 0.05; got %v", q.Alpha)})
	}
	if err := checkBreakdown(q.Breakdown); err != nil {
		return Results{}, err
	}
	m, err := s.Store.Metric(ctx, q.Metric)
	if err != nil {
		return Results{}, err
	}
	arms, err := s.Experiments(ctx, q.Experiment)
	if err != nil {
		return Results{}, err
	}
	totals, err := s.Store.ArmTotals(ctx, q.Experiment, m.Event, int(m.Window/time.Hour), q.Range)
	if err != nil {
		return Results{}, err
	}
	in, ordered := input(m, arms, totals)
	in.Config.Alpha, in.Config.Sequential = q.Alpha, q.Sequential
	res, err := stats.Analyze(in)
	if err != nil {
		if errors.Is(err, stats.ErrInvalidInput) {
			// Arms come from the experiment, sums from the rollups: an
			// input error here is an experiment of one arm or corrupt sums.
			return Results{}, errs.Wrap(errs.BadUserInput, err, "experiment %q cannot be analysed: %v", q.Experiment, err)
		}
		return Results{}, err
	}
	out := Results{Experiment: q.Experiment, Metric: m, Range: q.Range, ComputedAt: s.now(), Analysis: res, Totals: ordered}
	for _, t := range ordered {
		out.Visitors += t.Units
	}
	if q.Daily {
		rows, err := s.Store.ArmDaily(ctx, q.Experiment, m.Event, int(m.Window/time.Hour), q.Range)
		if err != nil {
			return Results{}, err
		}
		out.Daily = daily(rows, armOrder(ordered))
	}
	for _, d := range q.Breakdown {
		b, err := s.breakdown(ctx, q, m, arms, d)
		if err != nil {
			return Results{}, err
		}
		out.Breakdowns = append(out.Breakdowns, b)
	}
	return out, nil
}

// input builds stats' input: configured arms in order (the first is the
// control), then arms found only in the rollups (removed since; weight 0,
// so the SRM check leaves them out) by key.
func input(m Metric, arms []Arm, totals []ArmTotals) (stats.Input, []ArmTotals) {
	byArm := map[string]ArmTotals{}
	for _, t := range totals {
		byArm[t.Arm] = t
	}
	in := stats.Input{Config: stats.Config{Kind: m.statsKind(), LowerIsBetter: m.Goal == Decrease}}
	var ordered []ArmTotals
	add := func(key string, weight float64) {
		t := byArm[key]
		t.Arm = key
		delete(byArm, key)
		ordered = append(ordered, t)
		in.MultipleExposures += t.MultiArm
		in.Arms = append(in.Arms, stats.Arm{Key: key, Weight: weight, Metric: summary(m.Kind, t)})
	}
	for _, a := range arms {
		add(a.Key, a.Weight)
	}
	var rest []string
	for k := range byArm {
		rest = append(rest, k)
	}
	slices.Sort(rest)
	for _, k := range rest {
		add(k, 0)
	}
	return in, ordered
}

func summary(k Kind, t ArmTotals) stats.Summary {
	switch k {
	case Revenue:
		return stats.Summary{Units: t.Units, Sum: t.Sum, SumSquares: t.SumSq}
	case Count:
		return stats.Summary{Units: t.Units, Sum: float64(t.Count), SumSquares: float64(t.CountSq)}
	}
	return stats.Summary{Units: t.Units, Sum: float64(t.Converters)}
}
