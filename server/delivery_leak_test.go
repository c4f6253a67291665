package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// Delivery shows a visitor what was chosen for them and nothing else: no
// raw `variants` member anywhere, and no copy that only a variant the
// visitor did not get holds — in particular the demo's winter-sale copy,
// whose campaign is not live. Checked for every published demo entry, for
// anonymous callers and a delivery key, in several visitor contexts, on
// entry.fields, blocks.fields and linked entries, and in screen bundles.

const leakQuery = `query($slug: String!, $type: String, $locale: String, $ctx: ExperienceContext) {
  entry(slug: $slug, type: $type, locale: $locale, context: $ctx) {
    id fields decision { variant }
    blocks { id fields decision { variant } linked(field: "products") { slug fields } }
  }
}`

func TestDeliveryShowsNoUnchosenVariant(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	key := app.APIKey(auth.ScopeDelivery)
	ctx := context.Background()
	types, err := app.Content.ContentTypes(ctx)
	require.NoError(t, err)
	contexts := []map[string]any{
		nil,
		{"segments": []any{"vip"}},
		{"device": "mobile", "channel": "app"},
		{"channel": "kiosk"},
		{"visitorId": "v-123", "traits": map[string]any{"visits": 7, "spend": 900}},
	}
	checked := 0
	for _, ct := range types {
		for _, locale := range []string{"en", "ro"} {
			page, err := app.Content.List(ctx, content.ListRequest{Type: ct.Key, Locale: locale, First: 100})
			require.NoError(t, err)
			for _, r := range page.Items {
				for _, c := range contexts {
					vars := map[string]any{"slug": r.Slug, "type": r.Type, "locale": locale, "ctx": c}
					for who, resp := range map[string]testapp.Response{
						"anonymous":    app.Query("", leakQuery, vars),
						"delivery key": app.QueryKey(key, leakQuery, vars),
					} {
						name := fmt.Sprintf("%s %s/%s %v (%s)", who, r.Type, r.Slug, c, locale)
						require.Empty(t, resp.Errors, name+": "+resp.Raw)
						requireNoLeak(t, name, r, resp)
						checked++
					}
				}
			}
		}
	}
	require.Greater(t, checked, 50, "the demo has published entries to check")

	// Screen bundles carry the same fields.
	for _, q := range []string{"channel=kiosk", "channel=kiosk&device=kiosk"} {
		req, err := http.NewRequest(http.MethodGet, app.URL+"/screens/lobby/bundle?"+q, nil)
		require.NoError(t, err)
		req.Header.Set(auth.APIKeyHeader, key)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
		require.NotContains(t, string(body), `"variants"`, "bundle "+q)
		require.NotContains(t, string(body), "winter", "bundle %s: the winter-sale campaign is not live", q)
	}
}

// requireNoLeak checks one delivered entry against the stored one, r: no
// `variants` member, and no string that only a variant the response did
// not choose holds.
func requireNoLeak(t *testing.T, name string, r *content.Resolved, resp testapp.Response) {
	t.Helper()
	require.NotContains(t, resp.Raw, `"variants"`, name)
	entry := testapp.Path(resp.Data, "entry")
	require.NotNil(t, entry, name)
	shown := map[string]bool{}
	collectStrings(r.Fields, shown)
	type scope struct {
		variants []any
		chosen   string
		defaults map[string]any
	}
	scopes := []scope{{decodedVariants(t, r.Variants), testapp.Path(entry, "decision", "variant").(string), r.Fields}}
	blocks, _ := testapp.Path(entry, "blocks").([]any)
	require.Len(t, blocks, len(r.Blocks), name)
	for i, b := range r.Blocks {
		collectStrings(b.Fields, shown)
		scopes = append(scopes, scope{decodedVariants(t, b.Variants), testapp.Path(blocks[i], "decision", "variant").(string), b.Fields})
	}
	// What the chosen variants hold may be shown; what only the others
	// hold may not.
	for _, s := range scopes {
		for _, v := range s.variants {
			if m, _ := v.(map[string]any); m["key"] == s.chosen {
				collectStrings(m["fields"], shown)
			}
		}
	}
	for _, s := range scopes {
		for _, v := range s.variants {
			m, _ := v.(map[string]any)
			if m["key"] == s.chosen {
				continue
			}
			only := map[string]bool{}
			collectStrings(m["fields"], only)
			for str := range only {
				if !shown[str] && len(str) > 3 {
					require.NotContains(t, resp.Raw, str, "%s: copy of variant %v that was not chosen", name, m["key"])
				}
			}
		}
	}
}

func collectStrings(v any, into map[string]bool) {
	switch x := v.(type) {
	case string:
		into[x] = true
	case []any:
		for _, it := range x {
			collectStrings(it, into)
		}
	case map[string]any:
		for _, it := range x {
			collectStrings(it, into)
		}
	}
}

func TestDeliveredBlocksFieldMatchesBlocks(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	resp := app.Query("", `{ entry(slug: "home", type: "page", context: {segments: ["vip"]}) {
	  fields blocks { id type globalId fields decision { variant } } } }`, nil)
	require.Empty(t, resp.Errors, resp.Raw)
	blocks := testapp.Path(resp.Data, "entry", "blocks").([]any)
	inFields := testapp.Path(resp.Data, "entry", "fields", "blocks").([]any)
	require.Len(t, inFields, len(blocks))
	sawVariant := false
	for i, b := range blocks {
		f := inFields[i].(map[string]any)
		require.Equal(t, testapp.Path(b, "id"), f["id"])
		require.Equal(t, testapp.Path(b, "type"), f["type"])
		require.Equal(t, testapp.Path(b, "fields"), f["fields"], "block %d", i)
		if g := testapp.Path(b, "globalId"); g != nil {
			require.Equal(t, g, f["globalId"])
		}
		sawVariant = sawVariant || testapp.Path(b, "decision", "variant") != "default"
	}
	require.True(t, sawVariant, "the vip visitor gets a variant on home")
}

// decodedVariants decodes variants as stored.
func decodedVariants(t *testing.T, raw content.Variants) []any {
	t.Helper()
	if len(raw) == 0 {
		return nil
	}
	var list []any
	require.NoError(t, json.Unmarshal(raw, &list))
	return list
}
