package server_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// browsing makes the seeded "returning" segment behavioural: three
// product views in a week. The home page's intro block shows
// welcome-back to it.
func browsing(t *testing.T, app *testapp.App) {
	t.Helper()
	editor := app.Token(auth.RoleEditor)
	r := app.Query(editor, `{ segment(key: "returning") { version } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	r = app.Query(editor, `mutation($v: Int!) { updateSegment(input: {key: "returning", name: "Browsing shoppers",
		rule: "events.count(\"product_view\", duration(\"168h\")) >= 3"}, expectedVersion: $v) { key } }`,
		map[string]any{"v": testapp.Path(r.Data, "segment", "version")})
	require.Empty(t, r.Errors, r.Raw)
}

// intro is the variant of the home page's intro block for a visitor on
// a device, with the purposes given (nil: every purpose).
func intro(t *testing.T, app *testapp.App, key, visitor, device string, purposes []any) string {
	t.Helper()
	ctx := map[string]any{"visitorId": visitor, "device": device, "channel": "web"}
	if purposes != nil {
		ctx["purposes"] = purposes
	}
	r := app.QueryKey(key, decisionQuery, map[string]any{"ctx": ctx})
	require.Empty(t, r.Errors, r.Raw)
	for _, b := range testapp.Path(r.Data, "entry", "blocks").([]any) {
		if b.(map[string]any)["id"] == "intro" {
			return testapp.Path(b, "decision", "variant").(string)
		}
	}
	t.Fatalf("no intro block in %s", r.Raw)
	return ""
}

// Events sent to POST /collect reach a later delivery for the visitor
// through the event log and the profile cache, and, once an identify
// joins them, for the person's other device; without personalization
// consent the behavioural segment never matches.
func TestBehaviouralSegmentEndToEnd(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{Measurement: true, ProfileTTL: 50 * time.Millisecond})
	key := app.APIKey(auth.ScopeDelivery)
	browsing(t, app)

	require.Equal(t, "default", intro(t, app, key, "phone-b", "mobile", nil), "no history yet")
	views := func(visitor string, n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf(`{"id":"%s-pv-%d","type":"track","visitorId":%q,"name":"product_view","properties":{"sku":"s%d"}}`,
				visitor, i, visitor, i)
		}
		return out
	}
	ans := collect(t, app, "", "application/json", eventsBody(views("phone-b", 2)...))
	require.Equal(t, http.StatusAccepted, ans.Status, ans.Raw)
	drained(t, app)
	// Two views are not enough, whatever the cache holds by now.
	require.Eventually(t, func() bool {
		return app.Measure.Profiles.Get("phone-b").Count("product_view", time.Now(), time.Hour) == 2
	},
		30*time.Second, 10*time.Millisecond, "the profile is loaded")
	require.Equal(t, "default", intro(t, app, key, "phone-b", "mobile", nil))

	ans = collect(t, app, "", "application/json", eventsBody(views("phone-b", 3)[2]))
	require.Equal(t, http.StatusAccepted, ans.Status, ans.Raw)
	// The third view was accepted by this replica: the cached profile has
	// it at once, before the consumer stores it.
	require.Equal(t, 3, app.Measure.Profiles.Get("phone-b").Count("product_view", time.Now(), time.Hour))
	require.Equal(t, "welcome-back", intro(t, app, key, "phone-b", "mobile", nil))
	drained(t, app)
	require.Equal(t, "welcome-back", intro(t, app, key, "phone-b", "mobile", nil), "and after it is stored")

	// Without personalization: nothing behavioural, even with the history.
	require.Equal(t, "default", intro(t, app, key, "phone-b", "mobile", []any{"measurement", "storage"}))
	require.Equal(t, "default", intro(t, app, key, "phone-b", "mobile", []any{}))

	// The tablet is someone new until an identify joins it to the phone.
	require.Equal(t, "default", intro(t, app, key, "tablet-b", "tablet", nil))
	ans = collect(t, app, "", "application/json", eventsBody(
		`{"id":"id-phone","type":"identify","visitorId":"phone-b","userId":"user-b"}`,
		`{"id":"id-tablet","type":"identify","visitorId":"tablet-b","userId":"user-b"}`))
	require.Equal(t, http.StatusAccepted, ans.Status, ans.Raw)
	drained(t, app)
	require.Eventually(t, func() bool { return intro(t, app, key, "tablet-b", "tablet", nil) == "welcome-back" },
		30*time.Second, 10*time.Millisecond, "the person's other device sees the phone's views")
	require.Equal(t, "default", intro(t, app, key, "tablet-b", "tablet", []any{"measurement"}), "still not without consent")
	// A visitor nobody joined stays out.
	require.Equal(t, "default", intro(t, app, key, "laptop-z", "desktop", nil))
}

const explainIntro = `query($ctx: ExperienceContext) {
	explainDecision(slug: "home", type: "page", blockId: "intro", context: $ctx) { segments decision { variant } } }`

// Editors test a behavioural segment with a made-up history: no traffic,
// nothing cached or recorded; delivery keys may not send one.
func TestSimulatedProfile(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{Measurement: true})
	browsing(t, app)
	editor := app.Token(auth.RoleEditor)
	sim := func(events ...map[string]any) map[string]any {
		list := make([]any, len(events))
		for i, e := range events {
			list[i] = e
		}
		return map[string]any{"visitorId": "editor-test", "profile": map[string]any{"events": list, "devices": []any{"mobile"}}}
	}
	three := sim(map[string]any{"name": "product_view", "ago": "1h"}, map[string]any{"name": "product_view", "ago": "48h"},
		map[string]any{"name": "product_view", "at": time.Now().Add(-167 * time.Hour).UTC().Format(time.RFC3339)})
	r := app.Query(editor, explainIntro, map[string]any{"ctx": three})
	require.Empty(t, r.Errors, r.Raw)
	require.Equal(t, "welcome-back", testapp.Path(r.Data, "explainDecision", "decision", "variant"))
	require.Contains(t, testapp.Path(r.Data, "explainDecision", "segments"), "returning")

	// One view a second outside the week: not counted.
	outside := sim(map[string]any{"name": "product_view", "ago": "1h"}, map[string]any{"name": "product_view", "ago": "48h"},
		map[string]any{"name": "product_view", "ago": "168h1s"})
	r = app.Query(editor, explainIntro, map[string]any{"ctx": outside})
	require.Empty(t, r.Errors, r.Raw)
	require.Equal(t, "default", testapp.Path(r.Data, "explainDecision", "decision", "variant"))

	// The preview takes it too (delivery fields, editor token); no
	// decision record is written for a simulated visitor.
	r = app.Query(editor, decisionQuery, map[string]any{"ctx": three})
	require.Empty(t, r.Errors, r.Raw)
	require.Nil(t, testapp.Path(r.Data, "entry", "decisionId"))

	bad := sim(map[string]any{"name": "product_view", "ago": "a week"}, map[string]any{"name": "", "ago": "1h"},
		map[string]any{"name": "x"})
	r = app.Query(editor, explainIntro, map[string]any{"ctx": bad})
	require.Equal(t, "BAD_USER_INPUT", r.Code(), r.Raw)
	require.Equal(t, []string{"context.profile.events.0.ago", "context.profile.events.1.name", "context.profile.events.2"},
		fieldPaths(r), r.Raw)

	key := app.APIKey(auth.ScopeDelivery)
	r = app.QueryKey(key, decisionQuery, map[string]any{"ctx": three})
	require.Equal(t, "FORBIDDEN", r.Code(), r.Raw)
}

// A behavioural rule that does not type-check is BAD_USER_INPUT at the
// rule, with its position, wherever a rule is written or checked.
func TestBehaviouralRuleBadInput(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	editor := app.Token(auth.RoleEditor)
	for _, tc := range []struct{ rule, msg string }{
		{`events.counts("product_view") > 1`, "events has events.count"},
		{`events.count("product_view", duration("7days")) >= 3`, "duration"},
		{`events.count("product_view", duration("2400h")) >= 3`, "at most"},
		{`events.sum("purchase", duration("720h")) > 200.0`, "no matching overload"},
		{`profile.device.size() > 1`, "undefined field 'device'"},
	} {
		for _, q := range []string{
			`mutation($r: String) { createSegment(input: {key: "b", name: "B", rule: $r}) { key } }`,
			`mutation($r: String) { updateSegment(input: {key: "returning", name: "B", rule: $r}, expectedVersion: 1) { key } }`,
		} {
			r := app.Query(editor, q, map[string]any{"r": tc.rule})
			require.Equal(t, "BAD_USER_INPUT", r.Code(), r.Raw)
			require.Equal(t, []string{"rule"}, fieldPaths(r)[:1], r.Raw)
			require.Contains(t, r.Raw, tc.msg, r.Raw)
			require.Contains(t, r.Raw, "line 1, column", r.Raw)
		}
		r := app.Query(editor, `query($r: String!) { validateSegmentRule(rule: $r) { valid problems { line column message } } }`,
			map[string]any{"r": tc.rule})
		require.Empty(t, r.Errors, r.Raw)
		require.Equal(t, false, testapp.Path(r.Data, "validateSegmentRule", "valid"), r.Raw)
		require.Contains(t, r.Raw, tc.msg, r.Raw)
	}
}
