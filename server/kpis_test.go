package server_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
)

const funnelQuery = `query($by: [KpiDimension!]) {
	funnel(steps: ["kp-product", "kp-cart", "kp-buy"], window: "24h", breakdown: $by) {
		steps window breakdown scanned computedAt
		total { people crossDevice crossDeviceShare steps { index event people crossDevice dropOff stepRate conversionRate medianSecondsFromPrevious } }
		groups { device channel locale people crossDevice steps { people crossDevice } } } }`

const kpisQuery = `query($by: [KpiDimension!], $goal: String) { kpis(breakdown: $by, goal: $goal) {
	from to goal breakdown computedAt
	total { device visitors converters conversions conversionRate revenue orders aov revenuePerVisitor ltv
		timeToConversion { people medianSeconds p90Seconds } }
	cells { device channel locale visitors converters conversions revenue orders aov ltv timeToConversion { people medianSeconds } } } }`

// Visitors on phones and laptops go through the public API — delivery
// (decision records: the device), identify merging a person's phone and
// laptop, track and conversion events on /collect, the consumer — and
// funnel and kpis count the person once, the phone-then-laptop funnel as
// cross-device, and nothing that must not count: a step done before the
// previous one, a step outside the window, steps of two visitor ids no
// identify merged.
func TestKpisAndFunnelEndToEnd(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{Measurement: true})
	key := app.APIKey(auth.ScopeDelivery)
	viewer := app.Token(auth.RoleViewer)

	devices := map[string]string{"kp-phone": "mobile", "kp-laptop": "desktop", "kp-a": "desktop", "kp-b": "mobile",
		"kp-c": "desktop", "kp-x1": "mobile", "kp-x2": "desktop", "kp-d": "mobile"}
	for v, d := range devices {
		measured(t, app, key, v, d)
	}
	base := time.Now().UTC().Add(-26 * time.Hour).Truncate(time.Second)
	n := 0
	ev := func(visitor, typ, name string, after time.Duration, extra string) string {
		n++
		field := "name"
		if typ == "conversion" {
			field = "goal"
		}
		return fmt.Sprintf(`{"id":"kp-%d","type":%q,"visitorId":%q,%q:%q,"timestamp":%q%s}`, n, typ, visitor, field, name,
			base.Add(after).Format(time.RFC3339), extra)
	}
	events := []string{
		// One person: the product on the phone, the cart and the purchase
		// on the laptop; identify merges the two.
		`{"id":"kp-id1","type":"identify","visitorId":"kp-phone","userId":"kp-user"}`,
		`{"id":"kp-id2","type":"identify","visitorId":"kp-laptop","userId":"kp-user"}`,
		ev("kp-phone", "track", "kp-product", 0, ""),
		ev("kp-laptop", "track", "kp-cart", time.Minute, ""),
		ev("kp-laptop", "conversion", "kp-buy", 2*time.Minute, `,"value":30`),
		// Product and cart, no purchase.
		ev("kp-a", "track", "kp-product", 0, ""),
		ev("kp-a", "track", "kp-cart", time.Hour, ""),
		// The cart before the product: only the first step counts.
		ev("kp-b", "track", "kp-cart", 0, ""),
		ev("kp-b", "track", "kp-product", time.Minute, ""),
		// The cart 25 h after the product: outside the 24 h window.
		ev("kp-c", "track", "kp-product", 0, ""),
		ev("kp-c", "track", "kp-cart", 25*time.Hour, ""),
		// Two visitor ids never merged: two people, no funnel across.
		ev("kp-x1", "track", "kp-product", 0, ""),
		ev("kp-x2", "track", "kp-cart", time.Minute, ""),
		ev("kp-x2", "conversion", "kp-signup", 2*time.Minute, ""),
		// All three steps on one phone.
		ev("kp-d", "track", "kp-product", 0, ""),
		ev("kp-d", "track", "kp-cart", time.Minute, ""),
		ev("kp-d", "conversion", "kp-buy", 10*time.Minute, `,"value":10`),
	}
	ans := collect(t, app, "", "application/json", eventsBody(events...))
	require.Equal(t, len(events), ans.Accepted, ans.Raw)
	drained(t, app)
	require.Eventually(t, func() bool {
		var c int
		err := app.Pool.QueryRow(t.Context(), `SELECT count(*) FROM measurement_kpi_visitors WHERE context_at IS NOT NULL
			AND visitor_id LIKE 'kp-%'`).Scan(&c)
		return err == nil && c == len(devices)
	}, 30*time.Second, 20*time.Millisecond, "every visitor's decision record is rolled up")

	r := app.Query(viewer, funnelQuery, map[string]any{"by": []string{"DEVICE"}})
	require.Empty(t, r.Errors, r.Raw)
	f := r.Data["funnel"].(map[string]any)
	require.Equal(t, "24h", f["window"])
	require.Equal(t, []any{"DEVICE"}, f["breakdown"])
	total := f["total"].(map[string]any)
	require.Equal(t, float64(6), total["people"], "the person, a, b, c, x1 and d did the first step: %s", r.Raw)
	require.Equal(t, float64(1), total["crossDevice"], "only the merged person crossed devices")
	require.InDelta(t, 1.0/6, total["crossDeviceShare"], 1e-12)
	steps := total["steps"].([]any)
	want := []struct{ people, cross, drop float64 }{{6, 0, 0}, {3, 1, 3}, {2, 0, 1}}
	for i, w := range want {
		s := steps[i].(map[string]any)
		require.Equal(t, float64(i+1), s["index"])
		require.Equal(t, w.people, s["people"], "step %d: %s", i+1, r.Raw)
		require.Equal(t, w.cross, s["crossDevice"], "step %d", i+1)
		require.Equal(t, w.drop, s["dropOff"], "step %d", i+1)
	}
	require.Nil(t, steps[0].(map[string]any)["medianSecondsFromPrevious"])
	// From the product to the cart: 60 s (the person), 60 s (d), 3,600 s (a).
	require.Equal(t, float64(60), steps[1].(map[string]any)["medianSecondsFromPrevious"])
	groups := f["groups"].([]any)
	require.Len(t, groups, 2, r.Raw)
	desktop, mobile := groups[0].(map[string]any), groups[1].(map[string]any)
	require.Equal(t, "desktop", desktop["device"])
	require.Nil(t, desktop["channel"], "not broken down by channel")
	require.Equal(t, float64(2), desktop["people"], "a and c started on a laptop")
	require.Equal(t, "mobile", mobile["device"])
	require.Equal(t, float64(4), mobile["people"], "the person, b, x1 and d started on a phone")
	require.Equal(t, float64(1), mobile["crossDevice"])
	require.Equal(t, []any{map[string]any{"people": float64(4), "crossDevice": float64(0)},
		map[string]any{"people": float64(2), "crossDevice": float64(1)}, map[string]any{"people": float64(2), "crossDevice": float64(0)}},
		mobile["steps"])

	r = app.Query(viewer, kpisQuery, map[string]any{"by": []string{"DEVICE"}, "goal": "kp-buy"})
	require.Empty(t, r.Errors, r.Raw)
	k := r.Data["kpis"].(map[string]any)
	tot := k["total"].(map[string]any)
	require.Nil(t, tot["device"])
	require.GreaterOrEqual(t, tot["visitors"], float64(7), "the seed may have visitors of its own")
	require.Equal(t, float64(2), tot["converters"], r.Raw)
	require.Equal(t, float64(2), tot["conversions"])
	require.Equal(t, float64(40), tot["revenue"])
	require.Equal(t, float64(20), tot["aov"])
	ttc := tot["timeToConversion"].(map[string]any)
	require.Equal(t, float64(2), ttc["people"])
	require.InDelta(t, 360, ttc["medianSeconds"], 1e-9, "120 s (phone to laptop) and 600 s")
	require.InDelta(t, 552, ttc["p90Seconds"], 1e-9)

	// The person's laptop purchase is in the laptop's cell; their lifetime
	// value counts in every cell they were seen in.
	cells := map[string]map[string]any{}
	for _, c := range k["cells"].([]any) {
		cells[fmt.Sprint(c.(map[string]any)["device"])] = c.(map[string]any)
	}
	require.Equal(t, float64(1), cells["desktop"]["converters"])
	require.Equal(t, float64(30), cells["desktop"]["revenue"])
	require.Equal(t, float64(1), cells["mobile"]["converters"])
	require.Equal(t, float64(10), cells["mobile"]["revenue"])
	require.Equal(t, float64(4), cells["mobile"]["visitors"], "the person (phone), b, x1, d")
	require.InDelta(t, 40.0/4, cells["mobile"]["ltv"], 1e-9, "the person's 30 bought on the laptop counts on the phone too")
	require.Equal(t, float64(4), cells["desktop"]["visitors"], "the person (laptop), a, c, x2")
	require.InDelta(t, 30.0/4, cells["desktop"]["ltv"], 1e-9)

	// Every conversion: x2's signup too, with no value (no order).
	r = app.Query(viewer, kpisQuery, nil)
	require.Empty(t, r.Errors, r.Raw)
	tot = r.Data["kpis"].(map[string]any)["total"].(map[string]any)
	require.Equal(t, float64(3), tot["converters"])
	require.Equal(t, float64(2), tot["orders"])
	require.Equal(t, []any{}, r.Data["kpis"].(map[string]any)["cells"])
}

// Bad arguments are BAD_USER_INPUT naming what is wrong, never INTERNAL;
// reports need a token.
func TestKpisAndFunnelRefusals(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{NoSeed: true, Measurement: true})
	viewer := app.Token(auth.RoleViewer)
	for name, tc := range map[string]struct {
		token, query, code, contains string
	}{
		"one step":       {viewer, `{ funnel(steps: ["a"]) { scanned } }`, "BAD_USER_INPUT", "2 to 10 steps"},
		"no steps":       {viewer, `{ funnel(steps: []) { scanned } }`, "BAD_USER_INPUT", "2 to 10 steps"},
		"11 steps":       {viewer, `{ funnel(steps: ["a","b","c","d","e","f","g","h","i","j","k"]) { scanned } }`, "BAD_USER_INPUT", "got 11"},
		"blank step":     {viewer, `{ funnel(steps: ["a", " "]) { scanned } }`, "BAD_USER_INPUT", "step 2"},
		"window":         {viewer, `{ funnel(steps: ["a", "b"], window: "soon") { scanned } }`, "BAD_USER_INPUT", "soon"},
		"window 0":       {viewer, `{ funnel(steps: ["a", "b"], window: "0h") { scanned } }`, "BAD_USER_INPUT", "30d"},
		"window 31d":     {viewer, `{ funnel(steps: ["a", "b"], window: "31d") { scanned } }`, "BAD_USER_INPUT", "30d"},
		"funnel from>to": {viewer, `{ funnel(steps: ["a", "b"], from: "2026-12-05T00:00:00Z", to: "2026-12-01T00:00:00Z") { scanned } }`, "BAD_USER_INPUT", "after from"},
		"funnel range":   {viewer, `{ funnel(steps: ["a", "b"], from: "2026-01-01T00:00:00Z", to: "2026-03-01T00:00:00Z") { scanned } }`, "BAD_USER_INPUT", "31 days"},
		"funnel dim":     {viewer, `{ funnel(steps: ["a", "b"], breakdown: [SEGMENT]) { scanned } }`, "BAD_USER_INPUT", ""},
		"kpis dim":       {viewer, `{ kpis(breakdown: [BROWSER]) { computedAt } }`, "BAD_USER_INPUT", ""},
		"kpis from>to":   {viewer, `{ kpis(from: "2026-12-05T00:00:00Z", to: "2026-12-01T00:00:00Z") { computedAt } }`, "BAD_USER_INPUT", "before from"},
		"kpis range":     {viewer, `{ kpis(from: "2024-01-01T00:00:00Z", to: "2026-03-01T00:00:00Z") { computedAt } }`, "BAD_USER_INPUT", "366 days"},
		"kpis date":      {viewer, `{ kpis(from: "last week") { computedAt } }`, "BAD_USER_INPUT", ""},
		"no token":       {"", `{ kpis { computedAt } }`, "UNAUTHENTICATED", ""},
		"no token 2":     {"", `{ funnel(steps: ["a", "b"]) { scanned } }`, "UNAUTHENTICATED", ""},
	} {
		r := app.Query(tc.token, tc.query, nil)
		require.Equal(t, tc.code, r.Code(), "%s: %s", name, r.Raw)
		require.Contains(t, r.Raw, tc.contains, name)
	}
	// Nothing recorded: zeros, not NaN or an error.
	r := app.Query(viewer, `{ kpis(breakdown: [DEVICE, CHANNEL]) { total { visitors conversionRate aov ltv timeToConversion { people medianSeconds } } cells { device } }
		funnel(steps: ["view", "view:home"], breakdown: [LOCALE]) { total { people crossDeviceShare steps { people stepRate } } groups { locale } } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	require.Equal(t, map[string]any{"visitors": float64(0), "conversionRate": float64(0), "aov": float64(0), "ltv": float64(0),
		"timeToConversion": map[string]any{"people": float64(0), "medianSeconds": nil}}, testapp.Path(r.Data, "kpis", "total"))
	require.Equal(t, float64(0), testapp.Path(r.Data, "funnel", "total", "people"))
}
