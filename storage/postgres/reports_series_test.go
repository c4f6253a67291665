package postgres_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/report"
	"github.com/mosaichq/mosaic/stats"
)

// seedTwoDays writes cohorts on two days and two devices: day 0 as
// seedSmallExperiment (mobile), day 1: a = w1, w2 (desktop), b = w3
// (desktop), w1 buys.
func seedTwoDays(t *testing.T, b reportBundle) {
	t.Helper()
	seedSmallExperiment(t, b.store)
	var ds []measurement.Decision
	for i, arm := range []string{"a", "a", "b"} {
		d := exposure(fmt.Sprint("x", i), fmt.Sprint("w", i+1), 24*time.Hour+time.Duration(i)*time.Minute, arm)
		d.Device = "desktop"
		ds = append(ds, d)
	}
	_, err := b.store.WriteDecisions(t.Context(), ds)
	require.NoError(t, err)
	_, err = b.store.WriteEvents(t.Context(), []measurement.Event{buy("f1", "w1", 25*time.Hour, 4)})
	require.NoError(t, err)
	_, err = b.svc.CreateMetric(t.Context(), report.MetricInput{Key: "buyers", Name: "Buyers", Kind: "CONVERSION", Event: "purchase"}, "ann")
	require.NoError(t, err)
}

// The daily series holds each day's cohort and running totals that end at
// the whole range's totals; a breakdown by device is the analysis of each
// device's units alone, equal to stats.Analyze on hand counts.
func TestExperimentResultsDailyAndBreakdown(t *testing.T) {
	t.Parallel()
	b := setupReports(t)
	ctx := t.Context()
	seedTwoDays(t, b)

	got, err := b.svc.ExperimentResults(ctx, report.ResultsQuery{Experiment: "hero-test", Metric: "buyers", Daily: true,
		Breakdown: []report.Dimension{report.Device, report.Channel}})
	require.NoError(t, err)
	require.Equal(t, int64(11), got.Visitors)
	require.Len(t, got.Daily, 2)
	d0, d1 := got.Daily[0], got.Daily[1]
	require.Equal(t, rt0.Truncate(24*time.Hour), d0.Day)
	require.Equal(t, rt0.Truncate(24*time.Hour).AddDate(0, 0, 1), d1.Day)
	// Day 0: a 4 units 2 buyers, b 4 units 3 buyers; day 1: a 2 / 1, b 1 / 0.
	require.Equal(t, []int64{4, 4}, []int64{d0.Arms[0].Units, d0.Arms[1].Units})
	require.Equal(t, []int64{2, 3}, []int64{d0.Arms[0].Converters, d0.Arms[1].Converters})
	require.Equal(t, []int64{2, 1}, []int64{d1.Arms[0].Units, d1.Arms[1].Units})
	require.Equal(t, []int64{1, 0}, []int64{d1.Arms[0].Converters, d1.Arms[1].Converters})
	require.Equal(t, "a", d1.Arms[0].Arm)
	require.Equal(t, d0.Arms, d0.Cumulative, "the first day's running totals are the day's")
	for i := range got.Totals {
		require.Equal(t, got.Totals[i].Units, d1.Cumulative[i].Units, "the last running total is the whole range")
		require.Equal(t, got.Totals[i].Converters, d1.Cumulative[i].Converters)
	}

	require.Len(t, got.Breakdowns, 2)
	dev := got.Breakdowns[0]
	require.Equal(t, report.Device, dev.Dimension)
	require.Len(t, dev.Cells, 2)
	require.Equal(t, "mobile", dev.Cells[0].Value, "most visitors first")
	require.Equal(t, int64(8), dev.Cells[0].Visitors)
	want, err := stats.Analyze(stats.Input{Config: stats.Config{Kind: stats.Proportion}, Arms: []stats.Arm{
		{Key: "a", Weight: 1, Metric: stats.Summary{Units: 2, Sum: 1}},
		{Key: "b", Weight: 1, Metric: stats.Summary{Units: 1, Sum: 0}}}})
	require.NoError(t, err)
	require.Equal(t, "desktop", dev.Cells[1].Value)
	require.Equal(t, want, dev.Cells[1].Analysis)
	ch := got.Breakdowns[1]
	require.Equal(t, report.Channel, ch.Dimension)
	require.Len(t, ch.Cells, 1)
	require.Equal(t, "web", ch.Cells[0].Value)
	require.Equal(t, got.Analysis, ch.Cells[0].Analysis, "one channel: the cell is the whole")

	// A range of one day: the series and the totals hold that day only.
	day1 := rt0.AddDate(0, 0, 1)
	got, err = b.svc.ExperimentResults(ctx, report.ResultsQuery{Experiment: "hero-test", Metric: "buyers", Daily: true,
		Range: report.Range{From: day1, To: day1}})
	require.NoError(t, err)
	require.Equal(t, int64(3), got.Visitors)
	require.Len(t, got.Daily, 1)
	require.Empty(t, got.Breakdowns)

	// Without Daily the series is not read.
	got, err = b.svc.ExperimentResults(ctx, report.ResultsQuery{Experiment: "hero-test", Metric: "buyers"})
	require.NoError(t, err)
	require.Nil(t, got.Daily)

	// SEGMENT, unknown and repeated dimensions are refused, naming the index.
	for name, dims := range map[string][]report.Dimension{
		"segment":  {report.Device, report.Segment},
		"unknown":  {"BROWSER"},
		"repeated": {report.Locale, report.Locale},
	} {
		_, err := b.svc.ExperimentResults(ctx, report.ResultsQuery{Experiment: "hero-test", Metric: "buyers", Breakdown: dims})
		e, ok := errs.As(err)
		require.True(t, ok, name)
		require.Equal(t, errs.BadUserInput, e.Code, name)
		require.Contains(t, e.Fields[0].Path, "breakdown[", name)
	}
}
