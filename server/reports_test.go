package server_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
	"github.com/mosaichq/mosaic/stats"
)

const resultsQuery = `query($m: String!, $alpha: Float, $from: DateTime, $to: DateTime) {
	experimentResults(key: "cta-test", metric: $m, alpha: $alpha, from: $from, to: $to) {
		experiment visitors computedAt alpha multipleExposures metric { key conversionWindow }
		arms { key visitors conversions total rate lift chanceToWin pValue ciLow ciHigh expectedLoss reason }
		srm { pValue warning tooFewUnits expectedShare observedShare } } }`

// Simulated visitors go through the real pipeline — a delivery read
// exposes each to cta-test (decision records), conversions arrive on
// /collect, the consumer rolls both up in PostgreSQL — and
// experimentResults equals stats.Analyze on sums computed by hand from
// what was sent.
func TestExperimentResultsEndToEnd(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{Measurement: true})
	key := app.APIKey(auth.ScopeDelivery)
	editor, viewer := app.Token(auth.RoleEditor), app.Token(auth.RoleViewer)

	r := app.Query(editor, `mutation { createMetric(input: {key: "rx-buyers", name: "Buyers", kind: CONVERSION, event: "rx-buy"}) {
		key conversionWindow goal guardrail version } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	require.Equal(t, map[string]any{"key": "rx-buyers", "conversionWindow": "72h", "goal": "INCREASE", "guardrail": false,
		"version": float64(1)}, r.Data["createMetric"])
	r = app.Query(editor, `mutation { createMetric(input: {key: "rx-revenue", name: "Revenue", kind: REVENUE, event: "rx-buy",
		conversionWindow: "24h", guardrail: true}) { key } }`, nil)
	require.Empty(t, r.Errors, r.Raw)

	const n = 16
	arms := map[string]string{}
	for i := range n {
		v := fmt.Sprintf("rx-%d", i)
		_, arms[v] = measured(t, app, key, v, "desktop")
	}
	exposuresRolledUp(t, app, "cta-test", n)

	// Every third visitor buys, some twice; value i.
	type sums struct{ units, buyers, sum, sumSq float64 }
	hand := map[string]*sums{"a": {}, "b": {}}
	var events []string
	for i := range n {
		v := fmt.Sprintf("rx-%d", i)
		s := hand[arms[v]]
		s.units++
		if i%3 != 0 {
			continue
		}
		events = append(events, fmt.Sprintf(`{"id":"rx-e%d","type":"conversion","visitorId":%q,"goal":"rx-buy","value":%d}`, i, v, i))
		total := float64(i)
		if i%2 == 0 {
			events = append(events, fmt.Sprintf(`{"id":"rx-f%d","type":"conversion","visitorId":%q,"goal":"rx-buy","value":1}`, i, v))
			total++
		}
		s.buyers++
		s.sum += total
		s.sumSq += total * total
	}
	ans := collect(t, app, "", "application/json", eventsBody(events...))
	require.Equal(t, len(events), ans.Accepted, ans.Raw)
	drained(t, app)

	for metric, kind := range map[string]stats.Kind{"rx-buyers": stats.Proportion, "rx-revenue": stats.Mean} {
		in := stats.Input{Config: stats.Config{Kind: kind}}
		for _, arm := range []string{"a", "b"} {
			s := hand[arm]
			sum := stats.Summary{Units: int64(s.units), Sum: s.buyers}
			if kind == stats.Mean {
				sum = stats.Summary{Units: int64(s.units), Sum: s.sum, SumSquares: s.sumSq}
			}
			in.Arms = append(in.Arms, stats.Arm{Key: arm, Weight: 1, Metric: sum})
		}
		want, err := stats.Analyze(in)
		require.NoError(t, err)
		r := app.Query(viewer, resultsQuery, map[string]any{"m": metric})
		require.Empty(t, r.Errors, r.Raw)
		got := r.Data["experimentResults"].(map[string]any)
		require.Equal(t, float64(n), got["visitors"], metric)
		require.Equal(t, 0.05, got["alpha"])
		require.Equal(t, float64(0), got["multipleExposures"])
		srm := got["srm"].(map[string]any)
		require.InDelta(t, want.SRM.PValue, srm["pValue"], 1e-12, metric)
		require.Equal(t, want.SRM.Warning, srm["warning"])
		garms := got["arms"].([]any)
		require.Len(t, garms, 2)
		for i, wa := range want.Arms {
			ga := garms[i].(map[string]any)
			require.Equal(t, wa.Key, ga["key"])
			require.Equal(t, float64(wa.Units), ga["visitors"])
			require.Equal(t, hand[wa.Key].buyers, ga["conversions"], metric)
			require.InDelta(t, wa.Mean, ga["rate"], 1e-12, metric)
			if i == 0 {
				require.Nil(t, ga["lift"], "the control has no lift")
				continue
			}
			rel, bay := wa.Versus.Relative, wa.Versus.Bayesian
			if !rel.Defined { // a control with no conversions: said, not NaN
				require.Nil(t, ga["lift"])
				require.NotEmpty(t, ga["reason"])
				continue
			}
			for field, w := range map[string]float64{"lift": rel.Estimate, "pValue": rel.PValue, "ciLow": rel.CILow,
				"ciHigh": rel.CIHigh, "chanceToWin": bay.ChanceToWin, "expectedLoss": bay.ExpectedLoss} {
				require.InDelta(t, w, ga[field], 1e-12, "%s %s", metric, field)
			}
		}
	}

	// The daily series and a breakdown by device, over GraphQL: every
	// visitor came today on a desktop, so both repeat the totals.
	r = app.Query(viewer, `{ experimentResults(key: "cta-test", metric: "rx-buyers", breakdown: [DEVICE]) {
		daily { day arms { key visitors conversions rate cumulativeVisitors cumulativeConversions cumulativeRate } }
		breakdowns { dimension cells { value visitors arms { key visitors conversions } srm { pValue } } } } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	got := r.Data["experimentResults"].(map[string]any)
	daily := got["daily"].([]any)
	require.Len(t, daily, 1, r.Raw)
	require.Equal(t, time.Now().UTC().Format(time.DateOnly), daily[0].(map[string]any)["day"])
	for i, a := range daily[0].(map[string]any)["arms"].([]any) {
		a, h := a.(map[string]any), hand[[]string{"a", "b"}[i]]
		require.Equal(t, h.units, a["visitors"])
		require.Equal(t, h.units, a["cumulativeVisitors"])
		require.Equal(t, h.buyers, a["conversions"])
		require.Equal(t, h.buyers, a["cumulativeConversions"])
		require.InDelta(t, h.buyers/h.units, a["rate"], 1e-12)
		require.Equal(t, a["rate"], a["cumulativeRate"])
	}
	b := got["breakdowns"].([]any)
	require.Len(t, b, 1)
	require.Equal(t, "DEVICE", b[0].(map[string]any)["dimension"])
	cells := b[0].(map[string]any)["cells"].([]any)
	require.Len(t, cells, 1)
	require.Equal(t, "desktop", cells[0].(map[string]any)["value"])
	require.Equal(t, float64(n), cells[0].(map[string]any)["visitors"])

	// The eligibility report: every visitor reached the cta block and was
	// exposed there; nothing in the seed's cta block outranks the arms.
	now := time.Now().UTC()
	r = app.Query(viewer, `query($from: DateTime!, $to: DateTime!) { experimentEligibility(key: "cta-test", from: $from, to: $to) {
		scanned blocks { blockId exposed taken bySegment byContext byCampaign } } }`,
		map[string]any{"from": now.Add(-time.Hour).Format(time.RFC3339), "to": now.Add(time.Hour).Format(time.RFC3339)})
	require.Empty(t, r.Errors, r.Raw)
	el := r.Data["experimentEligibility"].(map[string]any)
	require.GreaterOrEqual(t, el["scanned"], float64(n))
	blocks := el["blocks"].([]any)
	require.Len(t, blocks, 1, r.Raw)
	require.Equal(t, float64(n), blocks[0].(map[string]any)["exposed"])
	require.Equal(t, float64(0), blocks[0].(map[string]any)["taken"])

	// A day range with no cohort counts no one.
	tomorrow := time.Now().UTC().AddDate(0, 0, 1).Format(time.RFC3339)
	r = app.Query(viewer, resultsQuery, map[string]any{"m": "rx-buyers", "from": tomorrow})
	require.Empty(t, r.Errors, r.Raw)
	require.Equal(t, float64(0), r.Data["experimentResults"].(map[string]any)["visitors"])
}

// Every argument's bad value is refused with a code, never INTERNAL; a
// viewer reads reports but defines no metric; every metric write is audited.
func TestReportsRefusals(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{Measurement: true})
	editor, viewer := app.Token(auth.RoleEditor), app.Token(auth.RoleViewer)
	ok := app.Query(editor, `mutation { createMetric(input: {key: "rf", name: "Buyers", kind: CONVERSION, event: "buy"}) { key } }`, nil)
	require.Empty(t, ok.Errors, ok.Raw)

	for name, tc := range map[string]struct {
		token, query, code, contains string
	}{
		"window": {editor, `mutation { createMetric(input: {key: "w", name: "W", kind: COUNT, event: "x", conversionWindow: "48h"}) { key } }`,
			"BAD_USER_INPUT", "24h, 72h, 7d, 30d"},
		"filter": {editor, `mutation { createMetric(input: {key: "f", name: "F", kind: COUNT, event: "x", filter: {plan: "pro"}}) { key } }`,
			"BAD_USER_INPUT", "raw events"},
		"key":          {editor, `mutation { createMetric(input: {key: "A B", name: "F", kind: COUNT, event: "x"}) { key } }`, "BAD_USER_INPUT", ""},
		"name":         {editor, `mutation { createMetric(input: {key: "n", name: "", kind: COUNT, event: "x"}) { key } }`, "BAD_USER_INPUT", ""},
		"event":        {editor, `mutation { createMetric(input: {key: "e", name: "E", kind: COUNT, event: " "}) { key } }`, "BAD_USER_INPUT", ""},
		"duplicate":    {editor, `mutation { createMetric(input: {key: "rf", name: "Again", kind: COUNT, event: "x"}) { key } }`, "CONFLICT", ""},
		"stale update": {editor, `mutation { updateMetric(input: {key: "rf", name: "B", kind: CONVERSION, event: "buy"}, expectedVersion: 9) { key } }`, "CONFLICT", "version"},
		"archive none": {editor, `mutation { archiveMetric(key: "ghost") { key } }`, "NOT_FOUND", ""},
		"viewer write": {viewer, `mutation { createMetric(input: {key: "v", name: "V", kind: COUNT, event: "x"}) { key } }`, "FORBIDDEN", ""},
		"no token":     {"", `{ metrics { key } }`, "UNAUTHENTICATED", ""},
		"metric":       {viewer, `{ experimentResults(key: "cta-test", metric: "ghost") { visitors } }`, "NOT_FOUND", "ghost"},
		"experiment":   {viewer, `{ experimentResults(key: "ghost", metric: "rf") { visitors } }`, "NOT_FOUND", "ghost"},
		"alpha 0":      {viewer, `{ experimentResults(key: "cta-test", metric: "rf", alpha: 0) { visitors } }`, "BAD_USER_INPUT", "alpha"},
		"alpha 1":      {viewer, `{ experimentResults(key: "cta-test", metric: "rf", alpha: 1) { visitors } }`, "BAD_USER_INPUT", "alpha"},
		"range": {viewer, `{ experimentResults(key: "cta-test", metric: "rf", from: "2026-12-06T00:00:00Z", to: "2026-12-01T00:00:00Z") { visitors } }`,
			"BAD_USER_INPUT", ""},
		"eligibility range": {viewer, `{ experimentEligibility(key: "cta-test", from: "2026-01-01T00:00:00Z", to: "2026-03-01T00:00:00Z") { scanned } }`,
			"BAD_USER_INPUT", "31 days"},
		"eligibility experiment": {viewer, `{ experimentEligibility(key: "ghost", from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z") { scanned } }`,
			"NOT_FOUND", "ghost"},
		"campaign":        {viewer, `{ campaignReport(key: "ghost") { reach } }`, "NOT_FOUND", "ghost"},
		"campaign window": {viewer, `{ campaignReport(key: "ghost", event: "buy", window: "1h") { reach } }`, "BAD_USER_INPUT", "24h, 72h, 7d, 30d"},
		"from":            {viewer, `{ experimentResults(key: "cta-test", metric: "rf", from: "yesterday") { visitors } }`, "BAD_USER_INPUT", ""},
		"segment":         {viewer, `{ experimentResults(key: "cta-test", metric: "rf", breakdown: [DEVICE, SEGMENT]) { visitors } }`, "BAD_USER_INPUT", "no segment"},
		"breakdown twice": {viewer, `{ experimentResults(key: "cta-test", metric: "rf", breakdown: [LOCALE, LOCALE]) { visitors } }`, "BAD_USER_INPUT", "twice"},
		"breakdown enum":  {viewer, `{ experimentResults(key: "cta-test", metric: "rf", breakdown: [BROWSER]) { visitors } }`, "BAD_USER_INPUT", "BROWSER"},
	} {
		r := app.Query(tc.token, tc.query, nil)
		require.Equal(t, tc.code, r.Code(), "%s: %s", name, r.Raw)
		require.Contains(t, r.Raw, tc.contains, name)
	}
	r := app.Query(viewer, `{ metrics { key } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	require.Equal(t, []any{map[string]any{"key": "rf"}}, r.Data["metrics"], "nothing refused was stored")

	r = app.Query(editor, `mutation { archiveMetric(key: "rf") { archived version } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	r = app.Query(viewer, `{ metrics { key } all: metrics(archived: true) { key } metric(key: "rf") { archived } none: metric(key: "x") { key } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	require.Equal(t, []any{}, r.Data["metrics"])
	require.Len(t, r.Data["all"], 1)
	require.Nil(t, r.Data["none"])

	var audited int
	require.NoError(t, app.Pool.QueryRow(t.Context(), `SELECT count(*) FROM audit_log
		WHERE action IN ('createMetric', 'archiveMetric') AND entity_id = 'rf'`).Scan(&audited))
	require.Equal(t, 2, audited, "the create and the archive; no refused write")
}

// exposuresRolledUp waits until experiment's exposure rollup counts n
// units (a campaign's holdout split is "campaign:<key>").
func exposuresRolledUp(t *testing.T, app *testapp.App, experiment string, n int) {
	t.Helper()
	require.Eventually(t, func() bool {
		var c int
		err := app.Pool.QueryRow(t.Context(), `SELECT coalesce(sum(units), 0)::int FROM measurement_exposure_daily
			WHERE experiment = $1`, experiment).Scan(&c)
		return err == nil && c == n
	}, 30*time.Second, 20*time.Millisecond, "every visitor's exposure of %s is rolled up", experiment)
}
