package server_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
)

const campaignFields = `id key name status priority channels timeZone startsAt endsAt startsAtLocal endsAtLocal
	stoppedAt stoppedBy archived nextTransition releaseSize version`

func TestCampaignLifecycle(t *testing.T) {
	t.Parallel()
	app := newCampaignApp(t)
	id := createCampaign(t, app, map[string]any{"key": "spring", "name": "Spring", "timeZone": "Europe/Bucharest",
		"channels": []any{"web", "app"}})
	get := func() map[string]any {
		resp := app.Query(app.editor, `query($id: ID!) { campaign(id: $id) { `+campaignFields+` } }`, map[string]any{"id": id})
		require.Empty(t, resp.Errors, resp.Raw)
		return resp.Data["campaign"].(map[string]any)
	}
	require.Equal(t, []any{"web", "app"}, get()["channels"])

	// Local input: midnight in Bucharest is 22:00 UTC the day before.
	local := app.Query(app.editor, `mutation($id: ID!) {
		scheduleCampaignLocal(id: $id, startsAt: "2026-12-02T00:00", endsAt: "2026-12-03T00:00") { startsAt endsAt startsAtLocal status } }`,
		map[string]any{"id": id})
	require.Empty(t, local.Errors, local.Raw)
	require.Equal(t, "2026-12-01T22:00:00Z", testapp.Path(local.Data, "scheduleCampaignLocal", "startsAt"))
	require.Equal(t, "2026-12-02T00:00:00", testapp.Path(local.Data, "scheduleCampaignLocal", "startsAtLocal"))
	require.Equal(t, "SCHEDULED", testapp.Path(local.Data, "scheduleCampaignLocal", "status"))
	start := time.Date(2026, 12, 1, 22, 0, 0, 0, time.UTC)
	require.Equal(t, start.Format(time.RFC3339), get()["nextTransition"])

	app.clock.Set(start)
	// Tokens are issued by the test clock: new ones for the new instant.
	app.editor = app.Token(auth.RoleEditor)
	publisher := app.Token(auth.RolePublisher)
	c := get()
	require.Equal(t, "LIVE", c["status"], "derived from the clock, no job ran")
	require.Equal(t, "2026-12-02T22:00:00Z", c["nextTransition"])

	// A live campaign's start moves only with force; its end may move.
	move := `mutation($id: ID!, $s: DateTime!, $e: DateTime!, $f: Boolean) { scheduleCampaign(id: $id, startsAt: $s, endsAt: $e, force: $f) { status endsAt } }`
	refused := app.Query(app.editor, move, map[string]any{"id": id, "s": start.Add(time.Hour), "e": start.Add(48 * time.Hour)})
	require.Equal(t, "CONFLICT", refused.Code(), refused.Raw)
	require.Contains(t, refused.Errors[0].Message, "force")
	longer := app.Query(app.editor, move, map[string]any{"id": id, "s": start, "e": start.Add(48 * time.Hour)})
	require.Empty(t, longer.Errors, longer.Raw)
	forced := app.Query(app.editor, move, map[string]any{"id": id, "s": start.Add(time.Hour), "e": start.Add(48 * time.Hour), "f": true})
	require.Empty(t, forced.Errors, forced.Raw)
	require.Equal(t, "SCHEDULED", testapp.Path(forced.Data, "scheduleCampaign", "status"), "moved into the future")

	launch := app.Query(app.editor, `mutation($id: ID!) { launchCampaign(id: $id) { status startsAt } }`, map[string]any{"id": id})
	require.Empty(t, launch.Errors, launch.Raw)
	require.Equal(t, "LIVE", testapp.Path(launch.Data, "launchCampaign", "status"))
	require.Equal(t, start.Format(time.RFC3339), testapp.Path(launch.Data, "launchCampaign", "startsAt"))

	upd := app.Query(app.editor, `mutation($id: ID!, $v: Int) { updateCampaign(id: $id, input: {name: "Spring!", priority: 3, channels: []}, expectedVersion: $v) { name priority channels version } }`,
		map[string]any{"id": id, "v": get()["version"]})
	require.Empty(t, upd.Errors, upd.Raw)
	require.Equal(t, []any{}, testapp.Path(upd.Data, "updateCampaign", "channels"), "empty means every channel")

	listed := app.Query(app.editor, `{ campaigns(status: LIVE) { key } }`, nil)
	require.Empty(t, listed.Errors, listed.Raw)
	require.Equal(t, []any{map[string]any{"key": "spring"}}, listed.Data["campaigns"])

	stop := app.Query(publisher, `mutation($id: ID!) { stopCampaign(id: $id) { status stoppedAt stoppedBy } }`, map[string]any{"id": id})
	require.Empty(t, stop.Errors, stop.Raw)
	require.Equal(t, "STOPPED", testapp.Path(stop.Data, "stopCampaign", "status"))
	require.Equal(t, "test-publisher", testapp.Path(stop.Data, "stopCampaign", "stoppedBy"))
	archive := app.Query(app.editor, `mutation($id: ID!) { archiveCampaign(id: $id) { archived status } }`, map[string]any{"id": id})
	require.Empty(t, archive.Errors, archive.Raw)
	require.Equal(t, true, testapp.Path(archive.Data, "archiveCampaign", "archived"))
	hidden := app.Query(app.editor, `{ campaigns { key } all: campaigns(includeArchived: true) { key } }`, nil)
	require.Equal(t, []any{map[string]any{"key": "winter-sale"}}, hidden.Data["campaigns"])
	require.Len(t, hidden.Data["all"], 2)
}

// campaignSnapshot counts the rows a campaign write could touch.
func campaignSnapshot(t *testing.T, app *testapp.App) map[string]any {
	t.Helper()
	return snapshotPlus(t, app,
		"SELECT count(*)::text FROM campaign_release_items",
		"SELECT count(*)::text FROM scheduled_publications",
		"SELECT COALESCE(string_agg(key || ':' || version || ':' || COALESCE(starts_at::text, '') || ':' || COALESCE(stopped_at::text, '') || ':' || COALESCE(archived_at::text, ''), ',' ORDER BY key), '') FROM campaigns")
}

func TestCampaignBadInput(t *testing.T) {
	t.Parallel()
	app := newCampaignApp(t)
	publisher := app.Token(auth.RolePublisher)
	live := createCampaign(t, app, map[string]any{"key": "live-one", "name": "Live"})
	require.Empty(t, app.Query(app.editor, `mutation($id: ID!) { launchCampaign(id: $id, endsAt: "2026-12-31T00:00:00Z") { id } }`,
		map[string]any{"id": live}).Errors)
	ws := app.campaign
	home := app.Query(app.editor, `{ entry(slug: "home", type: "page") { id } }`, nil)
	homeID := testapp.Path(home.Data, "entry", "id").(string)
	homeDraft := app.Query(app.editor, `query($id: ID!) { draft(id: $id) { version } }`, map[string]any{"id": homeID})

	schedule := `mutation($id: ID!, $s: DateTime!, $e: DateTime!, $v: Int) { scheduleCampaign(id: $id, startsAt: $s, endsAt: $e, expectedVersion: $v) { id } }`
	local := `mutation($id: ID!, $s: String!, $e: String!) { scheduleCampaignLocal(id: $id, startsAt: $s, endsAt: $e) { id } }`
	create := `mutation($in: CreateCampaignInput!) { createCampaign(input: $in) { id } }`
	cases := []struct {
		name, token, query string
		vars               map[string]any
		code, msg, path    string
	}{
		{name: "bad key", token: app.editor, query: create, vars: map[string]any{"in": map[string]any{"key": "no spaces", "name": "x"}},
			code: "BAD_USER_INPUT", msg: "invalid campaign", path: "key"},
		{name: "no name", token: app.editor, query: create, vars: map[string]any{"in": map[string]any{"key": "x", "name": " "}},
			code: "BAD_USER_INPUT", msg: "name", path: "name"},
		{name: "taken key", token: app.editor, query: create, vars: map[string]any{"in": map[string]any{"key": "winter-sale", "name": "x"}},
			code: "CONFLICT", msg: "taken"},
		{name: "unknown channel", token: app.editor, query: create, vars: map[string]any{"in": map[string]any{"key": "x", "name": "x", "channels": []any{"fax"}}},
			code: "BAD_USER_INPUT", msg: "unknown channel", path: "channels.0"},
		{name: "unknown time zone", token: app.editor, query: create, vars: map[string]any{"in": map[string]any{"key": "x", "name": "x", "timeZone": "Mars/Olympus"}},
			code: "BAD_USER_INPUT", msg: "time zone", path: "timeZone"},
		{name: "ends before it starts", token: app.editor, query: schedule,
			vars: map[string]any{"id": ws, "s": switchStart, "e": switchStart.Add(-time.Minute)}, code: "BAD_USER_INPUT", msg: "after startsAt", path: "endsAt"},
		{name: "empty window", token: app.editor, query: schedule,
			vars: map[string]any{"id": ws, "s": switchStart, "e": switchStart}, code: "BAD_USER_INPUT", msg: "after startsAt", path: "endsAt"},
		{name: "window in the past", token: app.editor, query: schedule,
			vars: map[string]any{"id": ws, "s": switchBase.Add(-2 * time.Hour), "e": switchBase.Add(-time.Hour)}, code: "BAD_USER_INPUT", msg: "in the past", path: "endsAt"},
		{name: "start in the past", token: app.editor, query: schedule,
			vars: map[string]any{"id": ws, "s": switchBase.Add(-time.Millisecond), "e": switchEnd}, code: "BAD_USER_INPUT", msg: "launchCampaign", path: "startsAt"},
		{name: "stale version", token: app.editor, query: schedule,
			vars: map[string]any{"id": ws, "s": switchStart, "e": switchEnd, "v": 99}, code: "CONFLICT", msg: "version"},
		{name: "local time skipped by DST", token: app.editor, query: local,
			vars: map[string]any{"id": ws, "s": "2027-03-28T03:30", "e": "2027-04-01T00:00"}, code: "BAD_USER_INPUT", msg: "does not exist", path: "startsAt"},
		{name: "local time repeated by DST", token: app.editor, query: local,
			vars: map[string]any{"id": ws, "s": "2026-12-24T00:00", "e": "2027-10-31T03:30"}, code: "BAD_USER_INPUT", msg: "happens twice", path: "endsAt"},
		{name: "local time with an offset", token: app.editor, query: local,
			vars: map[string]any{"id": ws, "s": "2026-12-24T00:00Z", "e": "2026-12-25T00:00"}, code: "BAD_USER_INPUT", msg: "local date-time", path: "startsAt"},
		{name: "moving a live start without force", token: app.editor, query: schedule,
			vars: map[string]any{"id": live, "s": switchStart, "e": switchEnd}, code: "CONFLICT", msg: "force"},
		{name: "unknown campaign", token: app.editor, query: schedule,
			vars: map[string]any{"id": "00000000-0000-4000-8000-000000000000", "s": switchStart, "e": switchEnd}, code: "NOT_FOUND", msg: "not found"},
		{name: "malformed id", token: publisher, query: `mutation { stopCampaign(id: "nope") { id } }`, code: "NOT_FOUND", msg: "not found"},
		{name: "stopping a draft", token: publisher, query: `mutation($id: ID!) { stopCampaign(id: $id) { id } }`,
			vars: map[string]any{"id": ws}, code: "CONFLICT", msg: "only a scheduled or live"},
		{name: "archiving a live campaign", token: app.editor, query: `mutation($id: ID!) { archiveCampaign(id: $id) { id } }`,
			vars: map[string]any{"id": live}, code: "CONFLICT", msg: "stop it first"},
		{name: "launching a draft without an end", token: app.editor, query: `mutation($id: ID!) { launchCampaign(id: $id) { id } }`,
			vars: map[string]any{"id": ws}, code: "BAD_USER_INPUT", msg: "endsAt is required", path: "endsAt"},
		{name: "launching a live campaign", token: app.editor, query: `mutation($id: ID!) { launchCampaign(id: $id) { id } }`,
			vars: map[string]any{"id": live}, code: "CONFLICT", msg: "LIVE"},
		{name: "release of an unknown entry", token: app.editor, query: `mutation($id: ID!) { addToRelease(campaignId: $id, entryId: "00000000-0000-4000-8000-000000000000") { id } }`,
			vars: map[string]any{"id": ws}, code: "NOT_FOUND", msg: "not found"},
		{name: "release of a live campaign", token: app.editor, query: `mutation($id: ID!, $e: ID!) { addToRelease(campaignId: $id, entryId: $e) { id } }`,
			vars: map[string]any{"id": live, "e": homeID}, code: "CONFLICT", msg: "before it starts"},
		{name: "variant of an unknown campaign", token: app.editor, query: upsertVariant, code: "BAD_USER_INPUT", msg: "invalid",
			vars: map[string]any{"id": homeID, "block": "hero", "v": testapp.Path(homeDraft.Data, "draft", "version"),
				"in": map[string]any{"key": "ghost", "campaign": "ghost"}}, path: "fields.blocks.0.variants.4.campaign"},
		{name: "campaign by id and key", token: app.editor, query: `{ campaign(id: "x", key: "y") { id } }`, code: "BAD_USER_INPUT", msg: "exactly one"},
		{name: "timeline backwards", token: app.editor, query: `query($f: DateTime!, $t: DateTime!) { campaignTimeline(from: $f, to: $t) { at } }`,
			vars: map[string]any{"f": switchEnd, "t": switchStart}, code: "BAD_USER_INPUT", msg: "after from", path: "to"},
		{name: "unknown status", token: app.editor, query: `{ campaigns(status: RUNNING) { id } }`, code: "BAD_USER_INPUT"},
		{name: "anonymous create", query: create, vars: map[string]any{"in": map[string]any{"key": "x", "name": "x"}},
			code: "UNAUTHENTICATED", msg: "authentication required"},
		{name: "viewer cannot schedule", token: app.Token(auth.RoleViewer), query: schedule,
			vars: map[string]any{"id": ws, "s": switchStart, "e": switchEnd}, code: "FORBIDDEN", msg: "campaign.schedule"},
		{name: "editor cannot stop", token: app.editor, query: `mutation($id: ID!) { stopCampaign(id: $id) { id } }`,
			vars: map[string]any{"id": live}, code: "FORBIDDEN", msg: "campaign.stop"},
		{name: "anonymous cannot list", query: `{ campaigns { id } }`, code: "UNAUTHENTICATED"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := campaignSnapshot(t, app.App)
			resp := app.Query(tc.token, tc.query, tc.vars)
			require.NotEmpty(t, resp.Errors, resp.Raw)
			require.Equal(t, tc.code, resp.Code(), resp.Raw)
			require.Contains(t, resp.Errors[0].Message, tc.msg, resp.Raw)
			require.Less(t, resp.Status, 500, resp.Raw)
			if tc.path != "" {
				require.Contains(t, fieldPaths(resp), tc.path, resp.Raw)
			}
			require.Equal(t, before, campaignSnapshot(t, app.App), "a rejected write changed the database")
		})
	}
}
