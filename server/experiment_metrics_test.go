package server_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
)

const judgedFields = `key version primaryMetric guardrailMetrics plannedSampleSize`

// Experiments name the metrics they are judged on by key and a planned
// sample size, at create and update; unknown metrics and impossible sizes
// are BAD_USER_INPUT and store nothing.
func TestExperimentMetricsAndPlannedSize(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{Measurement: true})
	editor, viewer := app.Token(auth.RoleEditor), app.Token(auth.RoleViewer)
	for _, m := range []string{`{key: "jm-buy", name: "Buyers", kind: CONVERSION, event: "buy"}`,
		`{key: "jm-rev", name: "Revenue", kind: REVENUE, event: "buy", guardrail: true}`,
		`{key: "jm-bounce", name: "Bounces", kind: COUNT, event: "bounce", goal: DECREASE, guardrail: true}`} {
		r := app.Query(editor, `mutation { createMetric(input: `+m+`) { key } }`, nil)
		require.Empty(t, r.Errors, r.Raw)
	}

	const create = `mutation($in: ExperimentInput!) { createExperiment(input: $in) { ` + judgedFields + ` } }`
	in := func(extra map[string]any) map[string]any {
		x := map[string]any{"key": "jm", "name": "Judged", "arms": []any{map[string]any{"key": "a", "weight": 1}, map[string]any{"key": "b", "weight": 1}}}
		for k, v := range extra {
			x[k] = v
		}
		return map[string]any{"in": x}
	}
	for name, tc := range map[string]struct {
		extra    map[string]any
		contains string
	}{
		"unknown primary":   {map[string]any{"primaryMetric": "nope"}, `no metric \"nope\"`},
		"unknown guardrail": {map[string]any{"primaryMetric": "jm-buy", "guardrailMetrics": []any{"jm-rev", "ghost"}}, `ghost`},
		"twice":             {map[string]any{"guardrailMetrics": []any{"jm-rev", "jm-rev"}}, "listed twice"},
		"size zero":         {map[string]any{"plannedSampleSize": 0}, "plannedSampleSize"},
		"size negative":     {map[string]any{"plannedSampleSize": -5}, "plannedSampleSize"},
	} {
		r := app.Query(editor, create, in(tc.extra))
		require.Equal(t, "BAD_USER_INPUT", r.Code(), "%s: %s", name, r.Raw)
		require.Contains(t, r.Raw, tc.contains, name)
		r = app.Query(viewer, `{ experiment(key: "jm") { key } }`, nil)
		require.Nil(t, r.Data["experiment"], "%s stored nothing", name)
	}

	r := app.Query(editor, create, in(map[string]any{"primaryMetric": "jm-buy", "guardrailMetrics": []any{"jm-rev", "jm-bounce"},
		"plannedSampleSize": 20000}))
	require.Empty(t, r.Errors, r.Raw)
	require.Equal(t, map[string]any{"key": "jm", "version": float64(1), "primaryMetric": "jm-buy",
		"guardrailMetrics": []any{"jm-rev", "jm-bounce"}, "plannedSampleSize": float64(20000)}, r.Data["createExperiment"])

	// An archived metric still judges: archiving does not break experiments.
	r = app.Query(editor, `mutation { archiveMetric(key: "jm-bounce") { key } }`, nil)
	require.Empty(t, r.Errors, r.Raw)

	const update = `mutation($in: ExperimentInput!, $v: Int!) { updateExperiment(input: $in, expectedVersion: $v) { ` + judgedFields + ` } }`
	vars := in(map[string]any{"primaryMetric": "ghost"})
	vars["v"] = 1
	r = app.Query(editor, update, vars)
	require.Equal(t, "BAD_USER_INPUT", r.Code(), r.Raw)
	vars = in(map[string]any{"primaryMetric": "jm-rev", "guardrailMetrics": []any{"jm-bounce"}})
	vars["v"] = 1
	r = app.Query(editor, update, vars)
	require.Empty(t, r.Errors, r.Raw)
	require.Equal(t, map[string]any{"key": "jm", "version": float64(2), "primaryMetric": "jm-rev",
		"guardrailMetrics": []any{"jm-bounce"}, "plannedSampleSize": nil}, r.Data["updateExperiment"],
		"an update replaces the metrics and the plan, as it replaces the arms")

	r = app.Query(viewer, `{ experiments { key primaryMetric guardrailMetrics plannedSampleSize } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	require.Contains(t, r.Raw, `{"key":"cta-test","primaryMetric":null,"guardrailMetrics":[],"plannedSampleSize":null}`,
		"an experiment without metrics says so")
}
