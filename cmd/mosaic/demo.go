package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/mosaichq/mosaic/internal/app"
	"github.com/mosaichq/mosaic/internal/seed"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// seedDemo seeds the demo the one way every command does: once per
// database (the settings table remembers), model changes audited, the demo
// pictures uploaded through the asset service. With reset it first deletes
// all content — never users, API keys or secrets — and seeds it again
// (`mosaic dev --reset-demo`). It returns whether it wrote the demo.
func seedDemo(ctx context.Context, a *app.App, log *slog.Logger, reset bool, stdout io.Writer) (bool, error) {
	store := postgres.New(a.Pool)
	opts := []seed.Option{seed.WithCampaigns(a.Campaigns), seed.WithState(store)}
	if a.Access != nil {
		opts = append(opts, seed.WithAudit(a.Access))
	}
	if a.Assets != nil {
		opts = append(opts, seed.WithAssets(a.Assets))
	}
	if !reset {
		return seed.Run(ctx, a.Content, a.Experience, log, opts...)
	}
	deleted, err := seed.Reset(ctx, store, "cli:"+os.Getenv("USER"), a.Content, a.Experience, a.Campaigns, log, opts...)
	if err != nil {
		return false, err
	}
	fmt.Fprintf(stdout, "demo reset: deleted %d entries, %d content types, %d campaigns, %d segments and %d experiments, "+
		"then seeded the demo again (users, API keys, assets and secrets untouched)\n",
		deleted["entries"], deleted["types"], deleted["campaigns"], deleted["segments"], deleted["experiments"])
	return true, nil
}
