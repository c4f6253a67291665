package server_test

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
	"github.com/mosaichq/mosaic/stats"
)

// heroQuery reads the home page's hero: the block the demo campaign owns
// a variant of. Two documents: one naming the decision record (private
// answers, spliced per visitor) and one without (shared answers).
const (
	heroRecorded = `query($ctx: ExperienceContext) { entry(slug: "home", type: "page", context: $ctx) {
		decisionId blocks { id fields decision { variant reason campaign { key name } } } } }`
	heroShared = `query($ctx: ExperienceContext) { entry(slug: "home", type: "page", context: $ctx) {
		blocks { id fields decision { variant reason } } } }`
)

// holdoutHero delivers the home page to visitor on a desktop (every purpose
// granted), reports the hero's view when the answer names a decision, and
// returns the hero's decision and the raw answer.
func holdoutHero(t *testing.T, app *testapp.App, key, query, visitor string) (map[string]any, string) {
	t.Helper()
	r := app.QueryKey(key, query, map[string]any{"ctx": map[string]any{"visitorId": visitor, "device": "desktop", "channel": "web"}})
	require.Empty(t, r.Errors, r.Raw)
	for _, b := range testapp.Path(r.Data, "entry", "blocks").([]any) {
		if b := b.(map[string]any); b["id"] == "hero" {
			// A measuring storefront reports what it showed: a cached
			// copy's delivery counts through the view.
			if id, _ := testapp.Path(r.Data, "entry", "decisionId").(string); id != "" {
				showed(t, app, visitor, id, "hero")
			}
			return b["decision"].(map[string]any), r.Raw
		}
	}
	t.Fatalf("no hero in %s", r.Raw)
	return nil, ""
}

// A live campaign with a 20 % holdout, simulated visitors through the
// public API: a fifth of them see the default hero and nothing of the
// campaign (not in fresh answers, not in cached ones), conversions posted
// to /collect with an injected effect show in campaignReport's lift with
// its interval, and a held-out person stays held out on a second device
// once signed in.
func TestCampaignHoldoutEndToEnd(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{Measurement: true, ArmTTL: 20 * time.Millisecond})
	key := app.APIKey(auth.ScopeDelivery)
	editor, viewer := app.Token(auth.RoleEditor), app.Token(auth.RoleViewer)

	r := app.Query(editor, `{ campaign(key: "winter-sale") { id holdout } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	id := testapp.Path(r.Data, "campaign", "id")
	require.Equal(t, float64(0), testapp.Path(r.Data, "campaign", "holdout"))
	r = app.Query(editor, `mutation($id: ID!) { updateCampaign(id: $id, input: {holdout: 0.2}) { holdout } }`, map[string]any{"id": id})
	require.Empty(t, r.Errors, r.Raw)
	require.Equal(t, 0.2, testapp.Path(r.Data, "updateCampaign", "holdout"))
	r = app.Query(editor, `mutation($id: ID!, $e: DateTime!) { launchCampaign(id: $id, endsAt: $e) { status } }`,
		map[string]any{"id": id, "e": time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)})
	require.Empty(t, r.Errors, r.Raw)
	require.Equal(t, "LIVE", testapp.Path(r.Data, "launchCampaign", "status"))

	const n = 300
	held := map[string]bool{}
	for i := range n {
		v := fmt.Sprintf("hx-%d", i)
		d, raw := holdoutHero(t, app, key, heroRecorded, v)
		if d["variant"] == "default" {
			held[v] = true
			require.Nil(t, d["campaign"], raw)
			require.Equal(t, "held out of campaign winter-sale (20 % holdout): default", d["reason"])
			require.NotContains(t, raw, "Winter sale", "no campaign content reaches a held-out person")
			continue
		}
		require.Equal(t, "winter-sale", d["variant"], raw)
		require.Contains(t, raw, "Winter sale: 30% off everything")
	}
	share := float64(len(held)) / n
	require.InDelta(t, 0.2, share, 5*math.Sqrt(0.2*0.8/n), "the holdout's share: %d of %d", len(held), n)

	// The same people again through the shared-answer document, held-out
	// and shown visitors interleaved, each twice: a cached answer is never
	// served across the holdout's line.
	for i := range 40 {
		v := fmt.Sprintf("hx-%d", i)
		for range 2 {
			d, raw := holdoutHero(t, app, key, heroShared, v)
			if held[v] {
				require.Equal(t, "default", d["variant"], raw)
				require.NotContains(t, raw, "Winter sale", raw)
			} else {
				require.Equal(t, "winter-sale", d["variant"], raw)
			}
		}
	}

	exposuresRolledUp(t, app, "campaign:winter-sale", n)

	// The injected effect: 3 in 10 shown people buy, 1 in 10 held out.
	type group struct{ units, buyers, revenue, revenueSq float64 }
	var shown, out group
	var events []string
	for i := range n {
		v := fmt.Sprintf("hx-%d", i)
		g, rate := &shown, 3
		if held[v] {
			g, rate = &out, 1
		}
		g.units++
		if i%10 >= rate {
			continue
		}
		value := float64(20 + i%7)
		events = append(events, fmt.Sprintf(`{"id":"hx-buy-%d","type":"conversion","visitorId":%q,"goal":"hx-buy","value":%v}`, i, v, value))
		g.buyers++
		g.revenue += value
		g.revenueSq += value * value
	}
	ans := collect(t, app, "", "application/json", eventsBody(events...))
	require.Equal(t, len(events), ans.Accepted, ans.Raw)
	drained(t, app)

	r = app.Query(viewer, `{ campaignReport(key: "winter-sale", event: "hx-buy") { reach holdout outcomes { variant visitors }
		lift { observedHoldoutShare note
			exposed { visitors conversions conversionRate revenue revenuePerVisitor }
			heldOut { visitors conversions conversionRate revenue revenuePerVisitor }
			conversionRate { lift ciLow ciHigh pValue significant reason }
			revenuePerVisitor { lift ciLow ciHigh pValue }
			srm { pValue warning } } } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	rep := r.Data["campaignReport"].(map[string]any)
	require.Equal(t, 0.2, rep["holdout"])
	require.Equal(t, shown.units, rep["reach"], "held-out people were not reached")
	require.Contains(t, rep["outcomes"], map[string]any{"variant": "holdout", "visitors": out.units})
	lift := rep["lift"].(map[string]any)
	require.Equal(t, map[string]any{"visitors": shown.units, "conversions": shown.buyers, "conversionRate": shown.buyers / shown.units,
		"revenue": shown.revenue, "revenuePerVisitor": shown.revenue / shown.units}, lift["exposed"])
	require.Equal(t, out.units, testapp.Path(lift, "heldOut", "visitors"))
	require.Equal(t, out.buyers, testapp.Path(lift, "heldOut", "conversions"))
	require.InDelta(t, share, lift["observedHoldoutShare"], 1e-12)
	require.InDelta(t, 0.2, lift["observedHoldoutShare"], 5*math.Sqrt(0.2*0.8/n))
	require.Equal(t, false, testapp.Path(lift, "srm", "warning"))
	require.Nil(t, lift["note"], "enough people on each side, the split as configured")

	want, err := stats.Analyze(stats.Input{Config: stats.Config{Kind: stats.Proportion}, Arms: []stats.Arm{
		{Key: "holdout", Weight: 0.2, Metric: stats.Summary{Units: int64(out.units), Sum: out.buyers}},
		{Key: "exposed", Weight: 0.8, Metric: stats.Summary{Units: int64(shown.units), Sum: shown.buyers}}}})
	require.NoError(t, err)
	rel := want.Arms[1].Versus.Relative
	cr := lift["conversionRate"].(map[string]any)
	require.Greater(t, cr["lift"], 0.0, "the campaign's effect points up")
	require.InDelta(t, rel.Estimate, cr["lift"], 1e-12)
	require.InDelta(t, rel.CILow, cr["ciLow"], 1e-12)
	require.InDelta(t, rel.CIHigh, cr["ciHigh"], 1e-12)
	require.InDelta(t, rel.PValue, cr["pValue"], 1e-12)
	require.Less(t, cr["ciLow"], cr["lift"])
	require.Greater(t, cr["ciHigh"], cr["lift"])
	require.Greater(t, testapp.Path(lift, "revenuePerVisitor", "lift"), 0.0)

	// A held-out person signs in on a second device that, on its own,
	// was shown the campaign: once the sign-in is stored, the laptop
	// follows the person's first cohort — held out.
	phone := ""
	for v := range held {
		phone = v
		break
	}
	laptop := ""
	for i := 0; laptop == ""; i++ {
		require.Less(t, i, 200)
		v := fmt.Sprintf("hx-laptop-%d", i)
		if d, _ := holdoutHero(t, app, key, heroRecorded, v); d["variant"] == "winter-sale" {
			laptop = v
		}
	}
	ans = collect(t, app, "", "application/json", eventsBody(
		fmt.Sprintf(`{"id":"hx-id-1","type":"identify","visitorId":%q,"userId":"hx-user"}`, phone),
		fmt.Sprintf(`{"id":"hx-id-2","type":"identify","visitorId":%q,"userId":"hx-user"}`, laptop)))
	require.Equal(t, 2, ans.Accepted, ans.Raw)
	drained(t, app)
	require.Eventually(t, func() bool {
		d, _ := holdoutHero(t, app, key, heroRecorded, laptop)
		return d["variant"] == "default"
	}, 10*time.Second, 10*time.Millisecond, "the second device keeps the person held out")
	d, raw := holdoutHero(t, app, key, heroShared, laptop)
	require.Equal(t, "held out of campaign winter-sale (20 % holdout) (the person's first cohort): default", d["reason"])
	require.NotContains(t, raw, "Winter sale")

	// Editors see why.
	r = app.Query(editor, `query($ctx: ExperienceContext) { explainDecision(slug: "home", type: "page", blockId: "hero", context: $ctx) {
		decision { variant reason } variants { variant chosen reasons } } }`,
		map[string]any{"ctx": map[string]any{"visitorId": phone, "device": "desktop", "channel": "web"}})
	require.Empty(t, r.Errors, r.Raw)
	require.Equal(t, "default", testapp.Path(r.Data, "explainDecision", "decision", "variant"))
	require.True(t, strings.Contains(r.Raw, "held out of campaign winter-sale (20 % holdout)"), r.Raw)

	// The kill switch ends the holdout with the campaign, at once: the
	// held-out person and everyone else see the default.
	r = app.Query(app.Token(auth.RolePublisher), `mutation($id: ID!) { stopCampaign(id: $id) { status } }`, map[string]any{"id": id})
	require.Empty(t, r.Errors, r.Raw)
	d, _ = holdoutHero(t, app, key, heroShared, phone)
	require.Equal(t, "default", d["variant"])
	require.NotContains(t, d["reason"], "held out")
}

// A holdout share outside 0..0.5 is refused with its path, on create and
// update, and nothing is written.
func TestCampaignHoldoutRefusals(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{NoSeed: true, Measurement: true})
	admin := app.Token(auth.RoleAdmin)
	for _, tc := range []struct{ name, query string }{
		{"negative", `mutation { createCampaign(input: {key: "h1", name: "H", holdout: -0.1}) { id } }`},
		{"more than half", `mutation { createCampaign(input: {key: "h1", name: "H", holdout: 0.51}) { id } }`},
		{"a percentage", `mutation { createCampaign(input: {key: "h1", name: "H", holdout: 10}) { id } }`},
	} {
		r := app.Query(admin, tc.query, nil)
		require.Equal(t, "BAD_USER_INPUT", r.Code(), "%s: %s", tc.name, r.Raw)
		require.Contains(t, fieldPaths(r), "holdout", "%s: %s", tc.name, r.Raw)
	}
	r := app.Query(admin, `{ campaigns { key } }`, nil)
	require.NotContains(t, r.Raw, `"h1"`, "a refused campaign is not stored")

	r = app.Query(admin, `mutation { createCampaign(input: {key: "h2", name: "H", holdout: 0.5}) { id holdout } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	require.Equal(t, 0.5, testapp.Path(r.Data, "createCampaign", "holdout"))
	id := testapp.Path(r.Data, "createCampaign", "id")
	r = app.Query(admin, `mutation($id: ID!) { updateCampaign(id: $id, input: {holdout: 0.9}) { id } }`, map[string]any{"id": id})
	require.Equal(t, "BAD_USER_INPUT", r.Code(), r.Raw)
	require.Contains(t, fieldPaths(r), "holdout", r.Raw)
	r = app.Query(admin, `{ campaign(key: "h2") { holdout } }`, nil)
	require.Equal(t, 0.5, testapp.Path(r.Data, "campaign", "holdout"), "a refused update changes nothing")
	r = app.Query(admin, `mutation($id: ID!) { updateCampaign(id: $id, input: {priority: 2}) { holdout } }`, map[string]any{"id": id})
	require.Empty(t, r.Errors, r.Raw)
	require.Equal(t, 0.5, testapp.Path(r.Data, "updateCampaign", "holdout"), "an unrelated change keeps it")
	r = app.Query(admin, `mutation($id: ID!) { updateCampaign(id: $id, input: {holdout: 0}) { holdout } }`, map[string]any{"id": id})
	require.Empty(t, r.Errors, r.Raw)
	require.Equal(t, float64(0), testapp.Path(r.Data, "updateCampaign", "holdout"))

	// Without a holdout the report says lift cannot be measured.
	r = app.Query(admin, `{ campaignReport(key: "h2", event: "buy") { holdout lift { note conversionRate { lift } heldOut { visitors } } } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	require.Contains(t, testapp.Path(r.Data, "campaignReport", "lift", "note"), "no holdout: lift cannot be measured")
	require.Nil(t, testapp.Path(r.Data, "campaignReport", "lift", "conversionRate"))
}
