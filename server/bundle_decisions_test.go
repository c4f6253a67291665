package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/bundle"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// A bundle asked for a kiosk session's visitor carries a decision id per
// frame, each the id of a decision record timed at the frame's start, and
// is private; a bundle for a context carries none and writes nothing; a
// 304 writes nothing either (the screen keeps the ids it has).
func TestScreenBundleDecisionIDs(t *testing.T) {
	app := newCampaignApp(t, func(o *testapp.Options) { o.Measurement = true })
	app.schedule(t, switchStart, switchEnd)
	const query = "channel=kiosk&device=kiosk&locale=en"

	resp, doc := app.bundle(t, query, "")
	require.Equal(t, http.StatusOK, resp.StatusCode, string(doc))
	require.NotContains(t, string(doc), "decisionId", "a bundle for a context is decided for no one")

	resp, doc = app.bundle(t, query+"&visitorId=kiosk-session-1", "")
	require.Equal(t, http.StatusOK, resp.StatusCode, string(doc))
	require.Equal(t, "private, no-store", resp.Header.Get("Cache-Control"))
	require.NoError(t, bundle.Verify(doc, publishedKeys(t, app.App)))
	b := decodeBundle(t, doc)
	require.Len(t, b.Frames, 3)
	want := map[string]time.Time{}
	for _, f := range b.Frames {
		require.NotEmpty(t, f.DecisionID)
		want[f.DecisionID] = f.ValidFrom
	}
	require.Len(t, want, 3, "one id per frame")

	records := func() map[string]time.Time {
		rows, err := app.Pool.Query(t.Context(), `SELECT id, time FROM measurement_decisions WHERE visitor_id = 'kiosk-session-1'`)
		require.NoError(t, err)
		got := map[string]time.Time{}
		for rows.Next() {
			var id string
			var at time.Time
			require.NoError(t, rows.Scan(&id, &at))
			got[id] = at.UTC()
		}
		return got
	}
	require.Eventually(t, func() bool { return len(records()) == 3 }, 30*time.Second, 20*time.Millisecond)
	require.Equal(t, want, records())

	// The same bundle again: 304, no record. Then GraphQL, which sends it
	// and writes three more: once they are in, the 304's would be too.
	resp, _ = app.bundle(t, query+"&visitorId=kiosk-session-1", resp.Header.Get("ETag"))
	require.Equal(t, http.StatusNotModified, resp.StatusCode)
	gq := app.Get("", "/graphql?query="+url.QueryEscape(`{ screenBundle(screen: "lobby", channel: "kiosk", device: "kiosk",
		locale: "en", visitorId: "kiosk-session-1") { frames } }`))
	require.Empty(t, gq.Errors, gq.Raw)
	require.Contains(t, gq.Header.Get("Cache-Control"), "no-store", "the visitor's bundle is never shared by a cache")
	require.Equal(t, 3, strings.Count(gq.Raw, `"decisionId"`), gq.Raw)
	require.Eventually(t, func() bool { return len(records()) >= 6 }, 30*time.Second, 20*time.Millisecond)
	require.Len(t, records(), 6)

	// The campaign frame reached the visitor, in the reach rollup.
	require.Eventually(t, func() bool {
		var units int
		err := app.Pool.QueryRow(t.Context(), `SELECT coalesce(sum(units), 0)::int FROM measurement_campaign_daily
			WHERE campaign = 'winter-sale'`).Scan(&units)
		return err == nil && units == 1
	}, 30*time.Second, 20*time.Millisecond)

	long := app.Get("", "/screens/lobby/bundle?"+query+"&visitorId="+strings.Repeat("v", bundle.MaxVisitorID+1))
	require.Equal(t, http.StatusBadRequest, long.Status, long.Raw)
	require.Equal(t, "BAD_USER_INPUT", long.Code())
}
