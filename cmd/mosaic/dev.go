package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/mosaichq/mosaic/auth"
)

// runDev is the zero-setup mode: a private PostgreSQL under the data dir
// (stopped again on exit unless a helper command still uses it),
// migrations, demo content, a printed token. One dev per data dir: a second
// one refuses and names the first (devlock.go).
func runDev(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	start := time.Now()
	var resetDemo bool
	cfg, _, err := parseConfig("dev", args, stderr, func(fs *flag.FlagSet) {
		fs.BoolVar(&resetDemo, "reset-demo", false, "delete all content (types, entries, campaigns, segments) and seed the demo again; users, API keys and secrets stay")
	})
	if err != nil {
		return err
	}
	lock, err := lockDev(cfg.DataDir)
	if err != nil {
		return err
	}
	defer lock.release()
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
	if _, err := seedDemo(ctx, a, log, resetDemo, stdout); err != nil {
		return err
	}
	token, err := a.Tokens.Issue("dev-editor", auth.RoleEditor, 0)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listening on %s (use --addr to pick another): %w", cfg.Addr, err)
	}
	base := "http://" + ln.Addr().String()
	lock.write(base)
	fmt.Fprintf(stdout, `
Mosaic is running (ready in %s).

  Home      %[2]s/   (links to everything below)
  GraphQL   %[2]s/graphql
  GraphiQL  %[2]s/graphiql
  Studio    %[2]s/studio/   (campaigns, time travel, the screen fleet)
  Bundle    %[2]s/screens/lobby/bundle?channel=kiosk&device=kiosk   (signed, for kiosks)
  Health    %[2]s/healthz   %[2]s/readyz   %[2]s/metrics
  Database  %[3]s
  Demo      seeded once, your changes kept; mosaic dev --reset-demo seeds it again

Editor token (send as "Authorization: Bearer <token>"; admin: mosaic token --role admin):
%[4]s
Local users: mosaic user add --email you@example.com, then the login mutation.
Delivery is public in dev; mosaic serve wants an API key (createAPIKey) unless
MOSAIC_PUBLIC_DELIVERY=true.

Try:  curl -s %[2]s/graphql -H 'Content-Type: application/json' \
        -d '{"query":"{ entry(slug: \"home\", type: \"page\") { id blocks { type fields } } }"}'

Press Ctrl-C to stop.
`, time.Since(start).Round(time.Millisecond), base, cfg.DatabaseURL, token)
	return a.Serve(ctx, ln)
}
