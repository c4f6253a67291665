package server_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/access"
	"github.com/mosaichq/mosaic/internal/testapp"
	"github.com/mosaichq/mosaic/server"
)

// dbState fingerprints every table of the instance's schema (row count and
// a hash of every row), so "nothing changed" means nothing, not "these
// counts did not move".
func dbState(t *testing.T, app *testapp.App) map[string]string {
	t.Helper()
	ctx := context.Background()
	rows, err := app.Pool.Query(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'`)
	require.NoError(t, err)
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	require.Contains(t, tables, "audit_log")
	// One round trip for all tables: the injection test takes hundreds.
	parts := make([]string, len(tables))
	for i, table := range tables {
		parts[i] = `SELECT ` + quote(table) + `, count(*)::text || ':' || COALESCE(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM ` +
			pgx.Identifier{table}.Sanitize() + ` t`
	}
	rows, err = app.Pool.Query(ctx, strings.Join(parts, " UNION ALL "))
	require.NoError(t, err)
	out := map[string]string{}
	for rows.Next() {
		var table, fp string
		require.NoError(t, rows.Scan(&table, &fp))
		out[table] = fp
	}
	require.NoError(t, rows.Err())
	return out
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

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
