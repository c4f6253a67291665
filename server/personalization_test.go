package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
	"github.com/mosaichq/mosaic/personalization"
)

const personalizedHome = `query($ctx: ExperienceContext, $locale: String) {
  entry(slug: "home", type: "page", locale: $locale, context: $ctx) {
    id version decision { variant reason }
    blocks { id type fields decision { variant reason experiment arm } }
  }
}`

// block returns the block with id from a personalizedHome response.
func block(t *testing.T, resp testapp.Response, id string) map[string]any {
	t.Helper()
	require.Empty(t, resp.Errors, resp.Raw)
	for _, b := range testapp.Path(resp.Data, "entry", "blocks").([]any) {
		if testapp.Path(b, "id") == id {
			return b.(map[string]any)
		}
	}
	t.Fatalf("no block %q in %s", id, resp.Raw)
	return nil
}

func TestPersonalizedHomeDemoContexts(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	cases := []struct {
		name, block string
		ctx         map[string]any
		variant     string
		reason      string
		field       string
		want        any
	}{
		{"vip segment", "hero", map[string]any{"segments": []any{"vip"}}, "vip", "segment vip matched",
			"title", "Welcome back. Your early access is open."},
		{"mobile device", "hero", map[string]any{"device": "mobile"}, "mobile", "device mobile matched",
			"imageUrl", "/demo/hero-winter-mobile.jpg"},
		{"kiosk channel", "hero", map[string]any{"channel": "kiosk"}, "kiosk", "channel kiosk matched",
			"title", "Winter is here. Try it on in store."},
		{"empty context", "hero", map[string]any{}, "default", "no variant matched: default",
			"title", "Winter is coming. Dress for it."},
		{"no context at all", "hero", nil, "default", "no variant matched: default",
			"title", "Winter is coming. Dress for it."},
		{"rule segment from traits", "bestsellers", map[string]any{"traits": map[string]any{"cart_value": 150}},
			"premium", "segment big-spender matched", "title", "Premium picks for you"},
		{"rule segment not matching", "bestsellers", map[string]any{"traits": map[string]any{"cart_value": 20}},
			"default", "no variant matched: default", "title", "Bestsellers"},
		{"missing trait does not match", "intro", map[string]any{"traits": map[string]any{}},
			"default", "no variant matched: default", "", nil},
		{"global block entry-level variant", "promo", map[string]any{"channel": "kiosk"}, "kiosk", "channel kiosk matched",
			"body", "Show this screen at the till: free shipping on every order today."},
		{"merged fields keep defaults", "hero", map[string]any{"device": "mobile"}, "mobile", "device mobile matched",
			"title", "Winter is coming. Dress for it."},
		{"romanian variants", "hero", map[string]any{"segments": []any{"vip"}, "locale": "ro"}, "vip", "segment vip matched",
			"title", "Bine ai revenit. Accesul tău anticipat e deschis."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			vars := map[string]any{"ctx": tc.ctx}
			b := block(t, app.Query("", personalizedHome, vars), tc.block)
			require.Equal(t, tc.variant, testapp.Path(b, "decision", "variant"))
			require.Equal(t, tc.reason, testapp.Path(b, "decision", "reason"))
			if tc.field != "" {
				require.Equal(t, tc.want, testapp.Path(b, "fields", tc.field))
			}
		})
	}
}

func TestPersonalizedLobbyKiosk(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	q := `query($ctx: ExperienceContext) { entry(slug: "lobby", type: "screen", context: $ctx) {
		blocks { id fields decision { variant reason } } } }`
	kiosk := app.Query("", q, map[string]any{"ctx": map[string]any{"channel": "kiosk", "device": "kiosk"}})
	require.Empty(t, kiosk.Errors, kiosk.Raw)
	require.Equal(t, "kiosk", testapp.Path(kiosk.Data, "entry", "blocks", 0, "decision", "variant"))
	require.Equal(t, "Tap the screen to explore today's offers", testapp.Path(kiosk.Data, "entry", "blocks", 0, "fields", "title"))
	web := app.Query("", q, map[string]any{"ctx": map[string]any{"channel": "web"}})
	require.Empty(t, web.Errors, web.Raw)
	require.Equal(t, "default", testapp.Path(web.Data, "entry", "blocks", 0, "decision", "variant"))
}

func TestPersonalizedExperimentIsSticky(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	exp := personalization.Experiment{Key: "cta-test", Arms: []personalization.Arm{{Key: "a", Weight: 1}, {Key: "b", Weight: 1}}}
	arms := map[string]int{}
	for i := range 12 {
		visitor := fmt.Sprintf("visitor-%d", i)
		want, ok := personalization.Bucket(exp, visitor)
		require.True(t, ok)
		var first any
		for range 3 { // the same visitor, request after request
			b := block(t, app.Query("", personalizedHome, map[string]any{"ctx": map[string]any{"visitorId": visitor}}), "cta")
			require.Equal(t, "cta-"+want, testapp.Path(b, "decision", "variant"))
			require.Equal(t, "cta-test", testapp.Path(b, "decision", "experiment"))
			require.Equal(t, want, testapp.Path(b, "decision", "arm"))
			require.Equal(t, "experiment cta-test arm "+want, testapp.Path(b, "decision", "reason"))
			if first == nil {
				first = testapp.Path(b, "fields", "label")
			}
			require.Equal(t, first, testapp.Path(b, "fields", "label"))
		}
		arms[want]++
	}
	require.Len(t, arms, 2, "12 visitors all landed in one arm of a 50/50 split")

	anonymous := block(t, app.Query("", personalizedHome, map[string]any{"ctx": map[string]any{}}), "cta")
	require.Equal(t, "default", testapp.Path(anonymous, "decision", "variant"))
	require.Nil(t, testapp.Path(anonymous, "decision", "experiment"))
}

func TestPersonalizedWithoutConsent(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	ctx := map[string]any{"consent": false, "visitorId": "visitor-1", "segments": []any{"vip"},
		"traits": map[string]any{"cart_value": 500, "visits": 10}}
	resp := app.Query("", personalizedHome, map[string]any{"ctx": ctx})
	for _, id := range []string{"hero", "intro", "bestsellers"} {
		b := block(t, resp, id)
		require.Equal(t, "default", testapp.Path(b, "decision", "variant"), id)
		require.Nil(t, testapp.Path(b, "decision", "experiment"), id)
	}
	// Without measurement the experiment still buckets, for the day, and
	// the reason names the purpose that limited it.
	cta := block(t, resp, "cta")
	require.Equal(t, "cta-test", testapp.Path(cta, "decision", "experiment"))
	require.Contains(t, testapp.Path(cta, "decision", "reason"), "bucketed for the day: no measurement consent")
	// Context-level targeting still applies without consent.
	ctx["device"] = "mobile"
	b := block(t, app.Query("", personalizedHome, map[string]any{"ctx": ctx}), "hero")
	require.Equal(t, "mobile", testapp.Path(b, "decision", "variant"))
	// With consent the same context is personalized.
	ctx["consent"] = true
	b = block(t, app.Query("", personalizedHome, map[string]any{"ctx": ctx}), "bestsellers")
	require.Equal(t, "premium", testapp.Path(b, "decision", "variant"))
}

func TestPersonalizedDeviceFromUserAgent(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	const iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
	for _, tc := range []struct {
		name    string
		ctx     map[string]any
		variant string
	}{
		{"web request without device", map[string]any{}, "mobile"},
		{"explicit web channel", map[string]any{"channel": "web"}, "mobile"},
		{"device sent wins", map[string]any{"device": "desktop"}, "default"},
		{"not a web request", map[string]any{"channel": "app"}, "default"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := graphQLRequest(t, app, personalizedHome, map[string]any{"ctx": tc.ctx})
			req.Header.Set("User-Agent", iphone)
			b := block(t, app.Do(req, ""), "hero")
			require.Equal(t, tc.variant, testapp.Path(b, "decision", "variant"))
		})
	}
}

func TestPersonalizedContextPerField(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	resp := app.Query("", `{
		vip: entry(slug: "home", type: "page", context: {segments: ["vip"]}) { blocks { decision { variant } } }
		kiosk: entry(slug: "home", type: "page", context: {channel: "kiosk"}) { blocks { decision { variant } } }
		list: entries(type: "page", context: {device: "mobile"}) { nodes { slug blocks { decision { variant } } } }
	}`, nil)
	require.Empty(t, resp.Errors, resp.Raw)
	require.Equal(t, "vip", testapp.Path(resp.Data, "vip", "blocks", 0, "decision", "variant"))
	require.Equal(t, "kiosk", testapp.Path(resp.Data, "kiosk", "blocks", 0, "decision", "variant"))
	require.Equal(t, "mobile", testapp.Path(resp.Data, "list", "nodes", 0, "blocks", 0, "decision", "variant"))
}

func TestExplainDecision(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	q := `query($block: String, $ctx: ExperienceContext) {
		explainDecision(slug: "home", type: "page", blockId: $block, context: $ctx) {
			blockId segments decision { variant reason } variants { variant matched chosen reasons } } }`
	viewer := app.Token(auth.RoleViewer)
	resp := app.Query(viewer, q, map[string]any{"block": "hero",
		"ctx": map[string]any{"segments": []any{"vip"}, "device": "mobile", "traits": map[string]any{"visits": 5}}})
	require.Empty(t, resp.Errors, resp.Raw)
	x := testapp.Path(resp.Data, "explainDecision")
	require.Equal(t, []any{"vip", "returning"}, testapp.Path(x, "segments"))
	require.Equal(t, "vip", testapp.Path(x, "decision", "variant"))
	vs := testapp.Path(x, "variants").([]any)
	require.Len(t, vs, 5) // vip, mobile, kiosk, winter-sale, default
	require.Equal(t, map[string]any{"variant": "vip", "matched": true, "chosen": true, "reasons": []any{"segment vip matched"}}, vs[0])
	require.Equal(t, "mobile", testapp.Path(vs[1], "variant"))
	require.Equal(t, true, testapp.Path(vs[1], "matched"))
	require.Equal(t, false, testapp.Path(vs[1], "chosen"))
	require.Contains(t, testapp.Path(vs[1], "reasons", 1), "wins: earlier in the list")
	require.Equal(t, false, testapp.Path(vs[2], "matched"))
	require.Contains(t, testapp.Path(vs[2], "reasons", 0), `channel "" is not kiosk`)
	require.Equal(t, map[string]any{"variant": "winter-sale", "matched": false, "chosen": false,
		"reasons": []any{"campaign winter-sale is not scheduled"}}, vs[3])
	require.Equal(t, "default", testapp.Path(vs[4], "variant"))

	global := app.Query(viewer, `{ explainDecision(slug: "free-shipping", type: "promo", context: {channel: "kiosk"}) {
		blockId decision { variant } } }`, nil)
	require.Empty(t, global.Errors, global.Raw)
	require.Nil(t, testapp.Path(global.Data, "explainDecision", "blockId"))
	require.Equal(t, "kiosk", testapp.Path(global.Data, "explainDecision", "decision", "variant"))

	anon := app.Query("", q, map[string]any{"block": "hero"})
	require.Equal(t, "UNAUTHENTICATED", anon.Code(), anon.Raw)
	missing := app.Query(viewer, q, map[string]any{"block": "nope"})
	require.Equal(t, "NOT_FOUND", missing.Code(), missing.Raw)
}

func TestPreviewInstantNeedsPreviewToken(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	ctx := map[string]any{"at": "2030-01-01T00:00:00Z"}
	for _, tc := range []struct {
		name, token, code string
	}{
		{"anonymous delivery caller", "", "FORBIDDEN"},
		{"viewer may preview", app.Token(auth.RoleViewer), ""},
		{"editor may preview", app.Token(auth.RoleEditor), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := app.Query(tc.token, personalizedHome, map[string]any{"ctx": ctx})
			require.Equal(t, tc.code, resp.Code(), resp.Raw)
		})
	}
	preview := app.Query("", personalizedHome, map[string]any{"ctx": map[string]any{"preview": true}})
	require.Equal(t, "FORBIDDEN", preview.Code(), preview.Raw)
	require.Nil(t, testapp.Path(preview.Data, "entry"))
}

// graphQLRequest builds a POST /graphql request, for tests that set headers.
func graphQLRequest(t *testing.T, app *testapp.App, query string, vars map[string]any) *http.Request {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, app.URL+"/graphql", bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	return req
}
