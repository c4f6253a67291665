package app

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/internal/config"
	"github.com/mosaichq/mosaic/migrations"
	"github.com/mosaichq/mosaic/search"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// searchDir is where a process keeps its own search index: every replica
// has one, rebuildable from PostgreSQL.
func searchDir(cfg config.Config) string { return filepath.Join(cfg.DataDir, "search") }

// openSearch opens this process's search index. The change feed keeps it
// current (searchChanged); startSearch catches it up with what happened
// while the process was down.
func (a *App) openSearch() error {
	ix, err := search.Open(search.Config{Dir: searchDir(a.Config), Source: a.Content, Logger: a.Log.With("component", "search")})
	if err != nil {
		return err
	}
	a.Search = ix
	a.closers = append(a.closers, ix.Close)
	return nil
}

// searchChanged hands a change-feed notification to the search index; it
// never blocks the feed.
func (a *App) searchChanged(c postgres.Change) {
	if a.Search != nil {
		a.Search.Notify(content.Change(c))
	}
}

// startSearch starts the index's worker once the feed listens, so that no
// change falls between the catch-up and the first notification.
func (a *App) startSearch() {
	if a.Search != nil {
		a.Search.Start(a.Feed.Ready())
	}
}

// Reindex rebuilds the search index in cfg's data dir from the database,
// reporting progress. The index must not be open elsewhere: a running
// server keeps its own index current and needs no reindex.
func Reindex(ctx context.Context, cfg config.Config, log *slog.Logger, progress search.Progress) (search.Stats, error) {
	if err := migrations.Up(ctx, cfg.DatabaseURL); err != nil {
		return search.Stats{}, fmt.Errorf("applying migrations: %w", err)
	}
	pool, err := pgxpool.New(ctx, cfg.DatabaseURL)
	if err != nil {
		return search.Stats{}, fmt.Errorf("connecting to the database: %w", err)
	}
	defer pool.Close()
	locales, err := cfg.LocaleConfig()
	if err != nil {
		return search.Stats{}, err
	}
	store := postgres.New(pool)
	// A rebuild is reads only: from a standby when there are some.
	if urls := cfg.ReadURLs(); len(urls) > 0 {
		reads, err := postgres.OpenReads(ctx, pool, postgres.ReadConfig{URLs: urls, MaxLag: cfg.DatabaseReadMaxLag, Logger: log})
		if err != nil {
			return search.Stats{}, err
		}
		reads.Start()
		defer reads.Stop()
		store.WithReads(reads)
	}
	svc, err := content.NewService(store, content.Config{Locales: locales, Logger: log})
	if err != nil {
		return search.Stats{}, err
	}
	ix, err := search.Open(search.Config{Dir: searchDir(cfg), Source: svc, Logger: log})
	if err != nil {
		return search.Stats{}, err
	}
	defer ix.Close()
	if err := ix.Rebuild(ctx, progress); err != nil {
		return search.Stats{}, err
	}
	return ix.Stats()
}
