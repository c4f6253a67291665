package server_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
)

const experimentFields = `key status coverage startedAt stoppedAt winner version`

// DRAFT → RUNNING → STOPPED through the API: invalid moves are CONFLICT
// naming the status, a winner must be an arm, every move is audited, and a
// stopped experiment buckets nobody: the block shows its default, no
// exposure is named, and the decision says why.
func TestExperimentStartStop(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{Measurement: true})
	editor, viewer := app.Token(auth.RoleEditor), app.Token(auth.RoleViewer)
	key := app.APIKey(auth.ScopeDelivery)

	r := app.Query(viewer, `{ experiment(key: "cta-test") { `+experimentFields+` } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	x := r.Data["experiment"].(map[string]any)
	require.Equal(t, "RUNNING", x["status"], "experiments made before the lifecycle run")
	require.NotNil(t, x["startedAt"])
	require.Nil(t, x["stoppedAt"])
	require.Equal(t, 1.0, x["coverage"])

	r = app.Query(editor, `mutation { createExperiment(input: {key: "lc", name: "LC", arms: [{key: "a", weight: 1}, {key: "b", weight: 1}],
		holdout: 0.25, draft: true}) { `+experimentFields+` } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	x = r.Data["createExperiment"].(map[string]any)
	require.Equal(t, "DRAFT", x["status"])
	require.Nil(t, x["startedAt"])
	require.Equal(t, 0.75, x["coverage"])

	for name, tc := range map[string]struct{ token, query, code, contains string }{
		"start running":  {editor, `mutation { startExperiment(key: "cta-test") { key } }`, "CONFLICT", "RUNNING"},
		"unknown start":  {editor, `mutation { startExperiment(key: "ghost") { key } }`, "NOT_FOUND", "ghost"},
		"unknown stop":   {editor, `mutation { stopExperiment(key: "ghost") { key } }`, "NOT_FOUND", "ghost"},
		"winner not arm": {editor, `mutation { stopExperiment(key: "lc", winner: "zzz") { key } }`, "BAD_USER_INPUT", "zzz"},
		"viewer":         {viewer, `mutation { startExperiment(key: "lc") { key } }`, "FORBIDDEN", ""},
	} {
		r := app.Query(tc.token, tc.query, nil)
		require.Equal(t, tc.code, r.Code(), "%s: %s", name, r.Raw)
		require.Contains(t, r.Raw, tc.contains, name)
	}

	r = app.Query(editor, `mutation { startExperiment(key: "lc") { `+experimentFields+` } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	require.Equal(t, "RUNNING", r.Data["startExperiment"].(map[string]any)["status"])
	require.NotNil(t, r.Data["startExperiment"].(map[string]any)["startedAt"])

	// cta-test buckets visitors while it runs.
	_, arm := identified(t, app, key, "lc-visitor", "desktop")
	require.NotEmpty(t, arm)

	r = app.Query(editor, `mutation { stopExperiment(key: "cta-test", winner: "b") { `+experimentFields+` } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	x = r.Data["stopExperiment"].(map[string]any)
	require.Equal(t, "STOPPED", x["status"])
	require.Equal(t, "b", x["winner"])
	require.NotNil(t, x["stoppedAt"])

	require.Eventually(t, func() bool {
		r := app.QueryKey(key, `query($ctx: ExperienceContext) { entry(slug: "home", type: "page", context: $ctx) {
			blocks { decision { variant experiment reason } } } }`,
			map[string]any{"ctx": map[string]any{"visitorId": "lc-visitor", "device": "desktop", "channel": "web"}})
		if len(r.Errors) > 0 {
			return false
		}
		notRunning := false
		for _, b := range r.Data["entry"].(map[string]any)["blocks"].([]any) {
			d := b.(map[string]any)["decision"].(map[string]any)
			if d["experiment"] != nil {
				return false // still exposed to an experiment
			}
			if d["reason"] == "experiment cta-test is not running: default" {
				notRunning = d["variant"] == "default"
			}
		}
		return notRunning
	}, 10*time.Second, 20*time.Millisecond, "a stopped experiment buckets nobody and says so")

	for _, q := range []string{`mutation { stopExperiment(key: "cta-test") { key } }`, `mutation { startExperiment(key: "cta-test") { key } }`} {
		r = app.Query(editor, q, nil)
		require.Equal(t, "CONFLICT", r.Code(), r.Raw)
		require.Contains(t, r.Raw, "STOPPED")
	}

	var audited int
	require.NoError(t, app.Pool.QueryRow(t.Context(), `SELECT count(*) FROM audit_log
		WHERE action IN ('startExperiment', 'stopExperiment')`).Scan(&audited))
	require.Equal(t, 2, audited, "one start and one stop succeeded")
}
