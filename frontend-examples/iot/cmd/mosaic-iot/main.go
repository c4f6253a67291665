// Command mosaic-iot keeps one display without a browser showing a Mosaic
// screen: it prints each frame change on stdout and logs on stderr.
//
//	mosaic-iot -api http://127.0.0.1:8080 -screen lobby
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"syscall"

	"github.com/mosaichq/mosaic/frontend-examples/iot/client"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "mosaic-iot:", err)
		os.Exit(1)
	}
}

func run() error {
	var cfg client.Config
	flag.StringVar(&cfg.API, "api", "http://127.0.0.1:8080", "the Mosaic server's base URL")
	flag.StringVar(&cfg.Screen, "screen", "lobby", "the screen's slug")
	flag.StringVar(&cfg.Channel, "channel", "kiosk", "the channel the display is on")
	flag.StringVar(&cfg.Device, "device", "kiosk", "the device class")
	flag.StringVar(&cfg.Locale, "locale", "en", "the locale (one the server supports)")
	flag.StringVar(&cfg.Key, "key", os.Getenv("MOSAIC_API_KEY"), "API key sent as X-API-Key (default $MOSAIC_API_KEY)")
	flag.StringVar(&cfg.ID, "id", hostID(), "this unit's id in heartbeats")
	flag.StringVar(&cfg.StateDir, "state-dir", "", "where the last good bundle, keys and assets are kept (default: the user cache dir)")
	flag.IntVar(&cfg.Horizon, "horizon", 72, "hours ahead the bundle covers (1–336)")
	flag.BoolVar(&cfg.Assets, "assets", true, "download the asset manifest into the state dir")
	flag.Int64Var(&cfg.AssetMaxBytes, "asset-max-bytes", 50<<20, "largest asset downloaded")
	level := flag.String("log-level", "info", "debug, info, warn or error")
	flag.Parse()
	if flag.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", flag.Args())
	}

	var lv slog.Level
	if err := lv.UnmarshalText([]byte(*level)); err != nil {
		return fmt.Errorf("-log-level: %w", err)
	}
	cfg.Log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lv}))
	cfg.Out = os.Stdout
	if cfg.StateDir == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			return fmt.Errorf("no -state-dir and no user cache dir: %w", err)
		}
		cfg.StateDir = filepath.Join(dir, "mosaic-iot", cfg.Screen)
	}

	c, err := client.New(cfg)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg.Log.Info("mosaic-iot starting", "api", cfg.API, "screen", cfg.Screen, "channel", cfg.Channel,
		"device", cfg.Device, "locale", cfg.Locale, "id", cfg.ID, "stateDir", cfg.StateDir)
	_ = c.Run(ctx) // returns once ctx ends: a signal is a clean stop
	cfg.Log.Info("stopped")
	return nil
}

// hostID is the hostname, reduced to what the server accepts as a unit
// id ([A-Za-z0-9._:-], at most 64).
func hostID() string {
	h, err := os.Hostname()
	if err != nil || h == "" {
		return "mosaic-iot"
	}
	h = regexp.MustCompile(`[^A-Za-z0-9._:-]`).ReplaceAllString(h, "-")
	if len(h) > 64 {
		h = h[:64]
	}
	return h
}
