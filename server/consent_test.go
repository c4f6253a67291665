package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// Consent by purpose on delivery: without personalization no segment
// variant, and the reason says why; without measurement the decision
// record names no visitor (counted in aggregate); Sec-GPC withdraws both;
// what cannot be read is BAD_USER_INPUT.
func TestConsentPurposes(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{Measurement: true})
	key := app.APIKey(auth.ScopeDelivery)
	publisher := app.Token(auth.RolePublisher)
	query := `query($ctx: ExperienceContext) { entry(slug: "home", type: "page", context: $ctx) {
		decisionId blocks { id decision { variant reason experiment } } } }`
	ctx := func(visitor string, extra map[string]any) map[string]any {
		c := map[string]any{"visitorId": visitor, "segments": []any{"vip"}, "traits": map[string]any{"cart_value": 500, "visits": 10}}
		for k, v := range extra {
			c[k] = v
		}
		return map[string]any{"ctx": c}
	}
	recordOf := func(id string) map[string]any {
		r := app.Query(publisher, `query($id: ID!) { decision(id: $id) { visitorId consent purposes } }`, map[string]any{"id": id})
		require.Empty(t, r.Errors, r.Raw)
		return r.Data["decision"].(map[string]any)
	}

	r := app.QueryKey(key, query, ctx("m-1", map[string]any{"purposes": []any{"measurement"}}))
	require.Empty(t, r.Errors, r.Raw)
	best := block(t, r, "bestsellers")
	require.Equal(t, "default", testapp.Path(best, "decision", "variant"), "no segments without personalization")
	require.Contains(t, testapp.Path(best, "decision", "reason"), "no personalization consent")
	measured := decisionID(t, r)

	off := decisionID(t, app.QueryKey(key, query, ctx("n-1", map[string]any{"consent": false})))
	require.NotEmpty(t, off)

	req := graphQLRequest(t, app, query, ctx("g-1", map[string]any{"consent": true}))
	req.Header.Set(auth.APIKeyHeader, key)
	req.Header.Set("Sec-GPC", "1")
	r = app.Do(req, "")
	gpc := decisionID(t, r)
	require.Equal(t, "default", testapp.Path(block(t, r, "bestsellers"), "decision", "variant"))
	require.Contains(t, testapp.Path(block(t, r, "bestsellers"), "decision", "reason"), "under Global Privacy Control")
	require.Contains(t, strings.Join(r.Header.Values("Vary"), ", "), "Sec-GPC", "shared caches keep GPC answers apart")

	drained(t, app)
	require.Equal(t, map[string]any{"visitorId": "m-1", "consent": false, "purposes": []any{"measurement"}}, recordOf(measured))
	require.Equal(t, map[string]any{"visitorId": nil, "consent": false, "purposes": []any{}}, recordOf(off),
		"without measurement: no record linked to the visitor")
	require.Equal(t, map[string]any{"visitorId": nil, "consent": false, "purposes": []any{"storage"}}, recordOf(gpc))
	require.Zero(t, decisionRows(t, app, "visitor_id IN ('n-1', 'g-1')"))

	for _, c := range []struct {
		name  string
		extra map[string]any
	}{
		{"unknown purpose", map[string]any{"purposes": []any{"marketing"}}},
		{"TCF string that does not decode", map[string]any{"tcf": "CO!!not-a-consent-string"}},
		{"two ways at once", map[string]any{"consent": true, "purposes": []any{"storage"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := app.QueryKey(key, query, ctx("x", c.extra))
			require.Equal(t, "BAD_USER_INPUT", r.Code(), r.Raw)
			require.NotContains(t, r.Raw, "INTERNAL")
		})
	}
}

// A consent event withdrawing measurement deletes what was recorded of
// the visitor under it: decision records and events, not the consent
// event itself, and nothing of another visitor.
func TestConsentWithdrawalEvent(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{Measurement: true})
	key := app.APIKey(auth.ScopeDelivery)
	id := decisionID(t, app.QueryKey(key, decisionQuery, vipContext("w-1")))
	require.NotEmpty(t, decisionID(t, app.QueryKey(key, decisionQuery, vipContext("w-2"))))
	drained(t, app)
	ans := collect(t, app, "", "application/json", eventsBody(
		fmt.Sprintf(`{"id":"v1","type":"view","visitorId":"w-1","entry":"home","decisionId":%q,"blockId":"b"}`, id),
		`{"id":"v2","type":"view","visitorId":"w-2","entry":"home"}`))
	require.Equal(t, http.StatusAccepted, ans.Status, ans.Raw)
	drained(t, app)
	ans = collect(t, app, "", "application/json", eventsBody(`{"id":"c1","type":"consent","visitorId":"w-1","withdrawn":["measurement"]}`))
	require.Equal(t, 1, ans.Accepted, ans.Raw)
	drained(t, app)
	require.Zero(t, decisionRows(t, app, "visitor_id = 'w-1'"))
	require.Zero(t, rows(t, app, "visitor_id = 'w-1' AND type = 'view'"))
	require.Equal(t, 1, rows(t, app, "visitor_id = 'w-1' AND type = 'consent'"))
	require.Equal(t, 1, decisionRows(t, app, "visitor_id = 'w-2'"))
	require.Equal(t, 1, rows(t, app, "visitor_id = 'w-2'"))
}
