package server_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// A campaign's cost is set, changed and cleared like its other settings,
// refused with the path when it is no amount or no currency, kept across
// a fresh read, and read back by its report with what follows from it.
func TestCampaignCost(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{Measurement: true})
	admin := app.Token(auth.RoleAdmin)

	for _, tc := range []struct{ name, query, path string }{
		{"negative", `mutation { createCampaign(input: {key: "c1", name: "C", cost: {amount: -1, currency: "EUR"}}) { id } }`, "cost.amount"},
		{"beyond any budget", `mutation { createCampaign(input: {key: "c1", name: "C", cost: {amount: 2e12, currency: "EUR"}}) { id } }`, "cost.amount"},
		{"lower-case currency", `mutation { createCampaign(input: {key: "c1", name: "C", cost: {amount: 10, currency: "eur"}}) { id } }`, "cost.currency"},
		{"no currency", `mutation { createCampaign(input: {key: "c1", name: "C", cost: {amount: 10, currency: ""}}) { id } }`, "cost.currency"},
	} {
		r := app.Query(admin, tc.query, nil)
		require.Equal(t, "BAD_USER_INPUT", r.Code(), "%s: %s", tc.name, r.Raw)
		require.Contains(t, fieldPaths(r), tc.path, "%s: %s", tc.name, r.Raw)
	}
	r := app.Query(admin, `{ campaigns { key } }`, nil)
	require.NotContains(t, r.Raw, `"c1"`, "a refused campaign is not stored")

	r = app.Query(admin, `mutation { createCampaign(input: {key: "paid", name: "Paid", cost: {amount: 1200.5, currency: "EUR"}}) { id version cost { amount currency } } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	require.Equal(t, map[string]any{"amount": 1200.5, "currency": "EUR"}, testapp.Path(r.Data, "createCampaign", "cost"))
	id := testapp.Path(r.Data, "createCampaign", "id")

	// An unrelated change keeps the cost; a new one replaces it.
	r = app.Query(admin, `mutation($id: ID!) { updateCampaign(id: $id, input: {priority: 3}) { cost { amount } } }`, map[string]any{"id": id})
	require.Empty(t, r.Errors, r.Raw)
	require.Equal(t, 1200.5, testapp.Path(r.Data, "updateCampaign", "cost", "amount"))
	r = app.Query(admin, `mutation($id: ID!) { updateCampaign(id: $id, input: {cost: {amount: 0.5, currency: "RON"}}) { cost { amount currency } } }`, map[string]any{"id": id})
	require.Empty(t, r.Errors, r.Raw)
	require.Equal(t, map[string]any{"amount": 0.5, "currency": "RON"}, testapp.Path(r.Data, "updateCampaign", "cost"))
	r = app.Query(admin, `mutation($id: ID!) { updateCampaign(id: $id, input: {cost: {amount: 1, currency: "euro"}}) { id } }`, map[string]any{"id": id})
	require.Equal(t, "BAD_USER_INPUT", r.Code(), r.Raw)
	r = app.Query(admin, `{ campaign(key: "paid") { cost { amount currency } } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	require.Equal(t, map[string]any{"amount": 0.5, "currency": "RON"}, testapp.Path(r.Data, "campaign", "cost"), "a refused update changes nothing")

	// The report names the cost; with no conversions there is no cost per
	// acquisition (not a division by zero), and no revenue is a ROAS of 0.
	viewer := app.Token(auth.RoleViewer)
	r = app.Query(viewer, `{ campaignReport(key: "paid", event: "buy") { cost { amount currency } cpa roas } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	require.Equal(t, map[string]any{"cost": map[string]any{"amount": 0.5, "currency": "RON"}, "cpa": nil, "roas": float64(0)}, r.Data["campaignReport"])
	r = app.Query(viewer, `{ campaignReport(key: "paid") { cost { amount } cpa roas } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	require.Equal(t, map[string]any{"cost": map[string]any{"amount": 0.5}, "cpa": nil, "roas": nil}, r.Data["campaignReport"], "without an event nothing is divided")

	r = app.Query(admin, `mutation($id: ID!) { updateCampaign(id: $id, input: {clearCost: true}) { cost { amount } } }`, map[string]any{"id": id})
	require.Empty(t, r.Errors, r.Raw)
	require.Nil(t, testapp.Path(r.Data, "updateCampaign", "cost"))
}
