package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/app"
	"github.com/mosaichq/mosaic/internal/config"
	"github.com/mosaichq/mosaic/internal/pgcluster"
)

// parseConfig reads a subcommand's flags plus every shared setting.
func parseConfig(name string, args []string, stderr io.Writer, extra func(*flag.FlagSet)) (config.Config, *flag.FlagSet, error) {
	fs := flag.NewFlagSet("mosaic "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	if extra != nil {
		extra(fs)
	}
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: mosaic %s [flags]\n\nsettings (flag, environment variable, default):\n", name)
		config.PrintSettings(stderr)
	}
	getenv := os.Getenv
	if name == "dev" {
		// Introspection, public delivery and localhost CORS are on in dev
		// unless set otherwise (config_security.go).
		getenv = config.DevEnv(getenv)
	}
	cfg, err := config.Parse(fs, args, getenv)
	return cfg, fs, err
}

// database returns a URL to use: DATABASE_URL when set, else the dev
// cluster under the data dir (started, or reused if already running).
// stop releases what database started.
func database(ctx context.Context, cfg config.Config, log *slog.Logger) (url string, stop func(), err error) {
	if cfg.DatabaseURL != "" {
		return cfg.DatabaseURL, func() {}, nil
	}
	dir, err := filepath.Abs(filepath.Join(cfg.DataDir, "pg"))
	if err != nil {
		return "", nil, err
	}
	cluster, err := pgcluster.Start(ctx, pgcluster.Options{DataDir: dir, Logger: log})
	if errors.Is(err, pgcluster.ErrNoBinaries) {
		return "", nil, fmt.Errorf("%w\n\nOr point Mosaic at any PostgreSQL: DATABASE_URL=postgres://user:pass@host/db mosaic serve", err)
	}
	if err != nil {
		return "", nil, fmt.Errorf("starting the embedded PostgreSQL in %s: %w", dir, err)
	}
	stop = func() {
		if err := cluster.Stop(context.Background()); err != nil {
			log.Error("stopping the embedded PostgreSQL", "error", err)
		}
	}
	if err := cluster.CreateDatabase(ctx, "mosaic"); err != nil {
		stop()
		return "", nil, err
	}
	return cluster.URL("mosaic"), stop, nil
}

// withDatabase is the start of every command that works on a database:
// the logger, and cfg pointed at DATABASE_URL or the dev cluster. stop
// releases what it started.
func withDatabase(ctx context.Context, cfg config.Config, stderr io.Writer) (config.Config, *slog.Logger, func(), error) {
	log := cfg.Logger(stderr)
	url, stop, err := database(ctx, cfg, log)
	if err != nil {
		return cfg, nil, nil, err
	}
	cfg.DatabaseURL = url
	return cfg, log, stop, nil
}

// openLocal opens the whole app on cfg's database with the secret kept in
// the data dir (dev, seed, model): what a local command needs.
func openLocal(ctx context.Context, cfg config.Config, log *slog.Logger) (*app.App, error) {
	sec, err := secret(cfg, true)
	if err != nil {
		return nil, err
	}
	return app.Open(ctx, cfg, sec, log)
}

// secret returns the token signing secret: MOSAIC_JWT_SECRET, or, when
// allowed, the one kept in the data dir (created on first use).
func secret(cfg config.Config, allowFile bool) ([]byte, error) {
	if cfg.JWTSecret != "" {
		return []byte(cfg.JWTSecret), nil
	}
	if !allowFile {
		return nil, errors.New("set MOSAIC_JWT_SECRET (at least 32 bytes) to sign editor tokens")
	}
	return auth.LoadOrCreateSecret(filepath.Join(cfg.DataDir, "jwt-secret"))
}
