package postgres_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// These tests run content.Service over the real Store on a fresh migrated
// schema each (testdb.Schema): the service commits, so a rolled-back
// transaction would not do.

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const actor = "editor@example.com"

// testBundle is what a test works with.
type testBundle struct {
	pool  *pgxpool.Pool
	store *postgres.Store
	svc   *content.Service
	clock *clock
}

// clock ticks one second per reading, so publishedAt orders are certain.
type clock struct{ n atomic.Int64 }

func (c *clock) Now() time.Time {
	return time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(c.n.Add(1)) * time.Second)
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	pool, _ := testdb.Schema(t)
	b := &testBundle{pool: pool, store: postgres.New(pool), clock: &clock{}}
	b.svc = b.newService(t)
	return b
}

// newService is another Service over the same store: another replica, with
// its own caches.
func (b *testBundle) newService(t *testing.T) *content.Service {
	t.Helper()
	svc, err := content.NewService(b.store, content.Config{Now: b.clock.Now})
	require.NoError(t, err)
	return svc
}

func num(f float64) *float64 { return &f }

// Content types: a demo-like model, each from a small factory.

func productType() content.ContentType {
	return content.ContentType{Key: "product", Name: "Product", Kind: content.TypeEntry, Fields: []content.Field{
		{Key: "title", Kind: content.KindText, Required: true, Localized: true, Max: num(120)},
		{Key: "sku", Kind: content.KindText, Unique: true, Pattern: `^[A-Z0-9-]+$`},
		{Key: "price", Kind: content.KindNumber, Min: num(0)},
		{Key: "category", Kind: content.KindEnum, Values: []string{"shoes", "hats", "bags"}},
		{Key: "inStock", Kind: content.KindBoolean},
		{Key: "releasedAt", Kind: content.KindDateTime},
		{Key: "tags", Kind: content.KindText, List: true},
		{Key: "related", Kind: content.KindReference, List: true, AllowedTypes: []string{"product"}},
	}}
}

func blockTypes() []content.ContentType {
	block := func(key string, fields ...content.Field) content.ContentType {
		return content.ContentType{Key: key, Name: key, Kind: content.TypeBlock, Fields: fields}
	}
	return []content.ContentType{
		block("hero", content.Field{Key: "title", Kind: content.KindText, Required: true},
			content.Field{Key: "image", Kind: content.KindAsset}),
		block("richText", content.Field{Key: "body", Kind: content.KindRichText, Required: true}),
		block("media", content.Field{Key: "asset", Kind: content.KindAsset, Required: true},
			content.Field{Key: "caption", Kind: content.KindText}),
		block("productList", content.Field{Key: "title", Kind: content.KindText},
			content.Field{Key: "products", Kind: content.KindReference, List: true, AllowedTypes: []string{"product"}, Max: num(12)}),
		block("cta", content.Field{Key: "label", Kind: content.KindText, Required: true},
			content.Field{Key: "url", Kind: content.KindText, Required: true, Pattern: `^(https?://|/)`}),
		block("promo", content.Field{Key: "headline", Kind: content.KindText, Required: true, Localized: true},
			content.Field{Key: "link", Kind: content.KindText}),
	}
}

func pageType() content.ContentType {
	return content.ContentType{Key: "page", Name: "Page", Kind: content.TypeEntry, Fields: []content.Field{
		{Key: "title", Kind: content.KindText, Required: true, Localized: true},
		{Key: "summary", Kind: content.KindText, Localized: true},
		{Key: "theme", Kind: content.KindEnum, Values: []string{"light", "dark"}},
		{Key: "featured", Kind: content.KindReference, AllowedTypes: []string{"product"}},
		{Key: "blocks", Kind: content.KindBlocks, Localized: true,
			AllowedTypes: []string{"hero", "richText", "media", "productList", "cta", "promo"}},
	}}
}

// model creates the whole demo-like model.
func (b *testBundle) model(t *testing.T) {
	t.Helper()
	for _, ct := range append(append([]content.ContentType{productType()}, blockTypes()...), pageType()) {
		_, err := b.svc.CreateContentType(t.Context(), ct)
		require.NoError(t, err, ct.Key)
	}
}

// Entries.

func (b *testBundle) create(t *testing.T, typ, slug string, fields map[string]any) content.Entry {
	t.Helper()
	e, err := b.svc.CreateEntry(t.Context(), actor, content.NewEntry{Type: typ, Slug: slug, Fields: fields})
	require.NoError(t, err)
	return e
}

// addLocale adds locale to document e.
func (b *testBundle) addLocale(t *testing.T, e content.Entry, locale, slug string, fields map[string]any) content.Entry {
	t.Helper()
	out, err := b.svc.CreateEntry(t.Context(), actor, content.NewEntry{ID: e.ID, Type: e.Type, Locale: locale, Slug: slug, Fields: fields})
	require.NoError(t, err)
	return out
}

func (b *testBundle) publish(t *testing.T, e content.Entry) content.Entry {
	t.Helper()
	out, err := b.svc.PublishEntry(t.Context(), actor, e.ID, e.Locale, nil)
	require.NoError(t, err)
	return out
}

func (b *testBundle) update(t *testing.T, e content.Entry, fields map[string]any) content.Entry {
	t.Helper()
	out, err := b.svc.UpdateEntry(t.Context(), actor, e.ID, e.Locale, content.EntryPatch{Fields: fields}, e.Version)
	require.NoError(t, err)
	return out
}

// product creates and publishes a product in en.
func (b *testBundle) product(t *testing.T, slug string, price float64) content.Entry {
	t.Helper()
	return b.publish(t, b.create(t, "product", slug, map[string]any{"title": "Product " + slug, "price": price}))
}

// promo creates and publishes a global promo block.
func (b *testBundle) promo(t *testing.T, slug, headline string) content.Entry {
	t.Helper()
	return b.publish(t, b.create(t, "promo", slug, map[string]any{"headline": headline}))
}

func (b *testBundle) entry(t *testing.T, typ, slug, locale string) *content.Resolved {
	t.Helper()
	r, err := b.svc.Entry(t.Context(), typ, slug, locale)
	require.NoError(t, err)
	return r
}

// Assertions.

func requireCode(t *testing.T, err error, code errs.Code) {
	t.Helper()
	require.Error(t, err)
	require.Equal(t, code, errs.CodeOf(err), "error: %v", err)
}

// snapshot renders every table of the content schema, so a test can show
// a refused write left the database exactly as it was.
func snapshot(t *testing.T, pool *pgxpool.Pool) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, table := range []string{"content_types", "entries", "entry_drafts", "entry_versions",
		"published_entries", "entry_links", "content_changes"} {
		var rows string
		err := pool.QueryRow(t.Context(), fmt.Sprintf(
			`SELECT COALESCE(jsonb_agg(to_jsonb(t) ORDER BY to_jsonb(t)::text)::text, '[]') FROM %s t`, table)).Scan(&rows)
		require.NoError(t, err)
		out[table] = rows
	}
	return out
}

// requireRejected runs a write that must fail with code and checks that
// nothing in the database changed.
func (b *testBundle) requireRejected(t *testing.T, code errs.Code, write func(ctx context.Context) error) error {
	t.Helper()
	before := snapshot(t, b.pool)
	err := write(t.Context())
	requireCode(t, err, code)
	require.Equal(t, before, snapshot(t, b.pool), "a refused write changed the database")
	return err
}

// requireFieldProblem asserts err lists a problem at path.
func requireFieldProblem(t *testing.T, err error, path string) {
	t.Helper()
	e, ok := errs.As(err)
	require.True(t, ok, "%v", err)
	for _, f := range e.Fields {
		if f.Path == path {
			return
		}
	}
	require.Failf(t, "no problem at "+path, "problems: %v", e.Fields)
}
