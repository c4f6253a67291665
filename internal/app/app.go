// Package app builds a running Mosaic from its configuration: database pool,
// migrations, domain services, change feed and HTTP server, started in
// order and torn down in reverse in one place.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/mosaichq/mosaic/access"
	"github.com/mosaichq/mosaic/assets"
	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/bundle"
	"github.com/mosaichq/mosaic/campaign"
	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/documents"
	"github.com/mosaichq/mosaic/experience"
	"github.com/mosaichq/mosaic/fleet"
	"github.com/mosaichq/mosaic/graph"
	"github.com/mosaichq/mosaic/internal/config"
	"github.com/mosaichq/mosaic/internal/scratch"
	"github.com/mosaichq/mosaic/internal/tracing"
	"github.com/mosaichq/mosaic/migrations"
	"github.com/mosaichq/mosaic/search"
	"github.com/mosaichq/mosaic/server"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// App is one Mosaic process's components.
type App struct {
	Config config.Config
	Log    *slog.Logger
	Pool   *pgxpool.Pool
	// reads routes published reads to standbys; nil without them
	// (replicas.go).
	reads   *postgres.Reads
	Content *content.Service
	// Experience owns segments, experiments and the decision engine;
	// Variants edits variants on drafts.
	Experience *experience.Service
	Variants   *experience.Editor
	Tokens     *auth.Tokens
	Feed       *postgres.Feed
	// Assets stores and delivers files (assets.go); BlobHandler serves a
	// local blob store's presigned URLs.
	Assets      *assets.Service
	BlobHandler http.Handler
	// spool holds upload request bodies while they are checked; blobTemp
	// is the local blob store's temporary files (nil for S3). Both are
	// swept of what crashed processes left (assets.go).
	spool    *scratch.Dir
	blobTemp tempSweeper
	Search   *search.Index
	// Campaigns manages campaigns and their releases (campaigns.go).
	Campaigns *campaign.Service
	// Live is the event stream, webhooks and the campaign scheduler.
	Live live
	// Access is users, API keys and the audit log (security.go); idp
	// verifies an identity provider's tokens when configured.
	Access *access.Service
	idp    *auth.JWKS
	// Bundles builds signed screen bundles.
	Bundles *bundle.Builder
	// Fleet records screens' heartbeats and lists them (fleet.go).
	Fleet *fleet.Service
	// Documents is the trusted-document and persisted-query registry.
	Documents *documents.Service
	// Measure takes client events into PostgreSQL (measurement.go).
	Measure measure

	// ops is what operators page on (opsmetrics.go).
	ops *ops
	// tracer exports spans; nil when tracing is off (tracing.go).
	tracer tracing.Provider

	servicesOnly bool
	closers      []func()
}

// Option changes what Open builds.
type Option func(*App)

// ServicesOnly builds the domain services on the database and nothing a
// serving process owns: no search index (a running server holds it
// locked), change feed, events, scheduler, webhook worker or asset sweeper.
// What a command run beside `mosaic dev` needs (model import, seed).
func ServicesOnly() Option { return func(a *App) { a.servicesOnly = true } }

// Open connects, migrates and builds the services. secret signs editor
// tokens. Close undoes whatever Open did, also after a failure.
func Open(ctx context.Context, cfg config.Config, secret []byte, log *slog.Logger, opts ...Option) (_ *App, err error) {
	a := &App{Config: cfg, Log: log}
	for _, o := range opts {
		o(a)
	}
	defer func() {
		if err != nil {
			a.Close()
		}
	}()
	if cfg.DatabaseURL == "" {
		return nil, errors.New("no database: set DATABASE_URL (or run `mosaic dev` for an embedded one)")
	}
	if err := a.openTracing(ctx); err != nil {
		return nil, err
	}
	log = a.Log // with trace ids when tracing is on
	if err := migrations.Up(ctx, cfg.DatabaseURL); err != nil {
		return nil, fmt.Errorf("applying migrations: %w", err)
	}
	if a.Pool, err = postgres.NewPool(ctx, cfg.DatabaseURL); err != nil {
		return nil, fmt.Errorf("connecting to the database: %w", err)
	}
	a.closers = append(a.closers, a.Pool.Close)
	if err := a.Pool.Ping(ctx); err != nil {
		return nil, fmt.Errorf("connecting to the database: %w", err)
	}
	locales, err := cfg.LocaleConfig()
	if err != nil {
		return nil, err
	}
	registry, err := cfg.Registry()
	if err != nil {
		return nil, err
	}
	if err := a.openReads(ctx); err != nil {
		return nil, err
	}
	store := postgres.New(a.Pool).WithReads(a.reads)
	if a.Experience, err = experience.New(ctx, store.Experience(), experience.Config{Registry: registry, Logger: log,
		Campaigns: campaign.EngineSource{Store: store.Campaigns()}}); err != nil {
		return nil, err
	}
	if err := a.openAssets(ctx, store, secret); err != nil {
		return nil, err
	}
	// Content checks variants' targeting and asset references through
	// hooks, without knowing personalization or assets.
	if a.Content, err = content.NewService(store, content.Config{Locales: locales, Logger: log,
		CheckVariants: a.Experience.CheckVariants, MissingAssets: a.Assets.Missing,
		CacheBytes: contentCacheBytes(cfg.ContentCacheBytes)}); err != nil {
		return nil, err
	}
	a.Variants = experience.NewEditor(a.Content)
	if err := a.openCampaigns(store, registry); err != nil {
		return nil, err
	}
	if a.Tokens, err = auth.NewTokens(auth.Config{Secret: secret, TTL: cfg.TokenTTL}); err != nil {
		return nil, err
	}
	if err := a.openAccess(store); err != nil {
		return nil, err
	}
	if a.servicesOnly {
		return a, nil
	}
	if err := a.openSearch(); err != nil {
		return nil, err
	}
	a.ops = newOps()
	// The feed delivers what is committed after it starts: start the lag
	// from the epoch before it.
	if e, err := store.Epoch(ctx); err == nil {
		a.ops.feedEpoch.Store(e)
	}
	a.Feed = postgres.NewFeed(a.Pool, log, func(c postgres.Change) {
		a.ops.feedSaw(c)
		a.advanceReads() // before any cache is dropped: what refills it must see the change
		if c.Action != postgres.ChangePersonalization {
			a.Content.Changed(c.Action == "model" || c.Action == "resync")
		}
		a.campaignsFeed(c)
		if c.Action == postgres.ChangePersonalization || c.Action == postgres.ChangeCampaign || c.Action == "resync" {
			a.reloadExperience(c)
		}
		a.searchChanged(c)
	})
	a.Feed.Start(context.WithoutCancel(ctx))
	a.closers = append(a.closers, a.Feed.Stop)
	a.releaseReads()
	if err := a.openEvents(ctx); err != nil {
		return nil, err
	}
	signer, err := cfg.BundleSigner()
	if err != nil {
		return nil, fmt.Errorf("bundle signing key: %w", err)
	}
	a.Bundles = &bundle.Builder{Content: a.Content, Experience: a.Experience, Campaigns: a.Campaigns, Signer: signer}
	if a.Assets != nil {
		a.Bundles.Assets = a.Assets
	}
	if err := a.openFleet(store); err != nil {
		return nil, err
	}
	if a.Documents, err = documents.New(documents.Config{Store: store.Documents(), Logger: a.Log}); err != nil {
		return nil, err
	}
	if err := a.openMeasurement(ctx); err != nil {
		return nil, err
	}
	a.startSearch()
	return a, nil
}

// reloadExperience rebuilds the decision engine after another replica (or
// this one) changed segments or experiments. It runs on the feed's
// goroutine, bounded, so a slow database delays later notifications rather
// than piling up reloads.
func (a *App) reloadExperience(c postgres.Change) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.Experience.Reload(ctx); err != nil {
		a.Log.ErrorContext(ctx, "reloading personalization after a change", "action", c.Action, "epoch", c.Epoch, "error", err)
	}
}

// Close tears components down in reverse order. Safe to call twice.
func (a *App) Close() {
	for i := len(a.closers) - 1; i >= 0; i-- {
		a.closers[i]()
	}
	a.closers = nil
}

// Handler is the HTTP surface of a.
func (a *App) Handler() http.Handler {
	d := server.Deps{
		Resolver: &graph.Resolver{Content: a.Content, Experience: a.Experience, Variants: a.Variants, Search: a.Search, Assets: a.Assets,
			Webhooks: a.Live.Webhooks, Campaigns: a.Campaigns, Access: a.Access, Bundles: a.Bundles, Fleet: a.Fleet, Documents: a.Documents, Log: a.Log},
		Limits: a.securityLimits(graph.Limits{MaxBodyBytes: a.Config.MaxBodyBytes, MaxComplexity: a.Config.MaxComplexity,
			Introspection: a.Config.Introspection, MaxUploadBytes: a.Config.MaxUploadBytes, CacheMaxAge: a.Config.CacheMaxAge,
			UploadDir: a.spool.Path()}),
		Assets: a.Assets, Blobs: a.BlobHandler, Fleet: a.Fleet,
		Verifier: a.verifier(),
		Security: a.security(),
		Ready: map[string]server.Check{
			"database":   func(ctx context.Context) error { return a.Pool.Ping(ctx) },
			"migrations": a.migrationsCurrent,
			"search":     a.Search.Ready,
			"blobs":      a.Assets.Writable,
		},
		Events: a.eventsHandler(),
		Log:    a.Log,
	}
	a.measurementDeps(&d)
	a.opsDeps(&d)
	d.Limits.Tracing = a.tracer != nil
	return tracing.Middleware(a.tracer, a.readSessions(server.Handler(d)))
}

func (a *App) migrationsCurrent(ctx context.Context) error {
	cur, dirty, latest, err := migrations.StatusOf(ctx, a.Pool)
	switch {
	case err != nil:
		return err
	case dirty:
		return fmt.Errorf("migration %d is dirty", cur)
	case cur < latest:
		return fmt.Errorf("at migration %d of %d", cur, latest)
	}
	return nil
}

// Serve listens on ln until ctx ends, then shuts down gracefully: new
// connections stop, requests in flight get ShutdownTimeout to finish, and
// long-lived streams see their context cancelled.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	setMemoryLimit(a.Config.ResponseCacheBytes, a.Config.ContentCacheBytes, a.Log)
	_, stopPprof, err := a.servePprof()
	if err != nil {
		return fmt.Errorf("pprof listener: %w", err)
	}
	defer stopPprof()
	baseCtx, cancelBase := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelBase()
	srv := &http.Server{
		Handler:           a.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		// Tokens are < 8 KiB; 1 MiB of headers (the default) is only useful
		// to someone trying to exhaust memory.
		MaxHeaderBytes: 64 << 10,
		BaseContext:    func(net.Listener) context.Context { return baseCtx },
		ErrorLog:       slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.Log.Info("shutting down", "timeout", a.Config.ShutdownTimeout)
	cancelBase()
	sctx, cancel := context.WithTimeout(context.Background(), a.Config.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutting down HTTP server: %w", err)
	}
	return nil
}

// contentCacheBytes maps MOSAIC_CONTENT_CACHE_BYTES (0: off) to
// content.Config.CacheBytes (0: the default, negative: off).
func contentCacheBytes(n int64) int64 {
	if n == 0 {
		return -1
	}
	return n
}
