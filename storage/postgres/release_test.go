package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/campaign"
	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/errs"
)

// Releases over the real store: snapshots, the read path at an instant,
// refresh on save, unpublish, materialising, and what is refused.

// manualClock stays where a test puts it.
type manualClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *manualClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *manualClock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

type releaseBundle struct {
	*testBundle
	now   *manualClock
	camps *campaign.Service
}

var (
	relBase  = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	relStart = relBase.Add(time.Hour)
	relEnd   = relStart.Add(24 * time.Hour)
)

func setupRelease(t *testing.T) *releaseBundle {
	t.Helper()
	b := setup(t)
	now := &manualClock{t: relBase}
	svc, err := content.NewService(b.store, content.Config{Now: now.Now})
	require.NoError(t, err)
	b.svc = svc
	b.model(t)
	camps, err := campaign.New(b.store.Campaigns(), campaign.Config{Drafts: svc, Now: now.Now,
		Changed: func(context.Context) { svc.Changed(false) }})
	require.NoError(t, err)
	return &releaseBundle{testBundle: b, now: now, camps: camps}
}

func (b *releaseBundle) campaign(t *testing.T, key string) campaign.Campaign {
	t.Helper()
	c, err := b.camps.Create(t.Context(), actor, campaign.Input{Key: key, Name: key})
	require.NoError(t, err)
	return c
}

func (b *releaseBundle) priceAt(t *testing.T, slug string, at time.Time) any {
	t.Helper()
	r, err := b.svc.EntryAt(t.Context(), "product", slug, "en", at)
	require.NoError(t, err)
	if r == nil {
		return nil
	}
	return r.Fields["price"]
}

func TestReleaseVisibleAtExactlyItsStart(t *testing.T) {
	t.Parallel()
	b := setupRelease(t)
	ctx := t.Context()
	p := b.product(t, "boots", 100)
	fresh := b.create(t, "product", "sledge", map[string]any{"title": "Sledge", "price": 80.0})
	b.update(t, p, map[string]any{"title": "Boots", "price": 70.0})

	c := b.campaign(t, "winter")
	_, err := b.camps.AddToRelease(ctx, actor, c.ID, p.ID, "")
	require.NoError(t, err)
	_, err = b.camps.AddToRelease(ctx, actor, c.ID, fresh.ID, "en")
	require.NoError(t, err)
	c, err = b.camps.Schedule(ctx, actor, c.ID, relStart, relEnd, false, nil)
	require.NoError(t, err)
	require.Equal(t, 2, c.ReleaseSize)

	// Warm the cache before the start: it must not outlive it.
	require.Equal(t, 100.0, b.priceAt(t, "boots", relStart.Add(-time.Millisecond)))
	require.Nil(t, b.priceAt(t, "sledge", relStart.Add(-time.Millisecond)))
	next, ok, err := b.svc.NextPublication(ctx, relStart.Add(-time.Millisecond))
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, relStart, next)

	require.Equal(t, 70.0, b.priceAt(t, "boots", relStart), "the release shows at exactly its start")
	require.Equal(t, 80.0, b.priceAt(t, "sledge", relStart), "a never-published entry appears with its release")
	require.Equal(t, 70.0, b.priceAt(t, "boots", relEnd), "a release stays published after the campaign ends")
	byID, err := b.svc.EntriesByIDsAt(ctx, []string{p.ID, fresh.ID}, "en", relStart)
	require.NoError(t, err)
	require.Equal(t, 70.0, byID[p.ID].Fields["price"])
	require.Equal(t, 80.0, byID[fresh.ID].Fields["price"])
	page, err := b.svc.List(ctx, content.ListRequest{Type: "product", At: relStart.Add(-time.Millisecond)})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	page, err = b.svc.List(ctx, content.ListRequest{Type: "product", At: relStart,
		Sort: &content.SortKey{Field: "price"}})
	require.NoError(t, err)
	require.Len(t, page.Items, 2)
	require.Equal(t, []any{70.0, 80.0}, []any{page.Items[0].Fields["price"], page.Items[1].Fields["price"]})

	// Saving a release draft before the start re-snapshots it, in the
	// same transaction; the validated save is what will go live.
	d, err := b.svc.Draft(ctx, p.ID, "en")
	require.NoError(t, err)
	b.update(t, d, map[string]any{"title": "Boots", "price": 60.0})
	require.Equal(t, 60.0, b.priceAt(t, "boots", relStart))
	require.Equal(t, 100.0, b.priceAt(t, "boots", relStart.Add(-time.Millisecond)))
	items, err := b.camps.Release(ctx, c.ID)
	require.NoError(t, err)
	require.Len(t, items, 2)
	for _, it := range items {
		require.NotZero(t, it.ScheduledVersion, it)
	}

	// A publish after the start wins over the release, as a later publish.
	b.now.Set(relStart.Add(time.Minute))
	d, err = b.svc.Draft(ctx, p.ID, "en")
	require.NoError(t, err)
	b.publish(t, b.update(t, d, map[string]any{"title": "Boots", "price": 55.0}))
	require.Equal(t, 55.0, b.priceAt(t, "boots", time.Time{}))

	// Unpublishing withdraws a visible release publication too.
	_, err = b.svc.UnpublishEntry(ctx, actor, p.ID, "en")
	require.NoError(t, err)
	require.Nil(t, b.priceAt(t, "boots", time.Time{}))
}

func TestReleaseMaterialize(t *testing.T) {
	t.Parallel()
	b := setupRelease(t)
	ctx := t.Context()
	p := b.product(t, "scarf", 30)
	b.update(t, p, map[string]any{"title": "Scarf", "price": 20.0})
	c := b.campaign(t, "sale")
	_, err := b.camps.AddToRelease(ctx, actor, c.ID, p.ID, "en")
	require.NoError(t, err)
	_, err = b.camps.Schedule(ctx, actor, c.ID, relStart, relEnd, false, nil)
	require.NoError(t, err)

	n, err := b.camps.MaterializeDue(ctx)
	require.NoError(t, err)
	require.Zero(t, n, "nothing is due before the start")
	d, err := b.svc.Draft(ctx, p.ID, "en")
	require.NoError(t, err)
	require.Equal(t, content.StatusChanged, d.Status())

	b.now.Set(relStart.Add(time.Second))
	require.Equal(t, 20.0, b.priceAt(t, "scarf", time.Time{}), "visible before anyone materialises it")
	n, err = b.camps.MaterializeDue(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Equal(t, 20.0, b.priceAt(t, "scarf", time.Time{}), "and the same after")
	d, err = b.svc.Draft(ctx, p.ID, "en")
	require.NoError(t, err)
	require.Equal(t, content.StatusPublished, d.Status(), "the draft now reads as published")
	var left int
	require.NoError(t, b.pool.QueryRow(ctx, `SELECT count(*) FROM scheduled_publications`).Scan(&left))
	require.Zero(t, left)
	n, err = b.camps.MaterializeDue(ctx)
	require.NoError(t, err)
	require.Zero(t, n, "idempotent")
}

func TestReleaseCancelledByStopBeforeStart(t *testing.T) {
	t.Parallel()
	b := setupRelease(t)
	ctx := t.Context()
	p := b.product(t, "mug", 10)
	b.update(t, p, map[string]any{"title": "Mug", "price": 5.0})
	c := b.campaign(t, "flash")
	_, err := b.camps.AddToRelease(ctx, actor, c.ID, p.ID, "en")
	require.NoError(t, err)
	_, err = b.camps.Schedule(ctx, actor, c.ID, relStart, relEnd, false, nil)
	require.NoError(t, err)
	_, err = b.camps.Stop(ctx, actor, c.ID)
	require.NoError(t, err)
	require.Equal(t, 10.0, b.priceAt(t, "mug", relStart), "a release stopped before its start never shows")
	var versions int
	require.NoError(t, b.pool.QueryRow(ctx, `SELECT count(*) FROM entry_versions WHERE entry_id = $1`, p.ID).Scan(&versions))
	require.Equal(t, 1, versions, "the never-published snapshot is gone from history")
}

func TestReleaseRefusals(t *testing.T) {
	t.Parallel()
	b := setupRelease(t)
	ctx := t.Context()
	c := b.campaign(t, "refused")

	// A locale whose default locale is neither published nor released.
	page := b.create(t, "page", "guide", map[string]any{"title": "Guide"})
	ro := b.addLocale(t, page, "ro", "ghid", map[string]any{"title": "Ghid"})
	_, err := b.camps.AddToRelease(ctx, actor, c.ID, ro.ID, "ro")
	require.NoError(t, err, "a draft campaign's release may be incomplete")
	err = b.requireRejected(t, errs.BadUserInput, func(ctx context.Context) error {
		_, err := b.camps.Schedule(ctx, actor, c.ID, relStart, relEnd, false, nil)
		return err
	})
	requireFieldProblem(t, err, "release.0.locale")
	_, err = b.camps.AddToRelease(ctx, actor, c.ID, page.ID, "en")
	require.NoError(t, err)
	_, err = b.camps.Schedule(ctx, actor, c.ID, relStart, relEnd, false, nil)
	require.NoError(t, err, "with its default locale in the same release it is complete")

	// A slug another published entry holds would clash at the start.
	other := b.product(t, "taken", 1)
	b.update(t, other, map[string]any{"title": "Renamed draft"})
	d, err := b.svc.Draft(ctx, other.ID, "en")
	require.NoError(t, err)
	slug := "renamed"
	_, err = b.svc.UpdateEntry(ctx, actor, d.ID, "en", content.EntryPatch{Slug: &slug}, d.Version)
	require.NoError(t, err)
	clash := b.create(t, "product", "taken", map[string]any{"title": "Clash"})
	b.requireRejected(t, errs.Conflict, func(ctx context.Context) error {
		_, err := b.camps.AddToRelease(ctx, actor, c.ID, clash.ID, "en")
		return err
	})

	// An entry in a pending release cannot be deleted.
	b.requireRejected(t, errs.Conflict, func(ctx context.Context) error { return b.svc.DeleteEntry(ctx, actor, page.ID) })
	// Unknown entries and duplicates.
	b.requireRejected(t, errs.NotFound, func(ctx context.Context) error {
		_, err := b.camps.AddToRelease(ctx, actor, c.ID, "00000000-0000-4000-8000-000000000000", "en")
		return err
	})
	b.requireRejected(t, errs.Conflict, func(ctx context.Context) error {
		_, err := b.camps.AddToRelease(ctx, actor, c.ID, page.ID, "en")
		return err
	})
	// Once live, a release is published: it no longer changes.
	b.now.Set(relStart)
	b.requireRejected(t, errs.Conflict, func(ctx context.Context) error {
		_, err := b.camps.RemoveFromRelease(ctx, actor, c.ID, page.ID, "en")
		return err
	})
}

// There is no small cap on a release: snapshots are written set-wise.
func TestReleaseOfManyEntries(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("writes 300 entries")
	}
	b := setupRelease(t)
	ctx := t.Context()
	c := b.campaign(t, "big")
	for i := range 300 {
		e := b.create(t, "product", fmt.Sprintf("item-%03d", i), map[string]any{"title": "Item", "price": float64(i)})
		_, err := b.camps.AddToRelease(ctx, actor, c.ID, e.ID, "en")
		require.NoError(t, err)
	}
	began := time.Now()
	c, err := b.camps.Schedule(ctx, actor, c.ID, relStart, relEnd, false, nil)
	require.NoError(t, err)
	t.Logf("scheduled a release of %d entries in %v", c.ReleaseSize, time.Since(began))
	page, err := b.svc.List(ctx, content.ListRequest{Type: "product", First: 100, At: relStart})
	require.NoError(t, err)
	require.Len(t, page.Items, 100)
	require.True(t, page.HasNextPage)
	page, err = b.svc.List(ctx, content.ListRequest{Type: "product", First: 100, At: relStart.Add(-time.Millisecond)})
	require.NoError(t, err)
	require.Empty(t, page.Items)
}
