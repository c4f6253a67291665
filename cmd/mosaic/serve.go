package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/app"
	"github.com/mosaichq/mosaic/internal/config"
	"github.com/mosaichq/mosaic/internal/seed"
	"github.com/mosaichq/mosaic/migrations"
)

func runServe(ctx context.Context, args []string, _ io.Writer, stderr io.Writer) error {
	cfg, _, err := parseConfig("serve", args, stderr, nil)
	var problems config.Problems
	if err != nil && !errors.As(err, &problems) {
		return err // --help, or a flag that does not exist
	}
	// Every missing and invalid setting at once, not one per start.
	problems = append(problems, serveRequirements(cfg)...)
	if err := problems.Err(); err != nil {
		return err
	}
	log := cfg.Logger(stderr)
	a, err := app.Open(ctx, cfg, []byte(cfg.JWTSecret), log)
	if err != nil {
		return err
	}
	defer a.Close()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	log.Info("mosaic serving", "addr", ln.Addr().String())
	return a.Serve(ctx, ln)
}

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, _, err := parseConfig("migrate", args, stderr, nil)
	if err != nil {
		return err
	}
	log := cfg.Logger(stderr)
	url, stop, err := database(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer stop()
	if err := migrations.Up(ctx, url); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "migrations applied: schema at version %d\n", migrations.Latest())
	return nil
}

func runSeed(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, _, err := parseConfig("seed", args, stderr, nil)
	if err != nil {
		return err
	}
	cfg, log, stop, err := withDatabase(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer stop()
	a, err := openLocal(ctx, cfg, log, app.ServicesOnly()) // may run beside mosaic dev
	if err != nil {
		return err
	}
	defer a.Close()
	created, err := seed.Run(ctx, a.Content, a.Experience, log, seed.WithCampaigns(a.Campaigns))
	if err != nil {
		return err
	}
	if created {
		fmt.Fprintln(stdout, "demo content seeded")
	} else {
		fmt.Fprintln(stdout, "demo content already present")
	}
	return nil
}

// serveRequirements are the settings serve needs that dev makes up for
// itself.
func serveRequirements(cfg config.Config) config.Problems {
	var p config.Problems
	switch {
	case cfg.JWTSecret == "":
		p = append(p, errors.New("set MOSAIC_JWT_SECRET (at least 32 bytes) to sign editor tokens"))
	case len(cfg.JWTSecret) < auth.MinSecretBytes:
		p = append(p, fmt.Errorf("MOSAIC_JWT_SECRET must be at least %d bytes, got %d", auth.MinSecretBytes, len(cfg.JWTSecret)))
	}
	if cfg.BundleKey == "" {
		// A key generated per data dir would differ per replica: a screen
		// fetching the key set from one and a bundle from another would
		// refuse it. dev keeps one in its data dir; serve is told.
		p = append(p, errors.New("set MOSAIC_BUNDLE_KEY, the same on every replica, to sign screen bundles "+
			"(a base64 Ed25519 seed of 32 bytes: mosaic bundle-key makes one)"))
	}
	if cfg.DatabaseURL == "" {
		p = append(p, errors.New("set DATABASE_URL to your PostgreSQL, e.g. postgres://user:pass@host:5432/mosaic (mosaic dev runs its own)"))
	}
	return p
}
