package server_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// An editor tries a cap in the preview with made-up exposures
// (context.profile.exposures): the simulated person's history is all the
// counter knows, a capped variant gives way once it is spent, and
// nothing of it is recorded or counted as reach lost.
func TestPreviewSimulatesCaps(t *testing.T) {
	t.Parallel()
	// Mid-week in Bucharest, the cap's time zone: "1h" and "2h" ago are
	// this week whatever the hour the test runs at (at 22:00 UTC on a
	// Sunday a real clock is already in Bucharest's next week).
	wednesday := time.Date(2026, 12, 9, 12, 0, 0, 0, time.UTC)
	app := capApp(t, testapp.Options{Now: func() time.Time { return wednesday }})
	addCappedTeaser(t, app, 2)
	editor := app.Token(auth.RoleEditor)
	seen := func(exposures ...map[string]any) map[string]any {
		list := make([]any, len(exposures))
		for i, e := range exposures {
			list[i] = e
		}
		return map[string]any{"ctx": map[string]any{"visitorId": "editor-cap", "channel": "web", "device": "desktop",
			"profile": map[string]any{"exposures": list}}}
	}
	teaser := func(ago string) map[string]any {
		return map[string]any{"block": "hero", "variant": "teaser", "ago": ago}
	}

	v, _ := hero(t, app.Query(editor, capHome, seen()))
	require.Equal(t, "teaser", v, "a simulated person who saw nothing is shown the capped variant")
	v, _ = hero(t, app.Query(editor, capHome, seen(teaser("1h"))))
	require.Equal(t, "teaser", v, "seen once of twice this week")
	v, reason := hero(t, app.Query(editor, capHome, seen(teaser("1h"), teaser("2h"))))
	require.Equal(t, "evergreen", v, "seen twice: capped")
	require.Contains(t, reason, "capped: seen 2 of 2 times this week")
	v, _ = hero(t, app.Query(editor, capHome, seen(teaser("1h"), teaser("200h"))))
	require.Equal(t, "teaser", v, "an exposure last week does not count this week")

	r := app.Query(editor, capHome, seen(teaser("1h"), teaser("2h")))
	require.Empty(t, r.Errors, r.Raw)
	require.Nil(t, r.Data["entry"].(map[string]any)["decisionId"], "a simulation is never recorded")
	m := app.Get("", "/metrics")
	require.Equal(t, 200, m.Status, m.Raw)
	require.NotContains(t, m.Raw, `mosaic_personalization_cap_suppressed_total{channel="web"`, "an editor's test is not reach lost (the counter has no series until a real suppression)")

	for _, tc := range []struct {
		name string
		x    map[string]any
		path string
	}{
		{"a variant without its block", map[string]any{"variant": "teaser", "ago": "1h"}, "context.profile.exposures.0.block"},
		{"nothing named", map[string]any{"ago": "1h"}, "context.profile.exposures.0"},
		{"a duration that does not parse", map[string]any{"block": "hero", "variant": "teaser", "ago": "a week"}, "context.profile.exposures.0.ago"},
		{"both at and ago", map[string]any{"campaign": "winter-sale", "ago": "1h", "at": "2026-12-01T00:00:00Z"}, "context.profile.exposures.0"},
	} {
		r := app.Query(editor, capHome, seen(tc.x))
		require.Equal(t, "BAD_USER_INPUT", r.Code(), "%s: %s", tc.name, r.Raw)
		require.Contains(t, fieldPaths(r), tc.path, "%s: %s", tc.name, r.Raw)
	}
	key := app.APIKey(auth.ScopeDelivery)
	r = app.QueryKey(key, capHome, seen(teaser("1h")))
	require.Equal(t, "FORBIDDEN", r.Code(), "a delivery key may not simulate: %s", r.Raw)
}
