package search_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/search"
)

// A repeated search is answered from the results cache, and the first
// search after a publish or an unpublish has been applied to the index
// already shows it: the cache never serves the state before a change.
func TestResultsCacheNeverServesStale(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ix := b.open(t)
	ctx := context.Background()
	req := search.Request{Query: "northern", First: search.DefaultFirst, Facets: true, Highlight: true}

	first, err := ix.Search(ctx, req)
	require.NoError(t, err)
	require.Zero(t, first.Total)
	before := ix.CacheStats()
	again, err := ix.Search(ctx, req)
	require.NoError(t, err)
	require.Same(t, first, again, "a repeated search is served from the cache")
	require.Equal(t, before.Hits+1, ix.CacheStats().Hits)

	// applied waits until the index has written the change (the
	// generation moves after the batch is committed), then searches once.
	applied := func(change func() content.Change) *search.Results {
		gen := ix.CacheStats().Generation
		ix.Notify(change())
		waitFor(t, "change applied to the index", func() bool { return ix.CacheStats().Generation > gen })
		res, err := ix.Search(ctx, req)
		require.NoError(t, err)
		return res
	}
	var note content.Entry
	res := applied(func() content.Change {
		note = b.publishNote(t, "lights", "Northern lights")
		return content.Change{Action: content.ChangePublish, Entry: note.ID, Locale: "en", Type: "note"}
	})
	require.Equal(t, 1, res.Total, "the first search after the publish shows it")
	res = applied(func() content.Change {
		_, err := b.svc.UnpublishEntry(ctx, "test", note.ID, "en")
		require.NoError(t, err)
		return content.Change{Action: content.ChangeUnpublish, Entry: note.ID, Locale: "en", Type: "note"}
	})
	require.Zero(t, res.Total, "the first search after the unpublish no longer shows it")

	// Other pages, sizes and selections are other answers.
	small := req
	small.First = 1
	res, err = ix.Search(ctx, small)
	require.NoError(t, err)
	require.NotSame(t, first, res)
}

// With the cache off every search runs, and results stay right.
func TestResultsCacheOff(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ix, err := search.Open(search.Config{Dir: b.dir, Source: b.svc, ResultCacheSize: -1})
	require.NoError(t, err)
	t.Cleanup(ix.Close)
	ix.Start(nil)
	require.NoError(t, ix.WaitReady(context.Background()))
	req := search.Request{Query: "winter", First: search.DefaultFirst}
	a, err := ix.Search(context.Background(), req)
	require.NoError(t, err)
	c, err := ix.Search(context.Background(), req)
	require.NoError(t, err)
	require.NotSame(t, a, c)
	require.Equal(t, a.Total, c.Total)
	require.Zero(t, ix.CacheStats().Hits)
}
