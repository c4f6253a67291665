package testapp

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/mosaichq/mosaic/campaign"
	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/experience"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// newCampaigns builds the campaign service as internal/app does: a write
// drops the delivery caches and rebuilds the engine before it returns.
func newCampaigns(t testing.TB, store *postgres.Store, svc *content.Service, exp *experience.Service, opts Options, log *slog.Logger) *campaign.Service {
	t.Helper()
	c, err := campaign.New(store.Campaigns(), campaign.Config{Drafts: svc, Now: opts.Now, Logger: log,
		Changed: func(ctx context.Context) {
			svc.Changed(false)
			if err := exp.Reload(ctx); err != nil {
				t.Errorf("rebuilding the engine after a campaign write: %v", err)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Clock is an injectable clock for Options.Now: tests set the instant and
// no test sleeps to reach a campaign's start.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock stopped at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's instant.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t (forwards or back).
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// Add moves the clock by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}
