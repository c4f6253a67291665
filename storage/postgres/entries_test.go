package postgres_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/errs"
)

func TestCreateEntry(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.model(t)
	ctx := t.Context()

	p := b.product(t, "red-shoe", 10)
	e, err := b.svc.CreateEntry(ctx, actor, content.NewEntry{Type: "page", Slug: "home", Fields: map[string]any{
		"title": "Home", "theme": "dark", "featured": p.ID,
		"blocks": []any{map[string]any{"type": "hero", "fields": map[string]any{"title": "Hi"}}},
	}})
	require.NoError(t, err)
	require.Regexp(t, `^[0-9a-f-]{36}$`, e.ID)
	require.Equal(t, "en", e.Locale, "new documents start in the default locale")
	require.Equal(t, 1, e.Version)
	require.Equal(t, content.StatusDraft, e.Status())
	require.Equal(t, actor, e.UpdatedBy)
	blockID := e.Fields["blocks"].([]any)[0].(map[string]any)["id"]
	require.NotEmpty(t, blockID, "block ids are assigned and stored")

	got, err := b.svc.Draft(ctx, e.ID, "")
	require.NoError(t, err)
	require.Equal(t, e, got)
	_, err = b.svc.Draft(ctx, "0b7a4bfa-1e2d-4c3b-9a8f-00000000dead", "en")
	requireCode(t, err, errs.NotFound)
	_, err = b.svc.Draft(ctx, "not-an-id", "en")
	requireCode(t, err, errs.NotFound)

	pageRef := e.ID
	refused := []struct {
		name string
		code errs.Code
		in   content.NewEntry
		path string
	}{
		{"missing required field", errs.BadUserInput, content.NewEntry{Type: "page", Slug: "a", Fields: map[string]any{"theme": "dark"}}, "fields.title"},
		{"wrong field type", errs.BadUserInput, content.NewEntry{Type: "product", Slug: "a", Fields: map[string]any{"title": "x", "price": "10", "inStock": "yes"}}, "fields.price"},
		{"invalid enum", errs.BadUserInput, content.NewEntry{Type: "product", Slug: "a", Fields: map[string]any{"title": "x", "category": "socks"}}, "fields.category"},
		{"unknown field", errs.BadUserInput, content.NewEntry{Type: "product", Slug: "a", Fields: map[string]any{"title": "x", "colour": "red"}}, "fields.colour"},
		{"unknown type", errs.BadUserInput, content.NewEntry{Type: "article", Slug: "a"}, "type"},
		{"bad slug", errs.BadUserInput, content.NewEntry{Type: "product", Slug: "Red Shoe", Fields: map[string]any{"title": "x"}}, "slug"},
		{"dangling reference", errs.BadUserInput, content.NewEntry{Type: "page", Slug: "a", Fields: map[string]any{"title": "x",
			"featured": "0b7a4bfa-1e2d-4c3b-9a8f-00000000dead"}}, "fields.featured"},
		{"reference to the wrong type", errs.BadUserInput, content.NewEntry{Type: "page", Slug: "a", Fields: map[string]any{"title": "x",
			"featured": pageRef}}, "fields.featured"},
		{"global block that is a page", errs.BadUserInput, content.NewEntry{Type: "page", Slug: "a", Fields: map[string]any{"title": "x",
			"blocks": []any{map[string]any{"id": "g", "ref": pageRef}}}}, "fields.blocks.0.ref"},
		{"unknown block type", errs.BadUserInput, content.NewEntry{Type: "page", Slug: "a", Fields: map[string]any{"title": "x",
			"blocks": []any{map[string]any{"type": "carousel"}}}}, "fields.blocks.0.type"},
		{"new document in another locale", errs.BadUserInput, content.NewEntry{Type: "product", Locale: "ro", Slug: "a", Fields: map[string]any{"title": "x"}}, "locale"},
		{"unsupported locale", errs.BadUserInput, content.NewEntry{Type: "product", Locale: "de", Slug: "a", Fields: map[string]any{"title": "x"}}, "locale"},
		{"duplicate slug", errs.Conflict, content.NewEntry{Type: "product", Slug: "red-shoe", Fields: map[string]any{"title": "x"}}, ""},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			err := b.requireRejected(t, tc.code, func(ctx context.Context) error {
				_, err := b.svc.CreateEntry(ctx, actor, tc.in)
				return err
			})
			if tc.path != "" {
				requireFieldProblem(t, err, tc.path)
			}
		})
	}
	// A slug is unique per type and locale, not across types.
	b.create(t, "page", "red-shoe", map[string]any{"title": "About red shoes"})
}

func TestUniqueField(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.model(t)
	a := b.create(t, "product", "a", map[string]any{"title": "A", "sku": "SKU-1"})
	other := b.create(t, "product", "b", map[string]any{"title": "B", "sku": "SKU-2"})

	err := b.requireRejected(t, errs.Conflict, func(ctx context.Context) error {
		_, err := b.svc.CreateEntry(ctx, actor, content.NewEntry{Type: "product", Slug: "c", Fields: map[string]any{"title": "C", "sku": "SKU-1"}})
		return err
	})
	requireFieldProblem(t, err, "fields.sku")
	b.requireRejected(t, errs.Conflict, func(ctx context.Context) error {
		_, err := b.svc.UpdateEntry(ctx, actor, other.ID, "en", content.EntryPatch{Fields: map[string]any{"title": "B", "sku": "SKU-1"}}, other.Version)
		return err
	})
	// An entry keeps its own value when it saves again.
	b.update(t, a, map[string]any{"title": "A2", "sku": "SKU-1"})
	// Unique per type: a page may not have a sku, but another type's
	// unique field with the same value is independent (none here), and a
	// freed value may be taken.
	b.update(t, other, map[string]any{"title": "B"})
	b.create(t, "product", "c", map[string]any{"title": "C", "sku": "SKU-2"})
}

func TestUpdateEntry(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.model(t)
	ctx := t.Context()
	e := b.create(t, "product", "shoe", map[string]any{"title": "Shoe", "price": 10.0})
	b.create(t, "product", "hat", map[string]any{"title": "Hat"})

	slug := "shoe-2"
	up, err := b.svc.UpdateEntry(ctx, "other@example.com", e.ID, "en", content.EntryPatch{Slug: &slug}, 1)
	require.NoError(t, err)
	require.Equal(t, 2, up.Version)
	require.Equal(t, "shoe-2", up.Slug)
	require.Equal(t, e.Fields, up.Fields, "a nil Fields keeps the fields")
	require.Equal(t, "other@example.com", up.UpdatedBy)

	t.Run("stale expectedVersion", func(t *testing.T) {
		err := b.requireRejected(t, errs.Conflict, func(ctx context.Context) error {
			_, err := b.svc.UpdateEntry(ctx, actor, e.ID, "en", content.EntryPatch{Fields: map[string]any{"title": "Late"}}, 1)
			return err
		})
		require.ErrorContains(t, err, "version 2, not 1")
	})
	t.Run("slug taken", func(t *testing.T) {
		hat := "hat"
		b.requireRejected(t, errs.Conflict, func(ctx context.Context) error {
			_, err := b.svc.UpdateEntry(ctx, actor, e.ID, "en", content.EntryPatch{Slug: &hat}, 2)
			return err
		})
	})
	t.Run("invalid fields", func(t *testing.T) {
		b.requireRejected(t, errs.BadUserInput, func(ctx context.Context) error {
			_, err := b.svc.UpdateEntry(ctx, actor, e.ID, "en", content.EntryPatch{Fields: map[string]any{"price": -1.0}}, 2)
			return err
		})
	})
	t.Run("unknown entry", func(t *testing.T) {
		b.requireRejected(t, errs.NotFound, func(ctx context.Context) error {
			_, err := b.svc.UpdateEntry(ctx, actor, "0b7a4bfa-1e2d-4c3b-9a8f-00000000dead", "en", content.EntryPatch{}, 1)
			return err
		})
	})
}

func TestEntryLocales(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.model(t)
	ctx := t.Context()
	e := b.create(t, "product", "shoe", map[string]any{"title": "Shoe", "price": 10.0})

	// A locale row holds localized fields only; required ones may be left
	// to fall back.
	ro := b.addLocale(t, e, "ro", "pantof", map[string]any{"title": "Pantof"})
	require.Equal(t, e.ID, ro.ID)
	require.Equal(t, "ro", ro.Locale)
	b.addLocale(t, e, "ro-RO", "pantof", nil)

	refused := []struct {
		name string
		code errs.Code
		in   content.NewEntry
	}{
		{"locale exists", errs.Conflict, content.NewEntry{ID: e.ID, Type: "product", Locale: "ro", Slug: "x"}},
		{"non-localized field", errs.BadUserInput, content.NewEntry{ID: e.ID, Type: "product", Locale: "ro-RO", Slug: "x", Fields: map[string]any{"price": 5.0}}},
		{"unknown document", errs.NotFound, content.NewEntry{ID: "0b7a4bfa-1e2d-4c3b-9a8f-00000000dead", Type: "product", Locale: "ro", Slug: "x"}},
		{"another type", errs.BadUserInput, content.NewEntry{ID: e.ID, Type: "page", Locale: "ro", Slug: "x", Fields: map[string]any{"title": "x"}}},
		{"bad id", errs.BadUserInput, content.NewEntry{ID: "x", Type: "product", Locale: "ro", Slug: "x"}},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			b.requireRejected(t, tc.code, func(ctx context.Context) error {
				_, err := b.svc.CreateEntry(ctx, actor, tc.in)
				return err
			})
		})
	}
	all, err := b.store.Drafts(ctx, e.ID)
	require.NoError(t, err)
	require.Len(t, all, 3)
	_, err = b.svc.Draft(ctx, e.ID, "de")
	requireCode(t, err, errs.BadUserInput)
}

func TestDrafts(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.model(t)
	for i := range 5 {
		b.create(t, "product", fmt.Sprintf("p%d", i), map[string]any{"title": "P"})
	}
	b.create(t, "page", "home", map[string]any{"title": "Home"})

	var seen []string
	q := content.DraftQuery{Type: "product", Limit: 2}
	for range 4 {
		page, err := b.svc.Drafts(t.Context(), q)
		require.NoError(t, err)
		if len(page) == 0 {
			break
		}
		for _, e := range page {
			require.Equal(t, "product", e.Type)
			seen = append(seen, e.ID)
		}
		q.After = page[len(page)-1].ID
	}
	require.Len(t, seen, 5)
	require.IsIncreasing(t, seen)

	all, err := b.svc.Drafts(t.Context(), content.DraftQuery{})
	require.NoError(t, err)
	require.Len(t, all, 6, "no type: every type")
	_, err = b.svc.Drafts(t.Context(), content.DraftQuery{After: "garbage"})
	requireCode(t, err, errs.BadUserInput)
}
