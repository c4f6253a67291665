package postgres_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/content"
)

// TestPreviewReadsDrafts: a preview reads the latest drafts of an entry,
// of what it links to and of its global blocks, merged along the locale
// chain; delivery keeps showing what is published.
func TestPreviewReadsDrafts(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.model(t)
	promo := b.promo(t, "winter", "Winter sale")
	prod := b.product(t, "boot", 10)
	page := b.publish(t, b.create(t, "page", "home", map[string]any{"title": "Home", "theme": "dark",
		"featured": prod.ID, "blocks": []any{hero("Hi"), ref("p", promo.ID)}}))
	b.addLocale(t, page, "ro", "acasa", map[string]any{"title": "Acasă (draft)"})
	require.Equal(t, "Home", b.entry(t, "page", "home", "").Fields["title"], "warm the published cache")

	page = b.update(t, page, map[string]any{"title": "Home (draft)", "theme": "light",
		"featured": prod.ID, "blocks": []any{hero("Hi (draft)"), ref("p", promo.ID)}})
	b.update(t, promo, map[string]any{"headline": "Winter sale (draft)"})
	b.update(t, prod, map[string]any{"title": "Boot (draft)", "price": 12.0})

	ctx := t.Context()
	r, err := b.svc.PreviewEntry(ctx, "page", "home", "")
	require.NoError(t, err)
	require.Equal(t, "Home (draft)", r.Fields["title"])
	require.Equal(t, page.Version, r.Version, "the draft version")
	require.Equal(t, []string{"hero", "promo"}, blockTypesOf(r))
	require.Equal(t, "Hi (draft)", r.Blocks[0].Fields["title"])
	require.Equal(t, "Winter sale (draft)", r.Blocks[1].Fields["headline"], "global blocks are read as drafts")
	require.Equal(t, "Boot (draft)", r.Links[prod.ID].Fields["title"], "links are read as drafts")

	pub := b.entry(t, "page", "home", "")
	require.Equal(t, "Home", pub.Fields["title"], "delivery still shows what is published")
	require.Equal(t, "Winter sale", pub.Blocks[1].Fields["headline"])

	// An unpublished locale is previewed, with the same fallback merge.
	ro, err := b.svc.PreviewEntry(ctx, "page", "acasa", "ro")
	require.NoError(t, err)
	require.Equal(t, "ro", ro.Locale)
	require.Equal(t, "Acasă (draft)", ro.Fields["title"])
	require.Equal(t, "light", ro.Fields["theme"], "non-localized fields come from the en draft")
	require.Nil(t, b.entry(t, "page", "acasa", "ro"))

	byID, err := b.svc.PreviewEntriesByIDs(ctx, []string{prod.ID, "nope"}, "en")
	require.NoError(t, err)
	require.Len(t, byID, 1)
	require.Equal(t, 12.0, byID[prod.ID].Fields["price"])

	page2, err := b.svc.List(ctx, content.ListRequest{Type: "product", Preview: true,
		Filters: []content.Filter{{Field: "price", Op: content.OpGt, Value: 11.0}}})
	require.NoError(t, err)
	require.Len(t, page2.Items, 1)
	require.Equal(t, "Boot (draft)", page2.Items[0].Fields["title"])
	published, err := b.svc.List(ctx, content.ListRequest{Type: "product",
		Filters: []content.Filter{{Field: "price", Op: content.OpGt, Value: 11.0}}})
	require.NoError(t, err)
	require.Empty(t, published.Items)
}
