package postgres_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/errs"
)

func TestPublishLifecycle(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.model(t)
	ctx := t.Context()
	e := b.create(t, "product", "shoe", map[string]any{"title": "Shoe", "price": 10.0})

	require.Nil(t, b.entry(t, "product", "shoe", "en"), "a draft is not delivered")

	e = b.publish(t, e)
	require.Equal(t, content.StatusPublished, e.Status())
	require.Equal(t, 1, e.PublishedVersion)
	r := b.entry(t, "product", "shoe", "en")
	require.NotNil(t, r)
	require.Equal(t, e.ID, r.ID)
	require.Equal(t, 1, r.Version)
	require.Equal(t, "Shoe", r.Fields["title"])

	// Edits after publishing stay drafts until published.
	e = b.update(t, e, map[string]any{"title": "Better shoe", "price": 12.0})
	require.Equal(t, content.StatusChanged, e.Status())
	require.Equal(t, 1, e.PublishedVersion)
	require.Equal(t, "Shoe", b.entry(t, "product", "shoe", "en").Fields["title"], "the draft does not leak into delivery")
	fresh, err := b.newService(t).Entry(ctx, "product", "shoe", "en")
	require.NoError(t, err)
	require.Equal(t, "Shoe", fresh.Fields["title"], "not from the database either")

	t.Run("stale expectedVersion", func(t *testing.T) {
		stale := 1
		b.requireRejected(t, errs.Conflict, func(ctx context.Context) error {
			_, err := b.svc.PublishEntry(ctx, actor, e.ID, "en", &stale)
			return err
		})
	})

	cur := e.Version
	e, err = b.svc.PublishEntry(ctx, actor, e.ID, "en", &cur)
	require.NoError(t, err)
	require.Equal(t, 2, e.PublishedVersion)
	require.Equal(t, content.StatusPublished, e.Status())
	r = b.entry(t, "product", "shoe", "en")
	require.Equal(t, 2, r.Version)
	require.Equal(t, "Better shoe", r.Fields["title"], "the publish purged the cache")

	history, err := b.svc.History(ctx, e.ID, "en")
	require.NoError(t, err)
	require.Len(t, history, 2)
	require.Equal(t, []int{2, 1}, []int{history[0].Version, history[1].Version}, "newest first")
	require.Equal(t, "Shoe", history[1].Fields["title"])
	require.Equal(t, actor, history[1].PublishedBy)
	require.True(t, history[0].PublishedAt.After(history[1].PublishedAt))

	// Rollback republishes v1 as v3: history only grows.
	e, err = b.svc.RollbackEntry(ctx, actor, e.ID, "en", 1, nil)
	require.NoError(t, err)
	require.Equal(t, 3, e.PublishedVersion)
	require.Equal(t, 3, e.LastPublishedVersion)
	require.Equal(t, content.StatusPublished, e.Status())
	require.Equal(t, history[1].Fields, e.Fields, "the draft is v1 again")
	v3, err := b.store.Version(ctx, e.ID, "en", 3)
	require.NoError(t, err)
	require.Equal(t, history[1].Fields, v3.Fields)
	require.Equal(t, history[1].Slug, v3.Slug)
	r = b.entry(t, "product", "shoe", "en")
	require.Equal(t, 3, r.Version)
	require.Equal(t, "Shoe", r.Fields["title"])

	t.Run("rollback to a missing version", func(t *testing.T) {
		b.requireRejected(t, errs.NotFound, func(ctx context.Context) error {
			_, err := b.svc.RollbackEntry(ctx, actor, e.ID, "en", 9, nil)
			return err
		})
	})
	t.Run("rollback with a stale version", func(t *testing.T) {
		stale := 1
		b.requireRejected(t, errs.Conflict, func(ctx context.Context) error {
			_, err := b.svc.RollbackEntry(ctx, actor, e.ID, "en", 2, &stale)
			return err
		})
	})

	e, err = b.svc.UnpublishEntry(ctx, actor, e.ID, "en")
	require.NoError(t, err)
	require.Equal(t, content.StatusDraft, e.Status())
	require.Equal(t, 3, e.LastPublishedVersion, "history stays")
	require.Nil(t, b.entry(t, "product", "shoe", "en"))
	t.Run("unpublish twice", func(t *testing.T) {
		b.requireRejected(t, errs.Conflict, func(ctx context.Context) error {
			_, err := b.svc.UnpublishEntry(ctx, actor, e.ID, "en")
			return err
		})
	})
	history, err = b.svc.History(ctx, e.ID, "en")
	require.NoError(t, err)
	require.Len(t, history, 3)
}

func TestPublishLocales(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.model(t)
	ctx := t.Context()
	en := b.create(t, "product", "shoe", map[string]any{"title": "Shoe"})
	ro := b.addLocale(t, en, "ro", "pantof", map[string]any{"title": "Pantof"})

	t.Run("ro before en", func(t *testing.T) {
		err := b.requireRejected(t, errs.Conflict, func(ctx context.Context) error {
			_, err := b.svc.PublishEntry(ctx, actor, ro.ID, "ro", nil)
			return err
		})
		require.ErrorContains(t, err, `default locale "en" first`)
	})
	b.publish(t, en)
	b.publish(t, ro)
	t.Run("unpublish en while ro is published", func(t *testing.T) {
		b.requireRejected(t, errs.Conflict, func(ctx context.Context) error {
			_, err := b.svc.UnpublishEntry(ctx, actor, en.ID, "en")
			return err
		})
	})
	_, err := b.svc.UnpublishEntry(ctx, actor, ro.ID, "ro")
	require.NoError(t, err)
	_, err = b.svc.UnpublishEntry(ctx, actor, en.ID, "en")
	require.NoError(t, err)
}

func TestPublishRevalidates(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.model(t)
	e := b.create(t, "product", "shoe", map[string]any{"title": "Shoe", "price": 10.0})
	// The model tightens after the draft was saved: publishing re-checks.
	ct := productType()
	ct.Fields[2].Min = num(50)
	_, err := b.svc.UpdateContentType(t.Context(), ct, 1)
	require.NoError(t, err)
	err = b.requireRejected(t, errs.BadUserInput, func(ctx context.Context) error {
		_, err := b.svc.PublishEntry(ctx, actor, e.ID, "en", nil)
		return err
	})
	requireFieldProblem(t, err, "fields.price")
}

func TestDeleteEntry(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.model(t)
	ctx := t.Context()
	shoe := b.product(t, "shoe", 10)
	hat := b.product(t, "hat", 5)
	page := b.publish(t, b.create(t, "page", "home", map[string]any{"title": "Home", "featured": shoe.ID}))

	err := b.requireRejected(t, errs.Conflict, func(ctx context.Context) error {
		return b.svc.DeleteEntry(ctx, actor, shoe.ID)
	})
	require.ErrorContains(t, err, page.ID)

	require.NoError(t, b.svc.DeleteEntry(ctx, actor, hat.ID))
	require.Nil(t, b.entry(t, "product", "hat", "en"))
	_, err = b.svc.Draft(ctx, hat.ID, "en")
	requireCode(t, err, errs.NotFound)
	versions, err := b.store.Versions(ctx, hat.ID, "en")
	require.NoError(t, err)
	require.Empty(t, versions, "history goes with the entry")
	require.NoError(t, b.svc.DeleteEntry(ctx, actor, page.ID))
	require.NoError(t, b.svc.DeleteEntry(ctx, actor, shoe.ID), "free once its last user is gone")

	b.requireRejected(t, errs.NotFound, func(ctx context.Context) error {
		return b.svc.DeleteEntry(ctx, actor, hat.ID)
	})
}

// TestRollbackRestoresLinks: after a rollback the draft points at what the
// old version pointed at, so that entry cannot be deleted from under it.
func TestRollbackRestoresLinks(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.model(t)
	ctx := t.Context()
	shoe := b.product(t, "shoe", 10)
	page := b.publish(t, b.create(t, "page", "home", map[string]any{"title": "Home", "featured": shoe.ID}))
	page = b.publish(t, b.update(t, page, map[string]any{"title": "Home"}))
	_, err := b.svc.RollbackEntry(ctx, actor, page.ID, "en", 1, nil)
	require.NoError(t, err)
	require.Equal(t, shoe.ID, b.entry(t, "page", "home", "en").Links[shoe.ID].ID)
	// Unpublished, the page's draft alone still holds the shoe.
	_, err = b.svc.UnpublishEntry(ctx, actor, page.ID, "en")
	require.NoError(t, err)
	b.requireRejected(t, errs.Conflict, func(ctx context.Context) error {
		return b.svc.DeleteEntry(ctx, actor, shoe.ID)
	})
}

// TestRollbackChecksUniques: an old version's unique value may have been
// taken since; rolling back to it is then a conflict, not a duplicate.
func TestRollbackChecksUniques(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.model(t)
	a := b.publish(t, b.create(t, "product", "a", map[string]any{"title": "A", "sku": "SKU-1"}))
	b.publish(t, b.update(t, a, map[string]any{"title": "A", "sku": "SKU-9"}))
	b.create(t, "product", "b", map[string]any{"title": "B", "sku": "SKU-1"})
	b.requireRejected(t, errs.Conflict, func(ctx context.Context) error {
		_, err := b.svc.RollbackEntry(ctx, actor, a.ID, "en", 1, nil)
		return err
	})
}

// TestRollbackRefusesDanglingVersion: a version pointing at a deleted entry
// no longer fits and is refused.
func TestRollbackRefusesDanglingVersion(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.model(t)
	shoe := b.product(t, "shoe", 10)
	page := b.publish(t, b.create(t, "page", "home", map[string]any{"title": "Home", "featured": shoe.ID}))
	b.publish(t, b.update(t, page, map[string]any{"title": "Home"}))
	require.NoError(t, b.svc.DeleteEntry(t.Context(), actor, shoe.ID))
	err := b.requireRejected(t, errs.BadUserInput, func(ctx context.Context) error {
		_, err := b.svc.RollbackEntry(ctx, actor, page.ID, "en", 1, nil)
		return err
	})
	requireFieldProblem(t, err, "fields.featured")
}

// TestDeleteKeepsPublishedLinks: a live publication still pointing at an
// entry keeps it, even when the draft has dropped the reference since.
func TestDeleteKeepsPublishedLinks(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.model(t)
	shoe := b.product(t, "shoe", 10)
	promo := b.promo(t, "winter", "Winter sale")
	page := b.publish(t, b.create(t, "page", "home", map[string]any{"title": "Home", "featured": shoe.ID,
		"blocks": []any{map[string]any{"id": "p", "ref": promo.ID}}}))
	b.update(t, page, map[string]any{"title": "Home"}) // not published
	for _, id := range []string{shoe.ID, promo.ID} {
		b.requireRejected(t, errs.Conflict, func(ctx context.Context) error {
			return b.svc.DeleteEntry(ctx, actor, id)
		})
	}
	_, err := b.svc.UnpublishEntry(t.Context(), actor, page.ID, "en")
	require.NoError(t, err)
	require.NoError(t, b.svc.DeleteEntry(t.Context(), actor, shoe.ID))
	require.NoError(t, b.svc.DeleteEntry(t.Context(), actor, promo.ID))
}
