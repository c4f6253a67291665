package postgres_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/content"
)

// TestPublishIdempotent: publishing what is live already — a retry, a
// double click, twenty kiosks' operators at once — makes no new immutable
// version, and every caller gets the same answer (no CONFLICT storm).
func TestPublishIdempotent(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.model(t)
	ctx := t.Context()
	e := b.create(t, "product", "shoe", map[string]any{"title": "Shoe", "price": 10.0})

	const callers = 20
	version := e.Version
	var wg sync.WaitGroup
	results := make([]content.Entry, callers)
	errors := make([]error, callers)
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errors[i] = b.svc.PublishEntry(ctx, actor, e.ID, "en", &version)
		}()
	}
	wg.Wait()
	for i := range callers {
		require.NoError(t, errors[i], "caller %d", i)
		require.Equal(t, 1, results[i].PublishedVersion, "caller %d sees the one version", i)
		require.Equal(t, content.StatusPublished, results[i].Status())
	}
	history, err := b.svc.History(ctx, e.ID, "en")
	require.NoError(t, err)
	require.Len(t, history, 1, "%d identical publishes make one version", callers)

	// A repeat later writes nothing at all: no version, no change event.
	before := snapshot(t, b.pool)
	again, err := b.svc.PublishEntry(ctx, actor, e.ID, "en", &version)
	require.NoError(t, err)
	require.Equal(t, 1, again.PublishedVersion)
	require.Equal(t, before, snapshot(t, b.pool), "republishing an unchanged draft changed the database")

	// A real edit publishes a new version...
	e = b.update(t, again, map[string]any{"title": "Better shoe", "price": 10.0})
	e = b.publish(t, e)
	require.Equal(t, 2, e.PublishedVersion)
	// ...and a save that puts back exactly what is live is no change: the
	// entry is PUBLISHED again without a third version.
	e = b.update(t, e, map[string]any{"title": "Better shoe", "price": 10.0})
	require.Equal(t, content.StatusChanged, e.Status(), "a new draft version")
	e = b.publish(t, e)
	require.Equal(t, 2, e.PublishedVersion)
	require.Equal(t, content.StatusPublished, e.Status())
	history, err = b.svc.History(ctx, e.ID, "en")
	require.NoError(t, err)
	require.Len(t, history, 2)

	// Unpublished, the same content goes live again as a new version.
	_, err = b.svc.UnpublishEntry(ctx, actor, e.ID, "en")
	require.NoError(t, err)
	e = b.publish(t, e)
	require.Equal(t, 3, e.PublishedVersion)
}
