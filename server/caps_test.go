package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
	"github.com/mosaichq/mosaic/measurement/capcount"
)

const capHome = `query($ctx: ExperienceContext) {
	entry(slug: "home", type: "page", context: $ctx) { decisionId blocks { id decision { variant reason } } } }`

// capApp is an instance whose cap counter reloads a waiting person every
// few milliseconds, so tests need not wait long for confirmations.
func capApp(t *testing.T, opts testapp.Options) *testapp.App {
	t.Helper()
	opts.Measurement = true
	opts.Caps = func(c *capcount.Config) { c.Flush = 5 * time.Millisecond }
	return testapp.New(t, opts)
}

// addCappedTeaser adds two variants to home's hero and publishes: teaser
// (web only, so more specific) capped at max per WEEK in Bucharest, and
// evergreen (no targeting) that shows when teaser is capped.
func addCappedTeaser(t *testing.T, app *testapp.App, max int) {
	t.Helper()
	editor := app.Token(auth.RoleEditor)
	homeID, version := homeDraft(t, app, editor)
	for _, in := range []map[string]any{
		{"key": "teaser", "channels": []any{"web"}, "fields": map[string]any{"title": "Capped teaser"},
			"cap": map[string]any{"max": max, "per": "WEEK", "timeZone": "Europe/Bucharest"}},
		{"key": "evergreen", "fields": map[string]any{"title": "Evergreen"}},
	} {
		r := app.Query(editor, upsertVariant, map[string]any{"id": homeID, "block": "hero", "in": in, "v": version})
		require.Empty(t, r.Errors, r.Raw)
		version = int(testapp.Path(r.Data, "upsertVariant", "version").(float64))
	}
	pub := app.Query(app.Token(auth.RolePublisher), `mutation($id: ID!) { publishEntry(id: $id) { status } }`, map[string]any{"id": homeID})
	require.Empty(t, pub.Errors, pub.Raw)
}

// hero is the hero block's decision in a capHome answer.
func hero(t *testing.T, r testapp.Response) (variant, reason string) {
	t.Helper()
	require.Empty(t, r.Errors, r.Raw)
	for _, b := range testapp.Path(r.Data, "entry", "blocks").([]any) {
		if testapp.Path(b, "id") == "hero" {
			return testapp.Path(b, "decision", "variant").(string), testapp.Path(b, "decision", "reason").(string)
		}
	}
	t.Fatalf("no hero block in %s", r.Raw)
	return "", ""
}

func webVisitor(id string) map[string]any {
	return map[string]any{"ctx": map[string]any{"visitorId": id, "channel": "web", "device": "desktop"}}
}

// serveUntil delivers home to visitor until hero shows want, and returns
// its reason and how many answers showed teaser on the way (each one is
// an exposure).
func serveUntil(t *testing.T, app *testapp.App, key, visitor, want, reasonPart string) (string, int) {
	t.Helper()
	var reason string
	teasers := 0
	require.Eventually(t, func() bool {
		var v string
		v, reason = hero(t, app.QueryKey(key, capHome, webVisitor(visitor)))
		if v == "teaser" {
			teasers++
		}
		return v == want && strings.Contains(reason, reasonPart)
	}, 30*time.Second, 10*time.Millisecond, "%s never saw %s (%s); last reason: %s", visitor, want, reasonPart, reason)
	return reason, teasers
}

// A visitor is served a capped variant max times a week, then the next
// variant with the reason; their other device, once identified as the
// same person, is capped too; the reach lost is reported by capReport and
// /metrics; anonymous visitors and visitors without measurement consent
// are never shown it.
func TestFrequencyCapEndToEnd(t *testing.T) {
	t.Parallel()
	app := capApp(t, testapp.Options{})
	addCappedTeaser(t, app, 2)
	key := app.APIKey(auth.ScopeDelivery)

	shown := 0
	for range 2 {
		_, n := serveUntil(t, app, key, "phone-1", "teaser", "")
		shown += n
	}
	require.Equal(t, 2, shown)
	reason, n := serveUntil(t, app, key, "phone-1", "evergreen", "capped: seen 2 of 2 times this week")
	require.Zero(t, n, "never a third time")
	require.Contains(t, reason, "skipped teaser: capped: seen 2 of 2 times this week")
	// Still capped afterwards: no cache serves the earlier answer.
	for range 3 {
		r := app.QueryKey(key, capHome, webVisitor("phone-1"))
		v, _ := hero(t, r)
		require.Equal(t, "evergreen", v)
		require.Equal(t, "private, no-store", r.Header.Get("Cache-Control"), "an answer that read a person's caps is theirs")
	}

	// The laptop has never been served; once both devices identify as
	// user-1, the laptop is the same person: capped.
	ans := collect(t, app, "", "application/json", eventsBody(
		`{"id":"cap-i1","type":"identify","visitorId":"phone-1","userId":"user-1"}`,
		`{"id":"cap-i2","type":"identify","visitorId":"laptop-1","userId":"user-1"}`))
	require.Equal(t, http.StatusAccepted, ans.Status, ans.Raw)
	drained(t, app)
	reason, n = serveUntil(t, app, key, "laptop-1", "evergreen", "capped: seen 2 of 2 times this week")
	require.Zero(t, n, "the other device is never shown it")
	require.Contains(t, reason, "skipped teaser")

	// Someone else still gets it.
	_, n = serveUntil(t, app, key, "stranger", "teaser", "")
	require.Equal(t, 1, n)

	// Without a visitor id, or without measurement consent, nobody can be
	// counted: never shown.
	anon := app.QueryKey(key, capHome, map[string]any{"ctx": map[string]any{"channel": "web", "device": "desktop"}})
	v, reason := hero(t, anon)
	require.Equal(t, "evergreen", v)
	require.Contains(t, reason, "cannot be counted")
	noMeasure := app.QueryKey(key, capHome, map[string]any{"ctx": map[string]any{"visitorId": "shy", "channel": "web",
		"device": "desktop", "purposes": []any{"personalization"}}})
	v, _ = hero(t, noMeasure)
	require.Equal(t, "evergreen", v)

	drained(t, app)
	require.Equal(t, 3, decisionRows(t, app, `blocks @> '[{"blockId":"hero","variant":"teaser"}]'`),
		"twice for user-1, once for stranger: never more")

	// capReport: the reach lost, per capped variant, from decision records.
	admin := app.Token(auth.RoleAdmin)
	now := time.Now().UTC()
	r := app.Query(admin, `query($f: DateTime!, $t: DateTime!) { capReport(from: $f, to: $t) {
		entrySlug blockId variant scope suppressed pending people } }`,
		map[string]any{"f": now.Add(-time.Hour), "t": now.Add(time.Hour)})
	require.Empty(t, r.Errors, r.Raw)
	rows := r.Data["capReport"].([]any)
	require.Len(t, rows, 1, r.Raw)
	row := rows[0].(map[string]any)
	require.Equal(t, "home", row["entrySlug"])
	require.Equal(t, "hero", row["blockId"])
	require.Equal(t, "teaser", row["variant"])
	require.Equal(t, "variant", row["scope"])
	require.GreaterOrEqual(t, row["suppressed"], float64(5), "phone-1 ×4 and laptop-1 at least once")
	require.GreaterOrEqual(t, row["people"], float64(2), "user-1 (both devices) and shy")

	metrics := app.Get("", "/metrics").Raw
	require.Contains(t, metrics, `mosaic_personalization_cap_suppressed_total{channel="web",scope="variant",state="reached"}`)

	for _, bad := range []struct {
		name string
		vars map[string]any
	}{
		{"to before from", map[string]any{"f": now, "t": now.Add(-time.Hour)}},
		{"over 400 days", map[string]any{"f": now.Add(-500 * 24 * time.Hour), "t": now}},
	} {
		r := app.Query(admin, `query($f: DateTime!, $t: DateTime!) { capReport(from: $f, to: $t) { variant } }`, bad.vars)
		require.Equal(t, "BAD_USER_INPUT", r.Code(), bad.name)
	}
	r = app.Query("", `{ capReport(from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z") { variant } }`, nil)
	require.NotEmpty(t, r.Errors, "capReport is for editors")
}

// Bad caps are BAD_USER_INPUT with the path, on variants, campaigns and
// experiments; a good one reads back.
func TestFrequencyCapBadInput(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	editor := app.Token(auth.RoleEditor)
	homeID, version := homeDraft(t, app, editor)
	fieldPaths := func(r testapp.Response) []string {
		var out []string
		for _, e := range r.Errors {
			fields, _ := e.Extensions["fields"].([]any)
			for _, f := range fields {
				out = append(out, fmt.Sprint(testapp.Path(f, "path")))
			}
		}
		return out
	}
	for _, tc := range []struct {
		name string
		cap  map[string]any
		path string
	}{
		{"max 0", map[string]any{"max": 0, "per": "DAY"}, "fields.blocks.0.variants.4.cap.max"},
		{"unknown zone", map[string]any{"max": 1, "per": "DAY", "timeZone": "Mars/Olympus"}, "fields.blocks.0.variants.4.cap.timeZone"},
		{"duration that does not parse", map[string]any{"max": 1, "per": "a fortnight"}, "fields.blocks.0.variants.4.cap.per"},
		{"CAMPAIGN without a campaign", map[string]any{"max": 1, "per": "CAMPAIGN"}, "fields.blocks.0.variants.4.cap.per"},
	} {
		r := app.Query(editor, upsertVariant, map[string]any{"id": homeID, "block": "hero", "v": version,
			"in": map[string]any{"key": "capped", "cap": tc.cap}})
		require.Equal(t, "BAD_USER_INPUT", r.Code(), "%s: %s", tc.name, r.Raw)
		require.Contains(t, fieldPaths(r), tc.path, "%s: %s", tc.name, r.Raw)
	}

	for _, tc := range []struct{ name, query, path string }{
		{"campaign max 0", `mutation { createCampaign(input: {key: "c1", name: "C", cap: {max: 0, per: "DAY"}}) { id } }`, "cap.max"},
		{"campaign unknown zone", `mutation { createCampaign(input: {key: "c1", name: "C", cap: {max: 1, per: "WEEK", timeZone: "Nowhere"}}) { id } }`, "cap.timeZone"},
		{"experiment bad duration", `mutation { createExperiment(input: {key: "x1", name: "X", arms: [{key: "a", weight: 1}], cap: {max: 1, per: "3 days"}}) { key } }`, "cap.per"},
		{"experiment CAMPAIGN", `mutation { createExperiment(input: {key: "x1", name: "X", arms: [{key: "a", weight: 1}], cap: {max: 1, per: "CAMPAIGN"}}) { key } }`, "cap.per"},
	} {
		r := app.Query(app.Token(auth.RoleAdmin), tc.query, nil)
		require.Equal(t, "BAD_USER_INPUT", r.Code(), "%s: %s", tc.name, r.Raw)
		require.Contains(t, fieldPaths(r), tc.path, "%s: %s", tc.name, r.Raw)
	}

	admin := app.Token(auth.RoleAdmin)
	r := app.Query(admin, `mutation { createCampaign(input: {key: "capped", name: "Capped", cap: {max: 3, per: "CAMPAIGN"}}) { id cap { max per timeZone perChannel } } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	require.Equal(t, map[string]any{"max": float64(3), "per": "CAMPAIGN", "timeZone": nil, "perChannel": false}, testapp.Path(r.Data, "createCampaign", "cap"))
	id := testapp.Path(r.Data, "createCampaign", "id")
	r = app.Query(admin, `mutation($id: ID!) { updateCampaign(id: $id, input: {clearCap: true}) { cap { max } } }`, map[string]any{"id": id})
	require.Empty(t, r.Errors, r.Raw)
	require.Nil(t, testapp.Path(r.Data, "updateCampaign", "cap"))
	r = app.Query(admin, `mutation { createExperiment(input: {key: "xcap", name: "X", arms: [{key: "a", weight: 1}], cap: {max: 2, per: "168h", perChannel: true}}) { cap { max per perChannel } } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	require.Equal(t, map[string]any{"max": float64(2), "per": "168h", "perChannel": true}, testapp.Path(r.Data, "createExperiment", "cap"))
}
