package server_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/access"
	"github.com/mosaichq/mosaic/internal/testapp"
	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/server"
)

// dbState fingerprints every table of the instance's schema
// (testdb.Fingerprint), so "nothing changed" means nothing.
func dbState(t *testing.T, app *testapp.App) map[string]string {
	t.Helper()
	state := testdb.Fingerprint(t, app.Pool)
	require.Contains(t, state, "audit_log")
	return state
}

// clock is a settable clock for the access service (key expiry, login
// limits) that leaves content's clock alone.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// securityBundle is an instance whose access service keeps last-used times
// until shutdown (so they cannot move a snapshot mid-test) on a clock the
// test controls.
type securityBundle struct {
	app   *testapp.App
	clock *clock
}

func setupSecurity(t *testing.T, sec server.Security, tune ...func(*testapp.Options)) *securityBundle {
	t.Helper()
	c := &clock{t: time.Now()}
	opts := testapp.Options{Security: sec, Access: func(cfg *access.Config) {
		cfg.LastUsedInterval = time.Hour
		cfg.Now = c.Now
	}}
	for _, f := range tune {
		f(&opts)
	}
	return &securityBundle{app: testapp.New(t, opts), clock: c}
}

// entryID returns the id of the published entry with slug of type page.
func entryID(t *testing.T, app *testapp.App, slug string) string {
	t.Helper()
	resp := app.Query("", `query($s: String!) { entry(slug: $s, type: "page") { id } }`, map[string]any{"s": slug})
	require.Empty(t, resp.Errors, resp.Raw)
	return testapp.Path(resp.Data, "entry", "id").(string)
}
