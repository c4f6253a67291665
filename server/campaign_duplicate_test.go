package server_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// TestDuplicateCampaignPlaysTheDemoAgain: after the tour's kill switch
// winter-sale is STOPPED for good; duplicateCampaign makes a DRAFT with the
// same scope and a copy of each variant, live nowhere until its own start,
// then live on web and kiosk at exactly that instant.
func TestDuplicateCampaignPlaysTheDemoAgain(t *testing.T) {
	t.Parallel()
	app := newCampaignApp(t)
	publisher := app.Token(auth.RolePublisher)
	heroes := func() [2]any {
		t.Helper()
		home := app.Query("", switchQuery, map[string]any{"slug": "home", "type": "page", "ctx": map[string]any{"channel": "web"}})
		lobby := app.Query("", switchQuery, map[string]any{"slug": "lobby", "type": "screen", "ctx": map[string]any{"channel": "kiosk"}})
		require.Empty(t, home.Errors, home.Raw)
		require.Empty(t, lobby.Errors, lobby.Raw)
		return [2]any{testapp.Path(home.Data, "entry", "blocks", 0, "decision", "variant"),
			testapp.Path(lobby.Data, "entry", "blocks", 0, "decision", "variant")}
	}

	// The tour: launch, then the kill switch.
	launch := app.Query(app.editor, `mutation($id: ID!, $e: DateTime!) { launchCampaign(id: $id, endsAt: $e) { status } }`,
		map[string]any{"id": app.campaign, "e": switchEnd})
	require.Empty(t, launch.Errors, launch.Raw)
	require.Equal(t, [2]any{"winter-sale", "winter-sale"}, heroes())
	stop := app.Query(publisher, `mutation($id: ID!) { stopCampaign(id: $id) { status } }`, map[string]any{"id": app.campaign})
	require.Empty(t, stop.Errors, stop.Raw)
	require.NotEqual(t, "winter-sale", heroes()[0])

	dup := app.Query(app.editor, `mutation { duplicateCampaign(key: "winter-sale", newKey: "winter-sale-2") {
		id key name status timeZone priority channels releaseSize variants { slug locale blockId variant published } } }`, nil)
	require.Empty(t, dup.Errors, dup.Raw)
	c := dup.Data["duplicateCampaign"].(map[string]any)
	require.Equal(t, "winter-sale-2", c["key"])
	require.Equal(t, "Winter sale (copy)", c["name"])
	require.Equal(t, "DRAFT", c["status"])
	require.Equal(t, "Europe/Bucharest", c["timeZone"])
	require.EqualValues(t, 10, c["priority"])
	require.EqualValues(t, 4, c["releaseSize"], "home and lobby, en and ro")
	var owned []string
	for _, v := range c["variants"].([]any) {
		m := v.(map[string]any)
		require.Equal(t, "winter-sale-2", m["variant"])
		require.Equal(t, false, m["published"], "nothing of it is published before its start")
		owned = append(owned, m["slug"].(string)+"/"+m["locale"].(string)+"/"+m["blockId"].(string))
	}
	require.ElementsMatch(t, []string{"home/en/hero", "home/ro/hero", "lobby/en/lobby-hero", "lobby/ro/lobby-hero"}, owned)
	orig := app.Query(app.editor, `{ campaign(key: "winter-sale") { status variants { variant } } }`, nil)
	require.Equal(t, "STOPPED", testapp.Path(orig.Data, "campaign", "status"), "the original keeps its history")
	require.Len(t, testapp.Path(orig.Data, "campaign", "variants"), 4)
	require.NotContains(t, heroes(), "winter-sale-2", "a draft campaign is live nowhere")

	start := app.clock.Now().Add(time.Minute).Truncate(time.Millisecond)
	sched := app.Query(app.editor, `mutation($id: ID!, $s: DateTime!, $e: DateTime!) { scheduleCampaign(id: $id, startsAt: $s, endsAt: $e) { status } }`,
		map[string]any{"id": c["id"], "s": start, "e": start.Add(time.Hour)})
	require.Empty(t, sched.Errors, sched.Raw)
	app.clock.Set(start.Add(-time.Millisecond))
	require.NotContains(t, heroes(), "winter-sale-2")
	app.clock.Set(start)
	require.Equal(t, [2]any{"winter-sale-2", "winter-sale-2"}, heroes(), "the copy switches on web and kiosk at its start")

	var audited int
	require.NoError(t, app.Pool.QueryRow(t.Context(),
		`SELECT count(*) FROM audit_log WHERE action = 'duplicateCampaign' AND entity_id = $1`, c["id"]).Scan(&audited))
	require.Equal(t, 1, audited)
}

func TestDuplicateCampaignRefusals(t *testing.T) {
	t.Parallel()
	app := newCampaignApp(t)
	dup := `mutation($id: ID, $key: String, $new: String!) { duplicateCampaign(id: $id, key: $key, newKey: $new) { id } }`
	cases := []struct {
		name, token string
		vars        map[string]any
		code, msg   string
		path        string
	}{
		{name: "taken key", token: app.editor, vars: map[string]any{"key": "winter-sale", "new": "winter-sale"}, code: "CONFLICT", msg: "taken"},
		{name: "unknown key", token: app.editor, vars: map[string]any{"key": "summer", "new": "summer-2"}, code: "NOT_FOUND", msg: "not found"},
		{name: "unknown id", token: app.editor, vars: map[string]any{"id": "00000000-0000-4000-8000-000000000000", "new": "x"},
			code: "NOT_FOUND", msg: "not found"},
		{name: "id and key", token: app.editor, vars: map[string]any{"id": app.campaign, "key": "winter-sale", "new": "x"},
			code: "BAD_USER_INPUT", msg: "exactly one"},
		{name: "neither id nor key", token: app.editor, vars: map[string]any{"new": "x"}, code: "BAD_USER_INPUT", msg: "exactly one"},
		{name: "bad new key", token: app.editor, vars: map[string]any{"key": "winter-sale", "new": "no spaces"},
			code: "BAD_USER_INPUT", msg: "invalid campaign", path: "key"},
		{name: "viewer", token: app.Token(auth.RoleViewer), vars: map[string]any{"key": "winter-sale", "new": "x"},
			code: "FORBIDDEN", msg: "campaign.schedule"},
		{name: "anonymous", vars: map[string]any{"key": "winter-sale", "new": "x"}, code: "UNAUTHENTICATED"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := campaignSnapshot(t, app.App)
			resp := app.Query(tc.token, dup, tc.vars)
			require.NotEmpty(t, resp.Errors, resp.Raw)
			require.Equal(t, tc.code, resp.Code(), resp.Raw)
			require.Contains(t, resp.Errors[0].Message, tc.msg, resp.Raw)
			require.Less(t, resp.Status, 500, resp.Raw)
			if tc.path != "" {
				require.Contains(t, fieldPaths(resp), tc.path, resp.Raw)
			}
			require.Equal(t, before, campaignSnapshot(t, app.App), "a refused duplicate changed the database")
		})
	}
}
