package testapp

import (
	"testing"

	"github.com/mosaichq/mosaic/bundle"
	"github.com/mosaichq/mosaic/fleet"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// newFleet is the instance's fleet view, built as internal/app builds it,
// on the instance's clock.
func newFleet(t testing.TB, store *postgres.Store, b *bundle.Builder, opts Options) *fleet.Service {
	t.Helper()
	cfg := fleet.Config{Store: store.Fleet(), Source: fleet.BundleSource{Builder: b}, Now: opts.Now}
	if opts.Fleet != nil {
		opts.Fleet(&cfg)
	}
	svc, err := fleet.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}
