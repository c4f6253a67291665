package server_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// TestReadmeTourOnTodaysClock runs the README tour's steps that depend on
// the demo's words and on the date, on the real clock: the search examples
// (step 6) find demo content, and step 7's window — taken from the clock,
// as the README's command does — is accepted today.
func TestReadmeTourOnTodaysClock(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{Search: true})
	editor := app.Token(auth.RoleEditor)
	eventually(t, 5*time.Second, "demo indexed", func() bool {
		return search(t, app, map[string]any{"q": ""})["total"].(float64) > 0
	})
	require.Equal(t, []string{"knit-beanie"}, slugs(search(t, app, map[string]any{"q": "caciula", "locale": "ro"})))
	require.ElementsMatch(t, []string{"home", "lobby"}, slugs(search(t, app, map[string]any{"q": "cumparaturi", "locale": "ro"})),
		"the demo's Romanian promo says cumpărăturile")

	resp := app.Query(editor, `{ campaign(key: "winter-sale") { id status } }`, nil)
	require.Empty(t, resp.Errors, resp.Raw)
	require.Equal(t, "DRAFT", testapp.Path(resp.Data, "campaign", "status"))
	now := time.Now().UTC()
	sched := app.Query(editor, `mutation($id: ID!, $s: DateTime!, $e: DateTime!) { scheduleCampaign(id: $id, startsAt: $s, endsAt: $e) { status } }`,
		map[string]any{"id": testapp.Path(resp.Data, "campaign", "id"), "s": now.Add(20 * time.Second).Format(time.RFC3339),
			"e": now.Add(24 * time.Hour).Format(time.RFC3339)})
	require.Empty(t, sched.Errors, sched.Raw)
	require.Equal(t, "SCHEDULED", testapp.Path(sched.Data, "scheduleCampaign", "status"))
}
