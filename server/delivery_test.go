package server_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/internal/testapp"
)

const homeQuery = `query($locale: String) {
  entry(slug: "home", type: "page", locale: $locale) {
    id type slug locale version fields
    blocks { id type globalId fields linked(field: "products") { slug fields } }
  }
}`

func TestDeliveryHomePage(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	resp := app.Query("", `{ entry(slug: "home", type: "page") { id blocks { type fields } } }`, nil)
	require.Empty(t, resp.Errors, resp.Raw)
	var types []any
	for _, b := range testapp.Path(resp.Data, "entry", "blocks").([]any) {
		types = append(types, testapp.Path(b, "type"))
	}
	require.Equal(t, []any{"hero", "richText", "media", "productList", "cta", "promo"}, types)
}

func TestDeliveryLocaleFallbackAndLinks(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	for _, tc := range []struct {
		locale, wantLocale, heroTitle, promo string
	}{
		{"en", "en", "Winter is coming. Dress for it.", "Free shipping on orders over €50"},
		{"ro", "ro", "Vine iarna. Îmbracă-te pentru ea.", "Livrare gratuită la comenzi peste 50 €"},
		// ro-RO has no rows of its own: ro-RO → ro → en.
		{"ro-RO", "ro", "Vine iarna. Îmbracă-te pentru ea.", "Livrare gratuită la comenzi peste 50 €"},
	} {
		t.Run(tc.locale, func(t *testing.T) {
			resp := app.Query("", homeQuery, map[string]any{"locale": tc.locale})
			require.Empty(t, resp.Errors, resp.Raw)
			e := testapp.Path(resp.Data, "entry")
			require.Equal(t, tc.wantLocale, testapp.Path(e, "locale"))
			require.Equal(t, tc.heroTitle, testapp.Path(e, "blocks", 0, "fields", "title"))
			promo := testapp.Path(e, "blocks", 5)
			require.Equal(t, tc.promo, testapp.Path(promo, "fields", "headline"))
			require.NotNil(t, testapp.Path(promo, "globalId"))
			// Non-localized fields come from en whatever the locale.
			require.Equal(t, "SHIPFREE", testapp.Path(promo, "fields", "code"))
			products := testapp.Path(e, "blocks", 3, "linked").([]any)
			require.Len(t, products, 4)
			require.Equal(t, 39.0, testapp.Path(products[0], "fields", "price"))
		})
	}
}

func TestDeliveryEntriesPagination(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	q := `query($after: String) { entries(type: "product", first: 3, after: $after, sort: {field: "price", direction: ASC}) {
		edges { cursor node { slug fields } } pageInfo { hasNextPage endCursor } } }`
	first := app.Query("", q, nil)
	require.Empty(t, first.Errors, first.Raw)
	var prices []any
	for _, e := range testapp.Path(first.Data, "entries", "edges").([]any) {
		prices = append(prices, testapp.Path(e, "node", "fields", "price"))
	}
	require.Equal(t, []any{19.9, 24.5, 39.0}, prices)
	require.Equal(t, true, testapp.Path(first.Data, "entries", "pageInfo", "hasNextPage"))
	second := app.Query("", q, map[string]any{"after": testapp.Path(first.Data, "entries", "pageInfo", "endCursor")})
	require.Empty(t, second.Errors, second.Raw)
	edges := testapp.Path(second.Data, "entries", "edges").([]any)
	require.Len(t, edges, 1)
	require.Equal(t, 129.0, testapp.Path(edges[0], "node", "fields", "price"))
	require.Equal(t, false, testapp.Path(second.Data, "entries", "pageInfo", "hasNextPage"))

	filtered := app.Query("", `{ entries(type: "product", filter: [{field: "price", op: GT, value: 30}]) { nodes { slug } } }`, nil)
	require.Empty(t, filtered.Errors, filtered.Raw)
	require.Len(t, testapp.Path(filtered.Data, "entries", "nodes"), 2)
}

func TestDeliveryMissingEntryIsNull(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	resp := app.Query("", `{ entry(slug: "nope", type: "page") { id } }`, nil)
	require.Empty(t, resp.Errors)
	require.Nil(t, testapp.Path(resp.Data, "entry"))
}

func TestOperatorEndpoints(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{NoSeed: true})
	for _, path := range []string{"/healthz", "/metrics", "/graphiql"} {
		resp := app.Get("", path)
		require.Equal(t, 200, resp.Status, path)
	}
}
