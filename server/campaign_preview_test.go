package server_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// Time travel: an editor sees what any channel will see at any instant,
// releases included; a calendar of transitions; and a diff of what a launch
// will really do.

func TestCampaignTimeTravel(t *testing.T) {
	t.Parallel()
	app := newCampaignApp(t)
	app.release(t)
	app.schedule(t, switchStart, switchEnd)
	viewer := app.Token(auth.RoleViewer)
	at := func(t time.Time, channel string) map[string]any {
		return map[string]any{"slug": "lobby", "type": "screen", "ctx": map[string]any{"channel": channel, "at": t}}
	}

	// The clock is an hour before the start; the preview is of the start.
	during := app.Query(viewer, switchQuery, at(switchStart, "kiosk"))
	require.Empty(t, during.Errors, during.Raw)
	require.Equal(t, "winter-sale", testapp.Path(block(t, during, "lobby-hero"), "decision", "variant"))
	require.Equal(t, "LIVE", testapp.Path(block(t, during, "lobby-hero"), "decision", "campaign", "status"),
		"the campaign's status as of the preview instant")
	require.Equal(t, "Winter sale lobby", testapp.Path(during.Data, "entry", "fields", "title"), "the release is previewed too")
	require.Equal(t, switchEnd.Format(time.RFC3339Nano), during.Exts["nextTransition"])
	require.Equal(t, "private, no-cache", during.Header.Get("Cache-Control"))

	before := app.Query(viewer, switchQuery, at(switchStart.Add(-time.Millisecond), "kiosk"))
	require.Equal(t, "kiosk", testapp.Path(block(t, before, "lobby-hero"), "decision", "variant"))
	require.Equal(t, "Lobby display", testapp.Path(before.Data, "entry", "fields", "title"))

	// Live delivery now is untouched by the previews (and their cache fills).
	now := app.Query("", switchQuery, map[string]any{"slug": "lobby", "type": "screen", "ctx": map[string]any{"channel": "kiosk"}})
	require.Equal(t, "kiosk", testapp.Path(block(t, now, "lobby-hero"), "decision", "variant"))
	require.Equal(t, "Lobby display", testapp.Path(now.Data, "entry", "fields", "title"))

	anonymous := app.Query("", switchQuery, at(switchStart, "kiosk"))
	require.Equal(t, "FORBIDDEN", anonymous.Code(), anonymous.Raw)

	// A list read at an instant sees the release too.
	list := app.Query(viewer, `query($at: DateTime) { entries(type: "screen", context: {at: $at}) { nodes { fields } } }`,
		map[string]any{"at": switchStart})
	require.Empty(t, list.Errors, list.Raw)
	require.Equal(t, "Winter sale lobby", testapp.Path(list.Data, "entries", "nodes", 0, "fields", "title"))
}

func TestCampaignTimeline(t *testing.T) {
	t.Parallel()
	app := newCampaignApp(t)
	app.schedule(t, switchStart, switchEnd)
	flash := createCampaign(t, app, map[string]any{"key": "flash", "name": "Flash sale", "priority": 5})
	app.Query(app.editor, `mutation($id: ID!, $s: DateTime!, $e: DateTime!) { scheduleCampaign(id: $id, startsAt: $s, endsAt: $e) { id } }`,
		map[string]any{"id": flash, "s": switchStart.Add(5 * time.Minute), "e": switchEnd.Add(time.Hour)})
	app.clock.Set(switchStart.Add(20 * time.Minute))
	stop := app.Query(app.Token(auth.RolePublisher), `mutation($id: ID!) { stopCampaign(id: $id) { status } }`, map[string]any{"id": flash})
	require.Empty(t, stop.Errors, stop.Raw)

	resp := app.Query(app.editor, `query($from: DateTime!, $to: DateTime!) {
		campaignTimeline(from: $from, to: $to) { at kind campaign { key } } }`,
		map[string]any{"from": switchBase, "to": switchBase.Add(24 * time.Hour)})
	require.Empty(t, resp.Errors, resp.Raw)
	var got []string
	for _, tr := range testapp.Path(resp.Data, "campaignTimeline").([]any) {
		at, _ := time.Parse(time.RFC3339Nano, testapp.Path(tr, "at").(string))
		got = append(got, testapp.Path(tr, "campaign", "key").(string)+" "+testapp.Path(tr, "kind").(string)+" +"+at.Sub(switchBase).String())
	}
	require.Equal(t, []string{"winter-sale STARTED +10m0s", "flash STARTED +15m0s", "flash STOPPED +30m0s", "winter-sale ENDED +40m0s"}, got)

	window := app.Query(app.editor, `query($from: DateTime!, $to: DateTime!) { campaignTimeline(from: $from, to: $to) { kind } }`,
		map[string]any{"from": switchStart.Add(time.Millisecond), "to": switchEnd})
	require.Len(t, testapp.Path(window.Data, "campaignTimeline"), 2, "[from, to) is half-open: %s", window.Raw)
}

func TestExperienceDiff(t *testing.T) {
	t.Parallel()
	app := newCampaignApp(t)
	app.release(t)
	app.schedule(t, switchStart, switchEnd)
	q := `query($ctx: ExperienceContext, $from: DateTime!, $to: DateTime!) {
		experienceDiff(slug: "home", type: "page", context: $ctx, from: $from, to: $to) {
			changed before { version } after { version }
			changes { blockId type kind fields
				before { decision { variant } fields } after { decision { variant campaign { key } } fields } } } }`
	viewer := app.Token(auth.RoleViewer)
	resp := app.Query(viewer, q, map[string]any{"ctx": map[string]any{"channel": "web"},
		"from": switchStart.Add(-time.Millisecond), "to": switchStart})
	require.Empty(t, resp.Errors, resp.Raw)
	require.Equal(t, true, testapp.Path(resp.Data, "experienceDiff", "changed"))
	changes := testapp.Path(resp.Data, "experienceDiff", "changes").([]any)
	byBlock := map[any]any{}
	for _, c := range changes {
		byBlock[testapp.Path(c, "blockId")] = c
	}
	require.Len(t, byBlock, 2, "the hero and the released promo change, nothing else: %s", resp.Raw)
	hero := byBlock["hero"]
	require.Equal(t, "CHANGED", testapp.Path(hero, "kind"))
	require.Equal(t, "default", testapp.Path(hero, "before", "decision", "variant"))
	require.Equal(t, "winter-sale", testapp.Path(hero, "after", "decision", "variant"))
	require.Equal(t, "winter-sale", testapp.Path(hero, "after", "decision", "campaign", "key"))
	require.Contains(t, testapp.Path(hero, "fields"), "title")
	promo := byBlock["promo"]
	require.Equal(t, []any{"headline"}, testapp.Path(promo, "fields"))
	require.Equal(t, "Winter sale: free shipping on everything", testapp.Path(promo, "after", "fields", "headline"))

	// Within the window nothing changes for this context.
	same := app.Query(viewer, q, map[string]any{"ctx": map[string]any{"channel": "kiosk"},
		"from": switchStart, "to": switchEnd.Add(-time.Millisecond)})
	require.Empty(t, same.Errors, same.Raw)
	require.Equal(t, false, testapp.Path(same.Data, "experienceDiff", "changed"))
	require.Empty(t, testapp.Path(same.Data, "experienceDiff", "changes"))

	anonymous := app.Query("", q, map[string]any{"from": switchBase, "to": switchStart})
	require.NotEmpty(t, anonymous.Errors)
	require.Contains(t, []string{"UNAUTHENTICATED", "FORBIDDEN"}, anonymous.Code())
}

func TestCampaignConflicts(t *testing.T) {
	t.Parallel()
	app := newCampaignApp(t)
	app.schedule(t, switchStart, switchEnd)
	flash := createCampaign(t, app, map[string]any{"key": "flash", "name": "Flash sale", "priority": 5, "channels": []any{"web"}})
	// flash owns a variant on home's hero too.
	home := app.Query(app.editor, `{ entry(slug: "home", type: "page") { id } }`, nil)
	homeID := testapp.Path(home.Data, "entry", "id").(string)
	d := app.Query(app.editor, `query($id: ID!) { draft(id: $id) { version } }`, map[string]any{"id": homeID})
	up := app.Query(app.editor, upsertVariant, map[string]any{"id": homeID, "block": "hero", "v": testapp.Path(d.Data, "draft", "version"),
		"in": map[string]any{"key": "flash", "campaign": "flash", "fields": map[string]any{"title": "Flash sale!"}}})
	require.Empty(t, up.Errors, up.Raw)
	pub := app.Query(app.Token(auth.RolePublisher), `mutation($id: ID!) { publishEntry(id: $id) { status } }`, map[string]any{"id": homeID})
	require.Empty(t, pub.Errors, pub.Raw)
	sched := app.Query(app.editor, `mutation($id: ID!, $s: DateTime!, $e: DateTime!) { scheduleCampaign(id: $id, startsAt: $s, endsAt: $e) { id } }`,
		map[string]any{"id": flash, "s": switchStart.Add(5 * time.Minute), "e": switchEnd.Add(time.Hour)})
	require.Empty(t, sched.Errors, sched.Raw)

	resp := app.Query(app.editor, `{ campaignConflicts { slug blockId locales from to channels campaigns { key } winner { key } reason } }`, nil)
	require.Empty(t, resp.Errors, resp.Raw)
	list := testapp.Path(resp.Data, "campaignConflicts").([]any)
	require.Len(t, list, 1, resp.Raw)
	c := list[0]
	require.Equal(t, "home", testapp.Path(c, "slug"))
	require.Equal(t, "hero", testapp.Path(c, "blockId"))
	require.Equal(t, []any{"en"}, testapp.Path(c, "locales"))
	require.Equal(t, []any{"web"}, testapp.Path(c, "channels"), "flash runs on web only")
	require.Equal(t, "winter-sale", testapp.Path(c, "winner", "key"))
	require.Equal(t, switchStart.Add(5*time.Minute).Format(time.RFC3339), testapp.Path(c, "from"))
	require.Equal(t, switchEnd.Format(time.RFC3339), testapp.Path(c, "to"))
	require.Contains(t, testapp.Path(c, "reason"), "winter-sale wins: priority 10 over flash's 5")

	// While both are live the winner shows on web; once winter-sale ends, flash does.
	app.clock.Set(switchStart.Add(6 * time.Minute))
	web := app.Query("", switchQuery, map[string]any{"slug": "home", "type": "page", "ctx": map[string]any{"channel": "web"}})
	require.Equal(t, "winter-sale", testapp.Path(block(t, web, "hero"), "decision", "variant"))
	app.clock.Set(switchEnd)
	web = app.Query("", switchQuery, map[string]any{"slug": "home", "type": "page", "ctx": map[string]any{"channel": "web"}})
	require.Equal(t, "flash", testapp.Path(block(t, web, "hero"), "decision", "variant"), "after winter-sale ends, flash shows")

	owned := app.Query(app.editor, `{ campaign(key: "flash") { variants { slug blockId variant published } } }`, nil)
	require.Empty(t, owned.Errors, owned.Raw)
	require.Equal(t, []any{map[string]any{"slug": "home", "blockId": "hero", "variant": "flash", "published": true}},
		testapp.Path(owned.Data, "campaign", "variants"))
}

func createCampaign(t *testing.T, app *campaignApp, in map[string]any) string {
	t.Helper()
	resp := app.Query(app.editor, `mutation($in: CreateCampaignInput!) { createCampaign(input: $in) { id status } }`,
		map[string]any{"in": in})
	require.Empty(t, resp.Errors, resp.Raw)
	require.Equal(t, "DRAFT", testapp.Path(resp.Data, "createCampaign", "status"))
	return testapp.Path(resp.Data, "createCampaign", "id").(string)
}
