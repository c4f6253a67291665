package search_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/internal/seed"
	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/search"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// testBundle is the demo content on a fresh schema and a data dir for
// indexes over it. No change feed: tests say when to catch up.
type testBundle struct {
	svc *content.Service
	dir string
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	pool, _ := testdb.Schema(t)
	log := slog.New(slog.DiscardHandler)
	svc, err := content.NewService(postgres.New(pool), content.Config{Logger: log})
	require.NoError(t, err)
	_, err = seed.Run(context.Background(), svc, nil, log)
	require.NoError(t, err)
	_, err = svc.CreateContentType(context.Background(), content.ContentType{Key: "note", Name: "Note", Kind: content.TypeEntry,
		Fields: []content.Field{{Key: "title", Kind: content.KindText, Required: true, Localized: true}}})
	require.NoError(t, err)
	return &testBundle{svc: svc, dir: t.TempDir()}
}

// open starts an index over the bundle and waits for its first sync.
func (b *testBundle) open(t *testing.T) *search.Index {
	t.Helper()
	ix, err := search.Open(search.Config{Dir: b.dir, Source: b.svc, LockTimeout: 100 * time.Millisecond})
	require.NoError(t, err)
	t.Cleanup(ix.Close)
	ix.Start(nil)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, ix.WaitReady(ctx))
	return ix
}

func (b *testBundle) publishNote(t *testing.T, slug, title string) content.Entry {
	t.Helper()
	e, err := b.svc.CreateEntry(context.Background(), "test", content.NewEntry{Type: "note", Slug: slug, Fields: map[string]any{"title": title}})
	require.NoError(t, err)
	e, err = b.svc.PublishEntry(context.Background(), "test", e.ID, "en", nil)
	require.NoError(t, err)
	return e
}

func hits(t *testing.T, ix *search.Index, q string) int {
	t.Helper()
	res, err := ix.Search(context.Background(), search.Request{Query: q, First: search.DefaultFirst})
	require.NoError(t, err)
	return res.Total
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		require.False(t, time.Now().After(deadline), what)
		time.Sleep(5 * time.Millisecond)
	}
}

func TestIndexCatchesUpAfterACrash(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ix := b.open(t)
	require.Equal(t, 0, hits(t, ix, "northern"))
	stats, err := ix.Stats()
	require.NoError(t, err)
	require.EqualValues(t, 6*3, stats.Documents, "6 demo entries (the promo is a global block) in 3 locales")
	ix.Close() // the process dies: what follows never reaches this index

	note := b.publishNote(t, "lights", "Northern lights")
	gone := b.publishNote(t, "gone", "Vanishing act")
	_, err = b.svc.UnpublishEntry(context.Background(), "test", gone.ID, "en")
	require.NoError(t, err)

	ix = b.open(t)
	require.Equal(t, 1, hits(t, ix, "northern"))
	require.Equal(t, 0, hits(t, ix, "vanishing"))
	epoch, err := b.svc.Epoch(context.Background())
	require.NoError(t, err)
	stats, err = ix.Stats()
	require.NoError(t, err)
	require.Equal(t, epoch, stats.Epoch)
	require.EqualValues(t, 7*3, stats.Documents)
	_ = note
}

func TestIndexFollowsNotifications(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ix := b.open(t)
	note := b.publishNote(t, "lights", "Northern lights")
	ix.Notify(content.Change{Action: content.ChangePublish, Entry: note.ID, Locale: "en", Type: "note"})
	waitFor(t, "published note searchable", func() bool { return hits(t, ix, "northern") == 1 })

	_, err := b.svc.UnpublishEntry(context.Background(), "test", note.ID, "en")
	require.NoError(t, err)
	ix.Notify(content.Change{Action: content.ChangeUnpublish, Entry: note.ID, Locale: "en", Type: "note"})
	waitFor(t, "unpublished note gone", func() bool { return hits(t, ix, "northern") == 0 })

	// A feed that reconnects says resync: the index replays the log.
	b.publishNote(t, "aurora", "Aurora borealis")
	ix.Notify(content.Change{Action: content.ChangeResync})
	waitFor(t, "missed note caught up", func() bool { return hits(t, ix, "borealis") == 1 })
}

// tamper writes into a closed index the way another version or another
// database would have left it, plus a document no entry backs.
func tamper(t *testing.T, dir string, internal map[string][]byte) {
	t.Helper()
	bix, err := bleve.Open(filepath.Join(dir, "index"))
	require.NoError(t, err)
	for k, v := range internal {
		require.NoError(t, bix.SetInternal([]byte(k), v))
	}
	require.NoError(t, bix.Index("00000000-0000-0000-0000-00000000beef/en",
		map[string]any{"entry": "00000000-0000-0000-0000-00000000beef", "locale": "en", "type": "note", "title_en": "ghost"}))
	require.NoError(t, bix.Close())
}

func TestIndexRebuildsWhenOutdated(t *testing.T) {
	t.Parallel()
	for name, internal := range map[string]map[string][]byte{
		"older mapping version":     {"mosaic.mapping": []byte("v0;en")},
		"ahead of the database":     {"mosaic.epoch": {0, 0, 1, 0, 0, 0, 0, 0}},
		"build that never finished": {"mosaic.mapping": nil},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			b.open(t).Close()
			tamper(t, b.dir, internal)
			ix := b.open(t)
			require.Equal(t, 0, hits(t, ix, "ghost"), "rebuilt from the database")
			require.Equal(t, 1, hits(t, ix, "boots"))
		})
	}
}

func TestIndexBelongsToOneProcess(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.open(t)
	_, err := search.Open(search.Config{Dir: b.dir, Source: b.svc, LockTimeout: 50 * time.Millisecond})
	require.ErrorContains(t, err, "in use by another process")
}

func TestRebuildReportsProgress(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ix, err := search.Open(search.Config{Dir: b.dir, Source: b.svc, BatchSize: 2})
	require.NoError(t, err)
	defer ix.Close()
	var calls [][2]int
	require.NoError(t, ix.Rebuild(context.Background(), func(done, total int) { calls = append(calls, [2]int{done, total}) }))
	require.Equal(t, [][2]int{{0, 7}, {2, 7}, {4, 7}, {6, 7}, {7, 7}}, calls)
	require.Equal(t, 1, hits(t, ix, "boots"))
}
