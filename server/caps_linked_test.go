package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// Caps on linked entries (delivery/linked.go): what was delivered to the
// person counts. A product reached through home's bestsellers list is
// decided inside home's answer; its capped variant's exposures are
// recorded (the linked entry's own decisionId) and counted on the person
// across devices, and nothing is counted for a product the answer did not
// deliver.

// linkedHome selects bestsellers' products twice (aliases): one delivery,
// one exposure.
const linkedHome = `query($ctx: ExperienceContext) {
	entry(slug: "home", type: "page", context: $ctx) { decisionId blocks { id
		a: linked(field: "products") { slug decisionId decision { variant reason } fields }
		b: linked(field: "products") { slug decisionId decision { variant reason } } } } }`

// homeNoProducts delivers home without its products.
const homeNoProducts = `query($ctx: ExperienceContext) {
	entry(slug: "home", type: "page", context: $ctx) { decisionId blocks { id fields decision { variant } } } }`

// capScarf gives wool-scarf an entry-level variant capped at max per
// week, and publishes it.
func capScarf(t *testing.T, app *testapp.App, max int) {
	t.Helper()
	publishScarfVariant(t, app, map[string]any{
		"key": "scarf-deal", "fields": map[string]any{"name": "Scarf deal: 20% off"},
		"cap": map[string]any{"max": max, "per": "WEEK", "timeZone": "Europe/Bucharest"}})
}

// publishScarfVariant adds the variant in (a VariantInput) to wool-scarf
// and publishes it.
func publishScarfVariant(t *testing.T, app *testapp.App, in map[string]any) {
	t.Helper()
	editor := app.Token(auth.RoleEditor)
	r := app.Query(editor, `{ entry(slug: "wool-scarf", type: "product") { id } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	id := testapp.Path(r.Data, "entry", "id").(string)
	d := app.Query(editor, `query($id: ID!) { draft(id: $id) { version } }`, map[string]any{"id": id})
	require.Empty(t, d.Errors, d.Raw)
	up := app.Query(editor, `mutation($id: ID!, $in: VariantInput!, $v: Int!) {
		upsertVariant(entryId: $id, input: $in, expectedVersion: $v) { version } }`,
		map[string]any{"id": id, "v": testapp.Path(d.Data, "draft", "version"), "in": in})
	require.Empty(t, up.Errors, up.Raw)
	pub := app.Query(app.Token(auth.RolePublisher), `mutation($id: ID!) { publishEntry(id: $id) { status } }`, map[string]any{"id": id})
	require.Empty(t, pub.Errors, pub.Raw)
}

// scarf is wool-scarf as home's bestsellers delivered it (alias a), after
// checking alias b is the same delivery.
func scarf(t *testing.T, r testapp.Response) map[string]any {
	t.Helper()
	require.Empty(t, r.Errors, r.Raw)
	for _, b := range testapp.Path(r.Data, "entry", "blocks").([]any) {
		if testapp.Path(b, "id") != "bestsellers" {
			continue
		}
		as, bs := testapp.Path(b, "a").([]any), testapp.Path(b, "b").([]any)
		for i, p := range as {
			if testapp.Path(p, "slug") == "wool-scarf" {
				require.Equal(t, testapp.Path(p, "decisionId"), testapp.Path(bs[i], "decisionId"),
					"linked twice in one answer: decided and recorded once")
				return p.(map[string]any)
			}
		}
	}
	t.Fatalf("no wool-scarf in bestsellers: %s", r.Raw)
	return nil
}

func TestLinkedEntryCapCountsAcrossDevices(t *testing.T) {
	t.Parallel()
	app := capApp(t, testapp.Options{})
	capScarf(t, app, 2)
	key := app.APIKey(auth.ScopeDelivery)
	ans := collect(t, app, "", "application/json", eventsBody(
		`{"id":"lc-i1","type":"identify","visitorId":"phone-2","userId":"user-2"}`,
		`{"id":"lc-i2","type":"identify","visitorId":"laptop-2","userId":"user-2"}`))
	require.Equal(t, http.StatusAccepted, ans.Status, ans.Raw)
	drained(t, app)

	// Not delivered, not counted: home without its products, many times.
	for range 5 {
		r := app.QueryKey(key, homeNoProducts, webVisitor("phone-2"))
		require.Empty(t, r.Errors, r.Raw)
	}

	// The person's two devices in turn until the scarf's variant is
	// capped: shown twice in all, each time with a decision record of the
	// scarf's own.
	devices := []string{"phone-2", "laptop-2"}
	shown, n := 0, 0
	var last map[string]any
	require.Eventually(t, func() bool {
		n++
		last = scarf(t, app.QueryKey(key, linkedHome, webVisitor(devices[n%2])))
		if testapp.Path(last, "decision", "variant") == "scarf-deal" {
			shown++
			require.Equal(t, "Scarf deal: 20% off", testapp.Path(last, "fields", "name"))
			require.NotEmpty(t, last["decisionId"], "a delivered capped variant has its own record: %v", last)
		}
		reason, _ := testapp.Path(last, "decision", "reason").(string)
		return strings.Contains(reason, "capped: seen 2 of 2 times this week")
	}, 30*time.Second, 10*time.Millisecond, "never capped; last: %v", last)
	require.Equal(t, 2, shown, "twice for the person, whichever device")
	require.NotEmpty(t, last["decisionId"], "the suppression is recorded too (capReport)")
	for _, d := range append(devices, devices...) {
		p := scarf(t, app.QueryKey(key, linkedHome, webVisitor(d)))
		require.Equal(t, "default", testapp.Path(p, "decision", "variant"), "never a third time, on %s", d)
	}

	drained(t, app)
	require.Equal(t, 2, decisionRows(t, app, `visitor_id IN ('phone-2', 'laptop-2') AND entry_slug = 'wool-scarf'
		AND blocks @> '[{"variant":"scarf-deal"}]'`), "two exposures recorded, one per delivery")

	// Someone else still gets it; an anonymous visitor (who cannot be
	// counted) never, and gets no record.
	others := 0
	require.Eventually(t, func() bool {
		p := scarf(t, app.QueryKey(key, linkedHome, webVisitor("stranger-2")))
		if testapp.Path(p, "decision", "variant") == "scarf-deal" {
			others++
		}
		return others == 1
	}, 30*time.Second, 10*time.Millisecond)
	anon := scarf(t, app.QueryKey(key, linkedHome, map[string]any{"ctx": map[string]any{"channel": "web", "device": "desktop"}}))
	require.Equal(t, "default", testapp.Path(anon, "decision", "variant"))
	require.Contains(t, testapp.Path(anon, "decision", "reason"), "cannot be counted")
	require.Nil(t, anon["decisionId"])
}

// A product whose variant is capped is not counted when the answer does
// not deliver it (its list not selected), nor for an editor's preview of
// a simulated person: only deliveries write its records.
func TestLinkedEntryCapNotCountedWhenNotDelivered(t *testing.T) {
	t.Parallel()
	app := capApp(t, testapp.Options{})
	capScarf(t, app, 1)
	key := app.APIKey(auth.ScopeDelivery)
	for range 4 {
		r := app.QueryKey(key, homeNoProducts, webVisitor("quiet-1"))
		require.Empty(t, r.Errors, r.Raw)
	}
	preview := app.Query(app.Token(auth.RoleEditor), linkedHome, map[string]any{"ctx": map[string]any{
		"visitorId": "quiet-1", "channel": "web", "device": "desktop",
		"profile": map[string]any{"events": []any{}}}})
	require.Empty(t, preview.Errors, preview.Raw)
	drained(t, app)
	require.Zero(t, decisionRows(t, app, `entry_slug = 'wool-scarf'`), "nothing delivered the scarf to anyone")

	// The first delivery to quiet-1 shows it: nothing spent its one exposure.
	shown := 0
	require.Eventually(t, func() bool {
		if testapp.Path(scarf(t, app.QueryKey(key, linkedHome, webVisitor("quiet-1"))), "decision", "variant") == "scarf-deal" {
			shown++
		}
		return shown == 1
	}, 30*time.Second, 10*time.Millisecond)
}

// A global block's variants are its entry's: a capped one counts on that
// entry wherever it is delivered — inside home (block "promo") or the
// promo asked for on its own — so the person sees it max times in all,
// not max times per placement.
func TestGlobalBlockCapCountsOnItsEntry(t *testing.T) {
	t.Parallel()
	app := capApp(t, testapp.Options{})
	editor := app.Token(auth.RoleEditor)
	r := app.Query(editor, `{ entry(slug: "free-shipping", type: "promo") { id } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	promoID := testapp.Path(r.Data, "entry", "id").(string)
	d := app.Query(editor, `query($id: ID!) { draft(id: $id) { version } }`, map[string]any{"id": promoID})
	require.Empty(t, d.Errors, d.Raw)
	up := app.Query(editor, `mutation($id: ID!, $in: VariantInput!, $v: Int!) {
		upsertVariant(entryId: $id, input: $in, expectedVersion: $v) { version } }`,
		map[string]any{"id": promoID, "v": testapp.Path(d.Data, "draft", "version"), "in": map[string]any{
			"key": "ship-deal", "channels": []any{"web"}, "fields": map[string]any{"headline": "Free shipping today only"},
			"cap": map[string]any{"max": 2, "per": "WEEK", "timeZone": "Europe/Bucharest"}}})
	require.Empty(t, up.Errors, up.Raw)
	pub := app.Query(app.Token(auth.RolePublisher), `mutation($id: ID!) { publishEntry(id: $id) { status } }`, map[string]any{"id": promoID})
	require.Empty(t, pub.Errors, pub.Raw)
	key := app.APIKey(auth.ScopeDelivery)

	direct := func() (string, string) {
		r := app.QueryKey(key, `query($ctx: ExperienceContext) { entry(slug: "free-shipping", type: "promo", context: $ctx) {
			decision { variant reason } } }`, webVisitor("shopper-g"))
		require.Empty(t, r.Errors, r.Raw)
		return testapp.Path(r.Data, "entry", "decision", "variant").(string), testapp.Path(r.Data, "entry", "decision", "reason").(string)
	}
	onHome := func() (string, string) {
		r := app.QueryKey(key, capHome, webVisitor("shopper-g"))
		require.Empty(t, r.Errors, r.Raw)
		for _, b := range testapp.Path(r.Data, "entry", "blocks").([]any) {
			if testapp.Path(b, "id") == "promo" {
				return testapp.Path(b, "decision", "variant").(string), testapp.Path(b, "decision", "reason").(string)
			}
		}
		t.Fatalf("no promo block in %s", r.Raw)
		return "", ""
	}
	const capped = "capped: seen 2 of 2 times this week"
	shown, n := 0, 0
	var cappedDirect, cappedHome bool
	require.Eventually(t, func() bool {
		n++
		get := direct
		if n%2 == 0 {
			get = onHome
		}
		v, reason := get()
		if v == "ship-deal" {
			shown++
		}
		if strings.Contains(reason, capped) {
			if n%2 == 0 {
				cappedHome = true
			} else {
				cappedDirect = true
			}
		}
		return cappedDirect && cappedHome
	}, 30*time.Second, 10*time.Millisecond, "never capped in both places")
	require.Equal(t, 2, shown, "twice in all, whichever placement showed it")
	drained(t, app)
	require.Equal(t, 2, decisionRows(t, app, `visitor_id = 'shopper-g' AND (blocks @> $1 OR blocks @> $2)`,
		`[{"blockId":"promo","globalId":"`+promoID+`","variant":"ship-deal"}]`,
		`[{"blockId":"`+promoID+`","variant":"ship-deal"}]`))
}
