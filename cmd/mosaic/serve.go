package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"

	"github.com/mosaichq/mosaic/internal/app"
	"github.com/mosaichq/mosaic/migrations"
)

func runServe(ctx context.Context, args []string, _ io.Writer, stderr io.Writer) error {
	cfg, _, err := parseConfig("serve", args, stderr, nil)
	if err != nil {
		return err
	}
	log := cfg.Logger(stderr)
	sec, err := secret(cfg, false)
	if err != nil {
		return err
	}
	if cfg.BundleKey == "" {
		// A key generated per data dir would differ per replica: a screen
		// fetching the key set from one and a bundle from another would
		// refuse it. dev keeps one in its data dir; serve is told.
		return errors.New("set MOSAIC_BUNDLE_KEY, the same on every replica, to sign screen bundles " +
			"(a base64 Ed25519 seed of 32 bytes: mosaic bundle-key makes one)")
	}
	a, err := app.Open(ctx, cfg, sec, log)
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
	a, err := openLocal(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	created, err := seedDemo(ctx, a, log, false, stdout)
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
