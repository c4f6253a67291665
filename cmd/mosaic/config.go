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
	"text/tabwriter"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/app"
	"github.com/mosaichq/mosaic/internal/config"
	"github.com/mosaichq/mosaic/internal/pgcluster"
)

// synopses are the usage lines of subcommands that take more than flags.
var synopses = map[string]string{
	"model import": "mosaic model import [flags] FILE",
	"model export": "mosaic model export [flags] > model.json",
	"user add":     "mosaic user add --email EMAIL [flags]",
}

// parseConfig reads a subcommand's flags plus every shared setting; flags
// may follow positional arguments. --help lists the subcommand's own flags
// first, then the shared settings.
func parseConfig(name string, args []string, stderr io.Writer, extra func(*flag.FlagSet)) (config.Config, *flag.FlagSet, error) {
	fs := flag.NewFlagSet("mosaic "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var own []*flag.Flag
	if extra != nil {
		extra(fs)
		fs.VisitAll(func(f *flag.Flag) { own = append(own, f) })
	}
	fs.Usage = func() {
		synopsis := synopses[name]
		if synopsis == "" {
			synopsis = "mosaic " + name + " [flags]"
		}
		fmt.Fprintf(stderr, "usage: %s\n\n", synopsis)
		if len(own) > 0 {
			fmt.Fprintf(stderr, "flags of mosaic %s:\n", name)
			tw := tabwriter.NewWriter(stderr, 0, 0, 2, ' ', 0)
			for _, f := range own {
				def := ""
				if f.DefValue != "" && f.DefValue != "false" {
					def = fmt.Sprintf(" (default %q)", f.DefValue)
				}
				fmt.Fprintf(tw, "  --%s\t%s%s\n", f.Name, f.Usage, def)
			}
			_ = tw.Flush()
			fmt.Fprintln(stderr)
		}
		fmt.Fprintln(stderr, "settings (flag, environment variable, default):")
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

// openLocal opens the app on cfg's database with the secret kept in the
// data dir (dev, seed, model): what a local command needs. Commands that
// run beside a `mosaic dev` pass app.ServicesOnly(): they must not take
// what the running server holds (its search index).
func openLocal(ctx context.Context, cfg config.Config, log *slog.Logger, opts ...app.Option) (*app.App, error) {
	sec, err := secret(cfg)
	if err != nil {
		return nil, err
	}
	return app.Open(ctx, cfg, sec, log, opts...)
}

// existingSecret is the secret a token must be signed with to be accepted:
// MOSAIC_JWT_SECRET, else the one the server keeps in its data dir. It
// never makes one: a token signed with a new secret is refused by the
// server it was meant for.
func existingSecret(cfg config.Config) ([]byte, error) {
	if cfg.JWTSecret != "" {
		return []byte(cfg.JWTSecret), nil
	}
	path := absPath(filepath.Join(cfg.DataDir, "jwt-secret"))
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no token secret: MOSAIC_JWT_SECRET is not set and there is no %s.\n"+
			"mosaic dev keeps its secret in its data dir (made on its first start): run this in the directory where "+
			"mosaic dev runs, or point at its data dir with --data-dir DIR (MOSAIC_DATA_DIR); "+
			"for mosaic serve, set MOSAIC_JWT_SECRET to the server's secret", path)
	}
	return auth.LoadOrCreateSecret(path) // exists: only read
}

// secret returns the token signing secret of a local command:
// MOSAIC_JWT_SECRET, or the one kept in the data dir (created on first use).
func secret(cfg config.Config) ([]byte, error) {
	if cfg.JWTSecret != "" {
		return []byte(cfg.JWTSecret), nil
	}
	return auth.LoadOrCreateSecret(filepath.Join(cfg.DataDir, "jwt-secret"))
}
