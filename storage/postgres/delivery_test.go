package postgres_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/errs"
)

func hero(title string) map[string]any {
	return map[string]any{"type": "hero", "fields": map[string]any{"title": title}}
}

func ref(id, globalID string) map[string]any { return map[string]any{"id": id, "ref": globalID} }

func blockTypesOf(r *content.Resolved) []string {
	var out []string
	for _, bl := range r.Blocks {
		out = append(out, bl.Type)
	}
	return out
}

func TestDeliveryLocaleFallback(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.model(t)
	en := b.publish(t, b.create(t, "page", "home", map[string]any{
		"title": "Home", "summary": "Welcome", "theme": "dark", "blocks": []any{hero("Hello")}}))
	b.publish(t, b.addLocale(t, en, "ro", "acasa", map[string]any{"title": "Acasă", "summary": "Bun venit"}))
	roRO := b.publish(t, b.addLocale(t, en, "ro-RO", "acasa", map[string]any{"title": "Acasă RO"}))

	r := b.entry(t, "page", "home", "ro")
	require.Equal(t, "ro", r.Locale)
	require.Equal(t, "acasa", r.Slug, "the entry's own slug in its locale")
	require.Equal(t, "Acasă", r.Fields["title"])
	require.Equal(t, "Bun venit", r.Fields["summary"])
	require.Equal(t, "dark", r.Fields["theme"], "non-localized fields come from en")
	require.Len(t, r.Blocks, 1, "localized fields ro leaves out fall back to en")
	require.Equal(t, "Hello", r.Blocks[0].Fields["title"])

	// ro-RO → ro → en: each field from the first locale that has it.
	r = b.entry(t, "page", "acasa", "ro-RO")
	require.Equal(t, "ro-RO", r.Locale)
	require.Equal(t, "Acasă RO", r.Fields["title"])
	require.Equal(t, "Bun venit", r.Fields["summary"])
	require.Equal(t, "dark", r.Fields["theme"])
	require.Equal(t, map[string]any{"title": "Acasă RO", "summary": "Bun venit", "theme": "dark",
		"blocks": en.Fields["blocks"]}, r.Fields)

	// Unpublished ro-RO: that locale's readers get ro.
	_, err := b.svc.UnpublishEntry(t.Context(), actor, roRO.ID, "ro-RO")
	require.NoError(t, err)
	r = b.entry(t, "page", "home", "ro-RO")
	require.Equal(t, "ro", r.Locale)
	require.Equal(t, "Acasă", r.Fields["title"])

	// A document only in en is delivered in en to ro readers.
	b.product(t, "shoe", 10)
	r = b.entry(t, "product", "shoe", "ro-RO")
	require.Equal(t, "en", r.Locale)
	require.Equal(t, "Product shoe", r.Fields["title"])

	require.Nil(t, b.entry(t, "page", "nope", "ro"))
	_, err = b.svc.Entry(t.Context(), "page", "home", "de")
	requireCode(t, err, errs.BadUserInput)
}

func TestDeliverySlugSharedByTypes(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.model(t)
	b.product(t, "summer", 10)
	b.publish(t, b.create(t, "page", "summer", map[string]any{"title": "Summer"}))
	_, err := b.svc.Entry(t.Context(), "", "summer", "en")
	requireCode(t, err, errs.BadUserInput)
	require.Equal(t, "page", b.entry(t, "page", "summer", "en").Type)
	require.Equal(t, "product", b.entry(t, "product", "summer", "en").Type)
}

func TestDeliveryGlobalBlocks(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.model(t)
	promo := b.promo(t, "winter", "Winter sale")
	b.publish(t, b.addLocale(t, promo, "ro", "iarna", map[string]any{"headline": "Reduceri de iarnă"}))
	draftPromo := b.create(t, "promo", "spring", map[string]any{"headline": "Spring"})

	for _, slug := range []string{"home", "shoes"} {
		b.publish(t, b.create(t, "page", slug, map[string]any{"title": slug,
			"blocks": []any{hero("Hi"), ref("promo-1", promo.ID), ref("promo-2", draftPromo.ID)}}))
	}
	for _, slug := range []string{"home", "shoes"} {
		r := b.entry(t, "page", slug, "en")
		require.Equal(t, []string{"hero", "promo"}, blockTypesOf(r), "the unpublished global block is left out")
		g := r.Blocks[1]
		require.Equal(t, "promo-1", g.ID, "the block keeps its id on the page")
		require.Equal(t, promo.ID, g.GlobalID)
		require.Equal(t, "Winter sale", g.Fields["headline"])
		// The global block follows the reader's locale.
		require.Equal(t, "Reduceri de iarnă", b.entry(t, "page", slug, "ro").Blocks[1].Fields["headline"])
	}

	// Publishing the global block shows it on every page that uses it.
	b.publish(t, draftPromo)
	require.Equal(t, []string{"hero", "promo", "promo"}, blockTypesOf(b.entry(t, "page", "shoes", "en")))
	// Unpublishing it hides it again.
	_, err := b.svc.UnpublishEntry(t.Context(), actor, promo.ID, "ro")
	require.NoError(t, err)
	_, err = b.svc.UnpublishEntry(t.Context(), actor, promo.ID, "en")
	require.NoError(t, err)
	require.Equal(t, "Spring", b.entry(t, "page", "home", "en").Blocks[1].Fields["headline"])
}

func TestDeliveryLinksPreloaded(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.model(t)
	shoe, hat, bag := b.product(t, "shoe", 10), b.product(t, "hat", 5), b.product(t, "bag", 30)
	draft := b.create(t, "product", "draft", map[string]any{"title": "Not yet"})
	promo := b.promo(t, "winter", "Winter sale")
	b.publish(t, b.create(t, "page", "home", map[string]any{"title": "Home", "featured": shoe.ID, "blocks": []any{
		map[string]any{"type": "productList", "fields": map[string]any{"products": []any{hat.ID, bag.ID, draft.ID}}},
		ref("p", promo.ID),
	}}))

	r := b.entry(t, "page", "home", "en")
	require.Len(t, r.Links, 4, "featured, the list's published products and the global block")
	for _, p := range []content.Entry{shoe, hat, bag} {
		require.Equal(t, "Product "+p.Slug, r.Links[p.ID].Fields["title"])
	}
	require.NotContains(t, r.Links, draft.ID, "unpublished entries are not delivered as links")
	require.Equal(t, "promo", r.Links[promo.ID].Type)

	byID, err := b.svc.EntriesByIDs(t.Context(), []string{shoe.ID, draft.ID, "garbage"}, "ro")
	require.NoError(t, err)
	require.Len(t, byID, 1)
	require.Equal(t, "shoe", byID[shoe.ID].Slug)
}

func TestDeliveryCache(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.model(t)
	page := b.publish(t, b.create(t, "page", "home", map[string]any{"title": "One"}))

	first := b.entry(t, "page", "home", "en")
	require.Same(t, first, b.entry(t, "page", "home", "en"), "the second read is served from the cache")

	// A publish through this service purges its cache.
	page = b.publish(t, b.update(t, page, map[string]any{"title": "Two"}))
	require.Equal(t, "Two", b.entry(t, "page", "home", "en").Fields["title"])

	// A publish through another replica is not seen until Changed...
	other := b.newService(t)
	e, err := other.UpdateEntry(t.Context(), actor, page.ID, "en", content.EntryPatch{Fields: map[string]any{"title": "Three"}}, page.Version)
	require.NoError(t, err)
	_, err = other.PublishEntry(t.Context(), actor, e.ID, "en", nil)
	require.NoError(t, err)
	require.Equal(t, "Two", b.entry(t, "page", "home", "en").Fields["title"])
	// ...which the change feed calls on every replica.
	b.svc.Changed(false)
	require.Equal(t, "Three", b.entry(t, "page", "home", "en").Fields["title"])

	// Changed(true) also reloads the model another replica changed.
	ct := pageType()
	ct.Description = "changed elsewhere"
	_, err = other.UpdateContentType(t.Context(), ct, 1)
	require.NoError(t, err)
	got, err := b.svc.ContentType(t.Context(), "page")
	require.NoError(t, err)
	require.Empty(t, got.Description)
	b.svc.Changed(true)
	got, err = b.svc.ContentType(t.Context(), "page")
	require.NoError(t, err)
	require.Equal(t, "changed elsewhere", got.Description)
}
