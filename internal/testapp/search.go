package testapp

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/search"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// startSearch opens a search index in a temporary directory and feeds it
// from the change feed, as internal/app does, then waits for its first
// sync (a build from the seeded content).
func startSearch(t testing.TB, pool *pgxpool.Pool, svc *content.Service, log *slog.Logger) *search.Index {
	t.Helper()
	ix, err := search.Open(search.Config{Dir: t.TempDir(), Source: svc, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	feed := postgres.NewFeed(pool, log, func(c postgres.Change) {
		svc.Changed(c.Action == content.ChangeModel || c.Action == content.ChangeResync)
		ix.Notify(content.Change(c))
	})
	feed.Start(context.Background())
	ix.Start(feed.Ready())
	// Registered after the pool's cleanup, so it runs before the pool closes.
	t.Cleanup(func() {
		feed.Stop()
		ix.Close()
	})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := ix.WaitReady(ctx); err != nil {
		t.Fatalf("testapp: search index not ready: %v", err)
	}
	return ix
}
