package postgres_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/experience"
	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/report"
	"github.com/mosaichq/mosaic/personalization"
	"github.com/mosaichq/mosaic/stats"
	"github.com/mosaichq/mosaic/storage/postgres"
)

type reportBundle struct {
	svc   *report.Service
	store *postgres.MeasurementStore
	pool  *pgxpool.Pool
}

func setupReports(t *testing.T) reportBundle {
	t.Helper()
	pool, _ := testdb.Schema(t)
	st := postgres.New(pool)
	_, err := st.Experience().CreateExperiment(t.Context(), experience.Experiment{Key: "hero-test", Name: "Hero",
		Arms: []personalization.Arm{{Key: "a", Weight: 1}, {Key: "b", Weight: 1}}})
	require.NoError(t, err)
	svc := &report.Service{Store: postgres.NewReportStore(pool), Experiments: st.Experience().ReportArms,
		Now: func() time.Time { return rt0.Add(10 * 24 * time.Hour) }}
	return reportBundle{svc: svc, store: postgres.NewMeasurementStore(pool), pool: pool}
}

// seedSmallExperiment writes decision records and events through the
// consumer's write path: a = v1..v4, b = v5..v8, v1 also shown b later.
func seedSmallExperiment(t *testing.T, s *postgres.MeasurementStore) {
	t.Helper()
	var ds []measurement.Decision
	for i := 1; i <= 8; i++ {
		arm := "a"
		if i > 4 {
			arm = "b"
		}
		ds = append(ds, exposure(fmt.Sprint("d", i), fmt.Sprint("v", i), time.Duration(i)*time.Minute, arm))
	}
	ds = append(ds, exposure("d9", "v1", 2*time.Hour, "b"))
	events := []measurement.Event{
		buy("e1", "v1", time.Hour, 10), buy("e2", "v1", 30*time.Hour, 5), buy("e3", "v2", 3*time.Hour, 20),
		buy("e5", "v5", time.Hour, 30), buy("e6", "v6", 50*time.Hour, 7), buy("e7", "v7", 2*time.Hour, 3),
		buy("e8", "v7", 96*time.Hour, 100), // outside 72 h, inside 7 d
		buy("e0", "v8", -time.Hour, 1000),  // before the exposure: never counts
	}
	_, err := s.WriteDecisions(t.Context(), ds)
	require.NoError(t, err)
	_, err = s.WriteEvents(t.Context(), events)
	require.NoError(t, err)
}

// experimentResults equals stats.Analyze on sums computed by hand from
// the seeded events, for each metric kind.
func TestExperimentResultsMatchHandSums(t *testing.T) {
	t.Parallel()
	b := setupReports(t)
	ctx := t.Context()
	seedSmallExperiment(t, b.store)
	for _, in := range []report.MetricInput{
		{Key: "buyers", Name: "Buyers", Kind: "CONVERSION", Event: "purchase"},
		{Key: "revenue", Name: "Revenue", Kind: "REVENUE", Event: "purchase", Window: "72h"},
		{Key: "orders", Name: "Orders", Kind: "COUNT", Event: "purchase", Goal: "DECREASE"},
		{Key: "revenue7d", Name: "Revenue 7d", Kind: "REVENUE", Event: "purchase", Window: "7d", Guardrail: true},
	} {
		_, err := b.svc.CreateMetric(ctx, in, "ann@example.com")
		require.NoError(t, err)
	}
	// Hand sums (72 h): a: v1 (10+5, 2 orders), v2 (20); b: v5 (30),
	// v6 (7), v7 (3; its 100 is at 96 h). v1 saw b too: one multiple
	// exposure, counted in a.
	want := map[string]stats.Input{
		"buyers": {Config: stats.Config{Kind: stats.Proportion}, MultipleExposures: 1, Arms: []stats.Arm{
			{Key: "a", Weight: 1, Metric: stats.Summary{Units: 4, Sum: 2}},
			{Key: "b", Weight: 1, Metric: stats.Summary{Units: 4, Sum: 3}}}},
		"revenue": {Config: stats.Config{Kind: stats.Mean}, MultipleExposures: 1, Arms: []stats.Arm{
			{Key: "a", Weight: 1, Metric: stats.Summary{Units: 4, Sum: 35, SumSquares: 15*15 + 20*20}},
			{Key: "b", Weight: 1, Metric: stats.Summary{Units: 4, Sum: 40, SumSquares: 30*30 + 7*7 + 3*3}}}},
		"orders": {Config: stats.Config{Kind: stats.Mean, LowerIsBetter: true}, MultipleExposures: 1, Arms: []stats.Arm{
			{Key: "a", Weight: 1, Metric: stats.Summary{Units: 4, Sum: 3, SumSquares: 2*2 + 1}},
			{Key: "b", Weight: 1, Metric: stats.Summary{Units: 4, Sum: 3, SumSquares: 3}}}},
		"revenue7d": {Config: stats.Config{Kind: stats.Mean}, MultipleExposures: 1, Arms: []stats.Arm{
			{Key: "a", Weight: 1, Metric: stats.Summary{Units: 4, Sum: 35, SumSquares: 15*15 + 20*20}},
			{Key: "b", Weight: 1, Metric: stats.Summary{Units: 4, Sum: 140, SumSquares: 30*30 + 7*7 + 103*103}}}},
	}
	for key, in := range want {
		got, err := b.svc.ExperimentResults(ctx, report.ResultsQuery{Experiment: "hero-test", Metric: key})
		require.NoError(t, err, key)
		exp, err := stats.Analyze(in)
		require.NoError(t, err)
		require.Equal(t, exp, got.Analysis, key)
		require.Equal(t, int64(8), got.Visitors, key)
		require.Equal(t, rt0.Add(10*24*time.Hour), got.ComputedAt)
	}
	// A range of exposure days with no cohort: zero units, nothing compared.
	day := rt0.Truncate(24*time.Hour).AddDate(0, 0, 1)
	got, err := b.svc.ExperimentResults(ctx, report.ResultsQuery{Experiment: "hero-test", Metric: "buyers",
		Range: report.Range{From: day, To: day}})
	require.NoError(t, err)
	require.Zero(t, got.Visitors)
	require.False(t, got.Analysis.Arms[1].Versus.Relative.Defined)
	// The day itself holds everyone.
	got, err = b.svc.ExperimentResults(ctx, report.ResultsQuery{Experiment: "hero-test", Metric: "buyers",
		Range: report.Range{From: rt0, To: rt0}})
	require.NoError(t, err)
	require.Equal(t, int64(8), got.Visitors)
}

// Every argument refuses bad input with a code and says what is allowed;
// nothing half-valid is stored.
func TestMetricAndResultsRefusals(t *testing.T) {
	t.Parallel()
	b := setupReports(t)
	ctx := t.Context()
	ok := report.MetricInput{Key: "buyers", Name: "Buyers", Kind: "CONVERSION", Event: "purchase"}
	for name, tc := range map[string]struct {
		mod  func(*report.MetricInput)
		path string
	}{
		"window not kept": {func(m *report.MetricInput) { m.Window = "48h" }, "conversionWindow"},
		"window garbage":  {func(m *report.MetricInput) { m.Window = "soon" }, "conversionWindow"},
		"filter":          {func(m *report.MetricInput) { m.Filter = map[string]any{"plan": "pro"} }, "filter"},
		"kind":            {func(m *report.MetricInput) { m.Kind = "RATIO" }, "kind"},
		"goal":            {func(m *report.MetricInput) { m.Goal = "UP" }, "goal"},
		"key":             {func(m *report.MetricInput) { m.Key = "Has Space" }, "key"},
		"name":            {func(m *report.MetricInput) { m.Name = "  " }, "name"},
		"event":           {func(m *report.MetricInput) { m.Event = "" }, "event"},
	} {
		in := ok
		tc.mod(&in)
		_, err := b.svc.CreateMetric(ctx, in, "ann")
		e, isErr := errs.As(err)
		require.True(t, isErr, name)
		require.Equal(t, errs.BadUserInput, e.Code, name)
		require.Len(t, e.Fields, 1, name)
		require.Equal(t, tc.path, e.Fields[0].Path, name)
	}
	_, err := b.svc.CreateMetric(ctx, report.MetricInput{Key: "w", Name: "W", Kind: "COUNT", Event: "x", Window: "48h"}, "ann")
	require.ErrorContains(t, err, "")
	e, _ := errs.As(err)
	require.Contains(t, e.Fields[0].Message, "24h, 72h, 7d, 30d")
	ms, err := b.svc.Metrics(ctx, true)
	require.NoError(t, err)
	require.Empty(t, ms, "no refused metric was stored")

	m, err := b.svc.CreateMetric(ctx, ok, "ann")
	require.NoError(t, err)
	require.Equal(t, measurement.DefaultWindow, m.Window)
	require.Equal(t, report.Increase, m.Goal)
	_, err = b.svc.CreateMetric(ctx, ok, "ann")
	require.Equal(t, errs.Conflict, errs.CodeOf(err), "same key twice")
	upd := ok
	upd.Name = "Purchasers"
	_, err = b.svc.UpdateMetric(ctx, upd, 7, "bob")
	require.Equal(t, errs.Conflict, errs.CodeOf(err), "stale version")
	m, err = b.svc.UpdateMetric(ctx, upd, 1, "bob")
	require.NoError(t, err)
	require.Equal(t, 2, m.Version)
	require.Equal(t, "bob", m.UpdatedBy)
	_, err = b.svc.UpdateMetric(ctx, report.MetricInput{Key: "ghost", Name: "G", Kind: "COUNT", Event: "x"}, 1, "bob")
	require.Equal(t, errs.NotFound, errs.CodeOf(err))

	m, err = b.svc.ArchiveMetric(ctx, "buyers", "bob")
	require.NoError(t, err)
	require.True(t, m.Archived)
	ms, err = b.svc.Metrics(ctx, false)
	require.NoError(t, err)
	require.Empty(t, ms, "archived metrics are hidden by default")
	ms, err = b.svc.Metrics(ctx, true)
	require.NoError(t, err)
	require.Len(t, ms, 1)
	_, err = b.svc.ArchiveMetric(ctx, "ghost", "bob")
	require.Equal(t, errs.NotFound, errs.CodeOf(err))

	for name, tc := range map[string]struct {
		q    report.ResultsQuery
		code errs.Code
	}{
		"unknown metric":     {report.ResultsQuery{Experiment: "hero-test", Metric: "ghost"}, errs.NotFound},
		"unknown experiment": {report.ResultsQuery{Experiment: "ghost", Metric: "buyers"}, errs.NotFound},
		"alpha 0.5 ok":       {report.ResultsQuery{Experiment: "hero-test", Metric: "buyers", Alpha: 0.5}, ""},
		"alpha 1":            {report.ResultsQuery{Experiment: "hero-test", Metric: "buyers", Alpha: 1}, errs.BadUserInput},
		"alpha negative":     {report.ResultsQuery{Experiment: "hero-test", Metric: "buyers", Alpha: -0.1}, errs.BadUserInput},
		"to before from": {report.ResultsQuery{Experiment: "hero-test", Metric: "buyers",
			Range: report.Range{From: rt0, To: rt0.AddDate(0, 0, -1)}}, errs.BadUserInput},
	} {
		_, err := b.svc.ExperimentResults(ctx, tc.q)
		if tc.code == "" {
			require.NoError(t, err, name)
			continue
		}
		require.Equal(t, tc.code, errs.CodeOf(err), name)
	}
}

// The eligibility report counts, per block where the experiment exposed
// someone, the visitors a higher-precedence variant took (by reason
// class), not those held out or on other blocks; it needs a bounded range.
func TestEligibilityReport(t *testing.T) {
	t.Parallel()
	b := setupReports(t)
	ctx := t.Context()
	taken := func(id, visitor, block, class string) measurement.Decision {
		d := exposure(id, visitor, time.Minute, "a")
		d.Blocks = []measurement.BlockDecision{{BlockID: block, Variant: "vip", Reason: class}}
		return d
	}
	ds := []measurement.Decision{
		exposure("x1", "v1", 0, "a"), exposure("x2", "v2", 0, "b"),
		taken("x3", "v3", "hero", measurement.ReasonSegment), taken("x3b", "v3", "hero", measurement.ReasonSegment),
		taken("x4", "v4", "hero", measurement.ReasonContext),
		taken("x5", "v5", "hero", measurement.ReasonDefault),   // held out: not taken
		taken("x6", "v6", "footer", measurement.ReasonSegment), // not the experiment's block
	}
	_, err := b.store.WriteDecisions(ctx, ds)
	require.NoError(t, err)
	from, to := rt0.Add(-time.Hour), rt0.Add(time.Hour)
	got, err := b.svc.Eligibility(ctx, "hero-test", report.Range{From: from, To: to})
	require.NoError(t, err)
	require.Equal(t, []report.EligibilityBlock{{EntryID: "e1", BlockID: "hero", Exposed: 2, Taken: 2, BySegment: 1, ByContext: 1}}, got.Blocks)
	require.Equal(t, int64(len(ds)), got.Scanned)

	for name, r := range map[string]report.Range{
		"open":     {From: from},
		"reversed": {From: to, To: from},
		"too long": {From: from, To: from.AddDate(0, 0, 32)},
	} {
		_, err := b.svc.Eligibility(ctx, "hero-test", r)
		require.Equal(t, errs.BadUserInput, errs.CodeOf(err), name)
	}
	_, err = b.svc.Eligibility(ctx, "ghost", report.Range{From: from, To: to})
	require.Equal(t, errs.NotFound, errs.CodeOf(err))
}

// Campaign reach is distinct units over the range (a visitor reached on
// two days, on two devices, counts once), per variant, device and channel;
// outcomes are what the units did after reach, from the rollups.
func TestCampaignReport(t *testing.T) {
	t.Parallel()
	b := setupReports(t)
	ctx := t.Context()
	_, err := b.pool.Exec(ctx, `INSERT INTO campaigns (id, key, name, created_at, created_by, updated_at, updated_by)
		VALUES (gen_random_uuid(), 'winter', 'Winter', now(), 't', now(), 't')`)
	require.NoError(t, err)
	reached := func(id, visitor string, at time.Duration, variant, device string) measurement.Decision {
		d := exposure(id, visitor, at, "a")
		d.Device = device
		d.Blocks = []measurement.BlockDecision{{BlockID: "hero", Variant: variant, Campaign: "winter", Reason: measurement.ReasonCampaign}}
		return d
	}
	_, err = b.store.WriteDecisions(ctx, []measurement.Decision{
		reached("c1", "v1", 0, "sale", "mobile"), reached("c2", "v1", 26*time.Hour, "sale", "desktop"),
		reached("c3", "v2", time.Hour, "sale", "mobile"), reached("c4", "v3", time.Hour, "default", "desktop"),
	})
	require.NoError(t, err)
	_, err = b.store.WriteEvents(ctx, []measurement.Event{buy("b1", "v1", 2*time.Hour, 40), buy("b2", "v1", 3*time.Hour, 20),
		buy("b3", "v3", 2*time.Hour, 10)})
	require.NoError(t, err)

	got, err := b.svc.CampaignReport(ctx, "winter", report.Range{}, "purchase", "")
	require.NoError(t, err)
	require.Equal(t, int64(3), got.Reach, "v1 on two days and two devices is one")
	require.Equal(t, []report.ReachCell{{Key: "default", Reach: 1, Exposures: 1}, {Key: "sale", Reach: 2, Exposures: 3}}, got.Variants)
	require.Equal(t, []report.ReachCell{{Key: "desktop", Reach: 2, Exposures: 2}, {Key: "mobile", Reach: 2, Exposures: 2}}, got.Devices)
	require.Equal(t, []report.ReachCell{{Key: "web", Reach: 3, Exposures: 4}}, got.Channels)
	require.ElementsMatch(t, []report.CampaignOutcome{
		{Variant: "sale", Units: 2, Converters: 1, Count: 2, Revenue: 60, RevenueSq: 3600},
		{Variant: "default", Units: 1, Converters: 1, Count: 1, Revenue: 10, RevenueSq: 100},
	}, got.Outcomes)
	day2 := rt0.AddDate(0, 0, 1)
	got, err = b.svc.CampaignReport(ctx, "winter", report.Range{From: day2, To: day2}, "", "")
	require.NoError(t, err)
	require.Equal(t, int64(1), got.Reach, "only v1 was reached on the second day")
	require.Empty(t, got.Outcomes)
	// Half-open ranges: each bound alone (an open bound is ±infinity in
	// the SQL, not "IS NULL OR", so it must still include everything).
	got, err = b.svc.CampaignReport(ctx, "winter", report.Range{From: day2}, "", "")
	require.NoError(t, err)
	require.Equal(t, int64(1), got.Reach)
	require.Equal(t, []report.ReachCell{{Key: "sale", Reach: 1, Exposures: 1}}, got.Variants)
	got, err = b.svc.CampaignReport(ctx, "winter", report.Range{To: rt0}, "", "")
	require.NoError(t, err)
	require.Equal(t, int64(3), got.Reach, "the first day: v1, v2 and v3")
	require.Equal(t, []report.ReachCell{{Key: "default", Reach: 1, Exposures: 1}, {Key: "sale", Reach: 2, Exposures: 2}}, got.Variants)
	// A range with no exposures counts nothing.
	got, err = b.svc.CampaignReport(ctx, "winter", report.Range{To: rt0.AddDate(0, 0, -1)}, "", "")
	require.NoError(t, err)
	require.Zero(t, got.Reach)
	require.Empty(t, got.Variants)
	require.Empty(t, got.Devices)

	_, err = b.svc.CampaignReport(ctx, "ghost", report.Range{}, "", "")
	require.Equal(t, errs.NotFound, errs.CodeOf(err))
	_, err = b.svc.CampaignReport(ctx, "winter", report.Range{}, "purchase", "48h")
	require.Equal(t, errs.BadUserInput, errs.CodeOf(err))
	_, err = b.svc.CampaignReport(ctx, "winter", report.Range{From: day2, To: rt0.AddDate(0, 0, -1)}, "", "")
	require.Equal(t, errs.BadUserInput, errs.CodeOf(err))
}
