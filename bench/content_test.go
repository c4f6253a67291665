package bench

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// The content read path: Service.Entry for a demo-like home page, from
// PostgreSQL and from the published-content cache.

const actor = "bench@example.com"

func num(f float64) *float64 { return &f }

func block(key string, fields ...content.Field) content.ContentType {
	return content.ContentType{Key: key, Name: key, Kind: content.TypeBlock, Fields: fields}
}

func text(key string, required bool) content.Field {
	return content.Field{Key: key, Kind: content.KindText, Required: required, Localized: true}
}

// homeModel is the demo's shape: products, six block types, pages.
func homeModel() []content.ContentType {
	return []content.ContentType{
		{Key: "product", Name: "Product", Kind: content.TypeEntry, Fields: []content.Field{
			text("title", true),
			{Key: "price", Kind: content.KindNumber, Min: num(0)},
			{Key: "image", Kind: content.KindAsset},
		}},
		block("hero", text("title", true), text("subtitle", false), content.Field{Key: "image", Kind: content.KindAsset}),
		block("richText", content.Field{Key: "body", Kind: content.KindRichText, Required: true, Localized: true}),
		block("media", content.Field{Key: "asset", Kind: content.KindAsset, Required: true}, text("caption", false)),
		block("productList", text("title", false), content.Field{Key: "products", Kind: content.KindReference,
			List: true, AllowedTypes: []string{"product"}}),
		block("cta", text("label", true), content.Field{Key: "url", Kind: content.KindText, Required: true}),
		block("promo", text("headline", true), text("body", false), content.Field{Key: "url", Kind: content.KindText}),
		{Key: "page", Name: "Page", Kind: content.TypeEntry, Fields: []content.Field{
			text("title", true), text("description", false),
			{Key: "blocks", Kind: content.KindBlocks, Localized: true,
				AllowedTypes: []string{"hero", "richText", "media", "productList", "cta", "promo"}},
		}},
	}
}

const assetID = "5f0c6a2e-8d1b-4c3a-9e7f-0a1b2c3d4e5f"

// homeBlocks is the home page's six blocks in one language.
func homeBlocks(lang string, products []string, promoID string) []any {
	ids := make([]any, len(products))
	for i, p := range products {
		ids[i] = p
	}
	para := func(s string) map[string]any {
		return map[string]any{"type": "paragraph", "content": []any{map[string]any{"type": "text", "text": s}}}
	}
	return []any{
		map[string]any{"id": "hero", "type": "hero", "fields": map[string]any{
			"title": lang + ": Winter collection", "subtitle": lang + ": warm and bright", "image": assetID},
			"variants": []any{map[string]any{"key": "mobile", "fields": map[string]any{"title": lang + ": Winter"}}}},
		map[string]any{"id": "intro", "type": "richText", "fields": map[string]any{"body": map[string]any{
			"type": "doc", "content": []any{para(lang + ": Our winter range is here."), para(lang + ": Free delivery over 50.")}}}},
		map[string]any{"id": "media", "type": "media", "fields": map[string]any{"asset": assetID, "caption": lang + ": Lookbook"}},
		map[string]any{"id": "picks", "type": "productList", "fields": map[string]any{"title": lang + ": Picks", "products": ids}},
		map[string]any{"id": "cta", "type": "cta", "fields": map[string]any{"label": lang + ": Shop now", "url": "/shop"}},
		map[string]any{"id": "promo", "ref": promoID},
	}
}

// homeService builds the fixture on a fresh schema: four products, a
// global promo and the home page, each published in en and ro.
func homeService(b *testing.B) *content.Service {
	b.Helper()
	ctx := context.Background()
	pool, _ := testdb.Schema(b)
	svc, err := content.NewService(postgres.New(pool), content.Config{})
	require.NoError(b, err)
	for _, ct := range homeModel() {
		_, err := svc.CreateContentType(ctx, ct)
		require.NoError(b, err, ct.Key)
	}
	publish := func(typ, slug string, en, ro map[string]any) string {
		e, err := svc.CreateEntry(ctx, actor, content.NewEntry{Type: typ, Slug: slug, Fields: en})
		require.NoError(b, err)
		_, err = svc.PublishEntry(ctx, actor, e.ID, "en", nil)
		require.NoError(b, err)
		_, err = svc.CreateEntry(ctx, actor, content.NewEntry{ID: e.ID, Type: typ, Locale: "ro", Slug: slug, Fields: ro})
		require.NoError(b, err)
		_, err = svc.PublishEntry(ctx, actor, e.ID, "ro", nil)
		require.NoError(b, err)
		return e.ID
	}
	var products []string
	for i := range 4 {
		products = append(products, publish("product", fmt.Sprintf("product-%d", i),
			map[string]any{"title": fmt.Sprintf("Product %d", i), "price": 10.0 * float64(i+1), "image": assetID},
			map[string]any{"title": fmt.Sprintf("Produs %d", i)}))
	}
	promo := publish("promo", "winter-sale",
		map[string]any{"headline": "Winter sale", "body": "Up to 50% off", "url": "/sale"},
		map[string]any{"headline": "Reduceri de iarnă", "body": "Până la 50%"})
	publish("page", "home",
		map[string]any{"title": "Home", "description": "Welcome", "blocks": homeBlocks("en", products, promo)},
		map[string]any{"title": "Acasă", "blocks": homeBlocks("ro", products, promo)})

	// The fixture is what the benchmark claims it is.
	r, err := svc.Entry(ctx, "page", "home", "ro")
	require.NoError(b, err)
	require.Equal(b, "ro", r.Locale)
	require.Len(b, r.Blocks, 6)
	require.Equal(b, "Reduceri de iarnă", r.Blocks[5].Fields["headline"])
	require.Len(b, r.Links, 5, "four products and the promo")
	require.Equal(b, "Welcome", r.Fields["description"], "en fallback")
	return svc
}

// BenchmarkEntryFromPostgres resolves the page from the database on every
// iteration: one query for the page's rows, one batch for its links.
func BenchmarkEntryFromPostgres(b *testing.B) {
	svc := homeService(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		svc.Changed(false)
		r, err := svc.Entry(ctx, "page", "home", "ro")
		if err != nil || r == nil {
			b.Fatal(r, err)
		}
	}
}

// BenchmarkEntryCached serves the page from the published-content cache.
func BenchmarkEntryCached(b *testing.B) {
	svc := homeService(b)
	ctx := context.Background()
	_, err := svc.Entry(ctx, "page", "home", "ro")
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		r, err := svc.Entry(ctx, "page", "home", "ro")
		if err != nil || r == nil {
			b.Fatal(r, err)
		}
	}
}

// BenchmarkEntryCachedParallel is the cached read under concurrent readers,
// as many API requests share one Service.
func BenchmarkEntryCachedParallel(b *testing.B) {
	svc := homeService(b)
	ctx := context.Background()
	_, err := svc.Entry(ctx, "page", "home", "ro")
	require.NoError(b, err)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if r, err := svc.Entry(ctx, "page", "home", "ro"); err != nil || r == nil {
				b.Error(r, err)
				return
			}
		}
	})
}
