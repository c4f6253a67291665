package report

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/mosaichq/mosaic/errs"
)

// Announcement kinds and the event types they are written as (the same
// strings as package events' TypeReportDaily and TypeSampleReached, which
// this package does not import: it knows no event log).
const (
	KindDaily         = "report.daily"
	KindSampleReached = "experiment.sample_reached"
)

// RunningExperiment is what scheduled reports need of a running
// experiment.
type RunningExperiment struct {
	Key, Name         string
	StartedAt         time.Time
	PrimaryMetric     string
	GuardrailMetrics  []string
	PlannedSampleSize int64 // 0: not planned
}

// AnnounceStore records announcements exactly once.
type AnnounceStore interface {
	// RunningExperiments lists the RUNNING experiments, by key.
	RunningExperiments(ctx context.Context) ([]RunningExperiment, error)
	// Announced reports whether (kind, subject) was announced already.
	Announced(ctx context.Context, kind, subject string) (bool, error)
	// Announce claims (kind, subject) and writes data as an event of type
	// kind to the event log, in one transaction; inserted is false (and
	// nothing is written) when it was claimed before, by any replica.
	Announce(ctx context.Context, kind, subject string, at time.Time, data any) (inserted bool, err error)
}

// Announcer sends the scheduled reports: once per UTC day, report.daily
// with each running experiment's summary for the day that ended; and once
// per experiment run, experiment.sample_reached when its units reach the
// planned sample size. Every replica may run it: the claim in
// AnnounceStore.Announce, not leadership, makes each announcement happen
// once, also across restarts.
type Announcer struct {
	Reports *Service
	Store   AnnounceStore
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	Log *slog.Logger
}

// ArmSummary is one arm in a report event.
type ArmSummary struct {
	Key         string   `json:"key"`
	Visitors    int64    `json:"visitors"`
	Conversions int64    `json:"conversions"`
	Rate        float64  `json:"rate"`
	Lift        *float64 `json:"lift,omitempty"`
	CILow       *float64 `json:"ciLow,omitempty"`
	CIHigh      *float64 `json:"ciHigh,omitempty"`
	PValue      *float64 `json:"pValue,omitempty"`
	ChanceToWin *float64 `json:"chanceToWin,omitempty"`
}

// MetricSummary is an experiment's results on one metric, over its whole run.
type MetricSummary struct {
	Metric     string       `json:"metric"`
	Guardrail  bool         `json:"guardrail"`
	Arms       []ArmSummary `json:"arms"`
	SRMPValue  float64      `json:"srmPValue"`
	SRMWarning bool         `json:"srmWarning"`
}

// ExperimentSummary is one running experiment in report.daily.
type ExperimentSummary struct {
	Key               string    `json:"key"`
	Name              string    `json:"name"`
	StartedAt         time.Time `json:"startedAt"`
	Visitors          int64     `json:"visitors"`
	PlannedSampleSize *int64    `json:"plannedSampleSize"`
	// Progress is visitors / plannedSampleSize (null when not planned).
	Progress *float64 `json:"progress"`
	// Metrics are the primary metric first, then the guardrails; empty
	// when the experiment names none (then only visitors are reported).
	Metrics []MetricSummary `json:"metrics"`
}

// Daily is report.daily's data.
type Daily struct {
	// Day is the UTC day that ended, YYYY-MM-DD; the numbers are the
	// experiments' whole runs up to ComputedAt.
	Day         string              `json:"day"`
	ComputedAt  time.Time           `json:"computedAt"`
	Experiments []ExperimentSummary `json:"experiments"`
}

// SampleReached is experiment.sample_reached's data.
type SampleReached struct {
	Experiment        string    `json:"experiment"`
	StartedAt         time.Time `json:"startedAt"`
	PlannedSampleSize int64     `json:"plannedSampleSize"`
	Visitors          int64     `json:"visitors"`
	ReachedAt         time.Time `json:"reachedAt"`
}

func (a *Announcer) now() time.Time {
	if a.Now != nil {
		return a.Now().UTC()
	}
	return time.Now().UTC()
}

// Run is one round: the daily report of the day that ended, unless some
// replica sent it, and the sample-size announcements now due. Errors are
// logged and returned; the next round tries again.
func (a *Announcer) Run(ctx context.Context) error {
	now := a.now()
	xs, err := a.Store.RunningExperiments(ctx)
	if err != nil {
		return a.fail(ctx, "listing running experiments", err)
	}
	var failed error
	day := now.Truncate(24*time.Hour).AddDate(0, 0, -1).Format(time.DateOnly)
	if err := a.daily(ctx, now, day, xs); err != nil {
		failed = errors.Join(failed, a.fail(ctx, "sending report.daily", err))
	}
	for _, x := range xs {
		if err := a.sampleReached(ctx, now, x); err != nil {
			failed = errors.Join(failed, a.fail(ctx, "announcing a reached sample size of "+x.Key, err))
		}
	}
	return failed
}

func (a *Announcer) fail(ctx context.Context, what string, err error) error {
	if a.Log != nil {
		a.Log.ErrorContext(ctx, what, "error", err)
	}
	return fmt.Errorf("%s: %w", what, err)
}

func (a *Announcer) daily(ctx context.Context, now time.Time, day string, xs []RunningExperiment) error {
	done, err := a.Store.Announced(ctx, KindDaily, day)
	if err != nil || done {
		return err
	}
	d := Daily{Day: day, ComputedAt: now, Experiments: []ExperimentSummary{}}
	for _, x := range xs {
		s, err := a.summary(ctx, x)
		if err != nil {
			return err
		}
		d.Experiments = append(d.Experiments, s)
	}
	_, err = a.Store.Announce(ctx, KindDaily, day, now, d)
	return err
}

// summary is x's whole run: visitors, progress, and its metrics' results.
func (a *Announcer) summary(ctx context.Context, x RunningExperiment) (ExperimentSummary, error) {
	s := ExperimentSummary{Key: x.Key, Name: x.Name, StartedAt: x.StartedAt, Metrics: []MetricSummary{}}
	units, err := a.units(ctx, x)
	if err != nil {
		return s, err
	}
	s.Visitors = units
	if x.PlannedSampleSize > 0 {
		p, progress := x.PlannedSampleSize, float64(units)/float64(x.PlannedSampleSize)
		s.PlannedSampleSize, s.Progress = &p, &progress
	}
	metrics := x.GuardrailMetrics
	if x.PrimaryMetric != "" {
		metrics = append([]string{x.PrimaryMetric}, metrics...)
	}
	for i, m := range metrics {
		res, err := a.Reports.ExperimentResults(ctx, ResultsQuery{Experiment: x.Key, Metric: m, Range: Range{From: x.StartedAt}})
		if errs.CodeOf(err) == errs.NotFound || errs.CodeOf(err) == errs.BadUserInput {
			continue // deleted since, or not analysable: the rest still reports
		}
		if err != nil {
			return s, err
		}
		ms := MetricSummary{Metric: m, Guardrail: i > 0 || x.PrimaryMetric == "", SRMPValue: res.Analysis.SRM.PValue,
			SRMWarning: res.Analysis.SRM.Warning, Arms: make([]ArmSummary, len(res.Analysis.Arms))}
		for j, ar := range res.Analysis.Arms {
			as := ArmSummary{Key: ar.Key, Visitors: ar.Units, Conversions: res.Totals[j].Converters, Rate: ar.Mean}
			if c := ar.Versus; c != nil && c.Relative.Defined {
				as.Lift, as.CILow, as.CIHigh, as.PValue = &c.Relative.Estimate, &c.Relative.CILow, &c.Relative.CIHigh, &c.Relative.PValue
			}
			if c := ar.Versus; c != nil && c.Bayesian.Defined {
				as.ChanceToWin = &c.Bayesian.ChanceToWin
			}
			ms.Arms[j] = as
		}
		s.Metrics = append(s.Metrics, ms)
	}
	return s, nil
}

// units counts the units of x's run (cohorts from its start day on), every arm.
func (a *Announcer) units(ctx context.Context, x RunningExperiment) (int64, error) {
	totals, err := a.Reports.Store.ArmTotals(ctx, x.Key, "", 0, Range{From: x.StartedAt})
	if err != nil {
		return 0, err
	}
	var n int64
	for _, t := range totals {
		n += t.Units
	}
	return n, nil
}

// sampleReached announces x's run once when its units reach the plan. A
// run is named by its key and start instant, so an experiment deleted and
// made again under the same key announces its own run.
func (a *Announcer) sampleReached(ctx context.Context, now time.Time, x RunningExperiment) error {
	if x.PlannedSampleSize <= 0 {
		return nil
	}
	subject := x.Key + "@" + x.StartedAt.UTC().Format(time.RFC3339Nano)
	done, err := a.Store.Announced(ctx, KindSampleReached, subject)
	if err != nil || done {
		return err
	}
	units, err := a.units(ctx, x)
	if err != nil || units < x.PlannedSampleSize {
		return err
	}
	_, err = a.Store.Announce(ctx, KindSampleReached, subject, now, SampleReached{Experiment: x.Key, StartedAt: x.StartedAt,
		PlannedSampleSize: x.PlannedSampleSize, Visitors: units, ReachedAt: now})
	return err
}
