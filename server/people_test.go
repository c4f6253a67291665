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

const profileQuery = `query($v: String, $u: String) { visitorProfile(visitorId: $v, userId: $u) {
	clusterId userId visitors { visitorId linkedAt kiosk } devices { visitorId device channel }
	recentEvents { id type } consent { visitorId granted withdrawn }
	assignments { experiment arm first { visitorId decisionId } conflicts { visitorId arm } }
	links { action visitorId userId code actor } } }`

// identified delivers the home page to visitor (every purpose granted)
// and returns its decision id and the cta block's arm.
func identified(t *testing.T, app *testapp.App, key, visitor, device string) (string, string) {
	t.Helper()
	vars := map[string]any{"ctx": map[string]any{"visitorId": visitor, "device": device, "channel": "web"}}
	r := app.QueryKey(key, decisionQuery, vars)
	id := decisionID(t, r)
	require.NotEmpty(t, id)
	for _, b := range r.Data["entry"].(map[string]any)["blocks"].([]any) {
		d := b.(map[string]any)["decision"].(map[string]any)
		if d["experiment"] == "cta-test" {
			return id, d["arm"].(string)
		}
	}
	t.Fatalf("no cta-test exposure in %s", r.Raw)
	return "", ""
}

// measured is identified, and the view of the experiment's block the
// storefront then reports (showed): whether the answer was computed for
// visitor or was a cached copy, the visitor is exposed.
func measured(t *testing.T, app *testapp.App, key, visitor, device string) (string, string) {
	t.Helper()
	id, arm := identified(t, app, key, visitor, device)
	showed(t, app, visitor, id, "cta")
	return id, arm
}

// Identify events from /collect join a person's devices in the consumer;
// editors read the person (publishers and admins: personal data), undo a
// merge, and erase the person (admins), audited; erasing again is a no-op.
func TestPeopleProfileUnmergeErase(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{Measurement: true, ArmTTL: 20 * time.Millisecond})
	key := app.APIKey(auth.ScopeDelivery)
	publisher, editor, admin := app.Token(auth.RolePublisher), app.Token(auth.RoleEditor), app.Token(auth.RoleAdmin)

	// Two devices until one lands in the other arm: the earlier exposure
	// must keep its arm for the person.
	firstID, firstArm := identified(t, app, key, "phone-1", "mobile")
	other := ""
	for i := range 64 {
		v := fmt.Sprintf("laptop-%d", i)
		if _, arm := identified(t, app, key, v, "desktop"); arm != firstArm {
			other = v
			break
		}
	}
	require.NotEmpty(t, other, "no visitor in the other arm")

	ans := collect(t, app, "", "application/json", eventsBody(
		`{"id":"i1","type":"identify","visitorId":"phone-1","userId":"user-9"}`,
		fmt.Sprintf(`{"id":"i2","type":"identify","visitorId":%q,"userId":"user-9"}`, other),
		`{"id":"i3","type":"identify","visitorId":"tablet","userId":"undefined"}`,
		`{"id":"t1","type":"track","visitorId":"phone-1","name":"scroll"}`))
	require.Equal(t, http.StatusAccepted, ans.Status, ans.Raw)
	require.Equal(t, 3, ans.Accepted)
	require.Len(t, ans.Rejected, 1)
	require.Equal(t, "BLOCKED_VALUE", ans.Rejected[0].Code)
	require.Equal(t, 2, ans.Rejected[0].Index)
	drained(t, app)

	r := app.Query(publisher, profileQuery, map[string]any{"u": "user-9"})
	require.Empty(t, r.Errors, r.Raw)
	p := r.Data["visitorProfile"].(map[string]any)
	require.Equal(t, "user-9", p["userId"])
	require.Len(t, p["visitors"], 2)
	require.Len(t, p["devices"], 2)
	a := testapp.Path(p, "assignments").([]any)[0].(map[string]any)
	require.Equal(t, "cta-test", a["experiment"])
	require.Equal(t, firstArm, a["arm"], "first touch: the phone was exposed first")
	require.Equal(t, firstID, testapp.Path(a, "first", "decisionId"))
	require.Len(t, a["conflicts"], 1, "the other device's exposure is recorded as a conflict")
	// Signed in on the other device, the person keeps the first arm there
	// too once the pinned arms are loaded (never in the request's path).
	armOf := func(visitor string) string {
		_, arm := identified(t, app, key, visitor, "desktop")
		return arm
	}
	require.Eventually(t, func() bool { return armOf(other) == firstArm }, 10*time.Second, 10*time.Millisecond,
		"the second device shows the person's first arm")
	// One person, whichever id asks.
	r2 := app.Query(admin, profileQuery, map[string]any{"v": other})
	require.Equal(t, p["clusterId"], r2.Data["visitorProfile"].(map[string]any)["clusterId"])

	r = app.Query(publisher, `query($id: ID!) { decision(id: $id) { id visitorId consent purposes blocks { blockId reasonClass } } }`,
		map[string]any{"id": firstID})
	require.Empty(t, r.Errors, r.Raw)
	require.Equal(t, "phone-1", testapp.Path(r.Data, "decision", "visitorId"))
	require.Equal(t, []any{"personalization", "measurement", "storage"}, testapp.Path(r.Data, "decision", "purposes"))
	day := time.Now().UTC().Format(time.RFC3339)
	r = app.Query(publisher, `query($d: DateTime!) { eventCounts(from: $d, to: $d) { type count } }`, map[string]any{"d": day})
	require.Empty(t, r.Errors, r.Raw)
	require.Contains(t, r.Data["eventCounts"], map[string]any{"type": "identify", "count": float64(2)})

	for _, c := range []struct {
		name, token, query string
		vars               map[string]any
		code               string
	}{
		{"an editor may not read people", editor, profileQuery, map[string]any{"v": "phone-1"}, "FORBIDDEN"},
		{"a delivery key may not", "", profileQuery, map[string]any{"v": "phone-1"}, "UNAUTHENTICATED"},
		{"a publisher may not erase", publisher, `mutation { deleteVisitorData(visitorId: "phone-1") { events } }`, nil, "FORBIDDEN"},
		{"a publisher may not unmerge", publisher, `mutation { unmergeIdentity(visitorId: "phone-1") { seq } }`, nil, "FORBIDDEN"},
		{"both ids", publisher, profileQuery, map[string]any{"v": "phone-1", "u": "user-9"}, "BAD_USER_INPUT"},
		{"neither id", admin, `mutation { deleteVisitorData { events } }`, nil, "BAD_USER_INPUT"},
		{"a range too long", publisher, `{ eventCounts(from: "2026-01-01T00:00:00Z", to: "2026-12-01T00:00:00Z") { count } }`, nil, "BAD_USER_INPUT"},
		{"unmerging a visitor in no cluster", admin, `mutation { unmergeIdentity(visitorId: "nobody") { seq } }`, nil, "NOT_FOUND"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := app.Query(c.token, c.query, c.vars)
			require.Equal(t, c.code, r.Code(), r.Raw)
			require.NotContains(t, r.Raw, "user-9", "nothing of the person in a refusal")
		})
	}

	r = app.Query(admin, `mutation($v: String!) { unmergeIdentity(visitorId: $v) { action visitorId userId actor } }`,
		map[string]any{"v": other})
	require.Empty(t, r.Errors, r.Raw)
	require.Equal(t, "unlink", testapp.Path(r.Data, "unmergeIdentity", "action"))
	require.Equal(t, "user-9", testapp.Path(r.Data, "unmergeIdentity", "userId"))
	r = app.Query(admin, profileQuery, map[string]any{"u": "user-9"})
	p = r.Data["visitorProfile"].(map[string]any)
	require.Len(t, p["visitors"], 1)
	require.Eventually(t, func() bool { return armOf(other) != firstArm }, 10*time.Second, 10*time.Millisecond,
		"unmerged, the device is bucketed on its own again")
	require.Empty(t, testapp.Path(p, "assignments").([]any)[0].(map[string]any)["conflicts"])

	drained(t, app)
	r = app.Query(admin, `mutation { deleteVisitorData(userId: "user-9") { visitors events decisions exposures links } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	e := r.Data["deleteVisitorData"].(map[string]any)
	require.Equal(t, []any{"phone-1"}, e["visitors"])
	require.Equal(t, float64(3), e["events"], "phone-1's identify and track, and the other device's identify naming user-9")
	require.GreaterOrEqual(t, e["decisions"], float64(1), "phone-1's, and the other device's while it was the person's")
	require.Zero(t, rows(t, app, "visitor_id = 'phone-1'"))
	require.Zero(t, decisionRows(t, app, "visitor_id = 'phone-1' OR user_id = 'user-9'"))
	require.NotZero(t, decisionRows(t, app, "visitor_id = $1", other), "the unmerged device is another person now: its own records stay")
	r = app.Query(admin, `mutation { deleteVisitorData(userId: "user-9") { visitors events decisions exposures links } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	require.Equal(t, map[string]any{"visitors": []any{}, "events": float64(0), "decisions": float64(0), "exposures": float64(0),
		"links": float64(0)}, r.Data["deleteVisitorData"], "idempotent")
	r = app.Query(admin, profileQuery, map[string]any{"u": "user-9"})
	require.Nil(t, r.Data["visitorProfile"])

	r = app.Query(admin, `{ auditLog(first: 10) { nodes { action } } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	require.Contains(t, r.Raw, `"deleteVisitorData"`)
	require.Contains(t, r.Raw, `"unmergeIdentity"`)
}
